"""The batch index: its order, its figures and its page (no notebook runs here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from test_html_escaping import Page

from ticket_analysis.batch.index import (
    attention_order,
    figures,
    index_title,
    render_index,
)
from ticket_analysis.summary import Summary

ROOT = Path(__file__).resolve().parents[1]
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:"
PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def entry(name: str, status: str = "ok", **shown: Any) -> dict[str, Any]:
    base = {
        "tickets": 3,
        "open": 1,
        "overdue": 0,
        "median_resolution_days": 2.0,
        "breach_rate": 0.0,
        "created_change": 0,
        "backlog_change": 0,
    }
    ok = status == "ok"
    return {
        "name": name,
        "folder": name.lower(),
        "status": status,
        "reason": "" if ok else "notebook cell 3 failed: ValueError: boom",
        "report": f"{name.lower()}/report.html" if ok else None,
        "figures": {**base, **shown} if ok else None,
    }


def test_attention_first() -> None:
    """Failed, then most overdue, highest breach rate, most open, then name."""
    entries = [
        entry("Calm"),
        entry("Open", open=9),
        entry("Late", breach_rate=0.5),
        entry("Unknown", breach_rate=None),
        entry("Overdue", overdue=2),
        entry("Broken", status="failed"),
        entry("Aaa"),
    ]
    ordered = [e["name"] for e in sorted(entries, key=attention_order)]
    assert ordered == ["Broken", "Overdue", "Late", "Open", "Aaa", "Calm", "Unknown"]


def test_figures_of_the_sample_summary(tmp_path: Path) -> None:
    """The sample's whole report: figures from its summary.json (README values)."""
    out = tmp_path / "out"
    subprocess.run(
        [sys.executable, "-m", "ticket_analysis", "--input",
         str(ROOT / "data" / "tickets_sample.csv"), "--output-dir", str(out),
         "--no-weather"],
        check=True, capture_output=True,
    )  # fmt: skip
    summary = Summary.model_validate_json((out / "summary.json").read_bytes())
    # 58 valid tickets, 20 open, 16 past target; resolution median 5 days; 15
    # of 37 timed resolutions late; created 20 against 12, open at the end 20
    # against 9 (the sample's period comparison).
    assert figures(summary) == {
        "tickets": 58,
        "open": 20,
        "overdue": 16,
        "median_resolution_days": 5.0,
        "breach_rate": 0.4054,
        "created_change": 8,
        "backlog_change": 11,
    }


@pytest.mark.parametrize("dimension", ["agent", "customer", "priority", "month"])
def test_the_page_escapes_names_and_stays_offline(dimension: str) -> None:
    index = {
        "dimension": dimension,
        "as_of": "2026-11-20",
        "generated_at": "2026-11-21T08:00:00+00:00",
        "period_days": 28,
        "source": {"path": "/data/tickets.csv"},
        "slices": [entry(PAYLOAD, status="failed"), entry("Ann", overdue=2)],
        "failed": [PAYLOAD],
        "filters": {"agent": None, "customer": PAYLOAD, "priority": "High"},
    }
    page = render_index(index)
    parser = Page()
    parser.feed(page)
    tags = parser.tags
    assert [t for t, _ in tags if t in {"script", "img", "iframe", "object"}] == []
    assert not [a for _, attrs in tags for a in attrs if a.startswith("on")]
    metas = [a for t, a in tags if t == "meta" and a.get("http-equiv")]
    assert metas == [{"http-equiv": "Content-Security-Policy", "content": CSP}]
    assert [a["href"] for t, a in tags if t == "a"] == ["ann/report.html"]
    text = "".join(parser.text)
    # the failure line, the row and the filters line, as text
    assert text.count(PAYLOAD) == 3
    assert f"Every report is within: customer {PAYLOAD}, priority High" in text
    assert "&lt;script&gt;" in page and "<script>" not in page
    assert "notebook cell 3 failed: ValueError: boom" in text
    # Ann's row: 3 tickets, 1 open, 2 overdue, 2 days, 0%, no change
    row = page[page.index("ann/report.html") :].split("</tr>")[0]
    cells = [c.split("<")[0] for c in row.split('class="ta-num">')[1:]]
    assert cells == ["3", "1", "2", "2", "0%", "0", "0"]


@pytest.mark.parametrize(
    ("dimension", "selection", "title"),
    [
        ("customer", {"include_all": False, "escalation_threshold": 5},
         "Escalation candidates: customers with more than 5 tickets"),
        ("customer", {"include_all": False, "escalation_threshold": 1},
         "Escalation candidates: customers with more than 1 ticket"),
        ("customer", {"include_all": True, "escalation_threshold": 5},
         "Reports by customer"),
        ("customer", None, "Reports by customer"),  # an index without selection
        ("agent", {"include_all": False, "escalation_threshold": 5},
         "Reports by agent"),
        ("month", None, "Month-end reports"),
    ],
)  # fmt: skip
def test_the_title_says_which_slices_are_listed(
    dimension: str, selection: dict[str, Any] | None, title: str
) -> None:
    index = {"dimension": dimension, "as_of": "2026-11-20", "selection": selection}
    assert index_title(index) == f"{title} — as of 2026-11-20"
