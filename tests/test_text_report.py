"""Tests for ticket_analysis.report.text: the golden report and its layout rules.

The golden file ``tests/golden/executive_report.txt`` is the report of the bundled
sample (``data/tickets_sample.csv``, weather off, generated at a fixed time),
reviewed by eye as a support director would read it. The other tests render
``summary_fixtures.full_summary()`` (hand-computed) with edits, validated into the
:class:`Summary` model (:func:`render`). After an intended change to the layout
or the metrics, regenerate the golden and review the diff line by line before
committing::

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_text_report.py
"""

from __future__ import annotations

import os
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from summary_fixtures import empty_summary, full_summary

from ticket_analysis.config import load_settings
from ticket_analysis.pipeline import analyse
from ticket_analysis.report.formatting import format_change, format_rate_change
from ticket_analysis.report.text import TITLE, render_text_report
from ticket_analysis.report.text_layout import LINE_WIDTH, clean, truncate
from ticket_analysis.summary import Summary

ROOT = Path(__file__).parents[1]
GOLDEN = Path(__file__).parent / "golden" / "executive_report.txt"
NO_ENV_FILE = Path(__file__).parent / "fixtures" / "no-such.env"
LONG_ID = "C" + "x" * 299  # a 300-character customer id
HOSTILE = "Re: login\nSubject: fake\r\x1b[31mred\x1b[0m\t\u202etxt.exe\u2028end"
#: What the hostile value prints as once cleaned.
HOSTILE_CLEAN = "Re: login Subject: fake [31mred [0m txt.exe end"


def render(summary: dict[str, Any]) -> str:
    """Render the report of a summary.json dict, validated into the model first."""
    return render_text_report(Summary.model_validate(summary))


def _sections(report: str) -> dict[str, list[str]]:
    """Split a report into its sections' lines, keyed by section title."""
    sections: dict[str, list[str]] = {}
    current: list[str] = []
    for line in report.splitlines():
        if line.startswith("=== ") and line.endswith(" ==="):
            current = sections.setdefault(line[4:-4], [])
        else:
            current.append(line)
    return {
        title: [line for line in lines if line] for title, lines in sections.items()
    }


def _assert_layout(report: str) -> None:
    """Every line fits, no control or format character survives, one final newline."""
    assert report.endswith("\n")
    assert not report.endswith("\n\n")
    for line in report.splitlines():
        assert len(line) <= LINE_WIDTH, line
        assert line == line.rstrip(), line
        unsafe = [
            c for c in line if unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp"}
        ]
        assert not unsafe, (line, unsafe)


def sample_report() -> str:
    """The text report of the bundled sample, as ``python -m ticket_analysis`` makes it.

    Weather off (no network); generated at 2026-12-01 09:00 UTC, after the sample's
    newest date (2026-11-20), which is therefore the report date.
    """
    settings = load_settings(
        {
            "input_path": ROOT / "data" / "tickets_sample.csv",
            "output_dir": ROOT / "reports",
            "weather_enabled": False,
        },
        env_file=NO_ENV_FILE,
        environ={},
    )
    summary, *_ = analyse(settings, now=datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    return render_text_report(summary)


def test_sample_report_matches_the_golden_file() -> None:
    """The sample's report is exactly the reviewed golden text."""
    report = sample_report()
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(report, encoding="utf-8", newline="\n")
        pytest.skip(f"rewrote {GOLDEN}: review the diff")
    assert report == GOLDEN.read_text(encoding="utf-8")


def test_golden_tells_a_director_what_to_do_in_its_first_40_lines() -> None:
    """The sample's action list, period comparison and agent load come first.

    The issue's tickets: the three open Critical tickets past target (TCK-1033,
    TCK-1048, TCK-1051) and TCK-1049 (High, unassigned), each with its figure.
    """
    first = "\n".join(GOLDEN.read_text(encoding="utf-8").splitlines()[:40])
    for ticket in ("TCK-1033", "TCK-1048", "TCK-1051", "TCK-1049"):
        assert ticket in first
    assert "UNASSIGNED" in first
    assert "The last 28 days against the 28 before" in first
    assert "\nChange " in first
    assert "Most open work: Agent_" in first
    _assert_layout(GOLDEN.read_text(encoding="utf-8"))


def test_report_starts_with_title_generated_and_as_of() -> None:
    """Line 1 is the title; lines 2 and 3 give the generation time and as-of date."""
    lines = render(full_summary()).splitlines()
    assert lines[:4] == [
        TITLE,
        "Generated: 2024-03-21T09:30:00Z",
        "Data as of: 2024-03-20",
        "",  # no filter and nothing created after as_of: no scope line
    ]


def test_sections_come_in_the_documented_order() -> None:
    """The briefing, findings and recommendations first, then the details."""
    assert list(_sections(render(full_summary()))) == [
        "Summary Statistics",
        "Key Findings",
        "Recommendations",
        "Overdue Open Tickets",
        "SLA and Resolution Time",
        "Agents",
        "Backlog",
        "Trends",
        "Customers to Watch",
        "What Customers Write About",
        "Data Quality",
        "Weather",
    ]


def test_summary_statistics_is_the_directors_briefing() -> None:
    """Totals, the tickets to act on, the two periods, the agents' open work.

    From the fixture: overdue T013 (Critical, 21 days, target 1: 20 over,
    unassigned), T015 (1 over), T010 (High, 26), T014 (Medium, 2), T008 (Low, 26);
    periods 2024-01-25..02-21 (6 created, 5 resolved, 2 open at end, median 4,
    breach 40%) and 2024-02-22..03-20 (6, 1, 6, 8, 100%): change 0, -4, +4, +4,
    +60 points; open work Sarah 3 of 6 (50%, 3 past target), Lee 1 (1 past
    target) before Mike 1 (0).
    """
    report = render(full_summary())
    lines = report.splitlines()
    start = lines.index("=== Summary Statistics ===") + 1
    end = lines.index("=== Key Findings ===")
    assert lines[start:end] == [
        "Total tickets:      16",
        "Open tickets:       6 (2 In Progress, 33%)",
        "Resolved tickets:   10",
        "Unassigned tickets: 2",
        "Median resolution:  4 days (mean 4.7 days)",
        "Within SLA target:  5 of 9 resolved (56%); breach rate 44%",
        "",
        "Act today: 5 open tickets are past their SLA target (2 Critical, 1 High, 1",
        "Medium, 1 Low); 1 of them unassigned.",
        "Ticket  Priority  Days over  Days open  Assigned     Customer",
        "------  --------  ---------  ---------  -----------  --------",
        "T013    Critical         20         21  UNASSIGNED   C100",
        "T015    Critical          1          2  Agent_Sarah  C200",
        "T010    High             26         29  Agent_Sarah  C300",
        "T014    Medium            2          9  Agent_Lee    C700",
        "T008    Low              26         40  Agent_Sarah  C500",
        "",
        "The last 28 days against the 28 before (Median: days to resolve):",
        "Period                    Created  Resolved  Open at end  Median   Breach",
        "------------------------  -------  --------  -----------  ------  -------",
        "2024-01-25 to 2024-02-21        6         5            2       4      40%",
        "2024-02-22 to 2024-03-20        6         1            6       8     100%",
        "Change                          0        -4           +4      +4  +60 pts",
        "",
        "Most open work: Agent_Sarah 3 open (50% of open work), 3 past target; Agent_Lee",
        "  1 open (17% of open work), 1 past target; Agent_Mike 1 open (17% of open",
        "  work), 0 past target.",
        "",
    ]
    assert end < 40


def test_the_action_list_shows_five_and_says_where_the_rest_are() -> None:
    """Seven overdue tickets: five in the briefing, twenty or fewer in the section."""
    summary = full_summary()
    overdue = summary["overdue_open"]
    overdue["tickets"] += [
        {**overdue["tickets"][-1], "ticket_id": f"T9{n}"} for n in range(2)
    ]
    overdue["count"] = 7
    overdue["by_priority"]["Low"] = 3
    stats = _sections(render(summary))["Summary Statistics"]
    assert (
        "(showing 5 of 7: all under Overdue Open Tickets and in overdue_tickets.csv)"
        in stats
    )
    section = _sections(render(summary))["Overdue Open Tickets"]
    assert section[:2] == [
        "Past SLA target: 7 (Critical 2, High 1, Medium 1, Low 3)",
        "Unassigned:      1",
    ]
    assert [line.split()[0] for line in section[4:11]] == [
        "T013", "T015", "T010", "T014", "T008", "T90", "T91",
    ]  # fmt: skip
    assert section[4] == (
        "T013    Critical  C100      UNASSIGNED   2024-02-28         21       1    20"
    )


def test_one_overdue_ticket_reads_in_the_singular() -> None:
    """One unassigned Critical ticket: 'is past its', and the flag in the row."""
    summary = full_summary()
    overdue = summary["overdue_open"]
    overdue.update(
        count=1,
        tickets=overdue["tickets"][:1],
        by_priority={"Low": 0, "Medium": 0, "High": 0, "Critical": 1},
    )
    stats = _sections(render(summary))["Summary Statistics"]
    assert stats[6:10] == [
        "Act today: 1 open ticket is past its SLA target (1 Critical); 1 of them",
        "unassigned.",
        "Ticket  Priority  Days over  Days open  Assigned    Customer",
        "------  --------  ---------  ---------  ----------  --------",
    ]
    assert stats[10] == "T013    Critical         20         21  UNASSIGNED  C100"


def test_overdue_section_lists_at_most_twenty() -> None:
    """Twenty-five overdue tickets: twenty rows and a note naming the CSV file."""
    summary = full_summary()
    template = summary["overdue_open"]["tickets"][0]
    summary["overdue_open"]["tickets"] = [
        {**template, "ticket_id": f"T{n:03d}"} for n in range(25)
    ]
    summary["overdue_open"]["count"] = 25
    section = _sections(render(summary))["Overdue Open Tickets"]
    assert "(showing 20 of 25; overdue_tickets.csv lists them all)" in section
    assert sum(line.startswith("T0") for line in section) == 20


def test_scope_line_names_the_filters_and_counts_the_slice() -> None:
    """A filtered report says so under the date; so does a report for a past day."""
    summary = full_summary()
    filters = {"agent": "Agent_Sarah", "customer": None, "priority": None}
    summary["parameters"]["filters"] = summary["scope"]["filters"] = filters
    summary["scope"].update(tickets_in_scope=6, filtered_out=10)
    lines = render(summary).splitlines()
    assert lines[3] == (
        "Scope: agent Agent_Sarah — 6 of 16 valid tickets (10 filtered out)"
    )
    summary["scope"].update(tickets_in_scope=4, created_after_as_of=2, filtered_out=10)
    summary["scope"]["filters"] = filters | {"customer": "C500", "priority": "Low"}
    assert render(summary).splitlines()[3:5] == [
        "Scope: agent Agent_Sarah, customer C500, priority Low — 4 of 16 valid tickets",
        "  (10 filtered out, 2 created after 2024-03-20)",
    ]
    past = full_summary()
    past["scope"].update(tickets_in_scope=12, created_after_as_of=4)
    assert render(past).splitlines()[3] == (
        "Scope: tickets created on or before 2024-03-20 — 12 of 16 valid tickets (4"
    )


def test_report_is_pure_and_deterministic() -> None:
    """Two renders are identical and the summary is left untouched."""
    summary = Summary.model_validate(full_summary())
    before = summary.model_copy(deep=True)
    assert render_text_report(summary) == render_text_report(summary)
    assert summary == before


def test_golden_report_and_empty_report_respect_the_layout() -> None:
    """The fixture and the empty summary both fit 80 columns."""
    _assert_layout(render(full_summary()))
    _assert_layout(render(empty_summary()))


def test_empty_summary_renders_none_and_n_a() -> None:
    """Zero tickets: lists say none, null numbers say n/a, nothing raises."""
    sections = _sections(render(empty_summary()))
    stats = sections["Summary Statistics"]
    assert stats[4:9] == [
        "Median resolution:  n/a",
        "Within SLA target:  none resolved with a resolution time",
        "Act today: No open ticket is past its SLA target.",
        "The last 28 days against the 28 before (Median: days to resolve):",
        "Period                    Created  Resolved  Open at end  Median  Breach",
    ]
    assert stats[-2:] == [
        "Change                          0         0            0     n/a     n/a",
        "Most open work: no open ticket is assigned to an agent.",
    ]
    assert sections["Overdue Open Tickets"] == [
        "No open ticket is past its SLA target."
    ]
    assert sections["Agents"] == [
        "Top performer: none (no agent has resolved tickets)",
        "Agents: none (no ticket is assigned)",
    ]
    assert "Issues by code: none" in sections["Data Quality"]  # zero counts hidden
    assert sections["SLA and Resolution Time"][2] == (
        "Critical         0     n/a  n/a       1          0     n/a            0"
    )
    assert sections["Backlog"][-1] == "Open longer than 7 days: none"
    assert sections["Trends"][0] == "Tickets per month: none"
    assert sections["Customers to Watch"] == [
        "Customers with more than 5 tickets: none"
    ]
    assert sections["What Customers Write About"] == ["none"]
    assert sections["Weather"] == ["Weather disabled."]
    assert sections["Key Findings"] == [
        "- No tickets to analyse: the input had no data records."
    ]


def test_null_numbers_render_as_n_a() -> None:
    """A null statistic, average or breach rate prints n/a in its column."""
    summary = full_summary()
    summary["summary"]["avg_resolution_days"] = None
    summary["top_agents"][0].update(avg_resolution_days=None, breach_rate=None)
    summary["agents"][0].update(median_resolution_days=None, breach_rate=None)
    summary["resolution_time_days"]["by_priority"]["High"].update(
        count=0, mean=None, median=None, p90=None, min=None, max=None
    )
    summary["sla"]["by_priority"]["High"]["breach_rate"] = None
    sections = _sections(render(summary))
    assert "Median resolution:  4 days" in sections["Summary Statistics"]
    assert sections["Agents"][0] == ("Top performer: Agent_Sarah (3 resolved, avg n/a)")
    assert sections["Agents"][3] == (
        "Agent_Sarah         3          2     n/a     n/a     3            3"
    )
    assert sections["SLA and Resolution Time"][3] == (
        "High             0     n/a  n/a       3          2     n/a            1"
    )


def test_sla_section_adds_the_overall_row() -> None:
    """Critical first; 'All' holds sla.overall: 5 of 9 within, 44%, 5 past target."""
    section = _sections(render(full_summary()))["SLA and Resolution Time"]
    assert section[:7] == [
        "Priority  Resolved  Median  P90  Target  In target  Breach  Past target",
        "--------  --------  ------  ---  ------  ---------  ------  -----------",
        "Critical         3       3  3.8       1          1     67%            2",
        "High             2     1.5  1.9       3          2      0%            1",
        "Medium           3       8  8.8       7          1     67%            1",
        "Low              1      11   11      14          1      0%            1",
        "All              9       4  9.4       -          5     44%            5",
    ]


def test_agents_section_shows_sla_per_agent() -> None:
    """The top performer's share within target; every agent's SLA figures."""
    section = _sections(render(full_summary()))["Agents"]
    assert section == [
        "Top performer: Agent_Sarah (3 resolved, 67% within target, avg 1.7 days)",
        "Agent        Resolved  In target  Breach  Median  Open  Past target",
        "-----------  --------  ---------  ------  ------  ----  -----------",
        "Agent_Sarah         3          2     33%       2     3            3",
        "Agent_Mike          3          2     33%       4     1            0",
        "Agent_Lee           3          1     50%      10     1            1",
    ]


def test_trends_mark_the_partial_month_and_week() -> None:
    """March 2024 and the week of 2024-03-18 end after as_of 2024-03-20."""
    section = _sections(render(full_summary()))["Trends"]
    assert section[:7] == [
        "Tickets per month:",
        "Month    Created  Resolved  Open at end  Breach  Note",
        "-------  -------  --------  -----------  ------  -------",
        "2024-01        5         4            1     25%",
        "2024-02        8         4            4     50%",
        "2024-03        3         1            6    100%  partial",
        "partial: the month runs past the report date (2024-03-20); its figures so far.",
    ]
    assert section[7:10] == [
        "Tickets per week (the last 12 weeks, Monday to Sunday):",
        "Week of     Created  Resolved  Open at end  Note",
        "----------  -------  --------  -----------  -------",
    ]
    assert section[10] == "2024-01-01        1         1            0"
    assert section[21] == "2024-03-18        2         0            6  partial"
    assert section[22] == (
        "Created by weekday: Mon 9, Tue 1, Wed 3, Thu 1, Fri 2, Sat 0, Sun 0"
    )


def test_trends_show_the_last_24_months() -> None:
    """Thirty months: the heading says so and the table starts at month 7."""
    summary = full_summary()
    summary["monthly_volume"] = [
        {"month": f"{2022 + n // 12}-{n % 12 + 1:02d}", "created": n, "resolved": 0,
         "open_at_end": 1000 * n, "breach_rate": None, "partial": False}
        for n in range(30)
    ]  # fmt: skip
    section = _sections(render(summary))["Trends"]
    assert section[0] == "Tickets per month (the last 24 of 30):"
    assert section[3] == "2022-07        6         0        6,000     n/a"
    assert not any(line.startswith("partial:") for line in section)


def test_repeated_subjects_stand_beside_the_words() -> None:
    """Two repeated subjects next to the five words; the rest of the rows blank."""
    summary = full_summary()
    summary["top_subjects"] = [
        {"subject": "login fails", "count": 3},
        {"subject": "invoice missing", "count": 2},
    ]
    assert _sections(render(summary))["What Customers Write About"] == [
        "Repeated subject  Tickets  Word        Tickets",
        "----------------  -------  ----------  -------",
        "login fails             3  login             5",
        "invoice missing         2  invoice           3",
        "                           password          3",
        "                           reset             3",
        "                           attachment        2",
    ]
    section = _sections(render(full_summary()))["What Customers Write About"]
    assert section[-1] == "No subject occurs twice."


def test_overdue_means_past_the_sla_target_only() -> None:
    """The open_days list is 'open longer than N days'; it never says overdue."""
    report = render(full_summary())
    sections = _sections(report)
    assert not any("overdue" in line.lower() for line in sections["Backlog"])
    assert (
        "Open longer than 7 days: 4 (Critical 1, High 1, Medium 1, Low 1)"
        in (sections["Backlog"])
    )
    assert not any(
        "overdue" in line.lower() and "longer than" in line
        for line in report.splitlines()
    )


# --- hostile ticket text ---


def _hostile_summary() -> dict[str, Any]:
    """Return the fixture with 300-character and control-character values everywhere."""
    summary = full_summary()
    summary["top_agents"][0]["agent"] = "Agent " + HOSTILE + "x" * 300
    summary["agents"][0]["agent"] = "Agent " + HOSTILE + "y" * 300
    ticket = summary["open_over_threshold"]["tickets"][0]
    ticket.update(ticket_id=HOSTILE, customer_id=LONG_ID, assigned_to=HOSTILE * 5)
    for overdue in summary["overdue_open"]["tickets"]:
        overdue.update(ticket_id=HOSTILE, customer_id=LONG_ID, assigned_to=HOSTILE)
    summary["escalation_candidates"]["customers"][0]["customer_id"] = LONG_ID
    summary["top_subject_words"][0]["word"] = HOSTILE
    summary["top_subjects"] = [{"subject": HOSTILE + LONG_ID, "count": 2}]
    summary["data_quality"]["rejected_rows_file"] = "/srv/" + "deep/" * 40 + "rej.csv"
    summary["weather"].update(condition=HOSTILE * 3, attribution="y" * 200)
    summary["weather"]["location"]["name"] = LONG_ID
    return summary


def test_hostile_values_cannot_break_the_layout() -> None:
    """Long and control-character values are cleaned and cut; no line is added."""
    normal = full_summary()
    normal["top_subjects"] = [{"subject": "x", "count": 2}]
    report = render(_hostile_summary())
    _assert_layout(report)
    assert len(report.splitlines()) == len(render(normal).splitlines())
    assert "\x1b" not in report
    assert "\u202e" not in report
    assert "…" in report


def test_hostile_scope_filters_stay_on_their_line() -> None:
    """An agent filter with newlines is cleaned; a long one wraps within the width."""
    summary = full_summary()
    filters = {"agent": HOSTILE, "customer": LONG_ID, "priority": None}
    summary["parameters"]["filters"] = summary["scope"]["filters"] = filters
    summary["scope"].update(tickets_in_scope=0, filtered_out=16)
    report = render(summary)
    _assert_layout(report)
    lines = report.splitlines()
    assert lines[3] == f"Scope: agent {HOSTILE_CLEAN}, customer"
    assert lines[4:6] == [
        "  C" + "x" * 38 + "… — 0 of 16 valid tickets (16 filtered",
        "  out)",
    ]


def test_a_long_customer_id_is_cut_with_an_ellipsis() -> None:
    """The 300-character id shows its start and an ellipsis in the tables."""
    sections = _sections(render(_hostile_summary()))
    customers = sections["Customers to Watch"]
    assert customers[3] == "C" + "x" * 30 + "…        5     1              5"
    oldest = next(line for line in sections["Backlog"] if line.startswith("Re: login"))
    assert "Cxxxxx" in oldest
    assert len(oldest) <= LINE_WIDTH
    act = [r for r in sections["Summary Statistics"] if r.startswith("Re: login")]
    assert len(act) == 5  # the five tickets of the action list
    assert all("UNASSIGNED" not in row and row.endswith("…") for row in act)


def test_a_subject_word_with_newlines_stays_on_one_line() -> None:
    """Newlines, tabs and escapes in a word become single spaces."""
    section = _sections(render(_hostile_summary()))["What Customers Write About"]
    assert section[2].startswith(HOSTILE_CLEAN[:20])
    assert HOSTILE_CLEAN[:10] in section[2][40:]


def test_rejected_rows_file_keeps_its_name_when_cut() -> None:
    """A long path is cut at the front, so the file name stays visible."""
    sections = _sections(render(_hostile_summary()))
    line = next(
        item for item in sections["Data Quality"] if "Rejected rows file" in item
    )
    assert line.startswith("Rejected rows file: …")
    assert line.endswith("/deep/rej.csv")
    assert len(line) == LINE_WIDTH


def test_findings_with_a_long_customer_id_wrap_within_the_width() -> None:
    """A finding naming a 300-character id wraps to 80 columns, the id cut."""
    summary = full_summary()
    summary["findings"] = [f"Customer {LONG_ID}\nX opened 9 tickets."]
    summary["recommendations"] = [f"Contact {LONG_ID} X first."]
    report = render(summary)
    _assert_layout(report)
    cut_id = "C" + "x" * 38 + "…"
    assert _sections(report)["Key Findings"] == [
        f"- Customer {cut_id} X opened 9 tickets."
    ]
    assert _sections(report)["Recommendations"] == [f"1. Contact {cut_id} X first."]


def test_long_findings_wrap_with_hanging_indents() -> None:
    """Bullets continue two spaces in; numbered items continue under their text."""
    summary = full_summary()
    summary["findings"] = ["word " * 30]
    summary["recommendations"] = [f"step {n}" for n in range(1, 11)] + ["more " * 20]
    sections = _sections(render(summary))
    assert sections["Key Findings"][0].startswith("- word word")
    assert sections["Key Findings"][1].startswith("  word")
    assert sections["Recommendations"][9] == "10. step 10"
    assert sections["Recommendations"][10].startswith("11. more")
    assert sections["Recommendations"][11].startswith("    more")


# --- lists that grow ---


def test_backlog_lists_at_most_ten_oldest_tickets() -> None:
    """Twelve old tickets: ten rows, and the heading says how many there are."""
    summary = full_summary()
    template = summary["open_over_threshold"]["tickets"][0]
    summary["open_over_threshold"]["count"] = 12
    summary["open_over_threshold"]["tickets"] = [
        {**template, "ticket_id": f"T{n:03d}", "age_days": 50 - n} for n in range(12)
    ]
    backlog = _sections(render(summary))["Backlog"]
    heading = backlog.index("Open longer than 7 days, oldest first (showing 10 of 12):")
    rows = backlog[heading + 3 :]
    assert [row.split()[0] for row in rows] == [f"T{n:03d}" for n in range(10)]


def test_customers_to_watch_says_when_the_list_was_capped() -> None:
    """A count above the listed customers is shown as 'showing N of M'."""
    summary = full_summary()
    summary["escalation_candidates"]["count"] = 3
    customers = _sections(render(summary))["Customers to Watch"]
    assert customers[:2] == [
        "Customers with more than 3 tickets: 3",
        "(showing 1 of 3)",
    ]


def test_customers_to_watch_lists_at_most_fifteen() -> None:
    """Forty candidates (list_limit 0): fifteen rows and a 'showing' note."""
    summary = full_summary()
    summary["escalation_candidates"]["count"] = 40
    summary["escalation_candidates"]["customers"] = [
        {
            "customer_id": f"C{n:03d}",
            "tickets": 50 - n,
            "open": 0,
            "high_or_critical": 0,
        }
        for n in range(40)
    ]
    customers = _sections(render(summary))["Customers to Watch"]
    assert customers[:2] == [
        "Customers with more than 3 tickets: 40",
        "(showing 15 of 40)",
    ]
    assert [row.split()[0] for row in customers[4:]] == [f"C{n:03d}" for n in range(15)]


# --- weather variants ---


def test_weather_without_a_location_is_one_quiet_line() -> None:
    """Disabled for want of a location: no section, the report's last line says so."""
    summary = full_summary()
    summary["weather"] = empty_summary()["weather"] | {
        "reason": "no location configured"
    }
    report = render(summary)
    assert "=== Weather ===" not in report
    assert report.endswith("\n\nWeather: no location configured (see README)\n")
    assert report.lower().count("weather") == 1


def test_weather_unavailable_gives_the_reason() -> None:
    """An unavailable status prints its (cleaned) reason."""
    summary = full_summary()
    summary["weather"].update(status="unavailable", reason="no network\n(DNS failed)")
    weather = _sections(render(summary))["Weather"]
    assert weather == ["Weather unavailable: no network (DNS failed)"]


def test_weather_stale_cache_is_flagged_with_the_reason() -> None:
    """A stale cached observation says so and why the refresh failed."""
    summary = full_summary()
    summary["weather"].update(stale=True, reason="timed out after 5 s")
    weather = _sections(render(summary))["Weather"]
    assert weather[-3:] == [
        "Source:         open-meteo, stale cached data",
        "Refresh failed: timed out after 5 s",
        "Attribution:    Weather data by Open-Meteo.com (CC BY 4.0)",
    ]


def test_weather_live_with_null_values() -> None:
    """A live observation with null readings prints n/a for them."""
    summary = full_summary()
    summary["weather"].update(
        from_cache=False, temperature_c=None, apparent_temperature_c=None, wind_kmh=None
    )
    summary["weather"]["location"]["name"] = None
    weather = _sections(render(summary))["Weather"]
    assert weather[0] == "Location:    (52.52, 13.41)"
    assert "Temperature: n/a" in weather
    assert "Wind:        n/a" in weather
    assert "Source:      open-meteo" in weather


# --- helpers ---


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (42, "42"),
        ("  a\nb\r\n\tc  ", "a b c"),
        ("x\x00y\x1b[0mz", "x y [0mz"),
        ("bidi\u202eevil\u200b!", "bidi evil !"),
        ("line\u2028sep\u2029para", "line sep para"),
        ("lone \ud800 surrogate", "lone surrogate"),
        ("Zoë 東京", "Zoë 東京"),
    ],
)
def test_clean(value: object, expected: str) -> None:
    """Control, format, separator and surrogate characters become single spaces."""
    assert clean(value) == expected


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [
        (0.375, 0.3333, "+5 pts"),  # 38% against 33%: the printed figures differ by 5
        (0.4, 1.0, "-60 pts"),
        (0.05, 0.025, "+2.5 pts"),  # below 10% a percentage keeps one decimal
        (0.1, 0.099, "+0.1 pts"),  # 10% against 9.9%
        (0.3, 0.3, "0 pts"),
        (None, 0.3, "n/a"),
    ],
)
def test_rate_change_is_the_difference_of_the_printed_percentages(
    current: float | None, previous: float | None, expected: str
) -> None:
    """A change in percentage points agrees with the two rates shown beside it."""
    assert format_rate_change(current, previous) == expected


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [
        (20, 12, "+8"),
        (8, 12, "-4"),
        (5, 5, "0"),
        (6.5, 4.0, "+2.5"),
        (4.0, None, "n/a"),
    ],
)
def test_count_and_day_changes_carry_their_sign(
    current: float | None, previous: float | None, expected: str
) -> None:
    """Counts and median days: the signed difference, one decimal at most."""
    assert format_change(current, previous) == expected


def test_truncate() -> None:
    """Text longer than the width ends with one ellipsis character."""
    assert truncate("abcdef", 6) == "abcdef"
    assert truncate("abcdefg", 6) == "abcde…"
    assert truncate("abc", 1) == "…"
    assert truncate("abc", 0) == ""


def test_data_quality_names_ignored_and_missing_columns() -> None:
    """Extra columns and absent optional columns are named under Data Quality."""
    summary = full_summary()
    summary["data_quality"]["extra_columns"] = ["Tags", "Internal\nNote"]
    summary["data_quality"]["missing_optional_columns"] = ["description"]
    text = render(summary)
    section = text[text.index("=== Data Quality ===") : text.index("=== Weather")]
    assert "Ignored columns: Tags, Internal Note\n" in section
    assert "Missing optional columns (read as empty): description\n" in section
    assert "Ignored columns" not in render(full_summary())
