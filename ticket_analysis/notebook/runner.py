"""Run the report notebook with papermill and export it to an offline HTML file.

papermill executes ``notebooks/ticket_report.ipynb`` in a ``python3`` kernel it
starts and shuts down itself; the notebook's first step calls ``pipeline.run``
(the CLI's code path). nbconvert's ``HTMLExporter`` with the ``offline_report``
template (no code, no script, no network, charts inlined) makes ``report.html``.
The files are one :class:`~ticket_analysis.report_set.ReportSet`: written
into its staging folder, committed only when the run is complete. A failure or
Ctrl-C leaves the output folder as it was, except that a failed cell's executed
notebook is kept as ``ticket_report.failed.ipynb``. Every setting of the report
is a notebook parameter; the weather settings and secrets reach the kernel
through its environment, never as parameters (papermill stores parameters in
the notebook).
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final

from ticket_analysis import resources
from ticket_analysis.config import Settings
from ticket_analysis.exceptions import NotebookError
from ticket_analysis.notebook import failures
from ticket_analysis.notebook.export import export_html
from ticket_analysis.notebook.status import RUN_STATUS_MIME
from ticket_analysis.outputs import (
    FAILED_NOTEBOOK_FILE,
    HTML_FILE,
    NOTEBOOK_FILE,
    REPORT_FILES,
)
from ticket_analysis.report.briefing import filter_names
from ticket_analysis.report_set import ReportSet
from ticket_analysis.summary import Filters

if TYPE_CHECKING:  # nbformat takes over a second to import: only when running
    from nbformat import NotebookNode

logger = logging.getLogger(__name__)

KERNEL_NAME: Final = "python3"
DEFAULT_TIMEOUT: Final = 300  # seconds one cell may run
START_TIMEOUT: Final = 60  # seconds the kernel may take to start
#: The files the notebook's pipeline step writes.
PIPELINE_FILES: Final = tuple(REPORT_FILES.values())
REPORT_TITLE: Final = "Support ticket report"
_HEAD_BYTES: Final = 1 << 16  # of the input, checked before the kernel starts
_ENGINE: Final = "ticket-analysis"  # see _register_engine
_START_ATTEMPTS: Final = 2  # kernel starts tried before the run fails


@dataclass(frozen=True)
class ReportRun:
    """What one notebook run produced (``exit_code`` 3: the quality gate failed)."""

    exit_code: int
    gate_failed: bool
    gate_message: str
    as_of: str | None
    files: dict[str, Path]


def notebook_parameters(settings: Settings, output_dir: Path) -> dict[str, Any]:
    """Return the papermill parameters (a relative input path means the caller's)."""
    rate = settings.max_reject_rate
    return {
        "input_path": str(settings.input_path),
        "source": settings.source or "",
        "mapping": "" if settings.mapping is None else str(settings.mapping),
        "snapshot": "" if settings.snapshot is None else str(settings.snapshot),
        "output_dir": str(output_dir),
        "as_of": settings.as_of.isoformat() if settings.as_of else "",
        "agent": settings.agent or "",
        "customer": settings.customer or "",
        "priority": settings.priority or "",
        "period_days": settings.period_days,
        "open_days": settings.open_days,
        "escalation_threshold": settings.escalation_threshold,
        "top_words": settings.top_words,
        "list_limit": settings.list_limit,
        "sla_targets_days": dict(settings.sla_targets_days),
        "finding_thresholds": asdict(settings.findings),
        "extra_stop_words": ",".join(settings.extra_stop_words),
        "max_reject_rate": "" if rate is None else repr(rate),
        "weather_enabled": settings.weather.enabled,
    }


def check_input(
    path: Path, source: str | None = None, mapping: Path | None = None
) -> None:
    """Fail before a kernel starts when the input file's start cannot be used.

    ``source`` and ``mapping`` are ``--source`` and ``--mapping``, as the load
    will use them.

    Raises:
        InputError: The file is missing, unreadable, empty, binary or lacks the
            required columns (the CLI's message); the rows are checked later.
        UsageError: A bad ``--source`` or mapping file, or an ambiguous header.
    """
    if not (path.is_file() and os.access(path, os.R_OK)):
        from ticket_analysis.ingest.loader import (
            read_input,  # pandas: only on this path
        )

        read_input(path)  # raises the loader's InputError for this path
    from ticket_analysis.ingest.reading import check_start

    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES + 1)
    check_start(
        head[:_HEAD_BYTES],
        str(path),
        whole=len(head) <= _HEAD_BYTES,
        profile=source,
        mapping=mapping,
    )


def report_title(as_of: str | None, filters: Filters) -> str:
    """Return report.html's page title: the slice's filters, then the report date.

    A batch's reports open side by side in a browser's tabs: each names its slice.
    """
    parts = [REPORT_TITLE, *filter_names(filters)]
    if as_of:
        parts.append(f"as of {as_of}")
    return " — ".join(parts)


def run_notebook_report(
    settings: Settings,
    *,
    notebook: Path | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    html: bool = True,
    cwd: Path | None = None,
    progress_bar: bool = False,
) -> ReportRun:
    """Execute the report notebook, export the HTML report, commit the set.

    Args:
        settings: The resolved settings of the run.
        notebook: Defaults to :func:`ticket_analysis.resources.report_notebook`
            (tests pass fixture notebooks).
        timeout: Seconds one cell may run before the run fails.
        html: False leaves ``report.html`` out of the set.
        cwd: The kernel's working folder; None keeps the current one.
        progress_bar: Show papermill's progress bar on stderr.

    Raises:
        InputError: The input cannot be used (nothing written).
        UsageError: No input file is set, or a parameter was rejected by the
            notebook (nothing written).
        OutputError: The output folder or a report cannot be written.
        NotebookError: A cell failed, timed out, or the kernel died.
    """
    check_input(settings.input_file(), settings.source, settings.mapping)
    notebook = notebook or resources.report_notebook()
    names = [*PIPELINE_FILES, NOTEBOOK_FILE, *([HTML_FILE] if html else [])]
    with ReportSet(settings.output_dir, names) as report_set:
        out, staged = report_set.out_dir, report_set.path(NOTEBOOK_FILE)
        try:
            executed = _execute(
                notebook.resolve(),
                staged,
                parameters=notebook_parameters(settings, report_set.staging),
                timeout=timeout,
                cwd=cwd,
                progress_bar=progress_bar,
            )
            status = _run_status(executed, notebook)
        except NotebookError:
            if staged.is_file():  # one rename: the diagnostic file is never partial
                staged.replace(out / FAILED_NOTEBOOK_FILE)
            raise
        staged.write_text(_final_text(executed, staged, out), encoding="utf-8")
        as_of = status.get("as_of")
        if html:
            title = report_title(as_of, settings.filters)
            export_html(executed, report_set.path(HTML_FILE), title=title)
        report_set.commit()
    (out / FAILED_NOTEBOOK_FILE).unlink(missing_ok=True)
    for notice in status.get("notices", []):
        logger.warning("%s", notice)
    files = {key: out / Path(str(path)).name for key, path in status["files"].items()}
    files["notebook"] = out / NOTEBOOK_FILE
    if html:
        files["html"] = out / HTML_FILE
    return ReportRun(
        exit_code=int(status["exit_code"]),
        gate_failed=bool(status["gate_failed"]),
        gate_message=str(status["gate_message"]),
        as_of=as_of,
        files=files,
    )


# --- execution and failure mapping ---------------------------------------------


def _execute(
    notebook: Path,
    output: Path,
    *,
    parameters: dict[str, Any],
    timeout: int,
    cwd: Path | None,
    progress_bar: bool,
) -> NotebookNode:
    """Run papermill (it starts and stops the kernel); map its failures."""
    import nbformat
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    logger.info("executing %s (kernel %s)", notebook, KERNEL_NAME)
    with tempfile.TemporaryFile() as console:
        try:
            result = papermill.execute_notebook(
                str(notebook),
                str(output),
                parameters=parameters,
                kernel_name=KERNEL_NAME,
                cwd=None if cwd is None else str(cwd),
                execution_timeout=timeout,
                start_timeout=START_TIMEOUT,
                progress_bar=progress_bar,
                engine_name=_register_engine(),
                # engine kwargs, for nbclient and the kernel's start
                kernel_env=dict(os.environ),
                kernel_console=console,
                shutdown_kernel="immediate",  # the report files are complete by then
                log=_client_log(),
            )
        except PapermillExecutionError as exc:
            if exc.ename == "KeyboardInterrupt":  # Ctrl-C reached the kernel too
                raise KeyboardInterrupt from None
            raise failures.cell_error(exc, notebook) from None
        except (CellTimeoutError, DeadKernelError) as exc:
            index, where = failures.running_cell(output, notebook)
            message = (
                f"notebook {where} timed out after {timeout} s (raise --timeout if "
                "the data is large)"
                if isinstance(exc, CellTimeoutError)
                else f"the kernel died while running notebook {where} (out of memory?)"
            )
            raise failures.notebook_error(message, exc, index) from None
        except (OSError, RuntimeError, ValueError, KeyError) as exc:
            # The kernel could not start (missing kernelspec, died), a bad notebook.
            name = f"{type(exc).__name__}: {failures.one_line(str(exc))}"
            raise failures.notebook_error(
                f"cannot run the notebook {notebook}: {name}", exc
            ) from exc
        finally:
            _log_console(console)
    node: NotebookNode = nbformat.from_dict(result)  # type: ignore[no-untyped-call]
    return node


def _register_engine() -> str:
    """Register papermill's nbclient engine with the kernel's environment and console.

    papermill's own engine starts the kernel with this process's environment and
    terminal; nbclient's ``execute()`` passes its keywords on to ``start_kernel``,
    where the run's variables and a file for the kernel process's own output
    (start-up warnings, not cell outputs) go. Registering again is harmless.
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class ReportEngine(NBClientEngine):  # type: ignore[misc]
        """NBClientEngine with the kernel's environment and console."""

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man: Any,
            kernel_name: str,
            *,
            kernel_env: dict[str, str],
            kernel_console: IO[bytes],
            start_timeout: int = START_TIMEOUT,
            execution_timeout: int | None = None,
            input_path: str | None = None,
            **kwargs: Any,
        ) -> Any:
            for attempt in range(1, _START_ATTEMPTS + 1):
                client = PapermillNotebookClient(
                    nb_man,
                    kernel_name=kernel_name,
                    timeout=execution_timeout,
                    startup_timeout=start_timeout,
                    **kwargs,
                )
                try:
                    return client.execute(
                        env=kernel_env, stdout=kernel_console, stderr=kernel_console
                    )
                except RuntimeError as exc:  # DeadKernelError is one too
                    if _any_cell_started(nb_man.nb) or attempt == _START_ATTEMPTS:
                        raise
                    # A kernel that dies or hangs before its first reply (a TCP
                    # port taken between being picked and bound, say) ran
                    # nothing: nbclient has shut it down, start one more.
                    logger.warning("the kernel did not start (%s); retrying", exc)
            raise AssertionError("unreachable")

    papermill_engines.register(_ENGINE, ReportEngine)
    return _ENGINE


def _any_cell_started(nb: Any) -> bool:
    """Tell whether papermill recorded a start time on any cell of the run."""
    return any(c.metadata.get("papermill", {}).get("start_time") for c in nb.cells)


def _client_log() -> logging.Logger:
    """Return nbclient's logger: ours under DEBUG, else a silent one.

    nbclient repeats each failure in its own words; the runner reports it in one.
    """
    if logger.isEnabledFor(logging.DEBUG):
        return logger.getChild("nbclient")
    silent = logging.Logger("ticket_analysis.silent")  # not registered: no handlers
    silent.disabled = True
    return silent


def _log_console(console: IO[bytes]) -> None:
    """Log what the kernel process wrote to its console, at DEBUG level."""
    console.seek(0)
    for line in console.read().decode("utf-8", "replace").splitlines():
        if line.strip():
            logger.debug("kernel: %s", line.rstrip())


def _run_status(executed: NotebookNode, notebook: Path) -> dict[str, Any]:
    """Read the pipeline step's run status; fail if the notebook stopped early."""
    status: dict[str, Any] = {}
    for number, cell in enumerate(executed.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                # papermill lets sys.exit(0) pass as a success; a cut report is not.
                index, where = failures.cell_name(number, cell.source, notebook)
                ename, evalue = str(output.ename), failures.one_line(str(output.evalue))
                raise NotebookError(
                    f"notebook {where} stopped the notebook: {ename}: {evalue}",
                    cell_index=index,
                    ename=ename,
                    evalue=evalue,
                )
            status = dict(output.get("data", {}).get(RUN_STATUS_MIME, status))
    if not status:
        raise NotebookError(
            "the notebook finished without running its report step (no run status "
            "found): check that it calls pipeline.run and nd.show_run_status",
            cell_index=None,
            ename="MissingRunStatus",
            evalue="",
        )
    written = {Path(str(path)).name for path in status.get("files", {}).values()}
    missing = ", ".join(name for name in PIPELINE_FILES if name not in written)
    if missing:
        raise NotebookError(
            f"the notebook finished but did not write {missing}",
            cell_index=None,
            ename="MissingOutput",
            evalue=missing,
        )
    return status


def _final_text(executed: NotebookNode, staged: Path, out: Path) -> str:
    """Return the executed notebook's text naming the output folder, not staging.

    The staging path is in the parameters (metadata and injected cell) and in the
    run status the pipeline step shows; that folder is gone after the commit.
    """
    import json

    import nbformat

    executed.metadata.setdefault("papermill", {})["output_path"] = str(staged)
    text: str = nbformat.writes(executed)  # type: ignore[no-untyped-call]
    staging = json.dumps(str(staged.parent))[1:-1]
    return text.replace(staging, json.dumps(str(out))[1:-1])
