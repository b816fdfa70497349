"""The CSV writer: formula neutralisation and a header even when empty."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from ticket_analysis.outputs import csv_writer, write_file


def test_formula_cells_are_neutralised(tmp_path: Path) -> None:
    """Cells starting with = + - @ tab CR get a leading apostrophe; others don't."""
    frame = pd.DataFrame(
        {
            "line_number": [2, 3, 4, 5, 6, 7, 8],
            "subject": [
                '=HYPERLINK("http://x")',
                "+1",
                "-2",
                "@SUM(A1)",
                "\tx",
                "\rx",
                "ok = fine",
            ],
        }
    )
    path = write_file(tmp_path / "r.csv", csv_writer(frame))
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["line_number", "subject"]
    assert [r[1] for r in rows[1:]] == [
        '\'=HYPERLINK("http://x")',
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "ok = fine",
    ]
    assert [r[0] for r in rows[1:]] == ["2", "3", "4", "5", "6", "7", "8"]


def test_header_only_csv_when_empty(tmp_path: Path) -> None:
    """An empty table still writes its header (no stale file survives)."""
    empty = pd.DataFrame({"a": pd.Series(dtype="str")})
    path = write_file(tmp_path / "r.csv", csv_writer(empty))
    assert path.read_bytes() == b"a\r\n"
