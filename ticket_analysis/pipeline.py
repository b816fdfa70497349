"""The one function both entry points call: load, analyse, write the reports.

``python -m ticket_analysis`` calls :func:`run` directly; ``run_report.py``
executes the notebook, whose first step calls the same :func:`run`, so
``summary.json``, ``executive_report.txt``, ``rejected_rows.csv`` and
``overdue_tickets.csv`` come from one code path whichever way the report is made.

One run: load (ingest) → as_of → the tickets in scope at as_of (scope) →
metrics → findings → the files of the set (report_set).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ticket_analysis.config import Settings
from ticket_analysis.exceptions import OutputError
from ticket_analysis.ingest.encoding import name_lines
from ticket_analysis.ingest.loader import (
    LoadResult,
    flag_created_after,
    load_tickets,
    log_accounting,
)
from ticket_analysis.outputs import (
    OVERDUE_FILE,
    REJECTED_FILE,
    REPORT_FILES,
    SUMMARY_FILE,
    TEXT_REPORT_FILE,
    Writer,
    csv_writer,
    text_writer,
    write_file,
)
from ticket_analysis.report.findings import build_findings
from ticket_analysis.report.text import render_text_report
from ticket_analysis.report_set import ReportSet
from ticket_analysis.summary import Parameters, Summary
from ticket_analysis.weather import weather_section

if TYPE_CHECKING:
    import pandas as pd

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunResult:
    """What one run produced.

    ``files`` maps report name to the path written; ``gate_failed`` is True when
    the rejected share exceeded ``max_reject_rate``, and ``gate_message`` says so
    in one line (empty when the gate is off).
    """

    summary: Summary
    load: LoadResult
    files: dict[str, Path]
    gate_failed: bool
    gate_message: str

    @property
    def exit_code(self) -> int:
        """0 when the reports were written, 3 when the quality gate failed."""
        return 3 if self.gate_failed else 0

    @property
    def notices(self) -> list[str]:
        """What the user should know about the input, one line each.

        The direct CLI logs these while loading; ``run_report.py`` repeats them
        from the notebook's run status, since the kernel's log is not shown.
        """
        source, quality = self.summary.source, self.summary.data_quality
        notes = []
        if source.encoding == "cp1252":
            notes.append(
                f"{source.path} is not valid UTF-8; it was read as Windows-1252 "
                "(Excel's default). Save it as 'CSV UTF-8' to avoid this."
            )
        damaged = self.load.damaged_lines
        if damaged:
            notes.append(
                f"{source.path} is UTF-8 with damaged bytes, shown as '\ufffd' "
                f"on line(s) {name_lines(list(damaged))}"
            )
        if quality.extra_columns:
            notes.append(f"ignored columns: {', '.join(quality.extra_columns)}")
        if quality.missing_optional_columns:
            missing = ", ".join(quality.missing_optional_columns)
            notes.append(f"optional columns missing, read as empty: {missing}")
        return notes


def analyse(
    settings: Settings, *, now: datetime | None = None
) -> tuple[Summary, LoadResult, pd.DataFrame]:
    """Load the input and compute the full summary, writing nothing.

    ``now`` (default: the current time) is the generation time; its UTC date is
    the day of the run: later resolved dates are invalid and later dates do not
    count for the default as_of, which is computed before any filter.

    Returns:
        The summary, the load (rows, rejections, issues) and the whole action
        list (every overdue open ticket, for ``overdue_tickets.csv``).

    Raises:
        InputError: If the input file cannot be used.
    """
    generated = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    today = generated.date()
    load = _load(settings, today)
    from ticket_analysis.metrics import compute_metrics, default_as_of, overdue_frame
    from ticket_analysis.scope import select_scope

    as_of = settings.as_of or default_as_of(load.tickets, today=today) or today
    load = flag_created_after(load, as_of)
    log_accounting(load)
    tickets, scope = select_scope(load.tickets, as_of, settings.filters)
    if scope.filtered_out:
        logger.info(
            "scope: %d of %d valid tickets match the filters",
            scope.tickets_in_scope,
            load.quality.rows_valid,
        )
    metrics = compute_metrics(
        tickets,
        as_of=as_of,
        open_days=settings.open_days,
        escalation_threshold=settings.escalation_threshold,
        top_words=settings.top_words,
        list_limit=settings.list_limit,
        period_days=settings.period_days,
        sla_targets_days=settings.sla_targets_days,
        extra_stop_words=settings.extra_stop_words,
    )
    targets = list(metrics.sla.targets_days.values())
    summary = Summary(
        generated_at=generated,
        as_of=as_of,
        parameters=Parameters(
            open_days=settings.open_days,
            escalation_threshold=settings.escalation_threshold,
            top_words=settings.top_words,
            list_limit=settings.list_limit,
            sla_targets_days=metrics.sla.targets_days,  # all four, in order
            period_days=settings.period_days,
            filters=settings.filters,
        ),
        source=load.source,
        data_quality=load.quality,
        scope=scope,
        **dict(metrics),
        weather=weather_section(settings.weather),
        findings=[],
        recommendations=[],
    )
    findings, recommendations = build_findings(summary, settings.findings)
    update = {"findings": findings, "recommendations": recommendations}
    overdue = overdue_frame(tickets, as_of, targets)
    return summary.model_copy(update=update), load, overdue


def _load(settings: Settings, today: date) -> LoadResult:
    """Read and validate the input (``today`` is the day of the run).

    A batch's slices read the snapshot it parsed once instead (``Settings.snapshot``).
    """
    if settings.snapshot is not None:
        from ticket_analysis.snapshot import read_snapshot

        return read_snapshot(settings.snapshot)
    return load_tickets(
        settings.input_file(),
        today=today,
        source=settings.source,
        mapping=settings.mapping,
    )


def run(settings: Settings, *, now: datetime | None = None) -> RunResult:
    """Load, analyse and write the files of ``REPORT_FILES``.

    The files replace the previous run's set as a whole (see
    :class:`ReportSet`); nothing is written when the input or the output folder
    cannot be used. When the quality gate fails the reports are still written
    and ``exit_code`` is 3.

    Raises:
        InputError: If the input file cannot be used (nothing is written).
        OutputError: If the output folder or a report cannot be written.
    """
    # The folder is checked and the staging folder made before the input is
    # parsed: a wrong --output-dir fails at once, not after a large file is read.
    with ReportSet(settings.output_dir, list(REPORT_FILES.values())) as reports:
        summary, load, overdue = analyse(settings, now=now)
        _stage(reports, SUMMARY_FILE, text_writer(summary.to_json()))
        _stage(reports, TEXT_REPORT_FILE, text_writer(render_text_report(summary)))
        _stage(reports, REJECTED_FILE, csv_writer(load.rejected))
        _stage(reports, OVERDUE_FILE, csv_writer(overdue))
        reports.commit()
    files = {key: reports.out_dir / name for key, name in REPORT_FILES.items()}
    gate_failed, gate_message = _quality_gate(load, settings.max_reject_rate)
    return RunResult(summary, load, files, gate_failed, gate_message)


def _stage(reports: ReportSet, name: str, write: Writer) -> None:
    """Write one file of the set into its staging folder."""
    try:
        write_file(reports.path(name), write)
    except OSError as exc:
        raise OutputError(
            f"cannot write {reports.out_dir / name}: {exc.strerror or exc}; "
            "the previous reports are unchanged"
        ) from exc


def _quality_gate(load: LoadResult, max_rate: float | None) -> tuple[bool, str]:
    """Compare the rejected share with the allowed maximum."""
    if max_rate is None:
        return False, ""
    quality = load.quality
    rate = quality.rows_rejected / quality.records_read if quality.records_read else 0.0
    verdict = "above" if rate > max_rate else "within"
    message = (
        f"data-quality gate: {rate:.1%} of records rejected "
        f"({quality.rows_rejected} of {quality.records_read}), "
        f"{verdict} the allowed {max_rate:.1%}"
    )
    return rate > max_rate, message
