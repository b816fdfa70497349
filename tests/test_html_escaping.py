"""Every data-derived string placed in the report's HTML is escaped by the templates.

Each payload goes into every text field of the summary (ticket and customer ids,
agents, words, findings, weather, source path ...) and of a ticket export run
through the pipeline; every section the notebook shows is rendered. The HTML
must hold only the report's own tags and attributes, show each payload as text,
and carry the escaped form wherever the payload has a character to escape. A
template expression in the data (``{{7*7}}``) stays text: it is never evaluated.
"""

from __future__ import annotations

import ast
import csv
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from markupsafe import escape
from summary_fixtures import full_summary

from ticket_analysis.config import load_settings
from ticket_analysis.notebook import display as nd
from ticket_analysis.pipeline import RunResult, run
from ticket_analysis.summary import Summary

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{7*7}}",
]
#: Every tag and attribute the report's own templates write.
REPORT_TAGS = {
    "style", "p", "strong", "code", "div", "ol", "li", "span", "dl", "dt", "dd",
    "table", "thead", "tbody", "tr", "th", "td", "figure", "img", "figcaption",
}  # fmt: skip
REPORT_ATTRIBUTES = {"class", "src", "width", "height", "alt"}
#: The start of an HTML tag, comment or doctype in a Python string.
TAG = re.compile(r"<[A-Za-z/!]")
NO_ENV_FILE = Path(__file__).parent / "fixtures" / "no-such.env"

SECTIONS: list[Callable[[Summary], Any]] = [
    nd.header,
    nd.headline,
    nd.briefing,
    nd.findings,
    nd.recommendations,
    nd.overdue,
    nd.monthly,
    nd.weekly,
    nd.weekdays,
    nd.subjects,
    nd.sla,
    nd.oldest_open,
    nd.agents,
    nd.escalation,
    nd.issues,
    nd.weather,
    nd.about,
]


class Page(HTMLParser):
    """Collect the tags, attributes and text of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def hostile_summary(payload: str, *, weather_status: str = "ok") -> Summary:
    """The fixture summary with ``payload`` in every free-text field."""
    data = full_summary()
    data["source"]["path"] = f"/home/alice/exports/{payload}"
    data["source"]["encoding"] = payload
    quality = data["data_quality"]
    quality["rejected_rows_file"] = payload
    quality["extra_columns"] = [payload, f"2{payload}"]
    for ticket in data["open_over_threshold"]["tickets"]:
        ticket["ticket_id"] = ticket["customer_id"] = ticket["assigned_to"] = payload
    for ticket in data["overdue_open"]["tickets"]:
        ticket["ticket_id"] = ticket["customer_id"] = ticket["assigned_to"] = payload
    data["top_subjects"] = [
        {"subject": payload, "count": 3},
        {"subject": f"re: {payload}", "count": 2},
    ]
    filters = {"agent": payload, "customer": payload, "priority": None}
    data["parameters"]["filters"] = data["scope"]["filters"] = filters
    data["scope"].update(tickets_in_scope=6, filtered_out=10)
    for agent in [*data["agents"], *data["top_agents"]]:
        agent["agent"] = payload
    for word in data["top_subject_words"]:
        word["word"] = payload
    for customer in data["escalation_candidates"]["customers"]:
        customer["customer_id"] = payload
    data["findings"] = [payload, f"Finding: {payload}"]
    data["recommendations"] = [payload]
    weather = data["weather"]
    weather["location"]["name"] = payload
    weather["condition"] = payload
    weather["attribution"] = payload
    weather["observed_at"] = payload
    if weather_status == "unavailable":
        weather.update(status="unavailable", reason=payload)
    return Summary.model_validate(data)


def render_sections(summary: Summary, gate_message: str = "") -> str:
    """Render every section the notebook shows, as one HTML string."""
    blocks = [section(summary).data for section in SECTIONS]
    result = SimpleNamespace(
        summary=summary, gate_failed=True, gate_message=gate_message
    )
    blocks.append(nd.quality(cast(RunResult, result)).data)
    return "\n".join(blocks)


def assert_escaped(html: str, payload: str, *, at_least: int) -> None:
    """The payload is text (never markup) and its escaped form is in the source."""
    page = Page()
    page.feed(html)
    page.close()
    for tag, attrs in page.tags:
        assert tag in REPORT_TAGS, f"injected <{tag}>"
        assert set(attrs) <= REPORT_ATTRIBUTES, f"injected attribute on <{tag}>"
        for value in attrs.values():
            assert payload not in (value or ""), f"payload in an attribute of <{tag}>"
    text = "".join(page.text)
    assert text.count(payload) >= at_least
    if escape(payload) != payload:
        assert payload not in html
        assert html.count(str(escape(payload))) >= at_least


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_every_summary_field_is_escaped(payload: str) -> None:
    """Ids, agents, words, findings, weather, source, the v1.1 fields: all text."""
    html = render_sections(hostile_summary(payload), gate_message=f"gate: {payload}")
    # open longer than 7 days: 3 fields x 4 tickets; agents table 3; customer 1;
    # findings 2; recommendation 1; weather 3; source 3 (header, about x2);
    # columns 2; gate 1 (29 in all before v1.1); overdue tickets 3 fields x 5 in the
    # briefing and 3 x 5 in the overdue table; agents in "Most open work" 3;
    # repeated subjects 2; filters 2 in the scope line and 2 in the about table,
    # and 2 in the header. The source shows by its name only (header, about): a
    # payload with "/" is cut there, 2 fewer; the folder never shows.
    cut = 2 if "/" in payload else 0
    assert_escaped(html, payload, at_least=29 + 15 + 15 + 3 + 2 + 2 + 2 + 2 - cut)
    assert "/home/alice" not in html
    unavailable = hostile_summary(payload, weather_status="unavailable")
    assert_escaped(nd.weather(unavailable).data, payload, at_least=1)


def write_hostile_export(folder: Path, payload: str) -> Path:
    """Write a ticket export whose every text field carries ``payload``."""
    path = folder / "tickets.csv"
    header = ["ticket_id", "customer_id", "subject", "description", "priority",
              "status", "created_date", "resolved_date", "assigned_to", payload]  # fmt: skip
    rows = [
        [f"{payload}{n}", payload, f"{payload} login", payload, "High", status,
         f"2024-03-0{n}", resolved, payload, payload]
        for n, status, resolved in ((1, "Open", ""), (2, "Closed", "2024-03-05"),
                                    (3, "Open", ""), (4, "Resolved", "2024-03-04"))
    ]  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_every_ticket_field_is_escaped(
    payload: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hostile export through the pipeline: the HTML shows it as text only."""
    monkeypatch.chdir(tmp_path)
    overrides = {
        "input_path": write_hostile_export(tmp_path, payload),
        "output_dir": tmp_path / "out",
        "open_days": 1,
        "escalation_threshold": 1,
        "weather_enabled": False,
    }
    result = run(load_settings(overrides, env_file=NO_ENV_FILE, environ={}))
    html = render_sections(result.summary, gate_message=result.gate_message)
    # open tickets 2 x (id, customer, agent), agent 1, customer 1, extra column 1;
    # as of 2024-03-05 the High ticket 1 (created 03-01, 4 days > 3) is overdue:
    # 3 fields in the briefing and 3 in the overdue table; the agent in "Most open
    # work" 1; the subject "<payload> login", repeated 4 times, 1
    assert_escaped(html, payload, at_least=9 + 3 + 3 + 1 + 1)
    assert result.summary.overdue_open.count == 1
    assert result.summary.top_subjects[0].count == 4


def test_no_markup_in_the_python_of_the_rendering_packages() -> None:
    """Guard: report/ and notebook/ hold no tag in any string but docstrings.

    Markup lives only in the templates, so nothing can be formatted into it.
    """
    package = Path(nd.__file__).parents[1]
    offenders = []
    for path in [*package.glob("report/*.py"), *package.glob("notebook/*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        }
        for node in ast.walk(tree):
            text = node.value if isinstance(node, ast.Constant) else None
            if (
                isinstance(text, str)
                and id(node) not in docstrings
                and TAG.search(text)
            ):
                offenders.append(f"{path.name}:{node.lineno}")  # type: ignore[attr-defined]
    assert offenders == []


def test_the_markup_guard_sees_tags_in_formatted_strings() -> None:
    """Guard for the test above: a tag in an f-string part or a format string."""
    tree = ast.parse('f"<p>{x}</p>"; "<b>%s" % x; "<i>{}".format(x); "a < b"')
    found = [str(n.value) for n in ast.walk(tree) if isinstance(n, ast.Constant)]
    assert [text for text in found if TAG.search(text)] == [
        "<p>",
        "</p>",
        "<b>%s",
        "<i>{}",
    ]
