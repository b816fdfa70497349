"""The report's HTML blocks and tables, as the notebook's sections show them.

Read from the hand-computed summary of ``summary_fixtures``; no kernel started.
The escaping of every field is held by test_html_escaping.py.
"""

from __future__ import annotations

import copy
import re
from datetime import date
from typing import Any

import pandas as pd
from summary_fixtures import empty_summary, full_summary

from ticket_analysis.notebook import display as nd
from ticket_analysis.notebook.status import run_status_text
from ticket_analysis.report import html, tables
from ticket_analysis.summary import Summary

HOSTILE_SUBJECT = "<script>alert(1)</script>"
HOSTILE_AGENT = "<img src=x onerror=alert(1)>"


def summary_with(**sections: dict[str, Any]) -> Summary:
    """The fixture summary with some of its sections' fields replaced."""
    data = full_summary()
    for name, fields in sections.items():
        data[name] = {**data[name], **copy.deepcopy(fields)}
    return Summary.model_validate(data)


def empty() -> Summary:
    """The summary of an export without data rows (as of a fixed day)."""
    return Summary.model_validate({**empty_summary(), "as_of": "2024-03-20"})


def test_table_html_escapes_every_cell_and_header() -> None:
    """Hostile text in cells and headers comes out as inert text."""
    frame = pd.DataFrame({HOSTILE_SUBJECT: [HOSTILE_AGENT], "Days": [3]})
    text = html.table_html(frame)
    for hostile in (HOSTILE_SUBJECT, HOSTILE_AGENT):
        assert hostile not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert '<th class="ta-txt">&lt;script' in text
    assert '<td class="ta-num">3</td>' in text
    assert html.table_html(frame.iloc[0:0], empty="None <b>") == (
        '<p class="ta-empty">None &lt;b&gt;</p>'
    )


def test_table_html_right_aligns_numbers_and_dashes_missing_values() -> None:
    """Counts, formatted numbers and percentages are numeric; None is a dash."""
    frame = pd.DataFrame(
        {"Name": ["a", "b"], "Rate": ["67%", "1,234"], "Days": ["2.5", None]}
    )
    text = html.table_html(frame)
    assert '<th class="ta-txt">Name</th><th class="ta-num">Rate</th>' in text
    assert '<td class="ta-num">—</td>' in text


def test_list_html_escapes_each_sentence() -> None:
    """Findings are escaped; no sentence gives the empty note."""
    assert html.list_html([HOSTILE_AGENT, "a & b"]) == (
        '<ol class="ta-list"><li>&lt;img src=x onerror=alert(1)&gt;</li>'
        "<li>a &amp; b</li></ol>"
    )
    assert html.list_html([], empty="Nothing.") == '<p class="ta-empty">Nothing.</p>'


def test_tables_from_summary_fixture() -> None:
    """The report tables read the summary as computed by hand in summary_fixtures."""
    summary = Summary.model_validate(full_summary())
    oldest = tables.oldest_open_tickets(summary)
    assert oldest["Ticket"].tolist() == ["T008", "T010", "T013", "T014"]
    assert oldest["Assigned to"].tolist()[2] == "Unassigned"
    assert oldest["Days open"].tolist() == [40, 29, 21, 9]
    assert tables.escalation_table(summary).to_dict("records") == [
        {"Customer": "C100", "Tickets": 5, "Still open": 1, "High or Critical": 5}
    ]
    sla_rows = tables.sla_table(summary)
    assert sla_rows["Priority"].tolist() == [
        "Low", "Medium", "High", "Critical", "All priorities"
    ]  # fmt: skip
    sla = sla_rows.set_index("Priority")
    assert sla.loc["Critical", "Breach rate"] == "67%"
    assert sla.loc["Medium", "Median days"] == "8"
    issues = tables.issues_table(summary)
    assert issues["Code"].tolist() == [
        "invalid_created_date",
        "missing_required_field",
        "invalid_priority",
        "normalized_value",
        "missing_resolved_date",
    ]
    assert issues["Effect"].tolist()[2:4] == ["row rejected", "warning, row kept"]
    about: dict[str, str] = dict(
        tables.parameters_table(summary).itertuples(index=False)
    )
    assert about["Escalation threshold"] == "more than 3 tickets"
    assert about["SLA targets (days)"] == "Low 14, Medium 7, High 3, Critical 1"
    assert about["Generated (UTC)"] == full_summary()["generated_at"]
    assert about["Compared periods"] == "28 days each"
    assert about["Filters"] == "none"
    assert about["Import profile"] == "canonical"


def test_header_and_headline_read_the_summary() -> None:
    """Period, as of, source file name (no folder), filters, UTC time; the cards."""
    data = full_summary()
    data["source"]["path"] = "/home/alice/exports/tickets_sample.csv"
    summary = Summary.model_validate(data)
    header = nd.header(summary).data
    assert (
        '<dl class="ta-facts">\n'
        "<div><dt>Period covered</dt><dd>January 2024 to 2024-03-20</dd></div>\n"
        "<div><dt>As of</dt><dd>2024-03-20</dd></div>\n"
        "<div><dt>Source</dt><dd>tickets_sample.csv</dd></div>\n"
        "<div><dt>Filters</dt><dd>none (every ticket)</dd></div>\n"
        "<div><dt>Generated</dt><dd>2024-03-21 09:30:00 UTC</dd></div>\n"
        "</dl>"
    ) in header
    assert header.startswith("<style>")
    assert "prefers-color-scheme: dark" in header and "@media print" in header
    assert "/home/alice" not in header + nd.about(summary).data
    assert 'class="ta-scope"' not in header  # no filter, nothing left out
    headline = nd.headline(summary).data
    assert headline.count('<div class="ta-value">') == 8
    # overdue_open: 5 past target, 2 of them Critical, T013 unassigned
    assert (
        '<div class="ta-card ta-alert"><div class="ta-value">5</div>'
        '<div class="ta-label">Open past their SLA target</div>'
        '<div class="ta-note">2 Critical, 1 unassigned</div>'
    ) in headline
    # period_comparison: open at end 2 -> 6, created 6 -> 6, resolved 5 -> 1,
    # median 4 -> 8 days, breach rate 40% -> 100%
    vs = '<span class="ta-note">vs the 28 days before</span>'
    for value, label, change in (
        ("6", "Open or in progress", '<div class="ta-change ta-bad">▲ +4 '),
        ("6", "Created in the last 28 days", '<div class="ta-change ta-neutral">0 '),
        ("1", "Resolved in the last 28 days", '<div class="ta-change ta-bad">▼ -4 '),
        ("8", "Median days to resolve (last 28 days)",
         '<div class="ta-change ta-bad">▲ +4 '),
        ("100%", "Resolved late (last 28 days)",
         '<div class="ta-change ta-bad">▲ +60 pts '),
    ):  # fmt: skip
        card = (
            f'<div class="ta-value">{value}</div><div class="ta-label">{label}</div>'
            f"{change}{vs}</div>"
        )
        assert card in headline, card
    assert (
        '<div class="ta-card ta-alert"><div class="ta-value">2</div>'
        '<div class="ta-label">Unassigned tickets</div>'
        '<div class="ta-note">of 16 in the report</div>'
    ) in headline


def test_a_welcome_change_is_good() -> None:
    """Fewer open, more resolved, faster, fewer late: every change is good."""
    data = full_summary()
    comparison = data["period_comparison"]
    comparison["current"], comparison["previous"] = (
        comparison["previous"],
        comparison["current"],
    )
    headline = nd.headline(Summary.model_validate(data)).data
    assert headline.count('class="ta-change ta-good"') == 4
    assert '<div class="ta-change ta-good">▼ -60 pts ' in headline


def test_header_names_the_scope_of_a_filtered_report() -> None:
    """Filters set: one line names them and counts the tickets in scope."""
    filters = {"agent": "Agent_Sarah", "customer": None, "priority": "High"}
    summary = summary_with(
        scope={"filters": filters, "tickets_in_scope": 1, "filtered_out": 15}
    )
    assert (
        '<p class="ta-scope">Scope: agent Agent_Sarah, priority High — 1 of 16 '
        "valid tickets (15 filtered out)</p>"
    ) in nd.header(summary).data
    past = summary_with(scope={"tickets_in_scope": 10, "created_after_as_of": 6})
    assert (
        "Scope: tickets created on or before 2024-03-20 — 10 of 16 valid tickets "
        "(6 created after 2024-03-20)"
    ) in nd.header(past).data


def test_briefing_names_the_tickets_the_period_and_the_load() -> None:
    """Act today (overdue, Critical first), the two periods, the busiest agents."""
    text = nd.briefing(Summary.model_validate(full_summary())).data
    assert (
        "<strong>Act today:</strong> 5 open tickets are past their SLA target "
        "(2 Critical, 1 High, 1 Medium, 1 Low); 1 of them unassigned."
    ) in text
    rows = re.findall(r"<tr><td class=\"ta-txt\">(T\d+)</td>", text)
    assert rows == ["T013", "T015", "T010", "T014", "T008"]
    assert (
        '<tr><td class="ta-txt">T013</td><td class="ta-txt">Critical</td>'
        '<td class="ta-num">20</td><td class="ta-num">21</td><td class="ta-txt">'
        '<span class="ta-flag">UNASSIGNED</span></td><td class="ta-txt">C100</td></tr>'
    ) in text
    assert "Showing" not in text  # all five fit
    assert "<strong>The last 28 days against the 28 before:</strong>" in text
    cells = [
        re.findall(r"<td class=\"ta-(?:txt|num)\">([^<]*)</td>", row)
        for row in re.findall(r"<tr><td class=\"ta-txt\">20\d\d-.*?</tr>", text)
    ]
    assert cells == [
        ["2024-01-25 to 2024-02-21", "6", "5", "2", "4", "40%"],
        ["2024-02-22 to 2024-03-20", "6", "1", "6", "8", "100%"],
    ]
    change = re.search(r"<tr><td class=\"ta-txt\">Change</td>.*?</tr>", text)
    assert change is not None
    assert re.findall(r">([^<]+)</td>", change.group(0)) == [
        "Change", "0", "-4", "+4", "+4", "+60 pts",
    ]  # fmt: skip
    # Sarah 3 of 6 open, all past target; Lee and Mike 1 each, Lee 1 past target
    assert (
        "<strong>Most open work:</strong> Agent_Sarah 3 open (50% of open work), 3 "
        "past target; Agent_Lee 1 open (17% of open work), 1 past target; "
        "Agent_Mike 1 open (17% of open work), 0 past target.</p>"
    ) in text


def test_briefing_of_an_empty_report() -> None:
    """No tickets: nothing overdue, periods of zeros, no agent load."""
    text = nd.briefing(empty()).data
    assert "No open ticket is past its SLA target." in text
    assert "<table" in text  # the period comparison is always there
    assert "no open ticket is assigned to an agent." in text


def test_trend_tables_mark_the_partial_month_and_week() -> None:
    """March 2024 and the week of 2024-03-18 are cut short by as_of 2024-03-20."""
    summary = Summary.model_validate(full_summary())
    months = tables.monthly_table(summary)
    assert months.to_dict("records")[-1] == {
        "Month": "2024-03 (partial)",
        "Created": 3,
        "Resolved": 1,
        "Open at end": 6,
        "Breach rate": "100%",
    }
    assert months["Month"].tolist()[:2] == ["2024-01", "2024-02"]
    weeks = tables.weekly_table(summary)
    assert len(weeks) == 12
    assert weeks["Week starting"].tolist()[-2:] == [
        "2024-03-11",
        "2024-03-18 (partial)",
    ]
    assert weeks["Open at end"].tolist() == [0, 0, 0, 1, 0, 2, 1, 3, 3, 3, 4, 6]
    weekdays = tables.weekday_table(summary)
    assert weekdays["Created"].tolist() == [9, 1, 3, 1, 2, 0, 0]
    assert "2024-03 (partial)" in nd.monthly(summary).data
    assert "2024-03-18 (partial)" in nd.weekly(summary).data


def test_monthly_table_shows_the_last_24_months() -> None:
    """Thirty months: the last 24 rows, and a note that summary.json has all."""
    data = full_summary()
    data["monthly_volume"] = [
        {"month": f"{2022 + n // 12}-{n % 12 + 1:02d}", "created": n, "resolved": 0,
         "open_at_end": n, "breach_rate": None, "partial": False}
        for n in range(30)
    ]  # fmt: skip
    summary = Summary.model_validate(data)
    assert tables.monthly_table(summary)["Month"].tolist()[0] == "2022-07"
    assert "Showing 24 of 30 months; summary.json holds every month." in (
        nd.monthly(summary).data
    )


def test_overdue_agents_sla_and_subject_tables() -> None:
    """The action list, per-agent SLA, the overall SLA row, repeated subjects."""
    data = full_summary()
    data["top_subjects"] = [
        {"subject": "login fails", "count": 3},
        {"subject": "invoice missing", "count": 2},
    ]
    summary = Summary.model_validate(data)
    overdue = tables.overdue_table(summary)
    assert overdue.to_dict("records")[0] == {
        "Ticket": "T013",
        "Priority": "Critical",
        "Days over target": 20,
        "Days open": 21,
        "Target (days)": 1,
        "Assigned to": "UNASSIGNED",
        "Customer": "C100",
        "Status": "Open",
        "Created": date(2024, 2, 28),
    }
    assert overdue["Ticket"].tolist() == ["T013", "T015", "T010", "T014", "T008"]
    assert "Showing 2 of 5 tickets past their SLA target" in (
        nd.overdue(summary, limit=2).data
    )
    agents = tables.agents_table(summary).set_index("Agent")
    assert agents.loc["Agent_Lee"].tolist() == [3, 1, "50%", "10", "10", 1, 1, 4]
    sla = tables.sla_table(summary).set_index("Priority")
    assert sla.loc["All priorities"].tolist() == [
        "—", 9, "4", "9.4", 5, "44%", 5
    ]  # fmt: skip
    assert tables.subjects_table(summary).to_dict("records") == [
        {"Subject (lower-cased)": "login fails", "Tickets": 3},
        {"Subject (lower-cased)": "invoice missing", "Tickets": 2},
    ]
    assert "No subject occurs twice." in nd.subjects(empty()).data
    assert "No open ticket is past its SLA target." in nd.overdue(empty()).data


def test_empty_summary_renders_every_section() -> None:
    """No data rows: empty notes and dashes instead of tables and numbers."""
    summary = empty()
    assert tables.oldest_open_tickets(summary).empty
    headline = nd.headline(summary).data
    assert '<div class="ta-value">n/a</div>' in headline  # median, breach rate
    assert '<div class="ta-change ta-neutral">n/a ' in headline
    assert "No open ticket is older than 7 days." in nd.oldest_open(summary).data
    assert "No ticket is assigned to an agent." in nd.agents(summary).data
    assert "No data-quality issue was found." in nd.issues(summary).data


def test_cut_tables_say_how_many_rows_are_left_out() -> None:
    """A table cut to its display limit says "Showing N of M"."""
    summary = Summary.model_validate(full_summary())
    text = nd.oldest_open(summary, limit=2).data
    assert text.count("<tr>") == 3  # header + 2 rows
    assert "Showing 2 of 4 tickets open longer than 7 days" in text
    assert "Showing" not in nd.oldest_open(summary).data
    assert "No customer has more than 3 tickets." in nd.escalation(summary, 0).data


def test_weather_line_reads_the_conditions() -> None:
    """The weather line gives place, time, conditions and the attribution."""
    line = nd.weather(Summary.model_validate(full_summary())).data
    assert (
        "<strong>Weather in Berlin</strong> (observed 2024-03-21 10:15 UTC+01:00): "
        "7.5 °C, "
        "feels like 4.9 °C, partly cloudy, humidity 81%, wind 14.2 km/h."
    ) in line
    assert "Open-Meteo.com (CC BY 4.0)" in line


def test_weather_line_when_stale_off_or_unavailable() -> None:
    """A stale value says so; off and unavailable say why there is none."""
    stale = summary_with(weather={"stale": True, "from_cache": True, "location": None})
    assert (
        "<strong>Weather in the team&#39;s location</strong>" in nd.weather(stale).data
    )
    assert "(cached value, may be out of date)." in nd.weather(stale).data
    off = summary_with(weather={"status": "disabled"})
    assert "turned off" in nd.weather(off).data
    unset = summary_with(
        weather={"status": "disabled", "reason": "no location configured"}
    )
    assert nd.weather(unset).data == (
        '<p class="ta-empty">Weather: no location configured (see README)</p>'
    )
    down = summary_with(weather={"status": "unavailable", "reason": HOSTILE_SUBJECT})
    line = nd.weather(down).data
    assert HOSTILE_SUBJECT not in line and "unavailable: &lt;script&gt;" in line


def test_quality_html_names_ignored_and_missing_columns_escaped() -> None:
    """Ignored and missing columns are named, and a hostile header stays text."""
    summary = summary_with(
        data_quality={
            "extra_columns": ["Tags", "<b onmouseover=x>"],
            "missing_optional_columns": ["description"],
        }
    )
    text = html.quality_html(summary)
    assert (
        "Columns ignored (not part of the expected export): Tags, &lt;b onmouseover=x&gt;"
        in text
    )
    assert "Optional columns missing from the file (read as empty): description" in text
    assert "<b onmouseover" not in text


def test_quality_html_gives_the_gate_verdict() -> None:
    """The sentence counts the records; the gate's verdict follows it."""
    summary = Summary.model_validate(full_summary())
    text = html.quality_html(
        summary, gate_message="quality gate: 20% rejected > 10%", gate_failed=True
    )
    assert (
        "<p><strong>20</strong> records read: <strong>16</strong> used for the "
        "analysis, <strong>4</strong> rejected (20% of all)"
    ) in text
    assert '<p class="ta-gate-fail">Quality gate FAILED: 20% rejected &gt; 10%</p>' in (
        text
    )
    assert "Quality gate passed" in html.quality_html(summary, gate_message="ok: fine")


def test_run_status_text_names_the_folder_and_the_gate() -> None:
    """Where the reports went, and the gate's message when there is one."""
    status = {
        "files": {"summary": "/r/summary.json", "text": "/r/executive_report.txt"},
        "gate_message": "quality gate: passed",
    }
    assert run_status_text(status) == (
        "Reports written to /r: summary.json, executive_report.txt\n"
        "quality gate: passed"
    )
