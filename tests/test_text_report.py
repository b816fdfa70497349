"""Tests for ticket_analysis.report.text: the golden report and its layout rules.

The golden file ``tests/golden/executive_report.txt`` is the report of
``summary_fixtures.full_summary()``. The tests edit that dict and validate it into
the :class:`Summary` model (:func:`render`), so each edit must stay a valid summary. After an intended change to the layout,
regenerate it and review the diff line by line before committing::

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_text_report.py
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from summary_fixtures import empty_summary, full_summary

from ticket_analysis.report.findings import build_findings
from ticket_analysis.report.text import TITLE, render_text_report
from ticket_analysis.report.text_layout import LINE_WIDTH, clean, truncate
from ticket_analysis.summary import Summary

GOLDEN = Path(__file__).parent / "golden" / "executive_report.txt"
LONG_ID = "C" + "x" * 299  # a 300-character customer id
HOSTILE = "Re: login\nSubject: fake\r\x1b[31mred\x1b[0m\t\u202etxt.exe\u2028end"


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


def test_report_matches_the_golden_file() -> None:
    """The fixture's report is exactly the reviewed golden text."""
    report = render(full_summary())
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(report, encoding="utf-8", newline="\n")
        pytest.skip(f"rewrote {GOLDEN}: review the diff")
    assert report == GOLDEN.read_text(encoding="utf-8")


def test_report_starts_with_title_generated_and_as_of() -> None:
    """Line 1 is the title; lines 2 and 3 give the generation time and as-of date."""
    lines = render(full_summary()).splitlines()
    assert lines[:3] == [
        TITLE,
        "Generated: 2024-03-21T09:30:00Z",
        "Data as of: 2024-03-20",
    ]


def test_sections_come_in_the_documented_order() -> None:
    """All eleven sections are present, in order."""
    assert list(_sections(render(full_summary()))) == [
        "Summary Statistics",
        "Performance Highlights",
        "Data Quality",
        "Resolution Time by Priority",
        "Backlog",
        "Trends",
        "Customers to Watch",
        "Common Subject Words",
        "Weather",
        "Key Findings",
        "Recommendations",
    ]


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
    assert sections["Summary Statistics"][-2:] == [
        "Average resolution: n/a",
        "Median resolution:  n/a",
    ]
    assert sections["Performance Highlights"] == [
        "Top performer: none (no agent has resolved tickets)"
    ]
    assert "Issues by code: none" in sections["Data Quality"]  # zero counts hidden
    assert sections["Resolution Time by Priority"][2] == (
        "Low           0   n/a     n/a  n/a      14     n/a          0"
    )
    assert (
        sections["Backlog"][-1] == "Oldest open tickets: none open longer than 7 days"
    )
    assert sections["Trends"] == ["none"]
    assert sections["Customers to Watch"] == [
        "Customers with more than 5 tickets: none"
    ]
    assert sections["Common Subject Words"] == ["none"]
    assert sections["Weather"] == ["Weather disabled."]
    assert sections["Key Findings"] == [
        "- No tickets to analyse: the input had no data records."
    ]


def test_null_numbers_render_as_n_a() -> None:
    """A null statistic, average or breach rate prints n/a in its column."""
    summary = full_summary()
    summary["summary"]["avg_resolution_days"] = None
    summary["top_agents"][0]["avg_resolution_days"] = None
    summary["resolution_time_days"]["by_priority"]["High"].update(
        count=0, mean=None, median=None, p90=None, min=None, max=None
    )
    summary["sla"]["by_priority"]["High"]["breach_rate"] = None
    sections = _sections(render(summary))
    assert "Average resolution: n/a" in sections["Summary Statistics"]
    assert sections["Performance Highlights"][0] == (
        "Top performer: Agent_Sarah (3 resolved, avg n/a)"
    )
    assert sections["Performance Highlights"][3] == "1  Agent_Sarah         3       n/a"
    assert sections["Resolution Time by Priority"][4] == (
        "High          0    n/a     n/a    n/a       3     n/a          1"
    )


# --- hostile ticket text ---


def _hostile_summary() -> dict[str, Any]:
    """Return the fixture with 300-character and control-character values everywhere."""
    summary = full_summary()
    summary["top_agents"][0]["agent"] = "Agent " + HOSTILE + "x" * 300
    ticket = summary["open_over_threshold"]["tickets"][0]
    ticket.update(ticket_id=HOSTILE, customer_id=LONG_ID, assigned_to=HOSTILE * 5)
    summary["escalation_candidates"]["customers"][0]["customer_id"] = LONG_ID
    summary["top_subject_words"][0]["word"] = HOSTILE
    summary["data_quality"]["rejected_rows_file"] = "/srv/" + "deep/" * 40 + "rej.csv"
    summary["weather"].update(condition=HOSTILE * 3, attribution="y" * 200)
    summary["weather"]["location"]["name"] = LONG_ID
    return summary


def test_hostile_values_cannot_break_the_layout() -> None:
    """Long and control-character values are cleaned and cut; no line is added."""
    normal = render(full_summary())
    report = render(_hostile_summary())
    _assert_layout(report)
    assert len(report.splitlines()) == len(normal.splitlines())
    assert "\x1b" not in report
    assert "\u202e" not in report
    assert "…" in report


def test_a_long_customer_id_is_cut_with_an_ellipsis() -> None:
    """The 300-character id shows its start and an ellipsis in both tables."""
    sections = _sections(render(_hostile_summary()))
    customers = sections["Customers to Watch"]
    assert customers[3] == "C" + "x" * 30 + "…        5     1              5"
    oldest = next(line for line in sections["Backlog"] if line.startswith("Re: login"))
    assert "Cxxxxx" in oldest
    assert len(oldest) <= LINE_WIDTH


def test_a_subject_word_with_newlines_stays_on_one_line() -> None:
    """Newlines, tabs and escapes in a word become single spaces."""
    sections = _sections(render(_hostile_summary()))
    cleaned = "Re: login Subject: fake [31mred [0m txt.exe end"
    assert sections["Common Subject Words"][2] == cleaned[:31] + "…" + "      5"


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
    summary["escalation_candidates"]["customers"][0]["customer_id"] = LONG_ID + "\nX"
    model = Summary.model_validate(summary)
    findings, recommendations = build_findings(model)
    update = {"findings": findings, "recommendations": recommendations}
    report = render_text_report(model.model_copy(update=update))
    _assert_layout(report)
    findings = _sections(report)["Key Findings"]
    cut_id = "C" + "x" * 38 + "…"
    assert any(line.startswith(f"- Customer {cut_id} X opened") for line in findings)
    recommendations = _sections(report)["Recommendations"]
    assert any(line.startswith(f"5. Contact {cut_id} X") for line in recommendations)


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
    heading = backlog.index("Oldest open tickets (showing 10 of 12):")
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
    section = text[text.index("=== Data Quality ===") : text.index("=== Resolution")]
    assert "Ignored columns: Tags, Internal Note\n" in section
    assert "Missing optional columns (read as empty): description\n" in section
    assert "Ignored columns" not in render(full_summary())
