"""Writers of report files, with spreadsheet formulas kept out of CSV cells.

Files are written into a run's staging folder; :mod:`ticket_analysis.report_set`
then replaces the previous run's files as a whole.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where used: run_report.py's process never needs it
    import pandas as pd

#: First characters that make Excel, LibreOffice or Sheets run a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


#: Writes one file's content to an open handle.
Writer = Callable[[IO[Any]], None]


def text_writer(text: str) -> Writer:
    """Return a writer of UTF-8 text."""

    def write(handle: IO[Any]) -> None:
        handle.write(text)

    return write


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


def neutralize_formulas(column: pd.Series) -> pd.Series:
    """Prefix cells a spreadsheet would run as a formula with ``'``."""
    text = column.astype("str")
    risky = text.str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
    return text.where(~risky, "'" + text)
