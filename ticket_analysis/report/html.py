"""The report's HTML blocks, rendered from Jinja2 templates with autoescaping.

Every block comes from a template in ``report/templates``; Python passes plain
values (text, numbers, the summary) and the template engine escapes each one
where it is placed. Ticket text is customer-written and hostile: nothing here
builds markup from strings, so no value can reach the page unescaped.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any, Final

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined

from ticket_analysis.report import briefing
from ticket_analysis.report.formatting import (
    NOT_AVAILABLE,
    UNASSIGNED_FLAG,
    WEATHER_NO_LOCATION,
    format_days,
    format_number,
    format_percent,
    format_rate,
    month_name,
    weather_is_unconfigured,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ticket_analysis.summary import Summary, Weather

#: Displayed width in CSS pixels per inch of figure size (SVG points are 4/3 px).
CHART_CSS_PX_PER_INCH: Final = 96
#: Placeholder for a missing number in tables.
DASH: Final = "—"
#: A formatted number, percentage or change ("1,234", "5.7", "67%", "+4",
#: "-15 pts"): right-aligned.
NUMBER_TEXT: Final = re.compile(r"[-+]?\d[\d,]*(\.\d+)?(%| pts)?")


def thousands(number: int) -> str:
    """Return a count with thousands separators: ``"12,345"``."""
    return f"{number:,}"


def counted(number: int, singular: str, plural: str) -> str:
    """Return ``"1 ticket"`` or ``"1,234 tickets"``."""
    return f"{number:,} {singular if number == 1 else plural}"


def share(part: int, whole: int, suffix: str = "of all") -> str:
    """Return ``"42% of all"`` (empty when the whole is 0)."""
    return f"{format_percent(part / whole)} {suffix}" if whole else ""


def iso_utc(moment: datetime) -> str:
    """Write a UTC time as summary.json does: ``2024-03-21T10:15:00Z``."""
    return moment.isoformat().replace("+00:00", "Z")


def local_time(value: str) -> str:
    """Format an ISO date-time as ``2024-03-21 10:15`` plus its UTC offset, if any."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value.replace("T", " ")
    shown = moment.strftime("%Y-%m-%d %H:%M")
    offset = moment.strftime("%z")
    if offset:
        shown += f" UTC{offset[:3]}:{offset[3:]}"
    return shown


def _environment() -> Environment:
    """Build the template environment: autoescaping on, undefined names fail."""
    env = Environment(
        loader=PackageLoader("ticket_analysis.report"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        thousands=thousands,
        days=format_days,
        counted=counted,
        share=share,
        local_time=local_time,
        rate=format_rate,
    )
    env.globals.update(dash=DASH, unassigned=UNASSIGNED_FLAG)
    return env


_ENV: Final = _environment()


def render(template: str, **context: Any) -> str:
    """Render one template of ``report/templates`` with autoescaping."""
    return _ENV.get_template(template).render(**context).strip()


def header_html(summary: Summary) -> str:
    """Render the styles and what the report covers, under the title.

    The period covered (first month to as_of), the as-of date, the source
    file's name (never its folder), the filters and the generation time.
    """
    return render(
        "header.html.j2",
        summary=summary,
        period=period_covered(summary),
        scope=briefing.scope_line(summary),
        source_name=source_name(summary),
        filters=", ".join(briefing.filter_names(summary.parameters.filters))
        or "none (every ticket)",
        generated=iso_utc(summary.generated_at).replace("T", " ").replace("Z", " UTC"),
    )


def period_covered(summary: Summary) -> str:
    """Name the period the data covers: ``"June 2026 to 2026-11-20"``."""
    months = summary.monthly_volume
    if not months:
        return f"up to {summary.as_of}"
    return f"{month_name(months[0].month)} to {summary.as_of}"


def source_name(summary: Summary) -> str:
    """Return the input file's name without its folder (a path reveals a machine)."""
    return PureWindowsPath(PurePosixPath(summary.source.path).name).name or "?"


def headline_html(summary: Summary) -> str:
    """Render the headline figures as cards, with their change where one applies."""
    return render("headline.html.j2", cards=briefing.headline_cards(summary))


def briefing_html(summary: Summary) -> str:
    """Render what to act on today, this period against the last, the agent load.

    The first tickets of the action list (past their SLA target, Critical first),
    the period comparison and the agents with the most open work; the figures
    and wording are the text report's (:mod:`ticket_analysis.report.briefing`).
    """
    return render(
        "briefing.html.j2",
        summary=summary,
        headline=briefing.action_headline(summary),
        tickets=briefing.action_tickets(summary),
        period_heading=briefing.period_heading(summary),
        period_columns=briefing.PERIOD_COLUMNS,
        periods=briefing.period_rows(summary),
        agents=[
            (agent.agent, briefing.agent_load_text(agent, summary.summary.open_tickets))
            for agent in briefing.loaded_agents(summary)
        ],
    )


def list_html(items: Iterable[object], *, empty: str = "Nothing to report.") -> str:
    """Render sentences (findings, recommendations) as a numbered list."""
    return render("list.html.j2", items=list(items), empty=empty)


def table_html(
    frame: pd.DataFrame,
    *,
    empty: str = "Nothing to list.",
    total: int = 0,
    what: str = "",
    more: str = "summary.json lists more (up to its list limit)",
) -> str:
    """Render a table (numeric columns right-aligned, no index).

    ``empty`` is the sentence shown instead of a table without rows; a ``total``
    above the table's rows adds a note "Showing N of <total> <what>; <more>".
    """
    kinds = [
        "ta-num" if _is_numeric_column(frame[name]) else "ta-txt"
        for name in frame.columns
    ]
    rows = [
        list(zip((_cell(value) for value in values), kinds, strict=True))
        for values in frame.itertuples(index=False, name=None)
    ]
    return render(
        "table.html.j2",
        columns=list(zip(frame.columns, kinds, strict=True)),
        rows=rows,
        empty=empty,
        total=total,
        what=what,
        more=more,
    )


def quality_html(
    summary: Summary, *, gate_message: str = "", gate_failed: bool = False
) -> str:
    """Render the data-quality sentence and the quality gate's verdict."""
    return render(
        "quality.html.j2",
        summary=summary,
        gate_message=gate_message,
        gate_failed=gate_failed,
    )


def weather_html(summary: Summary) -> str:
    """Render the weather line: conditions, why they are missing, or that it was off."""
    weather = summary.weather
    return render(
        "weather.html.j2",
        summary=summary,
        details=_weather_details(weather),
        quiet=(
            WEATHER_NO_LOCATION
            if weather_is_unconfigured(weather.status, weather.reason)
            else ""
        ),
    )


def figure_html(fig: Figure, *, alt: str = "", caption: str = "") -> str:
    """Render a chart as an SVG image in a ``<figure>`` with its caption.

    The SVG (:func:`~ticket_analysis.report.chart_style.svg_bytes`: text kept as
    text, a ``<title>``) is inlined as a base64 ``data:`` URI of an ``<img>``:
    offline, and inert whatever its text, since an image runs no script and
    loads nothing. ``alt`` defaults to the chart's title, ``caption`` to the
    figure's label (its "what to see" line).
    """
    from ticket_analysis.report.chart_style import svg_bytes, title_of

    title = title_of(fig)
    return render(
        "figure.html.j2",
        svg_base64=base64.b64encode(svg_bytes(fig, title=title)).decode("ascii"),
        width=round(fig.get_figwidth() * CHART_CSS_PX_PER_INCH),
        height=round(fig.get_figheight() * CHART_CSS_PX_PER_INCH),
        alt=alt or title,
        caption=caption or fig.get_label(),
    )


def _weather_details(weather: Weather) -> list[str]:
    """List the measured conditions as short phrases ("7.5 °C", "humidity 81%")."""
    details = []
    if weather.temperature_c is not None:
        details.append(f"{format_number(weather.temperature_c)} °C")
    if weather.apparent_temperature_c is not None:
        details.append(f"feels like {format_number(weather.apparent_temperature_c)} °C")
    if weather.condition:
        details.append(weather.condition.lower())
    if weather.humidity_pct is not None:
        details.append(f"humidity {format_number(weather.humidity_pct)}%")
    if weather.wind_kmh is not None:
        details.append(f"wind {format_number(weather.wind_kmh)} km/h")
    return details


def _cell(value: object) -> object:
    """Return a table cell's display value (a dash for missing ones)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    return value


def _is_numeric_column(column: pd.Series) -> bool:
    """Tell whether a column holds numbers, formatted numbers or percentages."""
    if pd.api.types.is_bool_dtype(column):
        return False
    if pd.api.types.is_numeric_dtype(column):
        return True
    values = [v for v in column if v is not None and v not in (DASH, NOT_AVAILABLE)]
    return bool(values) and all(
        (isinstance(v, int | float) and not isinstance(v, bool))
        or (isinstance(v, str) and NUMBER_TEXT.fullmatch(v) is not None)
        for v in values
    )
