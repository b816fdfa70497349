"""Command line of the notebook report: ``ticket-analysis report``, ``run_report.py``.

Takes the direct run's flags plus ``--no-html`` and ``--timeout``; writes
``summary.json``, ``executive_report.txt``, ``rejected_rows.csv`` (by the
notebook's call to the same pipeline), the executed ``ticket_report.ipynb`` and
``report.html``. Exit codes as in :mod:`ticket_analysis.cli`; 1 also when a
notebook cell failed (the message names the cell), the kernel died or a cell
timed out.

``--batch {agent,customer,priority,month}`` makes one such report per slice in
``<output-dir>/batch-<dimension>/<slice>/`` with an index
(:mod:`ticket_analysis.batch`), ``--jobs`` at a time; it exits 1 when a slice
failed, naming them.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from ticket_analysis import cli, config, converters, resources
from ticket_analysis.batch.slices import DIMENSIONS, printable
from ticket_analysis.exceptions import NotebookError, UsageError
from ticket_analysis.notebook import runner as notebook_runner
from ticket_analysis.outputs import FAILED_NOTEBOOK_FILE

logger = logging.getLogger("ticket_analysis.run_report")

#: The batch flags (flag: attribute) and the attributes that are not settings.
_BATCH_ONLY = {
    "--batch-all": "batch_all",
    "--batch-limit": "batch_limit",
    "--jobs": "jobs",
}
_NOT_SETTINGS = ("html", "timeout", "batch", *_BATCH_ONLY.values())

DESCRIPTION = (
    "Run the ticket report notebook with papermill and write summary.json, "
    "executive_report.txt, rejected_rows.csv, the executed ticket_report.ipynb "
    "and an offline report.html."
)


def _timeout(value: str) -> int:
    """Parse ``--timeout``: whole seconds, at least 1."""
    try:
        return converters.parse_int(value, "--timeout", minimum=1)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser(prog: str, default_timeout: int) -> argparse.ArgumentParser:
    """Return the direct run's parser plus ``--no-html`` and ``--timeout``."""
    parser = cli.build_parser(prog, DESCRIPTION)
    parser.add_argument(
        "--no-html",
        dest="html",
        action="store_false",
        help="skip report.html (the executed notebook is still kept)",
    )
    parser.add_argument(
        "--timeout",
        type=_timeout,
        default=default_timeout,
        help="seconds one notebook cell may run (default %(default)s)",
    )
    batch = parser.add_argument_group("batch runs")
    batch.add_argument(
        "--batch",
        choices=DIMENSIONS,
        help="one full report per agent, customer (escalation candidates), "
        "priority or month end, in OUTPUT_DIR/batch-DIMENSION/, with index.html",
    )
    batch.add_argument(
        "--batch-all",
        action="store_true",
        help="with --batch customer: every customer, not only the candidates",
    )
    batch.add_argument(
        "--batch-limit",
        type=_whole("--batch-limit"),
        help="at most N reports: the busiest agents or customers, the last N "
        "month ends (month default 12)",
    )
    batch.add_argument(
        "--jobs",
        type=_whole("--jobs"),
        help="reports made at once, each in its own kernel (default: the CPUs)",
    )
    return parser


def _whole(flag: str) -> Callable[[str], int]:
    """Parse a whole number of at least 1 for ``flag``."""

    def parse(value: str) -> int:
        try:
            return converters.parse_int(value, flag, minimum=1)
        except UsageError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


def main(
    argv: Sequence[str] | None = None,
    *,
    notebook: Path | None = None,
    prog: str = "ticket-analysis report",
) -> int:
    """Run the notebook report; return the exit code.

    ``notebook`` replaces :func:`ticket_analysis.resources.report_notebook` (tests
    pass fixture notebooks).
    """
    parser = build_parser(prog, notebook_runner.DEFAULT_TIMEOUT)
    args = parser.parse_args(argv)
    if args.batch is None:
        given = [
            f for f, v in _BATCH_ONLY.items() if getattr(args, v) not in (None, False)
        ]
        if given:
            parser.error(f"{', '.join(given)} needs --batch")
    level = cli.initial_log_level(args)
    cli.configure_logging(level)
    settings: config.Settings | None = None
    try:
        settings = cli.load_run_settings(args, skip=_NOT_SETTINGS)
        if args.batch is not None:
            return _batch(settings, args, notebook)
        run = notebook_runner.run_notebook_report(
            settings,
            notebook=notebook or resources.report_notebook(),
            timeout=args.timeout,
            html=args.html,
            progress_bar=sys.stderr.isatty(),
        )
    except (Exception, KeyboardInterrupt) as exc:
        code = cli.report_error(exc, debug=level == "DEBUG")
        if isinstance(exc, NotebookError) and settings is not None:
            failed = settings.output_dir / FAILED_NOTEBOOK_FILE
            if failed.is_file():
                logger.info("the executed notebook, with the traceback: %s", failed)
        return code
    return cli.report_outcome(run.files.values(), run.gate_failed, run.gate_message)


def _batch(
    settings: config.Settings, args: argparse.Namespace, notebook: Path | None
) -> int:
    """Run a batch (``--batch``); return 1 if a slice failed, else as one report."""
    from ticket_analysis.batch.run import run_batch

    result = run_batch(
        settings,
        args.batch,
        jobs=args.jobs,
        include_all=args.batch_all,
        limit=args.batch_limit,
        notebook=notebook,
        timeout=args.timeout,
        html=args.html,
        progress=sys.stderr.isatty(),
    )
    made = len(result.index["slices"]) - len(result.failed)
    logger.info("wrote %d report(s) in %s", made, result.folder)
    logger.info("index: %s", result.folder / "index.html")
    if result.failed:
        logger.error(
            "%d of %d report(s) failed: %s",
            len(result.failed),
            len(result.index["slices"]),
            ", ".join(printable(name) for name in result.failed),
        )
        return cli.EXIT_FAILURE
    return cli.report_outcome([], result.gate_failed, result.gate_message)
