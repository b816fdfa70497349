"""Run the report notebook with papermill and export it to an offline HTML file.

:func:`run_notebook_report` is what ``run_report.py`` calls. It executes
``notebooks/ticket_report.ipynb`` in a fresh ``python3`` kernel; the notebook's
first step calls :func:`ticket_analysis.pipeline.run`, the same function as
``python -m ticket_analysis``, so ``summary.json``, ``executive_report.txt`` and
``rejected_rows.csv`` come from one code path. The runner then keeps the
executed notebook (``ticket_report.ipynb``) and exports ``report.html`` with the
``offline_report`` template: no code, no parameter cells, charts inlined as
``data:`` images, no script and no network access.

How settings reach the kernel:

- The notebook's parameters (input, output folder, as-of date, the four
  thresholds, weather on/off) are passed by papermill with the values resolved
  here from the flags, ``.env`` and the environment.
- Settings without a notebook parameter (SLA targets, extra stop words, the
  quality gate) are put in the kernel's environment for the run, where
  ``load_settings`` finds them with the same precedence as for the CLI.
- Secrets are never parameters (parameters are stored in the notebook): the
  kernel reads ``OPENWEATHER_API_KEY`` from ``.env`` or the environment itself.

Failures become :class:`~ticket_analysis.exceptions.TicketAnalysisError`
subclasses with one clear line: an input or usage error raised in a cell keeps
its class (exit 2, nothing written); a failed cell, a dead kernel or a cell
timeout becomes :class:`~ticket_analysis.exceptions.NotebookError` (exit 1)
naming the cell, and the executed notebook is kept as
``ticket_report.failed.ipynb`` for diagnosis. Reports written before the
failure stay valid: every file is replaced atomically.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final

from ticket_analysis.config import PROJ_ROOT, Settings
from ticket_analysis.exceptions import (
    InputError,
    NotebookError,
    OutputError,
    TicketAnalysisError,
    UsageError,
)
from ticket_analysis.outputs import atomic_open, prepare_output_dir, write_text

if TYPE_CHECKING:  # nbformat takes over a second to import: only when running
    from nbformat import NotebookNode

logger = logging.getLogger(__name__)

#: The committed report notebook.
DEFAULT_NOTEBOOK: Final = PROJ_ROOT / "notebooks" / "ticket_report.ipynb"
#: Folder holding the package's nbconvert templates.
TEMPLATES_DIR: Final = Path(__file__).resolve().parent / "templates"
#: The offline HTML template (``templates/offline_report``).
TEMPLATE_NAME: Final = "offline_report"
#: Kernel every run uses (the venv's own Python when run from the venv).
KERNEL_NAME: Final = "python3"
#: Default execution timeout of one cell, in seconds.
DEFAULT_TIMEOUT: Final = 300
#: Seconds to wait for the kernel to start.
START_TIMEOUT: Final = 60
#: The kernel's IPython history database (nbclient's default: none on disk).
HISTORY_FILE: Final = ":memory:"
#: Run by the kernel as it starts (see :func:`_start_kernel`): imports the
#: notebook's first step needs (pandas, matplotlib, the pipeline), leaving no
#: name behind in the notebook's namespace.
KERNEL_PRELOAD: Final = (
    "import ticket_analysis.notebook_display, ticket_analysis.plots, "
    "ticket_analysis.pipeline, ticket_analysis.metrics, ticket_analysis.validation, "
    "matplotlib.backends.backend_agg; del ticket_analysis, matplotlib"
)

NOTEBOOK_FILE: Final = "ticket_report.ipynb"
FAILED_NOTEBOOK_FILE: Final = "ticket_report.failed.ipynb"
HTML_FILE: Final = "report.html"

#: Cells left out of the HTML report (the parameter cells).
REMOVED_CELL_TAGS: Final = frozenset({"parameters", "injected-parameters"})
#: Cells whose outputs are left out of the HTML report (the run-status cell).
REMOVED_OUTPUT_TAGS: Final = frozenset({"remove-output"})
#: MIME type of the run status the notebook displays. The same value as
#: ``notebook_display.RUN_STATUS_MIME`` (a test holds them equal); not imported
#: from there because that module imports pandas, which this process never needs.
RUN_STATUS_MIME: Final = "application/vnd.ticket-analysis.run+json"
#: Report files the notebook's pipeline step must have written.
PIPELINE_FILES: Final = ("summary", "executive_report", "rejected_rows")
#: Bytes of the input checked before the kernel starts (the header is in there).
_HEAD_BYTES: Final = 1 << 16

REPORT_TITLE: Final = "Support ticket report"

#: Errors raised in a cell that keep their class (exit 2, nothing written).
_USAGE_ERRORS: Final[dict[str, type[TicketAnalysisError]]] = {
    "InputError": InputError,
    "UsageError": UsageError,
    "OutputError": OutputError,
}


@dataclass(frozen=True)
class ReportRun:
    """What one notebook run produced.

    Attributes:
        exit_code: 0, or 3 when the data-quality gate failed (reports written).
        gate_failed: True when the rejected share exceeded ``max_reject_rate``.
        gate_message: The gate's one-line verdict (empty when the gate is off).
        as_of: The report's as-of date (``YYYY-MM-DD``), None without dated rows.
        files: Report name -> path written (summary, executive_report,
            rejected_rows, notebook, and html unless turned off).
    """

    exit_code: int
    gate_failed: bool
    gate_message: str
    as_of: str | None
    files: dict[str, Path]


def notebook_parameters(settings: Settings, output_dir: Path) -> dict[str, Any]:
    """Return the papermill parameters for resolved settings.

    The input path is passed as given: the kernel runs in the caller's working
    folder, so a relative path means the same file as for the CLI and
    ``summary.json`` records the same ``source.path``.

    Args:
        settings: The resolved settings of the run.
        output_dir: The output folder, absolute.

    Returns:
        Parameter name -> value, with the types the parameters cell declares.
    """
    return {
        "input_path": str(settings.input_path),
        "output_dir": str(output_dir),
        "as_of": settings.as_of.isoformat() if settings.as_of else "",
        "open_days": settings.open_days,
        "escalation_threshold": settings.escalation_threshold,
        "top_words": settings.top_words,
        "list_limit": settings.list_limit,
        "weather_enabled": settings.weather.enabled,
    }


def kernel_environment(settings: Settings) -> dict[str, str]:
    """Return the variables that carry settings the notebook has no parameter for.

    Args:
        settings: The resolved settings of the run.

    Returns:
        ``SLA_TARGETS_DAYS``, ``EXTRA_STOP_WORDS`` and ``MAX_REJECT_RATE``
        (empty text = not set), in the syntax ``load_settings`` parses.
    """
    rate = settings.max_reject_rate
    return {
        "SLA_TARGETS_DAYS": ",".join(
            f"{priority}={days}" for priority, days in settings.sla_targets_days.items()
        ),
        "EXTRA_STOP_WORDS": ",".join(settings.extra_stop_words),
        "MAX_REJECT_RATE": "" if rate is None else repr(rate),
    }


def check_input(path: Path) -> None:
    """Fail early, before a kernel starts, when the input file cannot be read.

    Only a cheap check of the file's start (readable, not empty, blank, binary
    or UTF-16, the required columns in the header); the rows are validated by
    the notebook's pipeline step (its input errors surface as
    :class:`InputError` too).

    Args:
        path: The ticket CSV.

    Raises:
        InputError: If the file cannot be used (the same message as the CLI's).
    """
    if not (path.is_file() and os.access(path, os.R_OK)):
        # Deferred: the loader imports pandas, which this process never needs
        # when the file is readable (the kernel does the analysis).
        from ticket_analysis.loader import read_input

        read_input(path)  # raises the loader's InputError for this path
    from ticket_analysis.reading import check_start  # numpy/pyarrow: only here

    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES + 1)
    check_start(head[:_HEAD_BYTES], str(path), whole=len(head) <= _HEAD_BYTES)


def run_notebook_report(
    settings: Settings,
    *,
    notebook: Path = DEFAULT_NOTEBOOK,
    timeout: int = DEFAULT_TIMEOUT,
    html: bool = True,
    cwd: Path | None = None,
    progress_bar: bool = False,
) -> ReportRun:
    """Execute the report notebook and export the HTML report.

    Args:
        settings: The resolved settings of the run.
        notebook: The notebook to execute (tests pass fixture notebooks).
        timeout: Seconds one cell may run before the run fails.
        html: False skips ``report.html``.
        cwd: The kernel's working folder; defaults to the current one, so that
            relative paths (and ``.env``) mean the same as for the CLI.
        progress_bar: Show papermill's progress bar on stderr.

    Returns:
        The exit code, the gate's verdict and the files written.

    Raises:
        InputError: The input cannot be used (nothing written).
        UsageError: A parameter was rejected by the notebook (nothing written).
        OutputError: The output folder or a report cannot be written.
        NotebookError: A cell failed, timed out, or the kernel died.
    """
    check_input(settings.input_path)
    created = _missing_folders(settings.output_dir)
    out = prepare_output_dir(settings.output_dir)
    fd, tmp_name = tempfile.mkstemp(dir=out, prefix=".ticket_report.", suffix=".ipynb")
    os.close(fd)
    tmp = Path(tmp_name)
    # nbconvert is imported and the exporter built on a second thread while the
    # kernel runs the notebook (this process only waits then).
    preload = ThreadPoolExecutor(1, thread_name_prefix="html-exporter")
    exporter: Future[Any] | None = None

    def preload_exporter() -> None:
        nonlocal exporter
        if html:
            exporter = preload.submit(html_exporter)

    try:
        executed = _execute(
            notebook.resolve(),
            tmp,
            after_imports=preload_exporter,
            parameters=notebook_parameters(settings, out),
            environment=kernel_environment(settings),
            timeout=timeout,
            cwd=Path.cwd() if cwd is None else cwd,
            progress_bar=progress_bar,
        )
        status = _run_status(executed, notebook)
        executed.metadata.setdefault("papermill", {})["output_path"] = str(
            out / NOTEBOOK_FILE
        )
        with atomic_open(out / NOTEBOOK_FILE) as handle:
            _write(executed, handle)
    except TicketAnalysisError as exc:
        if exc.exit_code == 2:
            tmp.unlink(missing_ok=True)
            _remove_empty(created)
        elif tmp.exists() and isinstance(exc, NotebookError):
            tmp.replace(out / FAILED_NOTEBOOK_FILE)
        raise
    finally:
        tmp.unlink(missing_ok=True)
        preload.shutdown(wait=False)
    (out / FAILED_NOTEBOOK_FILE).unlink(missing_ok=True)
    files = {name: Path(path) for name, path in status["files"].items()}
    files["notebook"] = out / NOTEBOOK_FILE
    for notice in status.get("notices", []):
        logger.warning("%s", notice)
    as_of = status.get("as_of")
    if html:
        title = f"{REPORT_TITLE} — as of {as_of}" if as_of else REPORT_TITLE
        files["html"] = export_html(
            executed,
            out / HTML_FILE,
            title=title,
            exporter=exporter.result() if exporter else None,
        )
    elif (out / HTML_FILE).exists():
        logger.warning(
            "%s is from an earlier run (--no-html): it does not show these figures",
            out / HTML_FILE,
        )
    return ReportRun(
        exit_code=int(status["exit_code"]),
        gate_failed=bool(status["gate_failed"]),
        gate_message=str(status["gate_message"]),
        as_of=as_of,
        files=files,
    )


def html_exporter() -> Any:
    """Return an nbconvert HTML exporter for the stakeholder report.

    Code, prompts and the parameter cells are left out; outputs of cells tagged
    ``remove-output`` too. The ``offline_report`` template has no script or
    external link and carries a Content-Security-Policy.

    Returns:
        A configured :class:`nbconvert.HTMLExporter`.
    """
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter: Any = HTMLExporter(  # type: ignore[no-untyped-call]
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(  # type: ignore[no-untyped-call]
            remove_cell_tags=set(REMOVED_CELL_TAGS),
            remove_all_outputs_tags=set(REMOVED_OUTPUT_TAGS),
        ),
        enabled=True,
    )
    return exporter


def export_html(
    nb: NotebookNode, dest: Path, *, title: str, exporter: Any = None
) -> Path:
    """Export an executed notebook to a self-contained HTML report, atomically.

    Stderr streams (library warnings, log lines) are left out: they stay in the
    executed notebook for analysts.

    Args:
        nb: The executed notebook.
        dest: The HTML file to write.
        title: The page title.
        exporter: A fresh :func:`html_exporter` (default: one is made here).

    Returns:
        The path written.
    """
    report = copy.deepcopy(nb)
    report.metadata["title"] = title
    for cell in report.cells:
        if cell.get("cell_type") == "code":
            cell.outputs = [
                output
                for output in cell.get("outputs", [])
                if not (
                    output.get("output_type") == "stream"
                    and output.get("name") == "stderr"
                )
            ]
    body, _ = (exporter or html_exporter()).from_notebook_node(
        report, resources={"metadata": {"name": title}}
    )
    return write_text(dest, str(body))


# --- execution and failure mapping ---------------------------------------------


def _is_stderr(output: Mapping[str, Any]) -> bool:
    """Tell whether a cell output is a stderr stream."""
    return output.get("output_type") == "stream" and output.get("name") == "stderr"


def _read(path: Path) -> NotebookNode:
    """Read a notebook file (nbformat v4)."""
    import nbformat

    node: NotebookNode = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    return node


def _write(nb: NotebookNode, handle: IO[Any]) -> None:
    """Write a notebook to an open text file."""
    import nbformat

    nbformat.write(nb, handle)  # type: ignore[no-untyped-call]


def _execute(
    notebook: Path,
    output: Path,
    *,
    after_imports: Callable[[], None],
    parameters: dict[str, Any],
    environment: Mapping[str, str],
    timeout: int,
    cwd: Path,
    progress_bar: bool,
) -> NotebookNode:
    """Start the kernel, run papermill; turn failures into the package's errors."""
    logger.info("executing %s (kernel %s)", notebook, KERNEL_NAME)
    with (
        tempfile.TemporaryFile() as console,
        _environment(environment),
        _quiet("papermill"),
    ):
        try:
            try:
                kernel = _start_kernel(console, cwd)
            except (OSError, RuntimeError, ValueError, KeyError) as exc:
                raise _start_error(exc, notebook) from exc
            try:
                return _run_papermill(
                    notebook,
                    output,
                    kernel,
                    after_imports=after_imports,
                    parameters=parameters,
                    timeout=timeout,
                    cwd=cwd,
                    progress_bar=progress_bar,
                )
            finally:
                _stop_kernel(kernel)
        finally:
            _log_console(console)


def _run_papermill(
    notebook: Path,
    output: Path,
    kernel: Any,
    *,
    after_imports: Callable[[], None],
    parameters: dict[str, Any],
    timeout: int,
    cwd: Path,
    progress_bar: bool,
) -> NotebookNode:
    """Execute the notebook on the started kernel; map papermill's failures.

    ``after_imports`` is called once papermill is imported: work started then on
    another thread imports nothing that papermill is still importing.
    """
    import nbformat
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    after_imports()
    try:
        result = papermill.execute_notebook(
            str(notebook),
            str(output),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            cwd=str(cwd),
            execution_timeout=timeout,
            start_timeout=START_TIMEOUT,
            progress_bar=progress_bar,
            log_output=False,
            km=kernel,
        )
    except PapermillExecutionError as exc:
        raise _cell_error(exc, notebook) from None
    except CellTimeoutError as exc:
        index, first_line = _running_cell(output, notebook)
        raise NotebookError(
            f"notebook {_cell_name(index, first_line)} timed out after {timeout} s "
            "(raise --timeout if the data is large)",
            cell_index=index,
            ename="CellTimeoutError",
            evalue=_one_line(str(exc)),
        ) from None
    except DeadKernelError as exc:
        index, first_line = _running_cell(output, notebook)
        raise NotebookError(
            f"the kernel died while running notebook {_cell_name(index, first_line)} "
            "(out of memory?)",
            cell_index=index,
            ename="DeadKernelError",
            evalue=_one_line(str(exc)),
        ) from None
    except (OSError, RuntimeError, ValueError, KeyError) as exc:
        # Kernel start-up failures (kernel died, timeouts), a bad notebook.
        raise _start_error(exc, notebook) from exc
    node: NotebookNode = nbformat.from_dict(result)  # type: ignore[no-untyped-call]
    return node


def _start_error(exc: Exception, notebook: Path) -> NotebookError:
    """Describe a failure to start the kernel or to read the notebook."""
    return NotebookError(
        f"cannot run the notebook {notebook}: {type(exc).__name__}: "
        f"{_one_line(str(exc))}",
        cell_index=None,
        ename=type(exc).__name__,
        evalue=_one_line(str(exc)),
    )


def _start_kernel(console: IO[bytes], cwd: Path) -> Any:
    """Start the report kernel now; papermill connects to it afterwards.

    Importing papermill and nbformat takes over a second, and the kernel process
    takes about as long to boot: starting the kernel first lets the two overlap
    instead of running one after the other. The kernel also imports what the
    notebook needs (:data:`KERNEL_PRELOAD`, about a second more) while this
    process is still importing, instead of in the notebook's first step. It is
    started the way nbclient would start it (in-memory IPython history), in the
    run's folder and environment. :func:`_stop_kernel` shuts it down: nbclient
    leaves a kernel it was given running.

    Args:
        console: Binary file receiving the kernel process's stdout and stderr.
        cwd: The kernel's working folder.

    Returns:
        The kernel manager, with its kernel starting.

    Raises:
        KeyError: The ``python3`` kernelspec is missing (NoSuchKernel).
        OSError: The kernel process cannot be started.
    """
    from jupyter_core.utils import run_sync

    manager = _kernel_manager_class(console)(kernel_name=KERNEL_NAME)
    run_sync(manager.start_kernel)(
        cwd=str(cwd),
        extra_arguments=[
            f"--HistoryManager.hist_file={HISTORY_FILE}",
            f"--IPKernelApp.exec_lines={KERNEL_PRELOAD}",
        ],
    )
    return manager


def _stop_kernel(manager: Any) -> None:
    """Stop a kernel from :func:`_start_kernel` at once, and release its resources.

    The notebook has finished (or failed) by then and its report files are
    already complete, so nothing in the kernel needs a graceful exit, which
    costs over half a second (nbclient's ``shutdown_kernel="immediate"``).

    Args:
        manager: The kernel manager.
    """
    from jupyter_core.utils import run_sync

    try:
        if run_sync(manager.is_alive)():
            run_sync(manager.shutdown_kernel)(now=True)
    except RuntimeError as exc:  # already gone: nothing to stop
        logger.debug("stopping the kernel: %s", exc)
    finally:
        run_sync(manager.cleanup_resources)()
        client = manager.report_client
        if client is not None:
            client.stop_channels()


def _kernel_manager_class(console: IO[bytes]) -> type[Any]:
    """Return the kernel manager class of a report run.

    - Kernel traffic is encrypted when possible (CurveZMQ keys, when pyzmq has
      Curve support and the kernelspec declares it): the kernel listens on local
      TCP ports, and no other local user should read the ticket data passing by.
    - The kernel process's own stdout and stderr (start-up warnings, messages of
      C libraries; cell outputs are not affected) go to ``console`` instead of
      the terminal, which keeps only the runner's log lines.
    - The client nbclient creates is remembered, for :func:`_stop_kernel`.

    Args:
        console: Binary file receiving the kernel process's stdout and stderr.
    """
    import zmq
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class ReportKernelManager(AsyncKernelManager):
        """An AsyncKernelManager with encryption and a captured console."""

        report_client: Any = None

        @default("transport_encryption")
        def _encryption_default(self) -> str:
            return "auto" if zmq.has("curve") else "disabled"

        async def start_kernel(self, **kw: Any) -> None:  # type: ignore[override]
            kw.setdefault("stdout", console)
            kw.setdefault("stderr", console)
            await super().start_kernel(**kw)

        def client(self, **kw: Any) -> Any:
            self.report_client = super().client(**kw)
            return self.report_client

    return ReportKernelManager


def _log_console(console: IO[bytes]) -> None:
    """Log what the kernel process wrote to its console, at DEBUG level."""
    console.seek(0)
    for line in console.read().decode("utf-8", "replace").splitlines():
        if line.strip():
            logger.debug("kernel: %s", line.rstrip())


def _cell_error(exc: Any, notebook: Path) -> TicketAnalysisError:
    """Map a papermill cell error: the package's own errors keep their class."""
    ename, evalue = str(exc.ename), _one_line(str(exc.evalue))
    own = _USAGE_ERRORS.get(ename)
    if own is not None:
        return own(evalue)
    index = _source_index(int(exc.cell_index), notebook)
    first_line = _first_line(str(exc.source))
    return NotebookError(
        f"notebook {_cell_name(index, first_line)} failed: {ename}: {evalue}",
        cell_index=index,
        ename=ename,
        evalue=evalue,
    )


def _run_status(executed: NotebookNode, notebook: Path) -> dict[str, Any]:
    """Read the pipeline step's run status; fail if the notebook stopped early."""
    status: dict[str, Any] | None = None
    for index, cell in enumerate(executed.cells):
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                # papermill lets sys.exit(0) pass as a success; a report cut short
                # is not one.
                source_index = _source_index(index, notebook)
                raise NotebookError(
                    f"notebook {_cell_name(source_index, _first_line(cell.source))} "
                    f"stopped the notebook: {output.get('ename')}: "
                    f"{_one_line(str(output.get('evalue')))}",
                    cell_index=source_index,
                    ename=str(output.get("ename")),
                    evalue=str(output.get("evalue")),
                )
            data = output.get("data", {})
            if RUN_STATUS_MIME in data:
                status = dict(data[RUN_STATUS_MIME])
    if status is None:
        raise NotebookError(
            "the notebook finished without running its report step "
            "(no run status found): check that it calls pipeline.run and "
            "notebook_display.show_run_status",
            cell_index=None,
            ename="MissingRunStatus",
            evalue="",
        )
    files = dict(status.get("files", {}))
    missing = [
        name for name in PIPELINE_FILES if not Path(str(files.get(name, ""))).is_file()
    ]
    if missing:
        raise NotebookError(
            f"the notebook finished but did not write {', '.join(missing)}",
            cell_index=None,
            ename="MissingOutput",
            evalue=", ".join(missing),
        )
    return status


def _running_cell(output: Path, notebook: Path) -> tuple[int | None, str]:
    """Find the cell that was running when execution stopped (from the saved file)."""
    try:
        executed = _read(output)
    except (OSError, ValueError):
        return None, ""
    started = [
        index
        for index, cell in enumerate(executed.cells)
        if cell.get("metadata", {}).get("papermill", {}).get("start_time")
    ]
    if not started:
        return None, ""
    index = started[-1]
    return _source_index(index, notebook), _first_line(executed.cells[index].source)


def _source_index(executed_index: int, notebook: Path) -> int | None:
    """Map a cell index of the executed notebook back to the source notebook.

    papermill inserts its ``injected-parameters`` cell after the ``parameters``
    cell (or replaces an existing one); None means the injected cell itself.
    """
    try:
        source = _read(notebook)
    except (OSError, ValueError):
        return executed_index
    tags = [cell.get("metadata", {}).get("tags", []) for cell in source.cells]
    if any("injected-parameters" in t for t in tags):
        return executed_index
    parameters = next((i for i, t in enumerate(tags) if "parameters" in t), -1)
    injected = parameters + 1
    if executed_index == injected:
        return None
    return executed_index - 1 if executed_index > injected else executed_index


def _cell_name(index: int | None, first_line: str) -> str:
    """Name a cell for an error line: ``cell 5 (`plots.plot_agent_load(...)`)``."""
    where = "injected-parameters cell" if index is None else f"cell {index}"
    return f"{where} (`{first_line}`)" if first_line else where


def _first_line(source: str) -> str:
    """Return the first non-blank line of a cell's source, shortened."""
    line = next((part.strip() for part in source.splitlines() if part.strip()), "")
    return line if len(line) <= 60 else line[:57] + "..."


def _one_line(text: str) -> str:
    """Collapse a message to one line without ANSI colour codes."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return " ".join(text.split())


@contextlib.contextmanager
def _quiet(name: str) -> Iterator[None]:
    """Silence a library logger during the run, unless DEBUG logging is on.

    papermill's logger (which nbclient also uses) repeats each failure in its own
    words; the runner reports every failure itself, in one line.
    """
    library = logging.getLogger(name)
    saved = library.level
    if not logger.isEnabledFor(logging.DEBUG):
        library.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        library.setLevel(saved)


@contextlib.contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the kernel's start, restoring them after."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _missing_folders(path: Path) -> list[Path]:
    """Return the folders of ``path`` that do not exist yet, deepest first."""
    missing = []
    current = path.absolute()
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    return missing


def _remove_empty(folders: list[Path]) -> None:
    """Remove folders this run created, deepest first, if they are still empty."""
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()
