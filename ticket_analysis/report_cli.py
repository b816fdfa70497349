"""Command line of the notebook report: ``ticket-analysis report``, ``run_report.py``.

Takes the direct run's flags plus ``--no-html`` and ``--timeout``; writes
``summary.json``, ``executive_report.txt``, ``rejected_rows.csv`` (by the
notebook's call to the same pipeline), the executed ``ticket_report.ipynb`` and
``report.html``. Exit codes as in :mod:`ticket_analysis.cli`; 1 also when a
notebook cell failed (the message names the cell), the kernel died or a cell
timed out.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from ticket_analysis import cli, config, converters, resources
from ticket_analysis.exceptions import NotebookError, UsageError
from ticket_analysis.notebook import runner as notebook_runner

logger = logging.getLogger("ticket_analysis.run_report")

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
    return parser


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
    args = build_parser(prog, notebook_runner.DEFAULT_TIMEOUT).parse_args(argv)
    level = cli.initial_log_level(args)
    cli.configure_logging(level)
    settings: config.Settings | None = None
    try:
        settings = cli.load_run_settings(args, skip=("html", "timeout"))
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
            failed = settings.output_dir / notebook_runner.FAILED_NOTEBOOK_FILE
            if failed.is_file():
                logger.info("the executed notebook, with the traceback: %s", failed)
        return code
    return cli.report_outcome(run.files.values(), run.gate_failed, run.gate_message)
