"""Helpdesk exports as they come: the built-in import profiles (contract §8).

Each fixture in ``tests/fixtures/profiles/`` is a hand-written export in the
helpdesk's documented column set, with extra columns, its timestamps, every value
its profile maps, one unmapped status and one empty priority. The expected
figures below were worked out by hand from the files (the row-by-row reasoning
is in each test's docstring).
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from ticket_analysis.cli import main
from ticket_analysis.config import Settings, WeatherSettings
from ticket_analysis.exceptions import InputError, UsageError
from ticket_analysis.ingest.loader import load_tickets
from ticket_analysis.ingest.reading import check_start
from ticket_analysis.pipeline import analyse

FIXTURES = Path(__file__).parent / "fixtures" / "profiles"
ZENDESK = FIXTURES / "zendesk_export.csv"
FRESHDESK = FIXTURES / "freshdesk_export.csv"
JIRA = FIXTURES / "jira_export.csv"
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "tickets_sample.csv"
#: The day of the run: after every date in the fixtures.
NOW = datetime(2024, 4, 30, 12, 0, tzinfo=UTC)


def summary_of(path: Path, **settings: Any) -> dict[str, Any]:
    """Analyse ``path`` in-process (weather off) and return summary.json's data."""
    run = Settings(input_path=path, weather=WeatherSettings(enabled=False), **settings)
    summary, _, _ = analyse(run, now=NOW)
    result: dict[str, Any] = json.loads(summary.to_json())
    return result


def issue_counts(summary: dict[str, Any]) -> dict[str, int]:
    """The non-zero issue counts of a summary."""
    return {k: v for k, v in summary["data_quality"]["issues"].items() if v}


def test_zendesk_export_accounting_and_headline() -> None:
    """Zendesk: 12 records (lines 2-13), 10 valid, 2 rejected.

    Line 10 (1009) has the status ``deleted``, which the profile does not map;
    line 11 (1010) has no priority. Every kept row's values are lower case, so
    all 10 carry ``normalized_value``. Line 9 (1008) has no Requester id: its
    customer is its Requester email. Statuses: new/open -> Open (1005, 1006),
    pending/hold/on-hold -> In Progress (1003, 1004, 1007), solved -> Resolved
    (1001, 1008, 1011), closed -> Closed (1002, 1012). Priorities: urgent ->
    Critical (1001, 1006, 1012), high (1002, 1005), normal -> Medium (1003, 1007,
    1011), low (1004, 1008). Resolution days, timestamps cut to dates: 1001 0,
    1002 3, 1008 6, 1011 10, 1012 1 (26 Feb 22:10 -> 27 Feb 01:05): mean 4.0,
    median 3.0. Unassigned: 1004, 1005. as_of: the newest date, 1011's solve on
    28 March.
    """
    summary = summary_of(ZENDESK)
    quality = summary["data_quality"]
    assert summary["source"]["profile"] == "zendesk"
    assert summary["as_of"] == "2024-03-28"
    assert (quality["records_read"], quality["rows_valid"]) == (12, 10)
    assert (quality["rows_rejected"], quality["rows_with_warnings"]) == (2, 10)
    assert issue_counts(summary) == {
        "missing_required_field": 1,
        "invalid_status": 1,
        "normalized_value": 10,
    }
    assert quality["extra_columns"] == [
        "Group",
        "Tags",
        "Via",
        "Updated at",
        "Satisfaction Score",
    ]
    assert quality["missing_optional_columns"] == ["description"]
    assert summary["summary"] == {
        "total_tickets": 10,
        "open_tickets": 5,
        "resolved_tickets": 5,
        "unassigned_tickets": 2,
        "avg_resolution_days": 4.0,
        "median_resolution_days": 3.0,
    }
    assert summary["status_counts"] == {
        "Open": 2,
        "In Progress": 3,
        "Resolved": 3,
        "Closed": 2,
    }
    assert summary["priority_counts"] == {
        "Low": 2,
        "Medium": 3,
        "High": 2,
        "Critical": 3,
    }


def test_freshdesk_export_accounting_and_headline() -> None:
    """Freshdesk: 10 records, 8 valid; a quoted two-line description.

    Record 208 starts on line 9 and its description runs onto line 10, so 209
    starts on line 11 and 210 on line 12. 208's status ``Awaiting Parts`` is not
    mapped; 209 has no priority. 204 has no Contact ID: its customer is its
    Email. Resolved dates: 205 7 April (2 days), 206 has only a Closed time, 10
    April (4 days), 207 has both and the Resolved time, 9 April, comes first (1
    day), 210 10 April (1 day): mean 2.0, median 1.5. ``normalized_value``:
    Urgent (201, 210), Pending (202), Waiting on Customer (203), Waiting on Third
    Party (204); 205-207 hold canonical values already. Unassigned: 203.
    """
    summary = summary_of(FRESHDESK)
    quality = summary["data_quality"]
    assert summary["source"]["profile"] == "freshdesk"
    assert summary["as_of"] == "2024-04-10"
    assert (quality["records_read"], quality["rows_valid"]) == (10, 8)
    assert (quality["rows_rejected"], quality["rows_with_warnings"]) == (2, 5)
    assert issue_counts(summary) == {
        "missing_required_field": 1,
        "invalid_status": 1,
        "normalized_value": 5,
    }
    assert quality["missing_optional_columns"] == []
    assert summary["summary"] == {
        "total_tickets": 8,
        "open_tickets": 4,
        "resolved_tickets": 4,
        "unassigned_tickets": 1,
        "avg_resolution_days": 2.0,
        "median_resolution_days": 1.5,
    }
    assert summary["status_counts"] == {
        "Open": 1,
        "In Progress": 3,
        "Resolved": 2,
        "Closed": 2,
    }
    assert summary["priority_counts"] == {
        "Low": 2,
        "Medium": 2,
        "High": 2,
        "Critical": 2,
    }


def test_jira_export_accounting_and_headline() -> None:
    """Jira: 16 records, 14 valid; repeated Labels/Watchers/Comment headers.

    SUP-14 (line 15) is in ``Backlog``, not mapped; SUP-15 (line 16) has no
    priority. Statuses: Open/To Do/Waiting for support -> Open (SUP-1..3), In
    Progress/Waiting for customer/Pending/Escalated -> In Progress (SUP-4..7),
    Resolved/Done -> Resolved (SUP-8, 9, 16), Closed/Canceled/Cancelled/Declined ->
    Closed (SUP-10..13). Priorities: Highest/Critical/Blocker -> Critical (SUP-1,
    6, 7, 16), High (2, 8, 13), Medium (3, 9, 11), Low/Lowest (4, 5, 10, 12).
    Resolution days: SUP-8 2, 9 4, 10 1, 11 0, 12 1, 13 2, and SUP-16 2 (28 Feb
    11:59 PM to 1 Mar 12:01 AM, a leap year): 12 / 7 = 1.71, median 2.
    ``normalized_value`` on every row with a non-canonical value: SUP-1, 2, 3, 5,
    6, 7, 9, 11, 12, 13, 16 (11 rows). Unassigned: SUP-2, SUP-7.
    """
    summary = summary_of(JIRA)
    quality = summary["data_quality"]
    assert summary["source"]["profile"] == "jira"
    assert summary["as_of"] == "2024-03-14"
    assert (quality["records_read"], quality["rows_valid"]) == (16, 14)
    assert (quality["rows_rejected"], quality["rows_with_warnings"]) == (2, 11)
    assert issue_counts(summary) == {
        "missing_required_field": 1,
        "invalid_status": 1,
        "normalized_value": 11,
    }
    # Each repeated header is named once.
    assert quality["extra_columns"] == [
        "Issue id",
        "Issue Type",
        "Project key",
        "Resolution",
        "Creator",
        "Updated",
        "Labels",
        "Watchers",
        "Comment",
    ]
    assert summary["summary"] == {
        "total_tickets": 14,
        "open_tickets": 7,
        "resolved_tickets": 7,
        "unassigned_tickets": 2,
        "avg_resolution_days": 1.71,
        "median_resolution_days": 2.0,
    }
    assert summary["status_counts"] == {
        "Open": 3,
        "In Progress": 4,
        "Resolved": 3,
        "Closed": 4,
    }
    assert summary["priority_counts"] == {
        "Low": 4,
        "Medium": 3,
        "High": 3,
        "Critical": 4,
    }


def test_profile_tickets_frame_holds_the_mapped_values() -> None:
    """The tickets frame: canonical values, dates cut from timestamps, coalesced ids."""
    result = load_tickets(ZENDESK, today=date(2024, 4, 30))
    tickets = result.tickets.set_index("ticket_id")
    assert tickets.loc["1012", "priority"] == "Critical"
    assert tickets.loc["1007", "status"] == "In Progress"
    assert str(tickets.loc["1012", "created_date"]) == "2024-02-26 00:00:00"
    assert str(tickets.loc["1012", "resolved_date"]) == "2024-02-27 00:00:00"
    assert tickets.loc["1008", "customer_id"] == "dee@example.com"
    assert tickets.loc["1001", "customer_id"] == "5001"
    assert tickets.loc["1011", "line_number"] == 12


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (
            ZENDESK,
            "priority 'urgent' was normalised to Critical (the zendesk profile); "
            "status 'solved' was normalised to Resolved (the zendesk profile)",
        ),
        (
            JIRA,
            "priority 'Highest' was normalised to Critical (the jira profile)",
        ),
    ],
)
def test_normalized_value_messages_name_the_value_and_profile(
    path: Path, message: str
) -> None:
    """The first warning names the export value, what it became and the profile."""
    issues = load_tickets(path, today=date(2024, 4, 30)).issues
    first = issues[issues["code"] == "normalized_value"].iloc[0]
    assert (int(first["line_number"]), first["message"]) == (2, message)


def test_freshdesk_rejected_rows_keep_the_export_columns(tmp_path: Path) -> None:
    """rejected_rows.csv: the export's own headers, untouched values, physical lines."""
    assert main(["--input", str(FRESHDESK), "--output-dir", str(tmp_path)]) == 0
    with (tmp_path / "rejected_rows.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == [
        "line_number",
        "reasons",
        "Ticket ID",
        "Subject",
        "Description",
        "Status",
        "Priority",
        "Agent",
        "Created time",
        "Resolved time",
        "Closed time",
        "Email",
        "Contact ID",
        "raw_record",
    ]
    assert [(r["line_number"], r["Ticket ID"]) for r in rows] == [
        ("9", "208"),
        ("11", "209"),
    ]
    assert rows[0]["reasons"] == (
        "invalid_status: status 'Awaiting Parts' is not one of Open, In Progress, "
        "Resolved, Closed, and the freshdesk profile does not map it: add it under "
        "[values.status] in a --mapping file"
    )
    assert rows[0]["Status"] == "Awaiting Parts"
    assert rows[0]["Created time"] == "2024-04-08 15:00:00"
    assert rows[0]["Description"] == (
        "Temperature alarm, twice today.\nThe vendor has to replace a part."
    )
    assert rows[1]["reasons"] == "missing_required_field: priority is empty"


def test_the_log_and_the_reports_name_the_profile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The log says which profile was read and why; summary.json names it."""
    assert main(["--input", str(JIRA), "--output-dir", str(tmp_path)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert (
        f"INFO: {JIRA}: reading with the jira profile (detected from the header)" in err
    )
    assert (
        "INFO: jira_export.csv: 16 records read, 14 valid, 2 rejected, 11 with "
        "warnings (import profile: jira)"
    ) in err
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["source"]["profile"] == "jira"


# --- detection -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "profile"),
    [(ZENDESK, "zendesk"), (FRESHDESK, "freshdesk"), (JIRA, "jira")],
)
def test_each_export_is_recognised_without_source(path: Path, profile: str) -> None:
    """Detection from the header gives the same result as naming the profile."""
    detected = load_tickets(path, today=date(2024, 4, 30))
    chosen = load_tickets(path, today=date(2024, 4, 30), source=profile.upper())
    assert detected.source.profile == chosen.source.profile == profile
    assert detected.quality == chosen.quality


def test_a_canonical_file_is_never_taken_for_a_profile(tmp_path: Path) -> None:
    """A canonical header wins even when a profile's headers are present too.

    The file carries Jira's first candidates (Issue key, Reporter, Created; its
    Priority and Status are the canonical ones) beside the canonical columns:
    canonical is tried first.
    """
    path = tmp_path / "both.csv"
    path.write_text(
        "ticket_id,customer_id,priority,status,created_date,Issue key,Reporter,"
        "Created\n"
        "T1,C1,High,Open,2024-01-02,SUP-1,cust-a,02/Jan/24 9:00 AM\n",
        encoding="utf-8",
    )
    assert load_tickets(SAMPLE).source.profile == "canonical"
    both = load_tickets(path, today=date(2024, 4, 30))
    assert both.source.profile == "canonical"
    assert both.quality.extra_columns == ["Issue key", "Reporter", "Created"]
    assert both.tickets["ticket_id"].tolist() == ["T1"]


def test_an_ambiguous_header_is_refused_listing_the_choices(tmp_path: Path) -> None:
    """A header with Zendesk's and Jira's required headers: exit 2, one line."""
    path = tmp_path / "mixed.csv"
    path.write_text(
        "Id,Requester id,Priority,Status,Created at,Issue key,Reporter,Created\n"
        "1,5,high,open,2024-01-02 09:00,SUP-1,cust-a,02/Jan/24 9:00 AM\n",
        encoding="utf-8",
    )
    message = (
        "the header fits more than one import profile (zendesk, jira): "
        "pass --source zendesk or --source jira"
    )
    with pytest.raises(UsageError) as caught:
        load_tickets(path)
    assert str(caught.value) == message
    out = tmp_path / "out"
    assert main(["--input", str(path), "--output-dir", str(out)]) == 2
    assert not list(out.glob("*.json"))
    # --source settles it.
    assert load_tickets(path, source="jira").source.profile == "jira"


def test_an_unknown_source_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--source zendsk: exit 2, one line listing the choices, nothing written."""
    out = tmp_path / "out"
    code = main(
        ["--input", str(ZENDESK), "--output-dir", str(out), "--source", "zendsk"]
    )
    assert code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "ERROR: unknown import profile 'zendsk' (--source or TICKETS_SOURCE): "
        "choose one of canonical, zendesk, freshdesk, jira"
    )
    assert not out.exists() or not any(out.iterdir())


def test_a_named_profile_that_does_not_fit_names_its_headers() -> None:
    """--source zendesk on a Jira export: the missing headers, as Zendesk names them."""
    with pytest.raises(InputError) as caught:
        load_tickets(JIRA, source="zendesk")
    assert str(caught.value).startswith(
        f"{JIRA} is missing required column(s) for the zendesk profile: "
        "ticket_id (Id); customer_id (Requester id or Requester email or "
        "Requester); created_date (Created at). Columns found: 'Summary', "
    )


def test_source_canonical_forces_the_canonical_form() -> None:
    """--source canonical on a Jira export: the canonical missing-columns error."""
    with pytest.raises(InputError, match="missing required column"):
        load_tickets(JIRA, source="canonical")


def test_a_repeated_mapped_header_is_ambiguous(tmp_path: Path) -> None:
    """Two 'Status' columns in a Jira export: which one is meant? Exit 2."""
    path = tmp_path / "two_status.csv"
    path.write_text(
        "Issue key,Reporter,Priority,Status,Created,Status\n"
        "SUP-1,cust-a,High,Open,02/Jan/24 9:00 AM,Done\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_tickets(path)
    assert str(caught.value) == (
        f"{path}: the header 'Status' appears 2 times (columns 4 and 6) and the "
        "jira profile reads status from it: keep one of them and run again"
    )


def test_check_start_knows_the_profiles(tmp_path: Path) -> None:
    """The cheap check before a kernel starts accepts profile exports.

    It detects built-in profiles itself, reads --mapping files, and refuses a
    file that fits no profile with the loader's message.
    """
    for path in (ZENDESK, FRESHDESK, JIRA):
        check_start(path.read_bytes(), str(path), whole=True)
    check_start(JIRA.read_bytes(), str(JIRA), whole=True, profile="jira")
    with pytest.raises(InputError, match="for the zendesk profile"):
        check_start(JIRA.read_bytes(), str(JIRA), whole=True, profile="zendesk")
    with pytest.raises(UsageError, match="unknown import profile 'nope'"):
        check_start(JIRA.read_bytes(), str(JIRA), whole=True, profile="nope")
