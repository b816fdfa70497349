"""The report's HTML blocks and tables, as the notebook's sections show them.

Read from the hand-computed summary of ``summary_fixtures``; no kernel started.
The escaping of every field is held by test_html_escaping.py.
"""

from __future__ import annotations

import copy
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
    sla = tables.sla_table(summary).set_index("Priority")
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


def test_header_and_headline_read_the_summary() -> None:
    """Date, source file name and UTC time; the eight cards with their notes."""
    summary = Summary.model_validate(full_summary())
    header = nd.header(summary).data
    assert (
        "<strong>Report date (as of):</strong> 2024-03-20 &middot; "
        "<strong>Source:</strong> tickets_sample.csv &middot; "
        "<strong>Generated:</strong> 2024-03-21 09:30:00 UTC</p>"
    ) in header
    assert header.startswith("<style>")
    headline = nd.headline(summary).data
    assert headline.count('<div class="ta-value">') == 8
    assert (
        '<div class="ta-value">4 days</div><div class="ta-label">Median time to '
        'resolve</div><div class="ta-note">mean 4.7 days</div>'
    ) in headline
    assert (
        '<div class="ta-card ta-alert"><div class="ta-value">4</div>'
        '<div class="ta-label">Open longer than 7 days</div>'
        '<div class="ta-note">67% of open</div>'
    ) in headline


def test_empty_summary_renders_every_section() -> None:
    """No data rows: empty notes and dashes instead of tables and numbers."""
    summary = empty()
    assert tables.oldest_open_tickets(summary).empty
    assert '<div class="ta-value">—</div>' in nd.headline(summary).data
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
