"""Load a ticket export: read, validate, and account for every record.

``records_read == rows_valid + rows_rejected`` always holds; blank lines are not
records. See ``docs/dataframe.md`` for the DataFrame returned.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import threading
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from ticket_analysis import domain as d
from ticket_analysis.exceptions import InputError
from ticket_analysis.ingest.profiles import resolve
from ticket_analysis.ingest.reading import read_records
from ticket_analysis.outputs import REJECTED_FILE
from ticket_analysis.summary import DataQuality, Source

if TYPE_CHECKING:
    import pandas as pd

logger = logging.getLogger(__name__)

#: The file the rejected rows are written to, as ``data_quality`` names it.


@dataclass(frozen=True)
class LoadResult:
    """Everything :func:`load_tickets` found.

    Attributes:
        rejected: One row per rejected record (line, reasons, original fields).
        issues: Every issue: line_number, code, severity, message.
        damaged_lines: Lines of a UTF-8 file whose damaged bytes became U+FFFD.
    """

    tickets: pd.DataFrame
    rejected: pd.DataFrame
    issues: pd.DataFrame
    quality: DataQuality
    source: Source
    has_warning: np.ndarray[Any, np.dtype[np.bool_]] = field(repr=False)
    damaged_lines: tuple[int, ...] = ()


def read_input(path: Path) -> bytes:
    """Read the whole input file, turning OS errors into clear input errors.

    Only a regular file is read: a FIFO, socket or device (``/dev/stdin``) could
    block forever. It is opened without blocking and checked on the open
    descriptor, so a FIFO swapped in after a check cannot hang the run.
    """
    if not path.exists():
        raise InputError(
            f"input file not found: {path}. Check the path (--input or TICKETS_INPUT)."
        )
    if path.is_dir():
        raise InputError(
            f"{path} is a folder, not a CSV file: pass the CSV file itself"
        )
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise InputError(
                    f"{path} is not a regular file (a pipe, socket or device): "
                    "save the export to a file and pass that"
                )
            return handle.read()
    except OSError as exc:
        raise InputError(
            f"cannot read {path}: {exc.strerror or exc}. Check its permissions."
        ) from exc


def load_tickets(
    path: Path | str,
    *,
    today: date | None = None,
    source: str | None = None,
    mapping: Path | str | None = None,
) -> LoadResult:
    """Load and validate a ticket export (``today``: see ``validation.validate``).

    ``source`` names a built-in import profile (``--source``), ``mapping`` is a
    profile file (``--mapping``); with neither, the profile is detected from the
    header (contract section 8). Only the profile used is logged here:
    :func:`flag_created_after` adds a warning once the report date is known,
    then :func:`log_accounting` logs the final counts.

    Raises:
        InputError: If the file cannot be used at all (see the contract).
        UsageError: An unknown ``source``, a bad mapping file, or a header that
            fits more than one built-in profile.
    """
    profile = resolve(source, mapping)  # a bad mapping fails before the read
    path = Path(path)
    data = read_input(path)
    digest = hashlib.sha256()
    hasher = threading.Thread(target=digest.update, args=(data,))  # releases the GIL
    hasher.start()
    try:
        raw = read_records(data, str(path), profile=profile)
    finally:
        hasher.join()
    size = len(data)
    del data  # the parsed columns hold their own copy: free the file's bytes
    # Imported here: validation needs pandas, which `--help` or a usage error
    # (the CLI imports the pipeline and so this module) should not wait for.
    from ticket_analysis.ingest.validation import validate

    checked = validate(raw, today=today, consume=True)
    counts = checked.issues["code"].value_counts()
    quality = DataQuality(
        records_read=raw.records_read,
        rows_valid=len(checked.tickets),
        rows_rejected=len(checked.rejected),
        rows_with_warnings=int(checked.has_warning.sum()),
        issues={code: int(counts.get(code, 0)) for code in d.ISSUE_CODES},
        rejected_rows_file=REJECTED_FILE,
        extra_columns=raw.extra_columns,
        missing_optional_columns=raw.missing_optional_columns,  # type: ignore[arg-type]
    )
    used = Source(
        path=str(path),
        sha256=digest.hexdigest(),
        bytes=size,
        encoding=raw.encoding,
        profile=raw.profile.name,
    )
    damaged = tuple(raw.damaged_lines)
    del raw
    # pyarrow keeps freed memory for reuse on this thread, but the metrics
    # allocate on others: hand the parsed file's back (80 MB less peak at 1M rows).
    pa.default_memory_pool().release_unused()
    return LoadResult(
        checked.tickets,
        checked.rejected,
        checked.issues,
        quality,
        used,
        checked.has_warning,
        damaged,
    )


def log_accounting(result: LoadResult) -> None:
    """Log the counts summary.json reports (after :func:`flag_created_after`)."""
    quality = result.quality
    logger.info(
        "%s: %d records read, %d valid, %d rejected, %d with warnings "
        "(import profile: %s)",
        Path(result.source.path).name,
        quality.records_read,
        quality.rows_valid,
        quality.rows_rejected,
        quality.rows_with_warnings,
        result.source.profile,
    )


def flag_created_after(result: LoadResult, as_of: date) -> LoadResult:
    """Add the ``created_after_as_of`` warning for tickets newer than ``as_of``.

    Returns ``result`` itself when no ticket is newer.
    """
    import pandas as pd
    from pandas.api.types import union_categoricals

    from ticket_analysis.ingest.tables import categories

    tickets = result.tickets
    # numpy, not pd.Timestamp: any date compares, even outside pandas' range.
    created = tickets["created_date"].to_numpy(dtype="datetime64[s]")
    after = created > np.datetime64(as_of, "s")
    if not after.any():
        return result
    added = {
        "code": d.CREATED_AFTER_AS_OF,
        "severity": "warning",
        "message": f"created after the report date {as_of.isoformat()}",
    }
    new_lines = tickets["line_number"].to_numpy()[after]
    old = result.issues
    issues = (
        pd.DataFrame(
            {
                "line_number": np.concatenate([old["line_number"], new_lines]),
                **{
                    name: union_categoricals(
                        [
                            pd.Categorical(old[name]),
                            categories(np.zeros(len(new_lines), int), [text]),
                        ]
                    )
                    for name, text in added.items()
                },
            }
        )
        .sort_values("line_number", kind="stable")
        .reset_index(drop=True)
    )
    has_warning = result.has_warning | after
    counts = dict(result.quality.issues)
    counts[d.CREATED_AFTER_AS_OF] += int(after.sum())
    quality = result.quality.model_copy(
        update={"issues": counts, "rows_with_warnings": int(has_warning.sum())}
    )
    return replace(result, issues=issues, quality=quality, has_warning=has_warning)
