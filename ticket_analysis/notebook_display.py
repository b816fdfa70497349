"""What the report notebook shows: parameters in, escaped HTML and tables out.

The notebook stays thin: each of its cells calls one function from here (or from
:mod:`ticket_analysis.plots`) and displays the result. Everything that decides
what a reader sees lives here, where tests reach it.

Ticket text (ids, agent and customer names, subjects) is customer-written and
treated as hostile: every value is passed through :func:`html.escape` before it
becomes HTML, and nothing derived from the data ever goes into Markdown. The
functions return plain strings or DataFrames; the notebook wraps the strings in
``IPython.display.HTML``.

Only the standard library, pandas and (lazily) IPython are imported here: the
kernel imports this module first.
"""

from __future__ import annotations

import base64
import html
import io
import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pandas as pd

from ticket_analysis import config
from ticket_analysis.domain import ISSUE_CODES, PRIORITIES, REJECT_CODES
from ticket_analysis.exceptions import UsageError
from ticket_analysis.findings import format_number, format_percent

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ticket_analysis.pipeline import RunResult

logger = logging.getLogger(__name__)

#: MIME type of the run-status output the notebook's first cell displays; the
#: batch runner reads it back from the executed notebook (HTML export ignores it).
RUN_STATUS_MIME: Final = "application/vnd.ticket-analysis.run+json"

#: The notebook's parameters and the variable each one can override.
INT_PARAMETERS: Final = {
    "open_days": "OPEN_DAYS",
    "escalation_threshold": "ESCALATION_THRESHOLD",
    "top_words": "TOP_WORDS",
    "list_limit": "LIST_LIMIT",
}

#: How many of the oldest open tickets the report lists.
OLDEST_SHOWN: Final = 10
#: How many escalation candidates the report lists.
CUSTOMERS_SHOWN: Final = 15
#: Resolution of the chart images (pixels per inch of figure size).
CHART_DPI: Final = 150
#: Displayed width in CSS pixels per inch of figure size.
CHART_CSS_PX_PER_INCH: Final = 100

#: Placeholder for a missing number in tables.
DASH: Final = "—"
_NUMBER_TEXT: Final = re.compile(r"-?\d[\d,]*(\.\d+)?%?")

#: Plain-English meaning of each issue code, for the data-quality table.
ISSUE_LABELS: Final = {
    "malformed_record": "Malformed record (wrong number of fields)",
    "missing_required_field": "Required field empty",
    "invalid_created_date": "Created date not a real YYYY-MM-DD date",
    "invalid_priority": "Priority not Low, Medium, High or Critical",
    "invalid_status": "Status not Open, In Progress, Resolved or Closed",
    "duplicate_ticket_id": "Ticket id already used by an earlier row",
    "normalized_value": "Priority or status spelling normalised",
    "invalid_resolved_date": "Resolved date not a real date (ignored)",
    "resolved_before_created": "Resolved before created (no duration)",
    "missing_resolved_date": "Resolved or closed without a date",
    "resolved_date_on_open_ticket": "Open ticket with a resolved date (ignored)",
    "missing_subject": "Subject empty",
    "created_after_as_of": "Created after the report date",
}

#: Styles of the report's own blocks; shown with the header so that JupyterLab
#: and the exported HTML look alike. Inline ``<style>`` is allowed by the
#: report's Content-Security-Policy (``style-src 'unsafe-inline'``).
REPORT_CSS: Final = """
<style>
.ta-meta { color: #555; margin: 0 0 0.8em 0; font-size: 0.95em; }
.ta-cards { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr));
  gap: 12px; margin: 0.5em 0 1em 0; }
@media (max-width: 720px) {
  .ta-cards { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
.ta-card { border: 1px solid #d8dde6; border-radius: 8px; padding: 10px 14px;
  background: #f7f9fc; }
.ta-card.ta-alert { border-color: #e0a3a3; background: #fdf3f3; }
.ta-card .ta-value { font-size: 1.7em; font-weight: 600; color: #1f2d3d;
  line-height: 1.2; }
.ta-card .ta-label { font-size: 0.85em; color: #5a6675; }
.ta-card .ta-note { font-size: 0.8em; color: #7a8594; }
table.ta-table { border-collapse: collapse; margin: 0.4em 0 1em 0;
  font-size: 0.92em; table-layout: auto; }
table.ta-table th.ta-txt, table.ta-table th.ta-num { background: #eef2f7;
  font-weight: 600; padding: 6px 10px; border-bottom: 2px solid #c9d2de; }
table.ta-table td.ta-txt, table.ta-table td.ta-num { padding: 5px 10px;
  border-bottom: 1px solid #e4e8ee; vertical-align: top; }
table.ta-table th.ta-txt, table.ta-table td.ta-txt { text-align: left; }
table.ta-table th.ta-num, table.ta-table td.ta-num { text-align: right;
  font-variant-numeric: tabular-nums; }
.ta-empty { color: #666; font-style: italic; }
.ta-gate-fail { color: #a12a2a; font-weight: 600; }
.ta-gate-ok { color: #2a6a3a; }
ol.ta-list li { margin: 0.35em 0; }
figure.ta-chart { margin: 0.5em 0 1.5em 0; }
figure.ta-chart img { max-width: 100%; height: auto; }
</style>
"""


# --- parameters -------------------------------------------------------------


def parameter_overrides(
    *,
    input_path: str,
    output_dir: str,
    as_of: str,
    open_days: int,
    escalation_threshold: int,
    top_words: int,
    list_limit: int,
    weather_enabled: bool,
    environ: Mapping[str, str] | None = None,
    env_file: Path | None = None,
) -> dict[str, Any]:
    """Turn the notebook's parameters into settings overrides for ``load_settings``.

    Precedence (see the notebook's parameters cell):

    - ``input_path``, ``output_dir``, ``as_of``: ``""`` means "not given", so
      ``TICKETS_INPUT``/``REPORTS_DIR``/``REPORT_AS_OF`` (``.env`` or environment)
      or the built-in defaults apply.
    - The whole numbers are always passed: the value in the parameters cell is the
      value used. When it differs from the ``.env``/environment value, a warning
      says so (it is never silent). ``run_report.py`` passes the values it
      resolved from its flags, ``.env`` and environment, so nothing differs there
      unless a flag asked for it.
    - ``weather_enabled``: ``False`` switches the lookup off; ``True`` means "as
      configured" (``WEATHER_ENABLED``, default on), so a notebook default never
      turns on network access that ``.env`` turned off.

    Args:
        input_path: Ticket CSV; ``""`` = not given.
        output_dir: Report folder; ``""`` = not given.
        as_of: Report date ``YYYY-MM-DD``; ``""`` = not given.
        open_days: Open-ticket age threshold in days.
        escalation_threshold: Customers with more tickets than this are flagged.
        top_words: How many subject words to list.
        list_limit: Cap on listed tickets/customers in summary.json (0 = none).
        weather_enabled: False turns the weather lookup off.
        environ: Environment to compare with; defaults to ``os.environ``.
        env_file: Dotenv file to compare with; defaults to the ``.env`` that
            ``load_settings`` reads.

    Returns:
        Overrides keyed by :class:`~ticket_analysis.config.Settings` field name.

    Raises:
        UsageError: If a parameter has the wrong type or an invalid value.
    """
    overrides: dict[str, Any] = {}
    texts: dict[str, object] = {
        "input_path": input_path,
        "output_dir": output_dir,
        "as_of": as_of,
    }
    for name, value in texts.items():
        if not isinstance(value, str):
            raise UsageError(
                f"notebook parameter {name}={value!r} is not valid: expected text"
            )
    if input_path.strip():
        overrides["input_path"] = Path(input_path.strip()).expanduser()
    if output_dir.strip():
        overrides["output_dir"] = Path(output_dir.strip()).expanduser()
    if as_of.strip():
        overrides["as_of"] = config.parse_date(as_of, "notebook parameter as_of")
    given: dict[str, object] = {
        "open_days": open_days,
        "escalation_threshold": escalation_threshold,
        "top_words": top_words,
        "list_limit": list_limit,
    }
    raw = config.read_environment(env_file, environ)
    for name, value in given.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise UsageError(
                f"notebook parameter {name}={value!r} is not valid: "
                "expected a whole number >= 0"
            )
        number = config.parse_int(str(value), f"notebook parameter {name}")
        variable = INT_PARAMETERS[name]
        if variable in raw and _whole_or_none(raw[variable], variable) != number:
            logger.warning(
                "notebook parameter %s=%d is used instead of %s=%s from .env or "
                "the environment",
                name,
                number,
                variable,
                raw[variable].strip(),
            )
        overrides[name] = number
    if not config.parse_bool(str(weather_enabled), "notebook parameter weather"):
        overrides["weather_enabled"] = False
    return overrides


# --- run status (read back by the batch runner) ------------------------------


def run_status(result: RunResult) -> dict[str, Any]:
    """Describe a pipeline run for the batch runner.

    Args:
        result: What :func:`ticket_analysis.pipeline.run` returned.

    Returns:
        ``exit_code``, ``gate_failed``, ``gate_message``, ``as_of``, ``files``
        (report name -> path) and ``notices`` (lines about the input),
        JSON-ready.
    """
    return {
        "exit_code": result.exit_code,
        "gate_failed": result.gate_failed,
        "gate_message": result.gate_message,
        "as_of": result.summary.get("as_of"),
        "files": {name: str(path) for name, path in result.files.items()},
        "notices": result.notices,
    }


def run_status_text(status: Mapping[str, Any]) -> str:
    """Summarise a run status in one or two plain lines (shown in JupyterLab).

    Args:
        status: What :func:`run_status` returned.

    Returns:
        Where the reports went and the gate's verdict.
    """
    files = [str(path) for path in dict(status.get("files", {})).values()]
    folder = str(Path(files[0]).parent) if files else "?"
    names = ", ".join(Path(path).name for path in files)
    lines = [f"Reports written to {folder}: {names}"]
    if status.get("gate_message"):
        lines.append(str(status["gate_message"]))
    return "\n".join(lines)


def show_run_status(result: RunResult) -> None:
    """Display the run status: plain text for people, JSON for the batch runner.

    Args:
        result: What :func:`ticket_analysis.pipeline.run` returned.
    """
    status = run_status(result)
    _display({RUN_STATUS_MIME: status, "text/plain": run_status_text(status)})


# --- HTML building blocks ----------------------------------------------------


def esc(value: object) -> str:
    """Escape any value for HTML text or attributes (None becomes an empty string).

    Args:
        value: Anything; converted with ``str``.

    Returns:
        The escaped text (``&``, ``<``, ``>``, ``"`` and ``'`` replaced).
    """
    return "" if value is None else html.escape(str(value), quote=True)


def table_html(frame: pd.DataFrame, *, empty: str = "Nothing to list.") -> str:
    """Render a table as escaped HTML (every header and cell escaped).

    Numeric columns are right-aligned. The index is not shown.

    Args:
        frame: The table.
        empty: Sentence shown instead of a table without rows.

    Returns:
        An HTML ``<table>`` (or a paragraph when ``frame`` is empty).
    """
    if frame.empty:
        return f'<p class="ta-empty">{esc(empty)}</p>'
    kinds = [
        "ta-num" if _is_numeric_column(frame[name]) else "ta-txt"
        for name in frame.columns
    ]
    head = "".join(
        f'<th class="{kind}">{esc(name)}</th>'
        for name, kind in zip(frame.columns, kinds, strict=True)
    )
    rows = []
    for values in frame.itertuples(index=False, name=None):
        cells = "".join(
            f'<td class="{kind}">{esc(_cell(value))}</td>'
            for value, kind in zip(values, kinds, strict=True)
        )
        rows.append(f"<tr>{cells}</tr>")
    return (
        f'<table class="ta-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def list_html(items: Iterable[object], *, empty: str = "Nothing to report.") -> str:
    """Render sentences as an escaped numbered list.

    Args:
        items: The sentences (plain text, e.g. findings).
        empty: Sentence shown when there are none.

    Returns:
        An HTML ``<ol>`` (or a paragraph when there are no items).
    """
    entries = [f"<li>{esc(item)}</li>" for item in items]
    if not entries:
        return f'<p class="ta-empty">{esc(empty)}</p>'
    return f'<ol class="ta-list">{"".join(entries)}</ol>'


def figure_html(fig: Figure, *, alt: str = "") -> str:
    """Render a chart as an inline PNG (a ``data:`` URI) in a ``<figure>``.

    The figure is drawn at :data:`CHART_DPI` for sharp text and shown at
    :data:`CHART_CSS_PX_PER_INCH` CSS pixels per inch, so it needs no file
    and no network.

    Args:
        fig: A matplotlib figure (e.g. from :mod:`ticket_analysis.plots`).
        alt: Text alternative; defaults to the figure's title.

    Returns:
        An HTML ``<figure>`` with the image and its caption.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=CHART_DPI, facecolor="white")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    width = round(fig.get_figwidth() * CHART_CSS_PX_PER_INCH)
    title = alt or _figure_title(fig)
    return (
        f'<figure class="ta-chart"><img src="data:image/png;base64,{data}" '
        f'width="{width}" alt="{esc(title)}"></figure>'
    )


def show_figure(fig: Figure, *, alt: str = "") -> None:
    """Display a chart as an inline PNG and release the figure.

    Args:
        fig: A matplotlib figure.
        alt: Text alternative; defaults to the figure's title.
    """
    _display({"text/html": figure_html(fig, alt=alt)})
    fig.clear()


# --- report sections ---------------------------------------------------------


def header_html(summary: Mapping[str, Any]) -> str:
    """Render the line under the title: date, source and generation time.

    Also carries the report's stylesheet (:data:`REPORT_CSS`).

    Args:
        summary: The summary.json content.

    Returns:
        HTML.
    """
    source = _mapping(summary.get("source"))
    name = Path(str(source.get("path") or "")).name or "?"
    generated = (
        str(summary.get("generated_at") or "").replace("T", " ").replace("Z", " UTC")
    )
    as_of = summary.get("as_of") or "n/a (no dated tickets)"
    return (
        REPORT_CSS
        + '<p class="ta-meta">'
        + f"<strong>Report date (as of):</strong> {esc(as_of)} &middot; "
        + f"<strong>Source:</strong> {esc(name)} &middot; "
        + f"<strong>Generated:</strong> {esc(generated)}</p>"
    )


def headline_html(summary: Mapping[str, Any]) -> str:
    """Render the headline figures as cards.

    Args:
        summary: The summary.json content.

    Returns:
        HTML: tickets, open, resolved, median and mean resolution time, open over
        the age threshold, unassigned, escalation candidates, rejected rows.
    """
    totals = _mapping(summary.get("summary"))
    total = _int(totals.get("total_tickets"))
    open_ = _int(totals.get("open_tickets"))
    resolved = _int(totals.get("resolved_tickets"))
    over = _mapping(summary.get("open_over_threshold"))
    escalation = _mapping(summary.get("escalation_candidates"))
    quality = _mapping(summary.get("data_quality"))
    rejected = _int(quality.get("rows_rejected"))
    median = _number(totals.get("median_resolution_days"))
    mean = _number(totals.get("avg_resolution_days"))
    cards = [
        _card(f"{total:,}", "Valid tickets analysed"),
        _card(f"{open_:,}", "Open or in progress", _share(open_, total)),
        _card(f"{resolved:,}", "Resolved or closed", _share(resolved, total)),
        _card(
            DASH if median is None else _days_text(median),
            "Median time to resolve",
            "" if mean is None else f"mean {_days_text(mean)}",
        ),
        _card(
            f"{_int(over.get('count')):,}",
            "Open longer than "
            + _count(_int(over.get("threshold_days")), "day", "days"),
            _share(_int(over.get("count")), open_, "of open"),
            alert=_int(over.get("count")) > 0,
        ),
        _card(
            f"{_int(totals.get('unassigned_tickets')):,}",
            "Unassigned tickets",
        ),
        _card(
            f"{_int(escalation.get('count')):,}",
            "Customers with more than "
            + _count(_int(escalation.get("threshold")), "ticket", "tickets"),
            alert=_int(escalation.get("count")) > 0,
        ),
        _card(
            f"{rejected:,}",
            "Rows rejected from the export",
            _share(rejected, _int(quality.get("records_read")), "of records"),
        ),
    ]
    return f'<div class="ta-cards">{"".join(cards)}</div>'


def quality_html(
    summary: Mapping[str, Any], *, gate_message: str = "", gate_failed: bool = False
) -> str:
    """Render the data-quality summary sentence and the gate's verdict.

    Args:
        summary: The summary.json content.
        gate_message: The quality gate's one-line verdict (empty when off).
        gate_failed: Whether the gate failed (``RunResult.gate_failed``).

    Returns:
        HTML.
    """
    quality = _mapping(summary.get("data_quality"))
    read = _int(quality.get("records_read"))
    valid = _int(quality.get("rows_valid"))
    rejected = _int(quality.get("rows_rejected"))
    warned = _int(quality.get("rows_with_warnings"))
    rate = _share(rejected, read)
    parts = [
        f"<p><strong>{read:,}</strong> records read: <strong>{valid:,}</strong> "
        f"used for the analysis, <strong>{rejected:,}</strong> rejected"
        + (f" ({esc(rate)})" if rate else "")
        + f", <strong>{warned:,}</strong> used with a warning. "
        "Every rejected line is listed with its reasons in "
        f"<code>{esc(quality.get('rejected_rows_file') or 'rejected_rows.csv')}"
        "</code>.</p>"
    ]
    for label, key in (
        ("Columns ignored (not part of the expected export)", "extra_columns"),
        (
            "Optional columns missing from the file (read as empty)",
            "missing_optional_columns",
        ),
    ):
        names = [str(name) for name in quality.get(key) or []]
        if names:
            parts.append(f"<p>{label}: {esc(', '.join(names))}</p>")
    if gate_message:
        css = "ta-gate-fail" if gate_failed else "ta-gate-ok"
        verdict = "Quality gate FAILED" if gate_failed else "Quality gate passed"
        parts.append(
            f'<p class="{css}">{verdict}: {esc(gate_message.split(": ", 1)[-1])}</p>'
        )
    return "".join(parts)


def issues_table(summary: Mapping[str, Any]) -> pd.DataFrame:
    """List the data-quality issues that occurred, rejections first.

    Args:
        summary: The summary.json content.

    Returns:
        Columns Issue, Effect, Rows, Code; only codes with a count above 0,
        rejections first, then by count (most first) and the contract's order.
    """
    issues = _mapping(_mapping(summary.get("data_quality")).get("issues"))
    counted = sorted(
        ((str(code), _int(count)) for code, count in issues.items() if _int(count)),
        key=lambda item: (
            item[0] not in REJECT_CODES,
            -item[1],
            ISSUE_CODES.index(item[0]) if item[0] in ISSUE_CODES else len(ISSUE_CODES),
        ),
    )
    rows = [
        (
            ISSUE_LABELS.get(code, code),
            "row rejected" if code in REJECT_CODES else "warning, row kept",
            count,
            code,
        )
        for code, count in counted
    ]
    return pd.DataFrame(rows, columns=["Issue", "Effect", "Rows", "Code"])


def oldest_open_tickets(
    summary: Mapping[str, Any], limit: int = OLDEST_SHOWN
) -> pd.DataFrame:
    """List the oldest open tickets over the age threshold.

    Args:
        summary: The summary.json content.
        limit: Most rows to list (the summary's order: oldest first).

    Returns:
        Columns Ticket, Customer, Priority, Status, Assigned to, Created,
        Days open.
    """
    tickets = _records(_mapping(summary.get("open_over_threshold")).get("tickets"))
    rows = [
        {
            "Ticket": t.get("ticket_id"),
            "Customer": t.get("customer_id"),
            "Priority": t.get("priority"),
            "Status": t.get("status"),
            "Assigned to": t.get("assigned_to") or "Unassigned",
            "Created": t.get("created_date"),
            "Days open": _int(t.get("age_days")),
        }
        for t in tickets[: max(limit, 0)]
    ]
    columns = [
        "Ticket",
        "Customer",
        "Priority",
        "Status",
        "Assigned to",
        "Created",
        "Days open",
    ]
    return pd.DataFrame(rows, columns=columns)


def oldest_open_html(summary: Mapping[str, Any], limit: int = OLDEST_SHOWN) -> str:
    """Render the oldest open tickets over the threshold, saying how many are left out.

    Args:
        summary: The summary.json content.
        limit: Most rows to show.

    Returns:
        HTML: the table of :func:`oldest_open_tickets` and, when it is cut, a note.
    """
    over = _mapping(summary.get("open_over_threshold"))
    frame = oldest_open_tickets(summary, limit)
    days = _count(_int(over.get("threshold_days")), "day", "days")
    return table_html(
        frame, empty=f"No open ticket is older than {days}."
    ) + _shown_note(
        len(frame), _int(over.get("count")), f"tickets open longer than {days}"
    )


def escalation_html(summary: Mapping[str, Any], limit: int = CUSTOMERS_SHOWN) -> str:
    """Render the escalation candidates, saying how many are left out.

    Args:
        summary: The summary.json content.
        limit: Most rows to show.

    Returns:
        HTML: the table of :func:`escalation_table` and, when it is cut, a note.
    """
    candidates = _mapping(summary.get("escalation_candidates"))
    frame = escalation_table(summary, limit)
    threshold = _int(candidates.get("threshold"))
    over = _count(threshold, "ticket", "tickets")
    return table_html(frame, empty=f"No customer has more than {over}.") + _shown_note(
        len(frame), _int(candidates.get("count")), f"customers over {over}"
    )


def escalation_table(
    summary: Mapping[str, Any], limit: int = CUSTOMERS_SHOWN
) -> pd.DataFrame:
    """List the customers over the escalation threshold.

    Args:
        summary: The summary.json content.
        limit: Most rows to list (the summary's order: most tickets first).

    Returns:
        Columns Customer, Tickets, Still open, High or Critical.
    """
    customers = _records(
        _mapping(summary.get("escalation_candidates")).get("customers")
    )
    rows = [
        {
            "Customer": c.get("customer_id"),
            "Tickets": _int(c.get("tickets")),
            "Still open": _int(c.get("open")),
            "High or Critical": _int(c.get("high_or_critical")),
        }
        for c in customers[: max(limit, 0)]
    ]
    return pd.DataFrame(
        rows, columns=["Customer", "Tickets", "Still open", "High or Critical"]
    )


def agents_table(summary: Mapping[str, Any]) -> pd.DataFrame:
    """List every agent's workload and speed.

    Args:
        summary: The summary.json content.

    Returns:
        Columns Agent, Resolved, Avg days, Median days, Open, Total.
    """
    rows = [
        {
            "Agent": a.get("agent"),
            "Resolved": _int(a.get("resolved")),
            "Avg days": _days(a.get("avg_resolution_days")),
            "Median days": _days(a.get("median_resolution_days")),
            "Open": _int(a.get("open")),
            "Total": _int(a.get("total")),
        }
        for a in _records(summary.get("agents"))
    ]
    return pd.DataFrame(
        rows, columns=["Agent", "Resolved", "Avg days", "Median days", "Open", "Total"]
    )


def sla_table(summary: Mapping[str, Any]) -> pd.DataFrame:
    """Summarise resolution times against the SLA targets, one row per priority.

    Args:
        summary: The summary.json content.

    Returns:
        Columns Priority, Target (days), Resolved, Median days, 90th pct days,
        Within target, Breach rate, Open past target.
    """
    sla = _mapping(summary.get("sla"))
    targets = _mapping(sla.get("targets_days"))
    by_priority = _mapping(sla.get("by_priority"))
    stats = _mapping(_mapping(summary.get("resolution_time_days")).get("by_priority"))
    rows = []
    for priority in reversed(PRIORITIES):
        entry = _mapping(by_priority.get(priority))
        group = _mapping(stats.get(priority))
        rate = _number(entry.get("breach_rate"))
        rows.append(
            {
                "Priority": priority,
                "Target (days)": _int(targets.get(priority)),
                "Resolved": _int(entry.get("resolved_with_duration")),
                "Median days": _days(group.get("median")),
                "90th pct days": _days(group.get("p90")),
                "Within target": _int(entry.get("within_target")),
                "Breach rate": DASH if rate is None else format_percent(rate),
                "Open past target": _int(entry.get("open_breaching")),
            }
        )
    return pd.DataFrame(rows)


def weather_html(summary: Mapping[str, Any]) -> str:
    """Render the weather line at the team's location.

    Args:
        summary: The summary.json content.

    Returns:
        HTML: current conditions, why they are unavailable, or that the lookup
        was turned off.
    """
    weather = _mapping(summary.get("weather"))
    status = weather.get("status")
    location = _mapping(weather.get("location"))
    place = location.get("name") or "the team's location"
    if status == "ok":
        details = []
        temperature = _number(weather.get("temperature_c"))
        if temperature is not None:
            details.append(f"{format_number(temperature)} °C")
        feels = _number(weather.get("apparent_temperature_c"))
        if feels is not None:
            details.append(f"feels like {format_number(feels)} °C")
        if weather.get("condition"):
            details.append(str(weather["condition"]).lower())
        humidity = _number(weather.get("humidity_pct"))
        if humidity is not None:
            details.append(f"humidity {format_number(humidity)}%")
        wind = _number(weather.get("wind_kmh"))
        if wind is not None:
            details.append(f"wind {format_number(wind)} km/h")
        observed = _local_time(weather.get("observed_at"))
        note = " (cached value, may be out of date)" if weather.get("stale") else ""
        text = (
            f"<p><strong>Weather in {esc(place)}</strong>"
            + (f" (observed {esc(observed)})" if observed else "")
            + f": {esc(', '.join(details))}{esc(note)}.</p>"
        )
        if weather.get("attribution"):
            text += f'<p class="ta-meta">{esc(weather["attribution"])}</p>'
        return text
    if status == "disabled":
        return '<p class="ta-empty">The weather lookup was turned off for this run.</p>'
    reason = weather.get("reason") or "no reason given"
    return f'<p class="ta-empty">Weather unavailable: {esc(reason)}.</p>'


def parameters_table(summary: Mapping[str, Any]) -> pd.DataFrame:
    """List the parameters and the source of the run, for the report's appendix.

    Args:
        summary: The summary.json content.

    Returns:
        Columns Setting, Value.
    """
    params = _mapping(summary.get("parameters"))
    source = _mapping(summary.get("source"))
    targets = _mapping(params.get("sla_targets_days"))
    limit = _int(params.get("list_limit"))
    rows = [
        ("Report date (as of)", summary.get("as_of") or "n/a"),
        (
            "Open-ticket age threshold",
            _count(_int(params.get("open_days")), "day", "days"),
        ),
        (
            "Escalation threshold",
            "more than "
            + _count(_int(params.get("escalation_threshold")), "ticket", "tickets"),
        ),
        ("Subject words listed", _int(params.get("top_words"))),
        ("List limit in summary.json", "none" if limit == 0 else limit),
        (
            "SLA targets (days)",
            ", ".join(f"{p} {_int(targets.get(p))}" for p in PRIORITIES),
        ),
        ("Source file", source.get("path")),
        ("Source size", f"{_int(source.get('bytes')):,} bytes"),
        ("Source encoding", source.get("encoding")),
        ("Source SHA-256", source.get("sha256")),
        ("Schema version", summary.get("schema_version")),
        ("Generated (UTC)", summary.get("generated_at")),
    ]
    return pd.DataFrame(
        [(name, str(value)) for name, value in rows], columns=["Setting", "Value"]
    )


# --- helpers -------------------------------------------------------------------


def _whole_or_none(value: str, name: str) -> int | None:
    """Parse a whole number from a variable; None when invalid (reported later)."""
    try:
        return config.parse_int(value, name)
    except UsageError:
        return None


def _display(bundle: dict[str, Any]) -> None:
    """Display a MIME bundle in the running kernel (IPython imported lazily)."""
    from IPython import display as ipython_display

    show: Any = ipython_display.display
    show(bundle, raw=True)


def _card(value: str, label: str, note: str = "", *, alert: bool = False) -> str:
    """Render one headline card."""
    css = "ta-card ta-alert" if alert else "ta-card"
    extra = f'<div class="ta-note">{esc(note)}</div>' if note else ""
    return (
        f'<div class="{css}"><div class="ta-value">{esc(value)}</div>'
        f'<div class="ta-label">{esc(label)}</div>{extra}</div>'
    )


def _local_time(value: object) -> str:
    """Format an ISO date-time as ``2024-03-21 10:15`` plus its UTC offset, if any."""
    text = str(value or "")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text.replace("T", " ")
    shown = moment.strftime("%Y-%m-%d %H:%M")
    offset = moment.strftime("%z")
    if offset:
        shown += f" UTC{offset[:3]}:{offset[3:]}"
    return shown


def _days_text(value: float) -> str:
    """Return ``"1 day"`` or ``"5.7 days"``."""
    text = format_number(value)
    return f"{text} {'day' if text == '1' else 'days'}"


def _count(number: int, singular: str, plural: str) -> str:
    """Return ``"1 ticket"`` or ``"5 tickets"``."""
    return f"{number:,} {singular if number == 1 else plural}"


def _shown_note(shown: int, total: int, what: str) -> str:
    """Return a note such as "Showing 10 of 16 tickets ..." (empty if all shown)."""
    if total <= shown:
        return ""
    return (
        f'<p class="ta-meta">Showing {shown:,} of {total:,} {esc(what)}; '
        "summary.json lists more (up to its list limit).</p>"
    )


def _share(part: int, whole: int, suffix: str = "of all") -> str:
    """Return ``"42% of all"`` (empty when the whole is 0)."""
    return f"{format_percent(part / whole)} {suffix}" if whole else ""


def _figure_title(fig: Figure) -> str:
    """Return the title of a figure's first axes (or its suptitle)."""
    if fig.axes and fig.axes[0].get_title():
        return str(fig.axes[0].get_title())
    suptitle = getattr(fig, "_suptitle", None)
    return str(suptitle.get_text()) if suptitle is not None else "Chart"


def _cell(value: object) -> object:
    """Return a table cell's display value (a dash for missing ones)."""
    if value is None:
        return DASH
    if isinstance(value, float) and math.isnan(value):
        return DASH
    return value


def _is_numeric_column(column: pd.Series) -> bool:
    """Tell whether a column holds numbers, formatted numbers or percentages."""
    if pd.api.types.is_bool_dtype(column):
        return False
    if pd.api.types.is_numeric_dtype(column):
        return True
    values = [v for v in column if v is not None and v != DASH]
    return bool(values) and all(
        (isinstance(v, int | float) and not isinstance(v, bool))
        or (isinstance(v, str) and _NUMBER_TEXT.fullmatch(v) is not None)
        for v in values
    )


def _days(value: object) -> str:
    """Return a number of days with at most one decimal, or a dash."""
    number = _number(value)
    return DASH if number is None else format_number(number)


def _records(value: object) -> Sequence[Mapping[str, Any]]:
    """Return the mappings of a list, empty when the value is not a list."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def _mapping(value: object) -> Mapping[str, Any]:
    """Return the value if it is a mapping, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def _number(value: object) -> float | None:
    """Return a finite number as float, None for null or anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _int(value: object) -> int:
    """Return a count as int (0 for null or anything that is not a number)."""
    number = _number(value)
    return int(number) if number is not None else 0
