"""Behaviour the performance work relies on (no timings: those are benchmarks/).

- Start-up: the processes that never analyse data do not import pandas, and
  importing the pipeline leaves pandas to the background import.
- Trimming skips the copy when nothing needs trimming, with the same result as
  ``pc.utf8_trim_whitespace``.
- Parsed columns are ``large_string``, the type pandas' ``str`` dtype holds.
"""

from __future__ import annotations

import subprocess
import sys

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from ticket_analysis.ingest import reading
from ticket_analysis.ingest.columns import trim
from ticket_analysis.ingest.reading import read_records


def _imports_pandas(code: str) -> bool:
    """Run ``code`` in a fresh interpreter; tell whether pandas got imported."""
    probe = f"{code}\nimport sys\nprint('pandas' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return result.stdout.strip().splitlines()[-1] == "True"


def test_the_run_status_module_imports_no_pandas() -> None:
    """The runner imports the status MIME type from its home without pandas."""
    assert not _imports_pandas(
        "from ticket_analysis.notebook.status import RUN_STATUS_MIME"
    )


def test_run_report_process_does_not_import_pandas() -> None:
    """run_report.py's own process only drives the kernel: no pandas there."""
    assert not _imports_pandas(
        "import run_report\nfrom ticket_analysis.notebook import runner"
    )


def test_importing_the_pipeline_does_not_import_pandas() -> None:
    """`--help` and usage errors do not wait for pandas (loaded for validation)."""
    assert not _imports_pandas("from ticket_analysis import cli, pipeline")


TRICKY = [
    "plain",
    " leading",
    "trailing ",
    "\tboth\r\n",
    "\u00a0nbsp",
    "ideographic\u3000",
    "euro €",
    "日本",
    "",
    "   ",
    "line\u2028",
    "unit\x1f",
    "é",
]


@pytest.mark.parametrize("chunked", [False, True])
def test_trim_matches_pyarrow(chunked: bool) -> None:
    """Whatever the shape of the column, the result is pyarrow's trim."""
    array = pa.array(TRICKY, pa.large_string())
    values = pa.chunked_array([array[:4], array[4:]]) if chunked else array[1:]
    assert trim(values).to_pylist() == pc.utf8_trim_whitespace(values).to_pylist()


def test_trim_returns_clean_columns_as_they_are() -> None:
    """No copy when no value starts or ends with whitespace (non-ASCII included)."""
    clean = pa.chunked_array(
        [pa.array(["a", "€", "日本", "", "é x"], pa.large_string())]
    )
    assert trim(clean) is clean


@pytest.mark.parametrize("exact", [False, True])
def test_parsed_columns_are_large_strings(exact: bool) -> None:
    """Both parsers give ``large_string`` columns (no cast when building frames)."""
    data = (
        b"ticket_id,customer_id,priority,status,created_date\r\n"
        b"T1,C1,High,Open,2024-01-02\r\n"
    )
    raw = read_records(data, "t.csv", exact=exact)
    assert {column.type for column in raw.columns.values()} == {pa.large_string()}


def test_parsing_in_two_halves_gives_the_same_records(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rows, line numbers and malformed records as read in one go.

    The file has ragged records, blank lines and quoted line breaks on both
    sides of its middle, where the file is split.
    """
    header = b"ticket_id,customer_id,priority,status,created_date,description\r\n"
    records = [
        b'T1,C1,High,Open,2024-01-02,"two\r\nlines"',
        b"T2,C2,Low",
        b"",
        b'T3,C3,Low,Closed,2024-01-03,"say ""hi"", then\nleave"',
        b"T4,C4,Low,Closed,2024-01-03,plain,extra",
        b'T5,C5,Low,Open,2024-01-04,"ends in a break\r\n"',
        b"   ",
        b"T6,C6,High,Open,2024-01-05,x",
        b"T7,short",
    ]
    data = header + b"\r\n".join(records * 3) + b"\r\n"
    whole = read_records(data, "t.csv")
    monkeypatch.setattr(reading, "_SPLIT_MIN_BYTES", 0)
    assert reading._split_point(data) is not None
    halves = read_records(data, "t.csv")
    assert halves.line_numbers.tolist() == whole.line_numbers.tolist()
    assert halves.malformed == whole.malformed
    assert {k: v.to_pylist() for k, v in halves.columns.items()} == {
        k: v.to_pylist() for k, v in whole.columns.items()
    }
    exact = read_records(data, "t.csv", exact=True)
    assert halves.line_numbers.tolist() == exact.line_numbers.tolist()
    assert [m.line_number for m in halves.malformed] == [
        m.line_number for m in exact.malformed
    ]
