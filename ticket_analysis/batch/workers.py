"""Worker processes that run one slice's notebook at a time.

Each worker is a spawned process (no fork of a parent holding pyarrow's
threads) with a pipe to the parent: it receives a :class:`SliceTask`, runs
:func:`~ticket_analysis.notebook.runner.run_notebook_report` (papermill starts
and stops the slice's own kernel) and sends back a :class:`SliceOutcome`. A
failure of any kind becomes the outcome's reason; only the parent decides what
happens next.

Ctrl-C: the first SIGINT a worker receives (the terminal signals the whole
process group; the parent also forwards one) interrupts the running notebook,
whose run shuts its kernel down and discards its staging folder, so the slice
folder keeps its previous set; every later SIGINT is ignored, so nothing
interrupts that clean-up. Workers start with SIGINT ignored (see
:func:`start_workers`): a Ctrl-C while one is still importing cannot kill it
with a traceback.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Final

from ticket_analysis.batch.slices import Slice
from ticket_analysis.config import Settings
from ticket_analysis.exceptions import TicketAnalysisError

OK: Final = "ok"
FAILED: Final = "failed"
INTERRUPTED: Final = "interrupted"
NOT_RUN: Final = "not run"


@dataclass(frozen=True)
class SliceTask:
    """What a worker needs to run one slice."""

    index: int
    slice: Slice
    settings: Settings
    notebook: Path
    timeout: int
    html: bool


@dataclass(frozen=True)
class SliceOutcome:
    """How one slice ended.

    Attributes:
        status: :data:`OK`, :data:`FAILED`, :data:`INTERRUPTED` or :data:`NOT_RUN`.
        reason: Why it failed or did not run (empty when it ran).
        exit_code: The run's code (0, or 3 when the quality gate failed).
        gate_message: The quality gate's verdict, when the gate is on.
        logs: The worker's log records of the run, as (level, message).
    """

    index: int
    status: str
    reason: str = ""
    exit_code: int | None = None
    gate_message: str = ""
    seconds: float = 0.0
    logs: tuple[tuple[int, str], ...] = field(default=())


@dataclass
class Worker:
    """A worker process seen from the parent, with the task it is running."""

    process: multiprocessing.process.BaseProcess
    conn: Connection
    task: SliceTask | None = None
    started: float = 0.0


def start_workers(count: int, log_level: str) -> list[Worker]:
    """Start ``count`` spawned workers; they import the notebook runner at once.

    SIGINT is ignored while they start: they inherit that (a Ctrl-C in the
    milliseconds of the start is lost) and install their own handler.
    """
    context = multiprocessing.get_context("spawn")
    workers = []
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        for number in range(count):
            parent_end, child_end = context.Pipe()
            process = context.Process(
                target=worker_main,
                args=(child_end, log_level),
                name=f"ticket-analysis-batch-{number + 1}",
                daemon=False,  # a daemon could not start kernels of its own
            )
            process.start()
            child_end.close()
            workers.append(Worker(process, parent_end))
    finally:
        signal.signal(signal.SIGINT, previous)
    return workers


# --- inside the worker process ----------------------------------------------------


class _State:
    """The worker's interrupt state (one per process)."""

    running = False
    interrupted = False


def _on_sigint(signum: int, frame: object) -> None:
    """Interrupt the running slice once; ignore every later SIGINT."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _State.interrupted = True
    if _State.running:
        raise KeyboardInterrupt


class _Capture(logging.Handler):
    """Keep the log records of the running slice, for the parent to show."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record's level and message."""
        self.records.append((record.levelno, record.getMessage()))


def worker_main(conn: Connection, log_level: str) -> None:
    """Run the tasks the parent sends until it sends None or Ctrl-C arrives."""
    signal.signal(signal.SIGINT, _on_sigint)
    capture = _Capture()
    logging.getLogger().addHandler(capture)
    package = logging.getLogger("ticket_analysis")
    # The parent logs each slice in one line; a worker passes on only what
    # adds to it (warnings, errors), or everything at DEBUG.
    package.setLevel(logging.DEBUG if log_level == "DEBUG" else logging.WARNING)
    # As cli.configure_logging: no orphaned-task report after a kernel dies.
    if log_level != "DEBUG":
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    from ticket_analysis.notebook import runner  # the imports, before any task

    del runner
    with contextlib.suppress(EOFError, OSError, KeyboardInterrupt):
        while not _State.interrupted:
            task = conn.recv()
            if task is None:
                break
            capture.records.clear()
            conn.send(_run_task(task, capture))


def _run_task(task: SliceTask, capture: _Capture) -> SliceOutcome:
    """Run one slice's notebook; turn any failure into the outcome."""
    from ticket_analysis.notebook.runner import run_notebook_report

    started = time.monotonic()
    fields: dict[str, Any] = {}
    try:
        with _interruptible():
            run = run_notebook_report(
                task.settings,
                notebook=task.notebook,
                timeout=task.timeout,
                html=task.html,
            )
        fields = {
            "status": OK,
            "exit_code": run.exit_code,
            "gate_message": run.gate_message,
        }
    except KeyboardInterrupt:
        fields = {"status": INTERRUPTED, "reason": "interrupted (Ctrl-C)"}
    except TicketAnalysisError as exc:
        fields = {"status": FAILED, "reason": str(exc)}
    except Exception as exc:  # any failure of one slice must not stop the others
        fields = {"status": FAILED, "reason": f"{type(exc).__name__}: {exc}"}
    return SliceOutcome(
        task.index,
        seconds=time.monotonic() - started,
        logs=tuple(capture.records),
        **fields,
    )


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    """Let SIGINT raise KeyboardInterrupt inside the block (unless one came)."""
    if _State.interrupted:
        raise KeyboardInterrupt
    _State.running = True
    try:
        yield
    finally:
        _State.running = False


def worker_pid(worker: Worker) -> int | None:
    """Return the worker's process id while it runs, else None."""
    process = worker.process
    return process.pid if process.is_alive() else None


def interrupt(worker: Worker) -> None:
    """Forward Ctrl-C to a busy worker (a second one is ignored there)."""
    pid = worker_pid(worker)
    if pid is not None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGINT)
