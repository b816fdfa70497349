"""Batch entry point: run the report notebook and export the HTML report.

Usage::

    python run_report.py [--input FILE] [--output-dir DIR] [--no-weather] ...

Takes the same flags as ``python -m ticket_analysis`` plus ``--no-html`` and
``--timeout``. Writes ``summary.json``, ``executive_report.txt``,
``rejected_rows.csv`` (by the notebook's call to the same pipeline the CLI uses),
the executed ``ticket_report.ipynb`` and ``report.html``.

Settings: defaults < ``.env`` < environment < flags, resolved here and passed to
the notebook as its parameters (see ``ticket_analysis.notebook_runner``).

Exit codes: 0 reports written; 2 input or usage error, nothing written; 3
data-quality gate failed, reports still written; 1 a notebook cell failed (the
message names the cell), the kernel died or a cell timed out.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from ticket_analysis import cli, config
from ticket_analysis.exceptions import NotebookError, UsageError

logger = logging.getLogger("ticket_analysis.run_report")

DESCRIPTION = (
    "Run the ticket report notebook (notebooks/ticket_report.ipynb) with papermill "
    "and write summary.json, executive_report.txt, rejected_rows.csv, the "
    "executed ticket_report.ipynb and an offline report.html."
)


def _timeout(value: str) -> int:
    """Parse ``--timeout``: whole seconds, at least 1."""
    import argparse

    try:
        return config.parse_int(value, "--timeout", minimum=1)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def main(argv: Sequence[str] | None = None, *, notebook: Path | None = None) -> int:
    """Run the notebook report.

    Args:
        argv: Arguments without the program name; defaults to ``sys.argv[1:]``.
        notebook: The notebook to execute (tests use fixture notebooks); defaults
            to ``notebooks/ticket_report.ipynb``.

    Returns:
        The exit code.
    """
    from ticket_analysis import notebook_runner  # deferred: keeps --help fast

    parser = cli.build_parser("run_report.py", DESCRIPTION)
    parser.add_argument(
        "--no-html",
        dest="html",
        action="store_false",
        help="skip report.html (the executed notebook is still kept)",
    )
    parser.add_argument(
        "--timeout",
        type=_timeout,
        default=notebook_runner.DEFAULT_TIMEOUT,
        help="seconds one notebook cell may run (default %(default)s)",
    )
    args = parser.parse_args(argv)
    level = cli.initial_log_level(args)
    cli.configure_logging(level)
    settings: config.Settings | None = None
    try:
        settings = config.load_settings(
            cli.overrides_from_args(args, skip=("html", "timeout"))
        )
        run = notebook_runner.run_notebook_report(
            settings,
            notebook=notebook or notebook_runner.DEFAULT_NOTEBOOK,
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


if __name__ == "__main__":
    sys.exit(main())
