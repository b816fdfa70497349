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
from ticket_analysis.ingest.reading import read_records

if TYPE_CHECKING:
    import pandas as pd

    from ticket_analysis.ingest.validation import Validated

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SourceInfo:
    """Where the data came from: path as given, file checksum, size, encoding.

    Attributes:
        encoding: ``utf-8``, ``utf-8-sig`` or ``cp1252``.
        damaged_lines: Lines of a UTF-8 file whose damaged bytes became U+FFFD.
    """

    path: str
    sha256: str
    bytes: int
    encoding: str
    damaged_lines: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the ``source`` object of summary.json."""
        return {
            "path": self.path,
            "sha256": self.sha256,
            "bytes": self.bytes,
            "encoding": self.encoding,
        }


@dataclass(frozen=True)
class DataQuality:
    """The accounting of one load.

    Attributes:
        records_read: Data records in the file (blank lines excluded).
        rows_rejected: Records written to rejected_rows.csv.
        rows_with_warnings: Valid rows carrying at least one warning.
        issues: Occurrences per issue code (all codes present).
        extra_columns: Header names ignored because the contract lacks them.
    """

    records_read: int
    rows_valid: int
    rows_rejected: int
    rows_with_warnings: int
    issues: dict[str, int]
    extra_columns: tuple[str, ...] = ()
    missing_optional_columns: tuple[str, ...] = ()

    @property
    def reject_rate(self) -> float:
        """Share of records rejected (0 when the file has no records)."""
        return self.rows_rejected / self.records_read if self.records_read else 0.0

    def to_dict(self, rejected_rows_file: str) -> dict[str, Any]:
        """Return the ``data_quality`` object of summary.json."""
        return {
            "records_read": self.records_read,
            "rows_valid": self.rows_valid,
            "rows_rejected": self.rows_rejected,
            "rows_with_warnings": self.rows_with_warnings,
            "issues": dict(self.issues),
            "rejected_rows_file": rejected_rows_file,
            "extra_columns": list(self.extra_columns),
            "missing_optional_columns": list(self.missing_optional_columns),
        }


@dataclass(frozen=True)
class LoadResult:
    """Everything :func:`load_tickets` found.

    Attributes:
        tickets: The valid tickets (see ``docs/dataframe.md``).
        rejected: One row per rejected record (line, reasons, original fields).
        issues: Every issue: line_number, code, severity, message.
        has_warning: Per ticket, whether it carries a warning.
    """

    tickets: pd.DataFrame
    rejected: pd.DataFrame
    issues: pd.DataFrame
    quality: DataQuality
    source: SourceInfo
    has_warning: np.ndarray[Any, np.dtype[np.bool_]] = field(repr=False)


def read_input(path: Path) -> bytes:
    """Read the whole input file, turning OS errors into clear input errors.

    Only a regular file is read: a FIFO, socket or device (``/dev/stdin``) could
    block forever or never end. It is opened without blocking and checked on the
    open descriptor, so a FIFO swapped in after a check cannot hang the run.

    Raises:
        InputError: If the file is missing, a folder, not a regular file, or
            unreadable.
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


def load_tickets(path: Path | str, *, today: date | None = None) -> LoadResult:
    """Load and validate a ticket export.

    The accounting is not logged here: the ``created_after_as_of`` warning is
    added once the report date is known (:func:`flag_created_after`), and
    :func:`log_accounting` then logs the final counts.

    Args:
        path: The CSV file.
        today: The day of the run (UTC today when None); see
            :func:`~ticket_analysis.ingest.validation.validate`.

    Raises:
        InputError: If the file cannot be used at all (see the contract).
    """
    path = Path(path)
    data = read_input(path)
    digest = hashlib.sha256()
    hasher = threading.Thread(target=digest.update, args=(data,))  # releases the GIL
    hasher.start()
    try:
        raw = read_records(data, str(path))
    finally:
        hasher.join()
    size = len(data)
    del data  # the parsed columns hold their own copy: free the file's bytes
    # Imported here, not at the top: pandas (which validation needs) can then be
    # imported on another thread while this one reads and parses the file (see
    # ``pipeline.analyse``).
    from ticket_analysis.ingest.validation import validate

    checked = validate(raw, today=today)
    quality = _quality(
        raw.records_read, checked, raw.extra_columns, raw.missing_optional_columns
    )
    source = SourceInfo(
        str(path),
        digest.hexdigest(),
        size,
        raw.encoding,
        tuple(raw.damaged_lines),
    )
    del raw
    _release_freed_memory()
    return LoadResult(
        checked.tickets,
        checked.rejected,
        checked.issues,
        quality,
        source,
        checked.has_warning,
    )


def log_accounting(result: LoadResult) -> None:
    """Log the accounting of a load, with the counts summary.json reports.

    Call it after :func:`flag_created_after`, whose warning changes the count of
    rows with warnings.
    """
    quality = result.quality
    logger.info(
        "%s: %d records read, %d valid, %d rejected, %d with warnings",
        Path(result.source.path).name,
        quality.records_read,
        quality.rows_valid,
        quality.rows_rejected,
        quality.rows_with_warnings,
    )


def _release_freed_memory() -> None:
    """Give the memory of the parsed file back to the operating system.

    pyarrow's allocator keeps freed memory mapped for reuse, but the parsed
    columns (hundreds of MB at a million rows) are freed on this thread while
    the metrics allocate on others, which cannot reuse it: peak RSS then grows by
    the metrics' working set (measured: 80 MB at a million rows). Returning it
    costs a few milliseconds.
    """
    pa.default_memory_pool().release_unused()


def _quality(
    records_read: int,
    checked: Validated,
    extra_columns: list[str],
    missing_optional: list[str],
) -> DataQuality:
    """Count the outcome of validation."""
    counts = checked.issues["code"].value_counts()
    issues = {code: int(counts.get(code, 0)) for code in d.ISSUE_CODES}
    return DataQuality(
        records_read=records_read,
        rows_valid=len(checked.tickets),
        rows_rejected=len(checked.rejected),
        rows_with_warnings=int(checked.has_warning.sum()),
        issues=issues,
        extra_columns=tuple(extra_columns),
        missing_optional_columns=tuple(missing_optional),
    )


def flag_created_after(result: LoadResult, as_of: date) -> LoadResult:
    """Add the ``created_after_as_of`` warning for tickets newer than ``as_of``.

    The warning depends on the report's date, so it is added once that is known.
    Returns ``result`` itself when no ticket is newer.
    """
    import pandas as pd

    tickets = result.tickets
    # numpy, not pd.Timestamp: any date compares, even outside pandas' range.
    created = tickets["created_date"].to_numpy(dtype="datetime64[s]")
    after = created > np.datetime64(as_of, "s")
    if not after.any():
        return result
    new_issues = pd.DataFrame(
        {
            "line_number": tickets["line_number"].to_numpy()[after],
            "code": d.CREATED_AFTER_AS_OF,
            "severity": "warning",
            "message": f"created after the report date {as_of.isoformat()}",
        }
    )
    issues = (
        pd.concat([result.issues, new_issues], ignore_index=True)
        .sort_values("line_number", kind="stable")
        .reset_index(drop=True)
    )
    has_warning = result.has_warning | after
    counts = dict(result.quality.issues)
    counts[d.CREATED_AFTER_AS_OF] += int(after.sum())
    quality = replace(
        result.quality, issues=counts, rows_with_warnings=int(has_warning.sum())
    )
    return replace(result, issues=issues, quality=quality, has_warning=has_warning)
