"""Write report files atomically, and keep spreadsheet formulas out of them.

:class:`ReportSet` (from :mod:`ticket_analysis.report_set`) replaces one run's
files as a whole; :func:`atomic_open` replaces one file: it is written to a
temporary file in the same folder, flushed to disk and renamed over the target.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ticket_analysis.exceptions import OutputError
from ticket_analysis.report_set import MANIFEST_FILE, ReportSet

if TYPE_CHECKING:  # imported where used: run_report.py's process never needs it
    import pandas as pd

logger = logging.getLogger(__name__)

__all__ = [
    "MANIFEST_FILE",
    "ReportSet",
    "Writer",
    "atomic_open",
    "csv_writer",
    "json_writer",
    "neutralize_formulas",
    "prepare_output_dir",
    "text_writer",
    "write_file",
    "write_text",
]

#: First characters that make Excel, LibreOffice or Sheets run a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def prepare_output_dir(path: Path) -> Path:
    """Create the output folder if needed, check it is writable, return it absolute.

    Raises:
        OutputError: If it cannot be created or written to.
    """
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create the output folder {path}: {exc.strerror or exc}. "
            "Choose another one with --output-dir or REPORTS_DIR."
        ) from exc
    if not os.access(path, os.W_OK | os.X_OK):
        raise OutputError(
            f"the output folder {path} is not writable. "
            "Choose another one with --output-dir or REPORTS_DIR."
        )
    return path.resolve()


@contextlib.contextmanager
def atomic_open(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    r"""Open a temporary file that replaces ``path`` only when the block succeeds.

    ``mode`` is ``"w"`` (UTF-8 text, ``\\n`` newlines) or ``"wb"``.

    Raises:
        OutputError: If the file cannot be written; the previous file is kept.
    """
    fd, tmp_name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    tmp = Path(tmp_name)
    try:
        encoding = None if "b" in mode else "utf-8"
        newline = None if "b" in mode else ""
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        tmp.chmod(0o644)
        tmp.replace(path)
    except OutputError:  # raised by an inner atomic_open: already explained
        tmp.unlink(missing_ok=True)
        raise
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(
            f"cannot write {path}: {exc.strerror or exc}; the previous file, if any, "
            "is unchanged"
        ) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


#: Writes one file's content to an open handle.
Writer = Callable[[IO[Any]], None]


def text_writer(text: str) -> Writer:
    """Return a writer of UTF-8 text."""

    def write(handle: IO[Any]) -> None:
        handle.write(text)

    return write


def json_writer(data: dict[str, Any]) -> Writer:
    """Return a writer of a JSON document (UTF-8, 2-space indent, no NaN).

    Raises:
        ValueError: At once, if the object holds NaN or infinity.
    """
    return text_writer(
        json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    )


def csv_writer(frame: pd.DataFrame) -> Writer:
    """Return a writer of a table as CSV, every text cell formula-neutralised.

    The header is written even when the table has no rows. Lines end with CRLF
    (RFC 4180): the writer then also quotes cells holding a lone CR.
    """
    import pandas as pd

    safe = frame.copy()
    for name in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[name]):
            safe[name] = neutralize_formulas(safe[name])

    def write(handle: IO[Any]) -> None:
        safe.to_csv(handle, index=False, lineterminator="\r\n")

    return write


def write_file(path: Path, write: Writer) -> Path:
    """Write one file with ``write`` (UTF-8, newlines as given), not atomically."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        write(handle)
    return path


def write_text(path: Path, text: str) -> Path:
    """Write a UTF-8 text file atomically (see :func:`atomic_open`)."""
    with atomic_open(path) as handle:
        handle.write(text)
    return path


def neutralize_formulas(column: pd.Series) -> pd.Series:
    """Prefix cells a spreadsheet would run as a formula with ``'``."""
    text = column.astype("str")
    risky = text.str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
    return text.where(~risky, "'" + text)
