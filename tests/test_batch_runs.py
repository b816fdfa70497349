"""A batch over each dimension, through ``run_report.py --batch``, real notebook.

On a nine-row export (one rejected), each dimension's batch makes the right
slices; each slice's summary.json equals a direct run with the same filter or
``--as-of`` (``python -m ticket_analysis``); the index's figures are the slices'
summary.json figures, computed by hand for the agents.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from expected_files import NOTEBOOK_SET

pytestmark = [pytest.mark.slow, pytest.mark.notebook]

HEADER = (
    "ticket_id,customer_id,subject,description,priority,status,created_date,"
    "resolved_date,assigned_to\n"
)
#: Report date 2026-11-20 (T06's resolution); the periods are 2026-10-24..11-20
#: and 2026-09-26..10-23. Customers over the threshold of 2: K1 (4), K2 (3).
TICKETS = HEADER + (
    "T01,K1,Login fails,d,Critical,Resolved,2026-09-05,2026-09-06,Ann\n"
    "T02,K1,Export broken,d,High,Open,2026-11-10,,Ann\n"
    "T03,K2,Invoice wrong,d,Medium,Closed,2026-10-01,2026-10-05,Bob\n"
    "T04,K2,Slow page,d,Low,Open,2026-11-18,,Bob\n"
    "T05,K1,App crash,d,High,Resolved,2026-10-20,2026-10-28,Bob\n"
    "T06,K3,Question,d,Low,Resolved,2026-11-01,2026-11-20,Cy\n"
    "T07,K2,Billing,d,Medium,In Progress,2026-09-20,,Ann\n"
    "T08,K1,Login again,d,Critical,Open,2026-11-19,,\n"
    "T09,K3,Bad row,d,Urgent,Open,2026-11-02,,Cy\n"
)
COMMON = ("--escalation-threshold", "2")
#: dimension -> (extra flags, expected (name, folder) in run order)
BATCHES: dict[str, tuple[tuple[str, ...], list[tuple[str, str]]]] = {
    "agent": ((), [("Ann", "ann"), ("Bob", "bob"), ("Cy", "cy")]),
    "customer": (("--no-html",), [("K1", "k1"), ("K2", "k2")]),
    "priority": (
        ("--no-html",),
        [("Critical", "critical"), ("High", "high"), ("Medium", "medium"),
         ("Low", "low")],
    ),
    "month": (
        (),
        [("2026-09-30", "2026-09"), ("2026-10-31", "2026-10"),
         ("2026-11-20", "2026-11")],
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def batches(module_sandbox: Any) -> dict[str, Any]:
    """Run the four batches once (2 jobs each) into one output folder."""
    csv_path = module_sandbox.home / "tickets.csv"
    csv_path.write_text(TICKETS, encoding="utf-8")
    out = module_sandbox.home / "out"
    results = {}
    for dimension, (flags, _) in BATCHES.items():
        results[dimension] = module_sandbox.report(
            "--input", str(csv_path), "--output-dir", str(out), "--batch", dimension,
            "--jobs", "2", *COMMON, *flags,
        )  # fmt: skip
    return {"csv": csv_path, "out": out, "results": results, "box": module_sandbox}


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def direct_summary(
    batches: dict[str, Any], dimension: str, name: str
) -> dict[str, Any]:
    """summary.json of ``python -m ticket_analysis`` with the slice's flag."""
    flag = "--as-of" if dimension == "month" else f"--{dimension}"
    out = batches["box"].home / "direct" / dimension / name
    result = batches["box"].cli(
        "--input", str(batches["csv"]), "--output-dir", str(out), flag, name, *COMMON
    )
    assert result.returncode == 0, result.stderr
    return load(out / "summary.json")


@pytest.mark.parametrize("dimension", list(BATCHES))
def test_each_slice_equals_a_direct_run(
    batches: dict[str, Any], dimension: str
) -> None:
    result = batches["results"][dimension]
    assert result.returncode == 0, result.stderr
    folder = batches["out"] / f"batch-{dimension}"
    index = load(folder / "index.json")
    expected = BATCHES[dimension][1]
    assert sorted((e["name"], e["folder"]) for e in index["slices"]) == sorted(expected)
    assert index["failed"] == []
    html = "--no-html" not in BATCHES[dimension][0]
    for name, slug in expected:
        files = sorted(p.name for p in (folder / slug).iterdir())
        assert files == [n for n in NOTEBOOK_SET if html or n != "report.html"], slug
        from_batch = load(folder / slug / "summary.json")
        direct = direct_summary(batches, dimension, name)
        from_batch.pop("generated_at")
        direct.pop("generated_at")
        assert from_batch == direct, name
    manifest = load(folder / "manifest.json")
    assert sorted(e["name"] for e in manifest["files"]) == ["index.html", "index.json"]
    for entry in manifest["files"]:
        data = (folder / entry["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]


@pytest.mark.parametrize("dimension", list(BATCHES))
def test_the_index_figures_are_the_slices_summary_figures(
    batches: dict[str, Any], dimension: str
) -> None:
    folder = batches["out"] / f"batch-{dimension}"
    index = load(folder / "index.json")
    for entry in index["slices"]:
        summary = load(folder / entry["summary"])
        current = summary["period_comparison"]["current"]
        previous = summary["period_comparison"]["previous"]
        assert entry["figures"] == {
            "tickets": summary["summary"]["total_tickets"],
            "open": summary["summary"]["open_tickets"],
            "overdue": summary["overdue_open"]["count"],
            "median_resolution_days": summary["summary"]["median_resolution_days"],
            "breach_rate": summary["sla"]["overall"]["breach_rate"],
            "created_change": current["created"] - previous["created"],
            "backlog_change": current["open_at_end"] - previous["open_at_end"],
        }
        assert entry["as_of"] == summary["as_of"]
        assert (folder / entry["report"]).is_file()


def test_the_agent_index_by_hand(batches: dict[str, Any]) -> None:
    """The agents' figures, worked out from the nine rows.

    Ann: T01 (1 day), T02 and T07 open past target; Bob: T03 4 days, T05 8
    days (High, late), T04 open 2 days; Cy: T06 19 days (Low, late). Ann first
    (2 overdue), then Cy (all late) before Bob (half late).
    """
    index = load(batches["out"] / "batch-agent" / "index.json")
    rows = [(e["name"], e["figures"]) for e in index["slices"]]
    assert rows == [
        ("Ann", {"tickets": 3, "open": 2, "overdue": 2, "median_resolution_days": 1.0,
                 "breach_rate": 0.0, "created_change": 1, "backlog_change": 1}),
        ("Cy", {"tickets": 1, "open": 0, "overdue": 0, "median_resolution_days": 19.0,
                "breach_rate": 1.0, "created_change": 1, "backlog_change": 0}),
        ("Bob", {"tickets": 3, "open": 1, "overdue": 0, "median_resolution_days": 6.0,
                 "breach_rate": 0.5, "created_change": -1, "backlog_change": 0}),
    ]  # fmt: skip
    assert index["as_of"] == "2026-11-20"
    page = (batches["out"] / "batch-agent" / "index.html").read_text(encoding="utf-8")
    links = [page.index(f'href="{slug}/report.html"') for slug in ("ann", "cy", "bob")]
    assert links == sorted(links)


@pytest.mark.parametrize(
    ("dimension", "titles"),
    [
        ("agent", {"ann": "agent Ann — as of 2026-11-20",
                   "bob": "agent Bob — as of 2026-11-20",
                   "cy": "agent Cy — as of 2026-11-20"}),
        ("month", {"2026-09": "as of 2026-09-30", "2026-10": "as of 2026-10-31",
                   "2026-11": "as of 2026-11-20"}),
    ],
)  # fmt: skip
def test_each_slice_s_page_title_names_the_slice(
    batches: dict[str, Any], dimension: str, titles: dict[str, str]
) -> None:
    """Open in a browser's tabs, a batch's reports tell which slice each is."""
    for slug, title in titles.items():
        page = batches["out"] / f"batch-{dimension}" / slug / "report.html"
        html = page.read_text(encoding="utf-8")
        assert f"<title>Support ticket report — {title}</title>" in html, slug


def test_month_slices_share_the_file_s_data_quality(batches: dict[str, Any]) -> None:
    """Apart from created_after_as_of (contract §3) and the warnings it adds.

    6 rows created after 2026-09-30 (T02-T06, T08), 4 after 2026-10-31 (T02,
    T04, T06, T08), none after 2026-11-20; the file has no other warning.
    """
    folder = batches["out"] / "batch-month"
    seen = {}
    rest = []
    for slug in ("2026-09", "2026-10", "2026-11"):
        summary = load(folder / slug / "summary.json")
        quality = summary["data_quality"]
        after = quality["issues"].pop("created_after_as_of")
        seen[slug] = (after, quality.pop("rows_with_warnings"))
        assert summary["scope"]["created_after_as_of"] == after
        rest.append(quality)
    assert seen == {"2026-09": (6, 6), "2026-10": (4, 4), "2026-11": (0, 0)}
    assert rest[0] == rest[1] == rest[2]
    assert (rest[0]["rows_valid"], rest[0]["rows_rejected"]) == (8, 1)


def test_batch_logs_one_line_per_slice_without_a_terminal(
    batches: dict[str, Any],
) -> None:
    stderr = batches["results"]["agent"].stderr
    lines = [line for line in stderr.splitlines() if "] agent " in line]
    assert len(lines) == 3, stderr
    assert all(line.startswith("INFO: [") and "written in" in line for line in lines)
    assert "parsed once" in stderr
