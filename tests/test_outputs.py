"""Atomic writes and formula neutralisation."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from ticket_analysis.exceptions import OutputError
from ticket_analysis.outputs import (
    atomic_open,
    csv_writer,
    json_writer,
    prepare_output_dir,
    write_file,
)


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


def test_failed_write_keeps_previous_file(tmp_path: Path) -> None:
    """An error while writing leaves the previous file intact and no temp file."""
    target = tmp_path / "summary.json"
    target.write_text('{\n  "v": 1\n}\n')
    with pytest.raises(RuntimeError), atomic_open(target) as handle:
        handle.write('{"v": 2, "half')
        raise RuntimeError("disk went away")
    assert target.read_text() == '{\n  "v": 1\n}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.json"]


def test_nan_is_refused(tmp_path: Path) -> None:
    """NaN is not JSON: refused before any file is opened."""
    with pytest.raises(ValueError):
        write_file(tmp_path / "x.json", json_writer({"v": float("nan")}))
    assert not (tmp_path / "x.json").exists()


def test_output_dir_that_cannot_be_created(tmp_path: Path) -> None:
    """A path under a regular file cannot be a folder: a clear OutputError."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot create the output folder"):
        prepare_output_dir(blocker / "reports")
