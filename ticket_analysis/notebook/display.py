"""What the report notebook's cells call: one function a section, each returning HTML.

The cells stay thin: each calls one function here and shows what it returns
(the cell's last value, an :class:`IPython.display.HTML`). The markup comes
from the templates of :mod:`ticket_analysis.report.html`, which escape every
value; the tables from :mod:`ticket_analysis.report.tables`.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Final

from IPython.display import HTML, display

from ticket_analysis.notebook.status import RUN_STATUS_MIME, run_status, run_status_text
from ticket_analysis.report import html, tables

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from ticket_analysis.pipeline import RunResult
    from ticket_analysis.summary import Summary

#: The name of the handler :func:`log_to_output` installs (one, however often run).
LOG_HANDLER: Final = "ticket_analysis.notebook.output"


def log_to_output() -> None:
    """Show the package's log lines (warnings first of all) as plain cell output.

    Without a handler, Python prints warnings on stderr, which JupyterLab draws
    as red boxes; this writes ``WARNING: ...`` lines to stdout instead. Running
    it again replaces the handler, so no line is shown twice.
    """
    logger = logging.getLogger("ticket_analysis")
    for old in [h for h in logger.handlers if h.get_name() == LOG_HANDLER]:
        logger.removeHandler(old)
    handler = logging.StreamHandler(sys.stdout)
    handler.set_name(LOG_HANDLER)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    logger.addHandler(handler)
    logger.propagate = False


def explore_frames(result: RunResult) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the run's tickets in scope (as they stood on as_of) and rejected rows.

    ``tickets`` has the validated shape of ``docs/dataframe.md``, narrowed to the
    report's filters and to tickets created on or before as_of: the rows the
    summary counts. ``rejected`` is ``rejected_rows.csv`` as a DataFrame.
    """
    from ticket_analysis.scope import select_scope

    summary = result.summary
    tickets, _ = select_scope(
        result.load.tickets, summary.as_of, summary.parameters.filters
    )
    return tickets, result.load.rejected


def show_run_status(result: RunResult) -> None:
    """Display the run status: plain text for people, JSON for the runner."""
    status = run_status(result)
    _show({RUN_STATUS_MIME: status, "text/plain": run_status_text(status)})


def show_figure(fig: Figure, *, alt: str = "", caption: str = "") -> None:
    """Display a chart as an SVG image with its caption and release the figure."""
    _show({"text/html": html.figure_html(fig, alt=alt, caption=caption)})
    fig.clear()


def header(summary: Summary) -> HTML:
    """What the report covers: period, as-of date, source name, filters."""
    return _html(html.header_html(summary))


def headline(summary: Summary) -> HTML:
    """The headline figures as cards."""
    return _html(html.headline_html(summary))


def briefing(summary: Summary) -> HTML:
    """What to act on today, this period against the last one, the agent load."""
    return _html(html.briefing_html(summary))


def findings(summary: Summary) -> HTML:
    """The key findings, most pressing first."""
    return _html(
        html.list_html(summary.findings, empty="No finding stands out in this period.")
    )


def recommendations(summary: Summary) -> HTML:
    """The recommendations that go with the findings."""
    return _html(
        html.list_html(
            summary.recommendations, empty="No action is needed on these figures."
        )
    )


def sla(summary: Summary) -> HTML:
    """Resolution times against the service targets, one row per priority."""
    return _html(html.table_html(tables.sla_table(summary)))


def overdue(summary: Summary, limit: int = tables.OVERDUE_SHOWN) -> HTML:
    """The open tickets past their SLA target (the action list), saying if cut."""
    frame = tables.overdue_table(summary, limit)
    return _cut_table(
        frame,
        summary.overdue_open.count,
        "tickets past their SLA target (overdue_tickets.csv lists them all)",
        "No open ticket is past its SLA target.",
    )


def monthly(summary: Summary) -> HTML:
    """Tickets per month with the backlog at the month's end and the breach rate."""
    return _html(
        html.table_html(
            tables.monthly_table(summary),
            empty="No ticket in this report.",
            total=len(summary.monthly_volume),
            what="months",
            more="summary.json holds every month",
        )
    )


def weekly(summary: Summary) -> HTML:
    """Tickets per ISO week, the last 12 weeks; the week of the report date marked."""
    return _html(html.table_html(tables.weekly_table(summary)))


def weekdays(summary: Summary) -> HTML:
    """Tickets created on each weekday."""
    return _html(html.table_html(tables.weekday_table(summary)))


def subjects(summary: Summary) -> HTML:
    """The whole subjects that occur at least twice."""
    return _html(
        html.table_html(
            tables.subjects_table(summary), empty="No subject occurs twice."
        )
    )


def oldest_open(summary: Summary, limit: int = tables.OLDEST_SHOWN) -> HTML:
    """The oldest open tickets over the age threshold, saying how many are left out."""
    over = summary.open_over_threshold
    days = html.counted(over.threshold_days, "day", "days")
    frame = tables.oldest_open_tickets(summary, limit)
    return _cut_table(
        frame,
        over.count,
        f"tickets open longer than {days}",
        f"No open ticket is older than {days}.",
    )


def agents(summary: Summary) -> HTML:
    """Every agent's workload and resolution times."""
    return _html(
        html.table_html(
            tables.agents_table(summary), empty="No ticket is assigned to an agent."
        )
    )


def escalation(summary: Summary, limit: int = tables.CUSTOMERS_SHOWN) -> HTML:
    """The customers over the escalation threshold, saying how many are left out."""
    candidates = summary.escalation_candidates
    over = html.counted(candidates.threshold, "ticket", "tickets")
    frame = tables.escalation_table(summary, limit)
    return _cut_table(
        frame,
        candidates.count,
        f"customers over {over}",
        f"No customer has more than {over}.",
    )


def quality(result: RunResult) -> HTML:
    """The data-quality sentence and the quality gate's verdict."""
    return _html(
        html.quality_html(
            result.summary,
            gate_message=result.gate_message,
            gate_failed=result.gate_failed,
        )
    )


def issues(summary: Summary) -> HTML:
    """The data-quality issues that occurred, rejections first."""
    return _html(
        html.table_html(
            tables.issues_table(summary), empty="No data-quality issue was found."
        )
    )


def weather(summary: Summary) -> HTML:
    """The weather at the support office."""
    return _html(html.weather_html(summary))


def about(summary: Summary) -> HTML:
    """The parameters and source of the run."""
    return _html(html.table_html(tables.parameters_table(summary)))


def _cut_table(frame: pd.DataFrame, total: int, what: str, empty: str) -> HTML:
    """A table of the first rows of a list of ``total`` ``what``; says if cut."""
    return _html(html.table_html(frame, empty=empty, total=total, what=what))


def _html(markup: str) -> HTML:
    """Wrap rendered markup as the cell's HTML output."""
    return HTML(markup)  # type: ignore[no-untyped-call]


def _show(bundle: dict[str, object]) -> None:
    """Display a MIME bundle as it is."""
    display(bundle, raw=True)  # type: ignore[no-untyped-call]
