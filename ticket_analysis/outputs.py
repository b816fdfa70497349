"""Writers of report files, with spreadsheet formulas kept out of CSV cells."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final

if TYPE_CHECKING:  # imported where used: run_report.py's process never needs it
    import pandas as pd

# The report files' names: the one home every writer, reader and message uses.
SUMMARY_FILE: Final = "summary.json"
TEXT_REPORT_FILE: Final = "executive_report.txt"
REJECTED_FILE: Final = "rejected_rows.csv"
OVERDUE_FILE: Final = "overdue_tickets.csv"
NOTEBOOK_FILE: Final = "ticket_report.ipynb"
FAILED_NOTEBOOK_FILE: Final = "ticket_report.failed.ipynb"
HTML_FILE: Final = "report.html"
#: The direct run's files by report name (``ReportSet`` adds manifest.json); the
#: notebook's pipeline step writes the same.
REPORT_FILES: Final = {
    "rejected_rows": REJECTED_FILE,
    "overdue_tickets": OVERDUE_FILE,
    "summary": SUMMARY_FILE,
    "executive_report": TEXT_REPORT_FILE,
}

#: First characters that make Excel, LibreOffice or Sheets run a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Writes one file's content to an open handle.
Writer = Callable[[IO[Any]], object]


def text_writer(text: str) -> Writer:
    """Return a writer of UTF-8 text."""
    return lambda handle: handle.write(text)


def csv_writer(frame: pd.DataFrame) -> Writer:
    """Return a writer of a table as CSV, text cells that start a formula after ``'``.

    The header is written even when the table has no rows. Lines end with CRLF
    (RFC 4180): the writer then also quotes cells holding a lone CR.
    """
    import pandas as pd

    safe = frame.copy()
    for name in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[name]):
            text = safe[name].astype("str")
            risky = text.str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
            safe[name] = text.where(~risky, "'" + text)
    return lambda handle: safe.to_csv(handle, index=False, lineterminator="\r\n")


def write_file(path: Path, write: Writer) -> Path:
    """Write one file with ``write`` (UTF-8, newlines as given), not atomically."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        write(handle)
    return path
