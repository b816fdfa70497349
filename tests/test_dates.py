"""Dates (contract v1.1 section 1 and 3): the supported range, the day of the run.

Regression tests for issue 10's date defects through the entry point they were
found on (``python -m ticket_analysis`` in-process via ``cli.main``, and one
``run_report.py`` run), a property test over any date text, and unit tests of the
range rule at its boundaries. The day of the run is always injected (the
:func:`pin_today` helper), never read from the clock, for an asserted value.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from factories import make_tickets
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from ticket_analysis import cli, pipeline
from ticket_analysis import domain as d
from ticket_analysis.config import ENV_VARS
from ticket_analysis.converters import parse_date
from ticket_analysis.dates import FIRST_DATE, LAST_DATE, RANGE_TEXT
from ticket_analysis.exceptions import UsageError
from ticket_analysis.ingest.loader import LoadResult, flag_created_after, load_tickets
from ticket_analysis.metrics import default_as_of
from ticket_analysis.report.formatting import is_complete_month

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "tickets_sample.csv"
SCHEMA = json.loads((ROOT / "schemas" / "summary.schema.json").read_text())
HEADER = (
    "ticket_id,customer_id,subject,description,priority,status,"
    "created_date,resolved_date,assigned_to\n"
)
#: The day of the run the tests inject, unless a test says otherwise.
TODAY = date(2026, 3, 15)
#: The real ``pipeline.analyse``, which :func:`pin_today` wraps.
ANALYSE = pipeline.analyse


def pin_today(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    """Make ``day`` the day of the run for in-process ``cli.main`` calls.

    ``pipeline.analyse`` takes the run's time as ``now``; the wrapper passes a
    time late on ``day`` (UTC) whatever its caller gives.
    """
    moment = datetime.combine(day, time(23, 59, 59), tzinfo=UTC)

    def pinned(settings: Any, *, now: datetime | None = None) -> Any:
        return ANALYSE(settings, now=moment)

    monkeypatch.setattr(pipeline, "analyse", pinned)


@pytest.fixture
def quiet(monkeypatch: pytest.MonkeyPatch, restore_logging: None) -> None:
    """Mask every settings variable (and .env); weather off; day of run TODAY."""
    for name in ENV_VARS:
        monkeypatch.setenv(name, "")
    monkeypatch.setenv("WEATHER_ENABLED", "false")
    pin_today(monkeypatch, TODAY)


def validated_summary(out: Path) -> dict[str, Any]:
    """Read summary.json and validate it against its schema."""
    summary: dict[str, Any] = json.loads((out / "summary.json").read_text("utf-8"))
    Draft202012Validator(
        SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER
    ).validate(summary)
    return summary


def run_cli(
    folder: Path, body: str, *flags: str, capsys: pytest.CaptureFixture[str]
) -> tuple[int, Path, str]:
    """Write HEADER + body, run ``cli.main`` on it; return code, out folder, stderr.

    A bad flag value ends in argparse's ``SystemExit(2)``, as the command does.
    """
    source, out = folder / "tickets.csv", folder / "out"
    source.write_text(HEADER + body, encoding="utf-8", newline="")
    capsys.readouterr()
    try:
        code = cli.main(
            ["--input", str(source), "--output-dir", str(out), "--no-weather", *flags]
        )
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    return code, out, capsys.readouterr().err


def rejected_reasons(out: Path) -> list[str]:
    """The reasons column of rejected_rows.csv."""
    with (out / "rejected_rows.csv").open(encoding="utf-8", newline="") as f:
        return [row["reasons"] for row in csv.DictReader(f)]


def load(tmp_path: Path, body: str, today: date = TODAY) -> LoadResult:
    """Load HEADER + body with ``today`` as the day of the run."""
    path = tmp_path / "t.csv"
    path.write_text(HEADER + body, encoding="utf-8", newline="")
    return load_tickets(path, today=today)


def messages(result: LoadResult, code: str) -> list[str]:
    """The messages of ``code``, in line order."""
    issues = result.issues
    return issues.loc[issues["code"] == code, "message"].tolist()


# --- issue 10 reproductions through `python -m ticket_analysis` ------------------


def test_defect_1_december_9999_resolved_date_is_a_warning_not_a_crash(
    quiet: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Defect 1: resolved 9999-12-31 is invalid_resolved_date, treated as empty.

    Y2 is Closed, so it also gets missing_resolved_date: 2 valid rows, 1 with
    warnings; the only dated value is 2024-01-01, which is the as_of, and the
    report has the one month 2024-01 (2 created, 0 resolved, partial): at its
    end only Y1 is open, since a closed ticket without a date is never counted.
    """
    code, out, err = run_cli(
        tmp_path,
        "Y1,C1,s,d,High,Open,2024-01-01,,A\n"
        "Y2,C1,s,d,High,Closed,2024-01-01,9999-12-31,A\n",
        capsys=capsys,
    )
    assert code == 0, err
    summary = validated_summary(out)
    quality = summary["data_quality"]
    assert summary["as_of"] == "2024-01-01"
    assert (quality["records_read"], quality["rows_valid"]) == (2, 2)
    assert (quality["rows_rejected"], quality["rows_with_warnings"]) == (0, 1)
    assert {k: v for k, v in quality["issues"].items() if v} == {
        d.INVALID_RESOLVED_DATE: 1,
        d.MISSING_RESOLVED_DATE: 1,
    }
    assert summary["monthly_volume"] == [
        {
            "month": "2024-01",
            "created": 2,
            "resolved": 0,
            "open_at_end": 1,
            "breach_rate": None,
            "partial": True,
        }
    ]
    assert summary["summary"]["resolved_tickets"] == 1
    assert summary["resolution_time_days"]["overall"]["count"] == 0


def test_defect_2_year_0000_alone_is_rejected_and_as_of_is_the_run_day(
    quiet: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Defect 2: a file whose only row is created 0000-01-01.

    The row is rejected (invalid_created_date, the message names the range); with
    no dated row left the as_of is the injected day of the run, 2026-03-15.
    """
    code, out, err = run_cli(
        tmp_path, "Y1,C1,s,d,High,Open,0000-01-01,,A\n", capsys=capsys
    )
    assert code == 0, err
    summary = validated_summary(out)
    assert summary["as_of"] == "2026-03-15"
    quality = summary["data_quality"]
    assert (quality["records_read"], quality["rows_valid"]) == (1, 0)
    assert quality["rows_rejected"] == 1
    assert quality["issues"][d.INVALID_CREATED_DATE] == 1
    assert summary["monthly_volume"] == []
    assert rejected_reasons(out) == [
        "invalid_created_date: created_date '0000-01-01' is outside the "
        "supported range 1970-01-01..2099-12-31"
    ]


def test_defect_2_year_0000_with_other_rows_gives_no_month_0000(
    quiet: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Defect 2: with other rows, year 0000 makes no month "0000-12".

    Y1 (0000-01-01) and Y3 (1900-01-01) are rejected; Y2 (2024-05-10) is the one
    valid row, so as_of is 2024-05-10 and the only month is 2024-05.
    """
    code, out, err = run_cli(
        tmp_path,
        "Y1,C1,s,d,High,Open,0000-01-01,,A\n"
        "Y2,C1,s,d,High,Open,2024-05-10,,A\n"
        "Y3,C1,s,d,High,Open,1900-01-01,,A\n",
        capsys=capsys,
    )
    assert code == 0, err
    summary = validated_summary(out)
    assert summary["as_of"] == "2024-05-10"
    assert summary["data_quality"]["rows_rejected"] == 2
    assert summary["data_quality"]["issues"][d.INVALID_CREATED_DATE] == 2
    assert [m["month"] for m in summary["monthly_volume"]] == ["2024-05"]


def test_defect_3_created_9999_11_30_does_not_move_the_report_date(
    quiet: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Defect 3: a row created 9999-11-30 is rejected; the report stays small.

    As of 2024-01-01 (the other row), one month, no "open 2913142 days"; the
    summary that was 7.5 MB is a few KB.
    """
    code, out, err = run_cli(
        tmp_path,
        "Y1,C1,s,d,High,Open,2024-01-01,,A\nY2,C1,s,d,High,Open,9999-11-30,,A\n",
        capsys=capsys,
    )
    assert code == 0, err
    summary = validated_summary(out)
    assert summary["as_of"] == "2024-01-01"
    assert summary["data_quality"]["rows_rejected"] == 1
    assert summary["data_quality"]["issues"][d.INVALID_CREATED_DATE] == 1
    assert len(summary["monthly_volume"]) == 1
    assert (out / "summary.json").stat().st_size < 20_000
    assert (out / "executive_report.txt").stat().st_size < 20_000


def test_future_created_date_in_range_cannot_move_the_report_date(
    quiet: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A row created 2030-01-01 (in range, after the run day 2026-03-15) is kept.

    The default as_of leaves it out: as_of is 2024-01-10, the newest date on or
    before the day of the run, and the 2030 row gets created_after_as_of.
    """
    code, out, err = run_cli(
        tmp_path,
        "Y1,C1,s,d,High,Open,2024-01-01,,A\n"
        "Y2,C1,s,d,High,Closed,2024-01-02,2024-01-10,A\n"
        "Y3,C1,s,d,High,Open,2030-01-01,,A\n",
        capsys=capsys,
    )
    assert code == 0, err
    summary = validated_summary(out)
    assert summary["as_of"] == "2024-01-10"
    quality = summary["data_quality"]
    assert (quality["rows_valid"], quality["rows_rejected"]) == (3, 0)
    assert {k: v for k, v in quality["issues"].items() if v} == {
        d.CREATED_AFTER_AS_OF: 1
    }
    assert quality["rows_with_warnings"] == 1


def test_resolved_date_after_the_run_day_is_invalid(
    quiet: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Resolved 2026-03-16, the day after the run (2026-03-15), is treated as empty.

    Y1 is Resolved: it gets invalid_resolved_date and missing_resolved_date, and
    the as_of is its created date 2026-03-01, not the impossible 2026-03-16.
    """
    code, out, err = run_cli(
        tmp_path,
        "Y1,C1,s,d,High,Resolved,2026-03-01,2026-03-16,A\n"
        "Y2,C1,s,d,High,Resolved,2026-02-01,2026-02-03,A\n",
        capsys=capsys,
    )
    assert code == 0, err
    summary = validated_summary(out)
    assert summary["as_of"] == "2026-03-01"
    assert {k: v for k, v in summary["data_quality"]["issues"].items() if v} == {
        d.INVALID_RESOLVED_DATE: 1,
        d.MISSING_RESOLVED_DATE: 1,
    }
    assert summary["resolution_time_days"]["overall"]["count"] == 1


def test_defect_9_logged_accounting_equals_the_summary(
    quiet: None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Defect 9: with --as-of 2026-10-31 the log says 18 with warnings, as the JSON.

    In the sample, the 18 valid rows on lines 43-60 are created after 2026-10-31
    (line 61 repeats TCK-1047 and is rejected); the two rows that already had a
    warning (a normalised value and TCK-1057, resolved before created) are among
    them, so 18 rows carry a warning. The day of the run is 2026-11-30, after
    every date of the sample.
    """
    pin_today(monkeypatch, date(2026, 11, 30))
    out = tmp_path / "out"
    capsys.readouterr()
    code = cli.main(
        [
            "--input", str(SAMPLE), "--output-dir", str(out), "--no-weather",
            "--as-of", "2026-10-31",
        ]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 0, err
    quality = validated_summary(out)["data_quality"]
    assert quality["rows_with_warnings"] == 18
    assert quality["issues"][d.CREATED_AFTER_AS_OF] == 18
    assert "60 records read, 58 valid, 2 rejected, 18 with warnings" in err
    assert "with warnings" not in err.replace("18 with warnings", "")


@pytest.mark.parametrize("as_of", ["1970-01-01", "2099-12-31"])
def test_as_of_at_either_end_of_the_range_gives_a_report(
    quiet: None, tmp_path: Path, capsys: pytest.CaptureFixture[str], as_of: str
) -> None:
    """--as-of 1970-01-01 and --as-of 2099-12-31 both give exit 0 and that as_of.

    As of 1970-01-01 both 2024 rows are created after it (2 created_after_as_of).
    """
    code, out, err = run_cli(
        tmp_path,
        "Y1,C1,s,d,High,Open,2024-01-01,,A\n"
        "Y2,C1,s,d,Low,Closed,2024-12-01,2024-12-31,A\n",
        "--as-of",
        as_of,
        capsys=capsys,
    )
    assert code == 0, err
    summary = validated_summary(out)
    assert summary["as_of"] == as_of
    after = summary["data_quality"]["issues"][d.CREATED_AFTER_AS_OF]
    assert after == (2 if as_of == "1970-01-01" else 0)


@pytest.mark.parametrize("as_of", ["1969-12-31", "2100-01-01", "9999-12-31"])
def test_as_of_outside_the_range_is_a_usage_error(
    quiet: None, tmp_path: Path, capsys: pytest.CaptureFixture[str], as_of: str
) -> None:
    """--as-of outside 1970-01-01..2099-12-31: exit 2, the error names the range."""
    body = "Y1,C1,s,d,High,Open,2024-01-01,,A\n"
    code, out, err = run_cli(tmp_path, body, "--as-of", as_of, capsys=capsys)
    assert code == 2
    assert (
        f"--as-of='{as_of}' is not valid: expected a date in the supported "
        f"range {RANGE_TEXT}" in err
    )
    assert "Traceback" not in err
    assert not out.exists()


def test_report_as_of_variable_outside_the_range_is_a_usage_error(
    quiet: None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """REPORT_AS_OF=9999-12-31 is exit 2 with one line naming the variable."""
    monkeypatch.setenv("REPORT_AS_OF", "9999-12-31")
    code, _, err = run_cli(
        tmp_path, "Y1,C1,s,d,High,Open,2024-01-01,,A\n", capsys=capsys
    )
    assert code == 2
    errors = [line for line in err.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1 and "REPORT_AS_OF" in errors[0], err
    assert RANGE_TEXT in errors[0]


# --- run_report.py (defect 1 crashed it in cell 2) -------------------------------


def load_run_report() -> ModuleType:
    """Import the top-level run_report.py (a script, not in the package)."""
    spec = importlib.util.spec_from_file_location("run_report", ROOT / "run_report.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def notebook_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, restore_logging: None
) -> Iterator[Path]:
    """An isolated folder for a run_report.py run: no .env, weather off."""
    for name in ENV_VARS:
        monkeypatch.setenv(name, "")
    monkeypatch.setenv("WEATHER_ENABLED", "false")
    for var in (
        "JUPYTER_CONFIG_DIR",
        "JUPYTER_DATA_DIR",
        "JUPYTER_RUNTIME_DIR",
        "IPYTHONDIR",
        "MPLCONFIGDIR",
    ):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.chdir(tmp_path)
    yield tmp_path


@pytest.mark.notebook
def test_defect_1_run_report_gives_a_report_for_december_9999(
    notebook_home: Path,
) -> None:
    """Defect 1 through run_report.py: exit 0 and the same figures as the CLI.

    The kernel reads the real clock; every date here (2024) is before it, so no
    asserted value depends on it.
    """
    source = notebook_home / "f.csv"
    source.write_text(
        HEADER + "Y1,C1,s,d,High,Open,2024-01-01,,A\n"
        "Y2,C1,s,d,High,Closed,2024-01-01,9999-12-31,A\n",
        encoding="utf-8",
    )
    out = notebook_home / "out"
    code = load_run_report().main(
        ["--input", str(source), "--output-dir", str(out), "--no-weather"]
    )
    assert code == 0
    summary = validated_summary(out)
    assert summary["as_of"] == "2024-01-01"
    assert summary["data_quality"]["issues"][d.INVALID_RESOLVED_DATE] == 1
    assert summary["data_quality"]["issues"][d.MISSING_RESOLVED_DATE] == 1
    assert (out / "report.html").is_file()


# --- property: any date text --------------------------------------------------------

STATUSES = ("Open", "In Progress", "Resolved", "Closed")
#: Any YYYY-MM-DD shape: every year 0000-9999, month 00-13, day 00-32.
shaped_dates = st.builds(
    "{:04d}-{:02d}-{:02d}".format,
    st.integers(0, 9999),
    st.integers(0, 13),
    st.integers(0, 32),
)
edge_dates = st.sampled_from(
    [
        "9999-12-31", "1900-01-01", "0000-01-01", "1969-12-31", "1970-01-01",
        "2099-12-31", "2100-01-01", "2026-03-15", "2026-03-16", "2024-02-29",
        "2023-02-29", " 2024-01-05 ", "2024-1-5", "12/01/2024", "20240105",
        "2024-01-05T10:00", "+2024-01-05", "-001-01-01", "２０２４-01-05", "",
    ]
)  # fmt: skip
#: Random text without control or separator characters, so that trimming is the
#: same in Python (the oracle below) and in pyarrow.
random_text = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp")
    ),
    max_size=12,
)
date_text = st.one_of(shaped_dates, shaped_dates, edge_dates, random_text)


def usable(text: str, today: date | None = None) -> bool:
    """The oracle: a real YYYY-MM-DD date in the range (and not after ``today``)."""
    value = text.strip()
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return False
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return False
    return FIRST_DATE <= day <= LAST_DATE and (today is None or day <= today)


@st.composite
def dated_rows(draw: st.DrawFn) -> list[tuple[str, str, str]]:
    """Draw 1-6 rows of (status, created_date, resolved_date)."""
    size = draw(st.integers(1, 6))
    return [
        (draw(st.sampled_from(STATUSES)), draw(date_text), draw(date_text))
        for _ in range(size)
    ]


@pytest.fixture(scope="module")
def quiet_module() -> Iterator[None]:
    """Mask settings variables and pin the day of the run for the whole module."""
    with pytest.MonkeyPatch.context() as mp:
        for name in ENV_VARS:
            mp.setenv(name, "")
        mp.setenv("WEATHER_ENABLED", "false")
        pin_today(mp, TODAY)
        yield


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(rows=dated_rows(), as_of=st.one_of(st.none(), date_text))
def test_any_date_text_gives_exit_0_or_2_with_accounting_intact(
    quiet_module: None,
    restore_logging: None,
    capsys: pytest.CaptureFixture[str],
    rows: list[tuple[str, str, str]],
    as_of: str | None,
) -> None:
    """Any text in created_date, resolved_date or --as-of: exit 0 or 2, never 1.

    On exit 0: records_read == rows_valid + rows_rejected, the rows rejected are
    exactly those whose created_date is not a usable date (every other field is
    valid and ids are unique), invalid_resolved_date counts the kept rows whose
    non-empty resolved_date is not usable or is after the day of the run, and
    summary.json validates against its schema with an as_of in the range. Exit 2
    happens only for an --as-of that is not a usable date.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for i, (status, created, resolved) in enumerate(rows):
        writer.writerow(
            [f"T{i}", "C1", "s", "d", "High", status, created, resolved, "A"]
        )
    body = buffer.getvalue()
    flags = [] if as_of is None else ["--as-of", as_of]
    with tempfile.TemporaryDirectory() as folder:
        code, out, err = run_cli(Path(folder), body, *flags, capsys=capsys)
        event(f"exit {code}")
        assert code in (0, 2), err
        assert "Traceback" not in err
        if code == 2:
            assert as_of is not None and not usable(as_of), err
            assert not out.exists()
            return
        summary = validated_summary(out)
    quality = summary["data_quality"]
    assert quality["records_read"] == len(rows)
    assert quality["records_read"] == quality["rows_valid"] + quality["rows_rejected"]
    kept = [row for row in rows if usable(row[1])]
    assert quality["rows_valid"] == len(kept)
    assert quality["issues"][d.INVALID_RESOLVED_DATE] == sum(
        1 for _, _, r in kept if r.strip() and not usable(r, TODAY)
    )
    event("some rejected" if quality["rows_rejected"] else "none rejected")
    assert FIRST_DATE.isoformat() <= summary["as_of"] <= LAST_DATE.isoformat()


# --- unit: the range rule at its boundaries ---------------------------------------


@pytest.mark.parametrize(
    ("created", "valid"),
    [
        ("1969-12-31", False),
        ("1970-01-01", True),
        ("2099-12-31", True),
        ("2100-01-01", False),
    ],
)
def test_created_date_range_boundaries(
    tmp_path: Path, created: str, valid: bool
) -> None:
    """created_date in 1970-01-01..2099-12-31 is valid (even after the run day).

    Outside, the row is rejected as invalid_created_date naming the range.
    """
    result = load(tmp_path, f"T1,C1,s,d,High,Open,{created},,A\n")
    assert result.quality.rows_valid == (1 if valid else 0)
    assert messages(result, d.INVALID_CREATED_DATE) == (
        []
        if valid
        else [
            f"created_date '{created}' is outside the supported range "
            "1970-01-01..2099-12-31"
        ]
    )
    if valid:
        assert str(result.tickets["created_date"][0].date()) == created


@pytest.mark.parametrize(
    ("resolved", "valid"),
    [
        ("1969-12-31", False),
        ("1970-01-01", True),
        ("2099-12-31", True),
        ("2100-01-01", False),
    ],
)
def test_resolved_date_range_boundaries(
    tmp_path: Path, resolved: str, valid: bool
) -> None:
    """resolved_date outside the range: a warning naming it, treated as empty.

    The row is created 1970-01-01 and the run day is 2099-12-31, so only the
    range decides. An invalid date on a Closed row also gives
    missing_resolved_date.
    """
    result = load(
        tmp_path,
        f"T1,C1,s,d,High,Closed,1970-01-01,{resolved},A\n",
        today=date(2099, 12, 31),
    )
    assert result.quality.rows_valid == 1
    assert result.has_warning.tolist() == [not valid]
    resolved_value = result.tickets["resolved_date"][0]
    if valid:
        assert str(resolved_value.date()) == resolved
        assert result.quality.rows_with_warnings == 0
    else:
        assert messages(result, d.INVALID_RESOLVED_DATE) == [
            f"resolved_date '{resolved}' is outside the supported range "
            "1970-01-01..2099-12-31; treated as empty"
        ]
        assert result.quality.issues[d.MISSING_RESOLVED_DATE] == 1
        assert str(resolved_value) == "NaT"


def test_resolved_date_on_the_run_day_is_valid_and_the_day_after_is_not(
    tmp_path: Path,
) -> None:
    """With the run on 2026-03-15: resolved 2026-03-15 is used, 2026-03-16 is not.

    T2's date is treated as empty (invalid_resolved_date naming the run day, and
    missing_resolved_date since T2 is Resolved); T1 keeps its 14-day resolution.
    """
    result = load(
        tmp_path,
        "T1,C1,s,d,High,Resolved,2026-03-01,2026-03-15,A\n"
        "T2,C1,s,d,High,Resolved,2026-03-01,2026-03-16,A\n",
    )
    resolved = result.tickets["resolved_date"]
    assert str(resolved[0].date()) == "2026-03-15"
    assert str(resolved[1]) == "NaT"
    assert messages(result, d.INVALID_RESOLVED_DATE) == [
        "resolved_date '2026-03-16' is after the day of the run (2026-03-15); "
        "treated as empty"
    ]
    assert result.issues.loc[
        result.issues["code"] == d.MISSING_RESOLVED_DATE, "line_number"
    ].tolist() == [3]
    # The same file a day later: both dates are usable.
    later = load(
        tmp_path,
        "T2,C1,s,d,High,Resolved,2026-03-01,2026-03-16,A\n",
        today=date(2026, 3, 16),
    )
    assert later.quality.rows_with_warnings == 0


def test_future_resolved_date_on_an_open_ticket_is_invalid_not_ignored(
    tmp_path: Path,
) -> None:
    """An Open ticket resolved 2030-01-01 (after the run day): invalid, nothing else.

    The date is impossible, so it is not reported as one the status overrides
    (resolved_date_on_open_ticket).
    """
    result = load(tmp_path, "T1,C1,s,d,High,Open,2026-03-01,2030-01-01,A\n")
    assert {k: v for k, v in result.quality.issues.items() if v} == {
        d.INVALID_RESOLVED_DATE: 1
    }


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("1969-12-31", False),
        ("1970-01-01", True),
        ("2099-12-31", True),
        ("2100-01-01", False),
        ("0000-01-01", False),
    ],
)
def test_parse_date_applies_the_range(text: str, valid: bool) -> None:
    """--as-of / REPORT_AS_OF: the same range; outside it a UsageError names it."""
    if valid:
        assert parse_date(text, "--as-of") == date.fromisoformat(text)
    else:
        with pytest.raises(UsageError, match=re.escape(RANGE_TEXT)):
            parse_date(text, "--as-of")


def test_default_as_of_leaves_out_dates_after_the_run_day() -> None:
    """Created 2030-01-01 and resolved 2026-04-01 (after 2026-03-15) do not count.

    The newest date on or before the run day is T2's resolution, 2026-03-10;
    without a date on or before it the result is None (the caller then uses the
    run day itself).
    """
    tickets = make_tickets(
        [
            {"created_date": "2026-03-01"},
            {"status": "Closed", "created_date": "2026-03-02",
             "resolved_date": "2026-03-10"},
            {"status": "Closed", "created_date": "2026-03-03",
             "resolved_date": "2026-04-01"},
            {"created_date": "2030-01-01"},
        ]
    )  # fmt: skip
    assert default_as_of(tickets, today=TODAY) == date(2026, 3, 10)
    assert default_as_of(tickets, today=date(2026, 3, 9)) == date(2026, 3, 3)
    assert default_as_of(tickets, today=date(2035, 1, 1)) == date(2030, 1, 1)
    assert default_as_of(tickets, today=date(2026, 2, 28)) is None


def test_default_as_of_is_capped_at_the_last_supported_date() -> None:
    """A run day after 2099-12-31 still gives a date in the range."""
    tickets = make_tickets([{"created_date": "2099-12-31"}])
    assert default_as_of(tickets, today=date(2150, 1, 1)) == date(2099, 12, 31)


@pytest.mark.parametrize(
    ("month", "as_of", "complete"),
    [
        ("9999-12", date(2024, 1, 1), False),
        ("9999-12", date(9999, 12, 31), True),
        ("0001-01", date(2024, 1, 1), True),
        ("2024-02", date(2024, 2, 29), True),
        ("2024-02", date(2024, 2, 28), False),
        ("2099-12", date(2099, 12, 31), True),
    ],
)
def test_is_complete_month_never_overflows(
    month: str, as_of: date, complete: bool
) -> None:
    """The month's last day is compared, even for December 9999 (no OverflowError)."""
    assert is_complete_month(month, as_of) is complete


def test_flag_created_after_accepts_any_date(tmp_path: Path) -> None:
    """flag_created_after compares without pandas' 1677..2262 Timestamp limits."""
    result = load(tmp_path, "T1,C1,s,d,High,Open,2024-01-01,,A\n")
    flagged = flag_created_after(result, date(1, 1, 1))
    assert flagged.quality.issues[d.CREATED_AFTER_AS_OF] == 1
    assert flag_created_after(result, date(9999, 12, 31)) is result


def test_pinned_day_reaches_the_validation(
    quiet: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The injected run day (not the clock) decides: the test's own guard."""
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    code, out, err = run_cli(
        tmp_path, f"Y1,C1,s,d,High,Closed,2026-01-01,{tomorrow},A\n", capsys=capsys
    )
    assert code == 0, err
    assert (
        validated_summary(out)["data_quality"]["issues"][d.INVALID_RESOLVED_DATE] == 1
    )
