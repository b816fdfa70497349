"""The index of a batch: ``index.json`` and ``index.html`` over its slices.

Every slice is listed with its key figures, read from its own ``summary.json``
(tickets, open, overdue, median resolution, SLA breach rate, and the change of
created tickets and of the backlog against the previous period), failed ones
with their reason, the slices that need attention first: failed, then the most
overdue tickets, the highest breach rate, the most open tickets. The HTML page
is rendered by an autoescaping template (names are customer-written), has the
report's styles and Content-Security-Policy, and links to each slice's report.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final

from ticket_analysis.batch.slices import Slice
from ticket_analysis.batch.workers import NOT_RUN, OK, SliceOutcome
from ticket_analysis.config import Settings
from ticket_analysis.outputs import (
    FAILED_NOTEBOOK_FILE,
    HTML_FILE,
    SUMMARY_FILE,
    TEXT_REPORT_FILE,
)
from ticket_analysis.report.formatting import (
    format_change,
    format_count,
    format_day_figure,
    format_rate,
)
from ticket_analysis.report_set import ReportSet
from ticket_analysis.summary import Summary

INDEX_JSON: Final = "index.json"
INDEX_HTML: Final = "index.html"
INDEX_FILES: Final = (INDEX_JSON, INDEX_HTML)
FORMAT: Final = "ticket-analysis-batch-index"
#: The figures of each slice, in the index's column order, with their headings.
COLUMNS: Final = (
    ("tickets", "Tickets"),
    ("open", "Open"),
    ("overdue", "Overdue"),
    ("median_resolution_days", "Median resolution (days)"),
    ("breach_rate", "SLA breach rate"),
    ("created_change", "Change in created"),
    ("backlog_change", "Change in backlog"),
)
_TITLES: Final = {
    "agent": "Reports by agent",
    "customer": "Reports by customer",
    "priority": "Reports by priority",
    "month": "Month-end reports",
}


def figures(summary: Summary) -> dict[str, Any]:
    """Return a slice's key figures from its summary."""
    current = summary.period_comparison.current
    previous = summary.period_comparison.previous
    return {
        "tickets": summary.summary.total_tickets,
        "open": summary.summary.open_tickets,
        "overdue": summary.overdue_open.count,
        "median_resolution_days": summary.summary.median_resolution_days,
        "breach_rate": summary.sla.overall.breach_rate,
        "created_change": current.created - previous.created,
        "backlog_change": current.open_at_end - previous.open_at_end,
    }


def slice_entry(
    piece: Slice, outcome: SliceOutcome | None, folder: Path
) -> dict[str, Any]:
    """Return a slice's line of the index (``folder``: the batch folder)."""
    out = folder / piece.folder
    entry: dict[str, Any] = {
        "name": piece.name,
        "folder": piece.folder,
        "status": NOT_RUN if outcome is None else outcome.status,
        "reason": "" if outcome is None else outcome.reason,
        "exit_code": None if outcome is None else outcome.exit_code,
        "as_of": None,
        "report": None,
        "summary": None,
        "figures": None,
    }
    if entry["status"] == OK:
        try:
            summary = Summary.model_validate_json((out / SUMMARY_FILE).read_bytes())
        except (OSError, ValueError) as exc:
            entry.update(
                status="failed", reason=f"cannot read its {SUMMARY_FILE}: {exc}"
            )
            return entry
        report = HTML_FILE if (out / HTML_FILE).is_file() else TEXT_REPORT_FILE
        entry.update(
            as_of=summary.as_of.isoformat(),
            report=f"{piece.folder}/{report}",
            summary=f"{piece.folder}/{SUMMARY_FILE}",
            figures=figures(summary),
        )
    elif (out / FAILED_NOTEBOOK_FILE).is_file():
        entry["diagnostic"] = f"{piece.folder}/{FAILED_NOTEBOOK_FILE}"
    return entry


def attention_order(entry: Mapping[str, Any]) -> tuple[Any, ...]:
    """Sort key: failed slices, then most overdue, highest breach rate, most open."""
    shown = entry["figures"]
    if shown is None:
        return (0, 0, 0.0, 0, entry["name"])
    rate = shown["breach_rate"]
    return (1, -shown["overdue"], -(rate or 0.0), -shown["open"], entry["name"])


def build_index(
    dimension: str,
    settings: Settings,
    as_of: date,
    source: Mapping[str, Any],
    slices: Sequence[Slice],
    outcomes: Mapping[int, SliceOutcome],
    folder: Path,
    *,
    include_all: bool = False,
    limit: int | None = None,
) -> dict[str, Any]:
    """Return the index of a finished batch (what ``index.json`` holds).

    ``selection`` records how the slices were chosen (``--batch-all``,
    ``--batch-limit`` and the escalation threshold a customer batch applies).
    """
    entries = sorted(
        (slice_entry(piece, outcomes.get(n), folder) for n, piece in enumerate(slices)),
        key=attention_order,
    )
    return {
        "format": FORMAT,
        "version": 1,
        "dimension": dimension,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "as_of": as_of.isoformat(),
        "period_days": settings.period_days,
        "filters": settings.filters.model_dump(mode="json"),
        "selection": {
            "include_all": include_all,
            "limit": limit,
            "escalation_threshold": settings.escalation_threshold,
        },
        "source": dict(source),
        "slices": entries,
        "failed": [e["name"] for e in entries if e["status"] != OK],
    }


def write_index(report_set: ReportSet, index: Mapping[str, Any]) -> None:
    """Stage ``index.json`` and ``index.html`` in the batch folder's set."""
    report_set.path(INDEX_JSON).write_text(
        json.dumps(index, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    report_set.path(INDEX_HTML).write_text(render_index(index), encoding="utf-8")


def render_index(index: Mapping[str, Any]) -> str:
    """Render ``index.html`` (autoescaped: every name is shown as text)."""
    from ticket_analysis.report.html import render

    rows = []
    for entry in index["slices"]:
        shown = entry["figures"]
        rows.append(
            {
                "name": entry["name"],
                "href": entry["report"] or entry.get("diagnostic"),
                "status": entry["status"],
                "reason": entry["reason"],
                "cells": [] if shown is None else _cells(shown),
            }
        )
    generated = datetime.fromisoformat(index["generated_at"]).astimezone(UTC)
    filters = index.get("filters") or {}
    page = render(
        "index.html.j2",
        title=index_title(index),
        index=index,
        source_name=Path(index["source"]["path"]).name or "?",
        generated=generated.strftime("%Y-%m-%d %H:%M UTC"),
        within=", ".join(f"{key} {value}" for key, value in filters.items() if value),
        columns=[heading for _, heading in COLUMNS],
        rows=rows,
    )
    return page + "\n"


def index_title(index: Mapping[str, Any]) -> str:
    """Return the page's title: which slices it lists, and their report date.

    A customer batch without ``--batch-all`` lists the escalation candidates
    only, and says so.
    """
    title = _TITLES[index["dimension"]]
    selection = index.get("selection") or {}
    if index["dimension"] == "customer" and selection.get("include_all") is False:
        threshold = selection["escalation_threshold"]
        tickets = "ticket" if threshold == 1 else "tickets"
        title = f"Escalation candidates: customers with more than {threshold} {tickets}"
    return f"{title} — as of {index['as_of']}"


def _cells(shown: Mapping[str, Any]) -> list[str]:
    """Format a slice's figures as the report's tables do."""
    return [
        format_count(shown["tickets"]),
        format_count(shown["open"]),
        format_count(shown["overdue"]),
        format_day_figure(shown["median_resolution_days"]),
        format_rate(shown["breach_rate"]),
        format_change(shown["created_change"], 0),
        format_change(shown["backlog_change"], 0),
    ]
