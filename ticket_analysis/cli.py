"""Command line of ``ticket-analysis`` (also ``python -m ticket_analysis``).

``ticket-analysis --input F`` is the direct run (summary.json, executive_report.txt,
rejected_rows.csv); ``ticket-analysis report --input F`` runs the report notebook
and exports report.html (:mod:`ticket_analysis.report_cli`, which ``run_report.py``
also calls). Both share the flags below.

Exit codes (contract section 6): 0 reports written; 2 input or usage error,
nothing written; 3 data-quality gate failed, reports still written; 1 unexpected
failure. Errors print one clear line; ``--log-level DEBUG`` adds the traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from ticket_analysis import config, converters
from ticket_analysis.exceptions import TicketAnalysisError, UsageError

logger = logging.getLogger("ticket_analysis")

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_GATE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
#: The first argument that selects the notebook report instead of the direct run.
REPORT_COMMAND = "report"
MISSING_INPUT = config.MISSING_INPUT


def _flag(parser: Callable[[str, str], Any], flag: str) -> Callable[[str], Any]:
    """Adapt a settings parser to argparse (its error becomes argparse's)."""

    def parse(value: str) -> Any:
        try:
            return parser(value, flag)
        except UsageError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


class _OneLineErrorParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line, not the usage block."""

    def error(self, message: str) -> NoReturn:
        """Print ``prog: error: message`` and a pointer to --help; exit 2."""
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


#: Every flag that takes a value: (flag, converter, help). Each sets the settings
#: field of its name (``_FIELDS`` names the exceptions).
_FLAGS: tuple[tuple[str, Callable[[str, str], Any], str], ...] = (
    ("--input", converters.parse_path, "ticket CSV export (TICKETS_INPUT)"),
    ("--output-dir", converters.parse_path, "folder for the reports (REPORTS_DIR)"),
    (
        "--source",
        converters.parse_text,
        "the export's helpdesk: zendesk, freshdesk or jira (default: detected)",
    ),
    (
        "--mapping",
        converters.parse_path,
        "a TOML import profile for any other export (TICKETS_MAPPING)",
    ),
    (
        "--as-of",
        converters.parse_date,
        "report date YYYY-MM-DD (default: newest date in the data)",
    ),
    ("--agent", converters.parse_text, "report on this agent's tickets only"),
    ("--customer", converters.parse_text, "report on this customer's tickets only"),
    (
        "--priority",
        converters.parse_priority,
        "report on tickets of this priority only",
    ),
    (
        "--period-days",
        converters.parse_period,
        "length of the compared periods in days (default 28)",
    ),
    (
        "--open-days",
        converters.parse_days,
        "flag open tickets older than this many days (default 7)",
    ),
    (
        "--escalation-threshold",
        converters.parse_int,
        "flag customers with more tickets than this (default 5)",
    ),
    (
        "--top-words",
        converters.parse_list_size,
        "how many subject words and subjects to list (default 10)",
    ),
    (
        "--list-limit",
        converters.parse_list_size,
        "cap on tickets/customers listed in summary.json, 0 = none (default 100)",
    ),
    (
        "--sla-targets",
        converters.parse_sla_targets,
        "resolution targets in days, e.g. 'Critical=1,High=3,Medium=7,Low=14'",
    ),
    (
        "--extra-stop-words",
        converters.parse_words,
        "comma-separated words to leave out of the subject word count",
    ),
    (
        "--max-reject-rate",
        converters.parse_rate,
        "exit 3 when more than this share of rows is rejected (e.g. 0.05 or 5%%)",
    ),
    (
        "--log-level",
        converters.parse_log_level,
        "DEBUG, INFO (default), WARNING or ERROR",
    ),
)
_FIELDS = {"input": "input_path", "sla_targets": "sla_targets_days"}


def build_parser(prog: str, description: str) -> argparse.ArgumentParser:
    """Return the argument parser shared by both entry points.

    Every flag defaults to None so that an absent flag leaves the ``.env`` or
    environment value in force.
    """
    p = _OneLineErrorParser(prog=prog, description=description)
    for flag, convert, text in _FLAGS:
        p.add_argument(flag, type=_flag(convert, flag), help=text)
    p.add_argument(
        "--no-weather",
        dest="weather_enabled",
        action="store_const",
        const=False,
        default=None,
        help="skip the weather lookup (WEATHER_ENABLED=false)",
    )
    return p


def overrides_from_args(
    args: argparse.Namespace, *, skip: Sequence[str] = ()
) -> dict[str, Any]:
    """Return ``{settings field: value}`` for the flags given (but ``skip``)."""
    out: dict[str, Any] = {}
    for key, value in vars(args).items():
        if key in skip or value is None:
            continue
        out[_FIELDS.get(key, key)] = value
    return out


def load_run_settings(
    args: argparse.Namespace, *, skip: Sequence[str] = ()
) -> config.Settings:
    """Resolve the settings of a run from the flags, ``.env`` and the environment.

    Raises:
        UsageError: If a value is bad, or no input file is given anywhere (the
            package no longer falls back on a bundled demo file).
    """
    settings = config.load_settings(overrides_from_args(args, skip=skip))
    settings.input_file()
    return settings


def configure_logging(level: str) -> None:
    """Send the package's log lines to stderr, one line each."""
    debug = level == "DEBUG"
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
        if debug
        else _OneLine("%(levelname)s: %(message)s")
    )
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("ticket_analysis").setLevel(level)
    # After Ctrl-C or a dead kernel, asyncio reports nbclient's orphaned cell task
    # ("Task exception was never retrieved", with a traceback) as the process
    # ends; the runner has already said what happened in one line.
    logging.getLogger("asyncio").setLevel(logging.DEBUG if debug else logging.CRITICAL)
    if debug:
        root.setLevel(logging.DEBUG)


class _OneLine(logging.Formatter):
    """Log lines without tracebacks, whichever library logs one (DEBUG keeps them)."""

    def formatException(self, ei: Any) -> str:  # noqa: N802 (logging's name)
        """Return nothing: the line's message says what happened."""
        return ""

    def formatStack(self, stack_info: str) -> str:  # noqa: N802 (logging's name)
        """Return nothing, as for exceptions."""
        return ""


def report_error(exc: BaseException, *, debug: bool) -> int:
    """Log an error as one line (traceback if ``debug``); return its exit code.

    A :class:`TicketAnalysisError` gives its own ``exit_code``, Ctrl-C 130, any
    other exception 1.
    """
    if isinstance(exc, TicketAnalysisError):
        logger.error("%s", exc, exc_info=debug)
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        logger.error(
            "interrupted; report files already written are complete, others unchanged"
        )
        return EXIT_INTERRUPTED
    logger.error(
        "unexpected failure: %s: %s (run with --log-level DEBUG for the traceback)",
        type(exc).__name__,
        exc,
        exc_info=debug,
    )
    return EXIT_FAILURE


def initial_log_level(args: argparse.Namespace) -> str:
    """Return the log level from the flag, else LOG_LEVEL, else INFO."""
    if args.log_level:
        return str(args.log_level)
    try:
        return config.load_settings().log_level
    except UsageError:
        return "INFO"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the direct report, or the notebook report when argv starts with ``report``.

    ``argv`` excludes the program name (default ``sys.argv[1:]``); returns the
    exit code (see the module docstring).
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    prog = _prog_name()
    if args_list[:1] == [REPORT_COMMAND]:
        from ticket_analysis import report_cli  # deferred: the direct run skips it

        return report_cli.main(args_list[1:], prog=f"{prog} {REPORT_COMMAND}")
    parser = build_parser(
        prog,
        "Analyse a helpdesk ticket CSV export and write summary.json, "
        "executive_report.txt and rejected_rows.csv. "
        f"'{prog} {REPORT_COMMAND} --help': the notebook and HTML report.",
    )
    args = parser.parse_args(args_list)
    level = initial_log_level(args)
    configure_logging(level)
    try:
        from ticket_analysis import pipeline  # deferred: keeps --help fast

        settings = load_run_settings(args)
        _use_jemalloc()
        result = pipeline.run(settings)
    except (Exception, KeyboardInterrupt) as exc:
        return report_error(exc, debug=level == "DEBUG")
    return report_outcome(
        result.files.values(), result.gate_failed, result.gate_message
    )


def _use_jemalloc() -> None:
    """Make jemalloc pyarrow's allocator for this process, unless the user chose one.

    The analysis allocates and frees hundreds of MB in turn; pyarrow's default,
    mimalloc, returns freed pages to the system at once and pays page faults on
    every reuse. At a million rows jemalloc saves about 1 s of system time and
    60 MB of peak RSS (README, decisions). A process-wide switch, so only this
    entry point makes it; ``ARROW_DEFAULT_MEMORY_POOL`` set by the user wins.
    """
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    import pyarrow as pa  # deferred: --help and usage errors skip it

    try:
        pool = pa.jemalloc_memory_pool()
    except NotImplementedError:  # a pyarrow built without jemalloc
        return
    pa.set_memory_pool(pool)


def _prog_name() -> str:
    """Return how the user started the program, for usage and error lines."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return (
        "ticket-analysis" if name == "ticket-analysis" else "python -m ticket_analysis"
    )


def report_outcome(files: Iterable[Path], gate_failed: bool, gate_message: str) -> int:
    """Log the files written and the gate's verdict; return 0, or 3 if it failed."""
    for path in files:
        logger.info("wrote %s", path)
    if gate_failed:
        logger.error("%s", gate_message)
    elif gate_message:
        logger.info("%s", gate_message)
    return EXIT_GATE if gate_failed else EXIT_OK
