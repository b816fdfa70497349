"""Reports for a past date and for a slice, through the real command (contract §3).

A report with ``--as-of D`` must be the report that would have been made on D: the
same metrics as a run on the export as it stood that day (rows created later
absent, tickets resolved later still In Progress without a date). A slice is the
report of the matching tickets, with the file's data quality and report date.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from test_cli import SAMPLE, load_summary, run_cli
from test_metrics_compute import CONTRACT_ORDER


def _as_it_stood(day: str) -> str:
    """The sample as an export taken at the end of ``day`` would have held it.

    Rows created later are left out; a Resolved/Closed ticket resolved later is
    In Progress with no resolved date. Rows with an unreal created date (the
    sample's line 24) are kept as they are: they are rejected either way.
    """
    rows = list(csv.DictReader(SAMPLE.open(encoding="utf-8", newline="")))
    kept = []
    for row in rows:
        created = row["created_date"]
        if len(created) == 10 and created[4] == "-" and created > day:
            continue
        if row["resolved_date"] > day and row["status"] in ("Resolved", "Closed"):
            row = {**row, "status": "In Progress", "resolved_date": ""}
        kept.append(row)
    assert 0 < len(kept) < len(rows)
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(kept)
    return text.getvalue()


def _metrics(summary: dict[str, Any]) -> dict[str, Any]:
    """The parts of summary.json that describe the tickets, not the file or run."""
    return {key: summary[key] for key in CONTRACT_ORDER}


@pytest.mark.parametrize("day", ["2026-10-31", "2026-09-14", "2026-11-16"])
def test_a_past_as_of_is_the_report_that_day_would_have_given(
    tmp_path: Path, day: str
) -> None:
    """Month end, a Monday mid-month, the Monday of the last week."""
    then = tmp_path / "then.csv"
    then.write_text(_as_it_stood(day), encoding="utf-8")
    past, stood = tmp_path / "past", tmp_path / "stood"
    for source, out in ((SAMPLE, past), (then, stood)):
        result = run_cli(
            "--input", str(source), "--output-dir", str(out), "--as-of", day
        )
        assert result.returncode == 0, result.stderr
    a, b = load_summary(past), load_summary(stood)
    assert a["as_of"] == b["as_of"] == day
    assert _metrics(a) == _metrics(b)
    # Accounting: the rows created after the day are valid but out of scope.
    scope = a["scope"]
    assert scope["tickets_in_scope"] == b["scope"]["tickets_in_scope"]
    assert scope["tickets_in_scope"] + scope["created_after_as_of"] == 58
    assert (
        scope["created_after_as_of"]
        == a["data_quality"]["issues"]["created_after_as_of"]
    )


def test_october_month_end_figures(tmp_path: Path) -> None:
    """The sample as of 2026-10-31, counted by hand from data/tickets_sample.csv.

    19 records are created in November; one is line 62, the rejected duplicate of
    TCK-1047, so 18 valid rows are created after as_of and 58 - 18 = 40 are in
    scope. October is a complete month (as_of is its last day).
    """
    result = run_cli(
        "--input", str(SAMPLE), "--output-dir", str(tmp_path), "--as-of", "2026-10-31"
    )
    assert result.returncode == 0, result.stderr
    s = load_summary(tmp_path)
    assert s["scope"]["created_after_as_of"] == 18
    assert s["scope"]["tickets_in_scope"] == 40
    assert s["monthly_volume"][-1]["month"] == "2026-10"
    assert s["monthly_volume"][-1]["partial"] is False
    assert s["weekly_volume"][-1]["partial"] is True  # 2026-10-31 is a Saturday


def test_a_filter_that_matches_nothing_gives_an_empty_valid_report(
    tmp_path: Path,
) -> None:
    """Exit 0; every metric empty; the file's data quality and report date kept."""
    result = run_cli(
        "--input", str(SAMPLE), "--output-dir", str(tmp_path), "--agent", "Nobody"
    )
    assert result.returncode == 0, result.stderr
    s = load_summary(tmp_path)
    assert s["as_of"] == "2026-11-20"  # the file's date, computed before filters
    assert s["data_quality"]["rows_valid"] == 58
    assert s["scope"] == {
        "filters": {"agent": "Nobody", "customer": None, "priority": None},
        "tickets_in_scope": 0,
        "created_after_as_of": 0,
        "filtered_out": 58,
    }
    assert s["summary"]["total_tickets"] == 0 and s["overdue_open"]["count"] == 0
    overdue = (tmp_path / "overdue_tickets.csv").read_text(encoding="utf-8")
    assert overdue.splitlines() == [
        "ticket_id,customer_id,priority,status,assigned_to,created_date,"
        "age_days,target_days,overdue_days"
    ]


def test_an_agent_slice_keeps_the_files_date_and_quality(tmp_path: Path) -> None:
    """Agent_Sarah's scorecard: her 18 tickets (14 resolved, 4 open)."""
    result = run_cli(
        "--input", str(SAMPLE), "--output-dir", str(tmp_path), "--agent", "Agent_Sarah"
    )
    assert result.returncode == 0, result.stderr
    s = load_summary(tmp_path)
    assert s["as_of"] == "2026-11-20"
    assert s["parameters"]["filters"]["agent"] == "Agent_Sarah"
    assert (s["scope"]["tickets_in_scope"], s["scope"]["filtered_out"]) == (18, 40)
    assert [a["agent"] for a in s["agents"]] == ["Agent_Sarah"]
    assert (s["summary"]["resolved_tickets"], s["summary"]["open_tickets"]) == (14, 4)
    assert {t["assigned_to"] for t in s["overdue_open"]["tickets"]} == {"Agent_Sarah"}


def test_an_invalid_priority_filter_is_one_usage_line(tmp_path: Path) -> None:
    result = run_cli(
        "--input", str(SAMPLE), "--output-dir", str(tmp_path), "--priority", "P1"
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "python -m ticket_analysis: error: argument --priority: --priority='P1' is "
        "not valid: expected one of Low, Medium, High, Critical (see --help)"
    ]
    assert not (tmp_path / "summary.json").exists()
