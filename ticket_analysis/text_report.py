"""The executive text report: a pure function from the summary dict to plain text.

:func:`render_text_report` reads only the ``summary.json`` dict (contract section
4), including its ``findings`` and ``recommendations``, and returns the report as
one string. Same summary, same text: nothing here reads a clock, a file or the
environment.

Layout guarantees, whatever the tickets contain: every line is at most
:data:`LINE_WIDTH` characters; ticket-derived values (ids, agent names, words,
weather text) have control, format and line-separator characters replaced by
spaces and are cut with an ellipsis when too long, so one hostile ticket cannot
add lines or break a table; a null number prints as ``n/a``, an empty list as
``none``.
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, Final

from ticket_analysis.domain import ISSUE_CODES, PRIORITIES, REJECT_CODES, WARNING_CODES
from ticket_analysis.findings import OLDEST_TO_TRIAGE
from ticket_analysis.formatting import format_percent, is_complete_month

TITLE: Final = "Support Ticket Analysis Report"
#: Longest line of the report, in characters.
LINE_WIDTH: Final = 80
#: How many of the oldest open tickets the Backlog section lists.
OLDEST_SHOWN: Final = OLDEST_TO_TRIAGE
#: How many escalation candidates the Customers to Watch section lists.
CUSTOMERS_SHOWN: Final = 15
ELLIPSIS: Final = "…"
NA: Final = "n/a"
NONE: Final = "none"

_GAP: Final = "  "  # between table columns
_MAX_CELL: Final = 32  # widest ticket-derived table cell before shrinking to fit
_MIN_CELL: Final = 6  # narrowest a shrinking column gets
_ENUM_WIDTH: Final = len("In Progress")  # widest priority or status
_LONG_WORD: Final = 40  # longest unbroken word kept whole in findings
_BAR_WIDTH: Final = 30  # longest '#' bar in the ageing table
#: Unicode categories replaced by a space: control, format (bidi overrides,
#: zero-width), surrogates (unencodable), line and paragraph separators.
_UNSAFE_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})

Section = Callable[[Mapping[str, Any]], list[str]]


def render_text_report(summary: Mapping[str, Any]) -> str:
    """Render the executive text report.

    Args:
        summary: The ``summary.json`` dict (contract section 4), with
            ``findings`` and ``recommendations`` already filled in. Missing or
            null parts render as ``n/a`` or ``none`` rather than raising.

    Returns:
        The report: a title line, ``Generated:`` and ``Data as of:`` lines, then
        one ``=== Section ===`` block per topic; lines of at most
        :data:`LINE_WIDTH` characters, ending with a newline.
    """
    lines = [
        TITLE,
        f"Generated: {clean(summary.get('generated_at')) or NA}",
        f"Data as of: {clean(summary.get('as_of')) or NA}",
    ]
    sections: tuple[tuple[str, Section], ...] = (
        ("Summary Statistics", _summary_section),
        ("Performance Highlights", _performance_section),
        ("Data Quality", _data_quality_section),
        ("Resolution Time by Priority", _resolution_section),
        ("Backlog", _backlog_section),
        ("Trends", _trends_section),
        ("Customers to Watch", _customers_section),
        ("Common Subject Words", _words_section),
        ("Weather", _weather_section),
        ("Key Findings", _findings_section),
        ("Recommendations", _recommendations_section),
    )
    for title, section in sections:
        lines += ["", f"=== {title} ===", *section(summary)]
    return "\n".join(truncate(line.rstrip(), LINE_WIDTH) for line in lines) + "\n"


def clean(value: object) -> str:
    """Make a value safe for one line of plain text.

    Control characters (newlines, tabs, escape sequences), format characters
    (bidi overrides, zero-width marks), lone surrogates and line separators
    become spaces; runs of whitespace collapse to one space; ends are trimmed.

    Args:
        value: Any value; None gives ``""``.

    Returns:
        The text on a single line.
    """
    text = "" if value is None else str(value)
    safe = "".join(
        " " if unicodedata.category(char) in _UNSAFE_CATEGORIES else char
        for char in text
    )
    return " ".join(safe.split())


def truncate(text: str, width: int) -> str:
    """Cut text to a width, ending with an ellipsis when it was cut.

    Args:
        text: Single-line text.
        width: The most characters to keep, ellipsis included.

    Returns:
        The text unchanged if it fits, else its first ``width - 1`` characters
        and ``…``.
    """
    if len(text) <= width:
        return text
    if width <= 0:
        return ""
    return text[: width - 1] + ELLIPSIS


# --- sections: each takes the summary and returns its lines ---


def _summary_section(summary: Mapping[str, Any]) -> list[str]:
    """Ticket counts and overall resolution time."""
    totals = _section(summary, "summary")
    open_count = _number(totals.get("open_tickets"))
    in_progress = _number(_section(summary, "status_counts").get("In Progress"))
    open_text = _count(open_count)
    if open_count and in_progress is not None:
        open_text += (
            f" ({_count(in_progress)} In Progress, "
            f"{format_percent(in_progress / open_count)})"
        )
    return _pairs(
        [
            ("Total tickets", _count(totals.get("total_tickets"))),
            ("Open tickets", open_text),
            ("Resolved tickets", _count(totals.get("resolved_tickets"))),
            ("Unassigned tickets", _count(totals.get("unassigned_tickets"))),
            ("Average resolution", _days(totals.get("avg_resolution_days"))),
            ("Median resolution", _days(totals.get("median_resolution_days"))),
        ]
    )


def _performance_section(summary: Mapping[str, Any]) -> list[str]:
    """The top performer and the top three agents."""
    top = [_mapping(agent) for agent in _list(summary.get("top_agents"))]
    if not top:
        return ["Top performer: none (no agent has resolved tickets)"]
    best = top[0]
    label = "Top performer: "
    details = (
        f" ({_count(best.get('resolved'))} resolved, "
        f"avg {_days(best.get('avg_resolution_days'))})"
    )
    name = _text(best.get("agent"), LINE_WIDTH - len(label) - len(details))
    rows = [
        [
            str(rank),
            agent.get("agent"),
            _count(agent.get("resolved")),
            _fixed(agent.get("avg_resolution_days")),
        ]
        for rank, agent in enumerate(top, start=1)
    ]
    table = _table(("#", "Agent", "Resolved", "Avg days"), rows, "llrr", (1,))
    return [label + name + details, "", *table]


def _data_quality_section(summary: Mapping[str, Any]) -> list[str]:
    """Row accounting, issue counts by code, and the rejected rows file."""
    quality = _section(summary, "data_quality")
    read = _number(quality.get("records_read"))
    rejected = _number(quality.get("rows_rejected"))
    rejected_text = _count(rejected)
    if read and rejected is not None:
        rejected_text += f" ({format_percent(rejected / read)})"
    label_width = len("Rejected rows file:") + 1
    file_text = clean(quality.get("rejected_rows_file")) or NA
    if len(file_text) > LINE_WIDTH - label_width:  # keep the file name, cut the path
        keep = LINE_WIDTH - label_width - 1
        file_text = ELLIPSIS + file_text[len(file_text) - keep :]
    lines = _pairs(
        [
            ("Records read", _count(read)),
            ("Valid rows", _count(quality.get("rows_valid"))),
            ("Rejected rows", rejected_text),
            ("Rows with warnings", _count(quality.get("rows_with_warnings"))),
            ("Rejected rows file", file_text),
        ]
    )
    for label, key in (
        ("Ignored columns", "extra_columns"),
        ("Missing optional columns (read as empty)", "missing_optional_columns"),
    ):
        names = [clean(name) for name in quality.get(key) or []]
        if names:
            lines += _wrap(f"{label}: {', '.join(names)}", "", "  ")
    issues = _mapping(quality.get("issues"))
    known = [code for code in ISSUE_CODES if code in issues]
    unknown = sorted(str(code) for code in issues if code not in ISSUE_CODES)
    rows = [
        [
            code,
            _issue_kind(code),
            _count(issues.get(code)),
        ]
        for code in known + unknown
        if _number(issues.get(code)) != 0
    ]
    if not rows:
        return [*lines, "Issues by code: none"]
    return [*lines, "", *_table(("Issue", "Kind", "Count"), rows, "llr", (0,))]


def _resolution_section(summary: Mapping[str, Any]) -> list[str]:
    """Resolution time per priority against the SLA target."""
    stats = _section(summary, "resolution_time_days")
    by_priority = _mapping(stats.get("by_priority"))
    sla = _section(summary, "sla")
    sla_by_priority = _mapping(sla.get("by_priority"))
    targets = _mapping(sla.get("targets_days"))
    rows: list[list[object]] = []
    open_late_total = 0.0
    for priority in PRIORITIES:
        group = _mapping(by_priority.get(priority))
        entry = _mapping(sla_by_priority.get(priority))
        open_late = _number(entry.get("open_breaching"))
        open_late_total += open_late or 0
        rows.append(
            [
                priority,
                _count(group.get("count")),
                _fixed(group.get("mean")),
                _fixed(group.get("median")),
                _fixed(group.get("p90")),
                _count(targets.get(priority)),
                _percent(entry.get("breach_rate")),
                _count(open_late),
            ]
        )
    overall = _mapping(stats.get("overall"))
    rows.append(
        [
            "All",
            _count(overall.get("count")),
            _fixed(overall.get("mean")),
            _fixed(overall.get("median")),
            _fixed(overall.get("p90")),
            "-",
            "-",
            _count(open_late_total),
        ]
    )
    headers = ("Priority", "Count", "Mean", "Median", "P90", "Target", "Breach")
    table = _table((*headers, "Open late"), rows, "lrrrrrrr")
    legend = (
        "Days from creation to resolution. Count: resolved tickets with a "
        "resolution time; Target: SLA target in days; Breach: share of them over "
        "the target; Open late: open tickets already older than the target."
    )
    return [*table, "", *_wrap(legend, "", "")]


def _backlog_section(summary: Mapping[str, Any]) -> list[str]:
    """Open tickets over the age threshold, ageing buckets, the oldest tickets."""
    backlog = _section(summary, "open_over_threshold")
    days = _count(backlog.get("threshold_days"))
    count = _number(backlog.get("count"))
    by_priority = _mapping(backlog.get("by_priority"))
    split = ", ".join(
        f"{priority} {_count(by_priority.get(priority))}" for priority in PRIORITIES
    )
    lines = _pairs(
        [
            ("Open tickets", _count(_section(summary, "summary").get("open_tickets"))),
            (f"Open longer than {days} days", f"{_count(count)} ({split})"),
        ]
    )

    buckets = [_mapping(item) for item in _list(summary.get("backlog_aging"))]
    lines += ["", "Ageing of open tickets:"]
    if buckets:
        largest = max((_number(item.get("count")) or 0 for item in buckets), default=0)
        rows = [
            [item.get("bucket"), _count(item.get("count")), _bar(item, largest)]
            for item in buckets
        ]
        lines += _table(("Days open", "Tickets", ""), rows, "lrl", (0,))
    else:
        lines.append(NONE)

    tickets = [_mapping(item) for item in _list(backlog.get("tickets"))]
    shown = tickets[:OLDEST_SHOWN]
    if not shown:
        return [*lines, "", f"Oldest open tickets: none open longer than {days} days"]
    total = _count(count) if count is not None else str(len(tickets))
    rows = [
        [
            ticket.get("ticket_id"),
            ticket.get("customer_id"),
            _text(ticket.get("priority"), _ENUM_WIDTH),
            _text(ticket.get("status"), _ENUM_WIDTH),
            ticket.get("assigned_to") or "-",
            _text(ticket.get("created_date"), len("YYYY-MM-DD")),
            _count(ticket.get("age_days")),
        ]
        for ticket in shown
    ]
    headers = ("Ticket", "Customer", "Priority", "Status", "Assigned", "Created")
    return [
        *lines,
        "",
        f"Oldest open tickets (showing {len(shown)} of {total}):",
        *_table((*headers, "Days open"), rows, "llllllr", (0, 1, 4)),
    ]


def _trends_section(summary: Mapping[str, Any]) -> list[str]:
    """Tickets created and resolved per month."""
    months = [_mapping(item) for item in _list(summary.get("monthly_volume"))]
    if not months:
        return [NONE]
    as_of = date.fromisoformat(str(summary.get("as_of")))
    rows = [
        [
            month.get("month"),
            _count(month.get("created")),
            _count(month.get("resolved")),
            "" if is_complete_month(str(month.get("month")), as_of) else "partial",
        ]
        for month in months
    ]
    return _table(("Month", "Created", "Resolved", "Note"), rows, "lrrl", (0,))


def _customers_section(summary: Mapping[str, Any]) -> list[str]:
    """Customers over the escalation threshold."""
    escalation = _section(summary, "escalation_candidates")
    threshold = _count(escalation.get("threshold"))
    count = _number(escalation.get("count"))
    customers = [_mapping(item) for item in _list(escalation.get("customers"))]
    heading = f"Customers with more than {threshold} tickets: "
    if not count and not customers:
        return [heading + NONE]
    total = _count(count) if count is not None else str(len(customers))
    lines = [heading + total]
    if not customers:
        return lines
    customers = customers[:CUSTOMERS_SHOWN]
    if max(count or 0, len(_list(escalation.get("customers")))) > len(customers):
        lines.append(f"(showing {len(customers)} of {total})")
    rows = [
        [
            customer.get("customer_id"),
            _count(customer.get("tickets")),
            _count(customer.get("open")),
            _count(customer.get("high_or_critical")),
        ]
        for customer in customers
    ]
    headers = ("Customer", "Tickets", "Open", "High/Critical")
    return [*lines, "", *_table(headers, rows, "lrrr", (0,))]


def _words_section(summary: Mapping[str, Any]) -> list[str]:
    """The most common subject words."""
    words = [_mapping(item) for item in _list(summary.get("top_subject_words"))]
    if not words:
        return [NONE]
    rows = [[word.get("word"), _count(word.get("count"))] for word in words]
    return _table(("Word", "Count"), rows, "lr", (0,))


def _weather_section(summary: Mapping[str, Any]) -> list[str]:
    """Current weather at the team's location, or why there is none."""
    weather = _section(summary, "weather")
    status = weather.get("status")
    if status == "disabled":
        return ["Weather disabled."]
    if status == "unavailable":
        reason = clean(weather.get("reason")) or "no reason given"
        return _wrap(f"Weather unavailable: {reason}", "", "  ")
    if status != "ok":
        return [NA]

    location = _mapping(weather.get("location"))
    latitude = _number(location.get("latitude"))
    longitude = _number(location.get("longitude"))
    place = clean(location.get("name"))
    if latitude is not None and longitude is not None:
        coordinates = f"({latitude:g}, {longitude:g})"
        place = f"{truncate(place, 40)} {coordinates}" if place else coordinates
    temperature = _measure(weather.get("temperature_c"), " °C")
    apparent = _number(weather.get("apparent_temperature_c"))
    if apparent is not None:
        temperature += f" (feels like {_measure(apparent, ' °C')})"
    provider = clean(weather.get("provider")) or NA
    stale = bool(weather.get("stale"))
    if stale:
        provider += ", stale cached data"
    elif weather.get("from_cache"):
        provider += ", from cache"
    pairs = [
        ("Location", place or NA),
        ("Observed at", clean(weather.get("observed_at")) or NA),
        ("Temperature", temperature),
        ("Condition", clean(weather.get("condition")) or NA),
        ("Humidity", _measure(weather.get("humidity_pct"), "%", "g")),
        ("Wind", _measure(weather.get("wind_kmh"), " km/h")),
        ("Source", provider),
    ]
    if stale:
        pairs.append(
            ("Refresh failed", clean(weather.get("reason")) or "no reason given")
        )
    pairs.append(("Attribution", clean(weather.get("attribution")) or NA))
    return _pairs(pairs)


def _findings_section(summary: Mapping[str, Any]) -> list[str]:
    """The findings as bullets."""
    lines: list[str] = []
    for finding in _list(summary.get("findings")):
        lines += _wrap(finding, "- ", "  ")
    return lines or [NONE]


def _recommendations_section(summary: Mapping[str, Any]) -> list[str]:
    """The recommendations, numbered."""
    lines: list[str] = []
    for number, recommendation in enumerate(_list(summary.get("recommendations")), 1):
        prefix = f"{number}. "
        lines += _wrap(recommendation, prefix, " " * len(prefix))
    return lines or [NONE]


# --- layout helpers ---


def _table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    align: str,
    shrinkable: Sequence[int] = (),
) -> list[str]:
    """Lay out an aligned table with a dashed rule under the header.

    Cells are cleaned; a column with an empty title gets no rule. Shrinkable
    columns (ticket-derived text) are capped at ``_MAX_CELL`` and then narrowed,
    widest first, until the table fits :data:`LINE_WIDTH`; cut cells end with an
    ellipsis.

    Args:
        headers: Column titles.
        rows: Cell values, one sequence per row.
        align: ``"l"`` or ``"r"`` per column.
        shrinkable: Indexes of the columns that may be cut.

    Returns:
        The header, rule and row lines, right-trimmed.
    """
    cells = [[clean(value) for value in row] for row in rows]
    widths = [
        max([len(header), *(len(row[index]) for row in cells)])
        for index, header in enumerate(headers)
    ]
    for index in shrinkable:
        widths[index] = min(widths[index], max(_MAX_CELL, len(headers[index])))
    excess = sum(widths) + len(_GAP) * (len(widths) - 1) - LINE_WIDTH
    while excess > 0:
        candidates = [
            index
            for index in shrinkable
            if widths[index] > max(_MIN_CELL, len(headers[index]))
        ]
        if not candidates:
            break
        widest = max(candidates, key=lambda index: widths[index])
        widths[widest] -= 1
        excess -= 1

    def line(values: Sequence[str]) -> str:
        parts = [
            truncate(value, width).ljust(width)
            if side == "l"
            else truncate(value, width).rjust(width)
            for value, width, side in zip(values, widths, align, strict=True)
        ]
        return _GAP.join(parts).rstrip()

    return [
        line(headers),
        line(
            ["-" * w if title else "" for title, w in zip(headers, widths, strict=True)]
        ),
        *(line(row) for row in cells),
    ]


def _pairs(items: Sequence[tuple[str, str]]) -> list[str]:
    """Lay out ``Label: value`` lines with the values aligned."""
    width = max(len(label) for label, _ in items) + 2
    return [
        f"{label + ':':<{width}}{truncate(value, LINE_WIDTH - width)}"
        for label, value in items
    ]


def _wrap(text: object, first: str, rest: str) -> list[str]:
    """Wrap prose to the line width; overlong words are cut with an ellipsis."""
    words = [truncate(word, _LONG_WORD) for word in clean(text).split(" ")]
    return textwrap.wrap(
        " ".join(words),
        width=LINE_WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
    ) or [first.rstrip()]


def _bar(bucket: Mapping[str, Any], largest: float) -> str:
    """Draw a bucket's count as '#' characters, the largest bucket full width."""
    count = _number(bucket.get("count")) or 0
    if count <= 0 or largest <= 0:
        return ""
    return "#" * max(1, round(count / largest * _BAR_WIDTH))


# --- value formatting: null or non-numeric values print as n/a ---


def _issue_kind(code: str) -> str:
    """Say whether an issue code rejects the row or only warns."""
    if code in REJECT_CODES:
        return "reject"
    return "warning" if code in WARNING_CODES else "other"


def _text(value: object, width: int) -> str:
    """Clean a ticket-derived value and cut it to a width."""
    return truncate(clean(value) or NA, width)


def _count(value: object) -> str:
    """Format a count (or any whole number); ``n/a`` when null."""
    number = _number(value)
    if number is None:
        return NA
    return str(int(number)) if number.is_integer() else f"{number:g}"


def _fixed(value: object) -> str:
    """Format a number of days with two decimals; ``n/a`` when null."""
    number = _number(value)
    return NA if number is None else f"{number:.2f}"


def _days(value: object) -> str:
    """Format a number of days with two decimals and the unit."""
    number = _number(value)
    return NA if number is None else f"{number:.2f} days"


def _percent(value: object) -> str:
    """Format a fraction as a percentage; ``n/a`` when null."""
    number = _number(value)
    return NA if number is None else format_percent(number)


def _measure(value: object, unit: str, spec: str = ".1f") -> str:
    """Format a measurement with its unit; ``n/a`` when null."""
    number = _number(value)
    return NA if number is None else f"{number:{spec}}{unit}"


def _number(value: object) -> float | None:
    """Return a finite number as float, None for null or anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if number == number and abs(number) != float("inf") else None


def _section(summary: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """Return ``summary[key]`` as a mapping, empty when missing or null."""
    return _mapping(summary.get(key))


def _mapping(value: object) -> Mapping[str, Any]:
    """Return the value if it is a mapping, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def _list(value: object) -> Sequence[Any]:
    """Return the value if it is a list, else an empty one."""
    return value if isinstance(value, list) else []
