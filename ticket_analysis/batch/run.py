"""A batch: parse once, run every slice's notebook in parallel, write the index.

``run_batch`` starts the worker processes first (their imports overlap the
parse), reads and validates the input once into a snapshot that every slice's
notebook reads, hands the slices to the workers one at a time, and writes
``index.json`` and ``index.html`` in ``<output-dir>/batch-<dimension>/`` as one
set once every slice has ended. A slice that fails is recorded and the others
go on; Ctrl-C stops every worker (each shuts its kernel down), leaves every
finished slice whole, keeps the previous index and raises KeyboardInterrupt.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import tempfile
import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, date, datetime
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any, Final

from ticket_analysis import resources
from ticket_analysis.batch import index as batch_index
from ticket_analysis.batch.progress import Progress
from ticket_analysis.batch.slices import Slice, check_dimension, plan_slices
from ticket_analysis.batch.workers import (
    FAILED,
    NOT_RUN,
    OK,
    SliceOutcome,
    SliceTask,
    Worker,
    interrupt,
    start_workers,
)
from ticket_analysis.config import Settings
from ticket_analysis.notebook.runner import DEFAULT_TIMEOUT, check_input
from ticket_analysis.report_set import ReportSet

logger = logging.getLogger(__name__)

#: Seconds the workers get to stop their kernels after Ctrl-C, then they are killed.
STOP_SECONDS: Final = 30
_POLL_SECONDS: Final = 0.5


@dataclass(frozen=True)
class BatchResult:
    """What a batch produced: its folder, index and every slice's outcome."""

    folder: Path
    index: dict[str, Any]
    failed: list[str]
    gate_failed: bool
    gate_message: str

    @property
    def exit_code(self) -> int:
        """1 when a slice failed, 3 when the quality gate failed, else 0."""
        return 1 if self.failed else 3 if self.gate_failed else 0


def run_batch(
    settings: Settings,
    dimension: str,
    *,
    jobs: int | None = None,
    include_all: bool = False,
    limit: int | None = None,
    notebook: Path | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    html: bool = True,
    progress: bool = False,
) -> BatchResult:
    """Make one full report per slice of ``dimension``, and their index.

    Args:
        settings: The batch's settings; each slice changes one of them.
        dimension: ``agent``, ``customer``, ``priority`` or ``month``.
        jobs: Worker processes, each running one kernel (default: the CPUs).
        include_all: ``customer``: every customer, not only the escalation
            candidates.
        limit: At most this many slices (``month``: month ends, default 12).
        notebook: The notebook each slice runs (tests pass fixtures).
        timeout: Seconds one notebook cell may run.
        html: False leaves ``report.html`` out of every slice.
        progress: Show a progress bar (on a terminal) instead of a line per slice.

    Raises:
        InputError, UsageError, OutputError: Before any slice ran.
        KeyboardInterrupt: Ctrl-C; the workers and their kernels have stopped.
    """
    check_dimension(dimension, settings)
    check_input(settings.input_file(), settings.source, settings.mapping)
    notebook = (notebook or resources.report_notebook()).resolve()
    folder = settings.output_dir / f"batch-{dimension}"
    level = logging.getLevelName(logging.getLogger("ticket_analysis").level)
    with ReportSet(folder, batch_index.INDEX_FILES) as index_set:
        workers = start_workers(jobs or default_jobs(), str(level))
        try:
            with tempfile.TemporaryDirectory(prefix="ticket-analysis-batch-") as tmp:
                slices, as_of, source = _prepare(
                    settings, dimension, Path(tmp), include_all, limit
                )
                tasks = [
                    SliceTask(
                        number,
                        piece,
                        _slice_settings(
                            settings, piece, index_set.out_dir, Path(tmp), as_of
                        ),
                        notebook,
                        timeout,
                        html,
                    )
                    for number, piece in enumerate(slices)
                ]
                outcomes = _drive(workers, tasks, dimension, progress)
        finally:
            _stop(workers)
        index = batch_index.build_index(
            dimension, settings, as_of, source, slices, outcomes, index_set.out_dir,
            include_all=include_all, limit=limit,
        )  # fmt: skip
        batch_index.write_index(index_set, index)
        index_set.commit()
    failed = [entry["name"] for entry in index["slices"] if entry["status"] != OK]
    gate = next((o for o in outcomes.values() if o.gate_message), None)
    return BatchResult(
        index_set.out_dir,
        index,
        failed,
        gate_failed=any(o.exit_code == 3 for o in outcomes.values()),
        gate_message="" if gate is None else gate.gate_message,
    )


def default_jobs() -> int:
    """Return how many CPUs this process may use (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _prepare(
    settings: Settings,
    dimension: str,
    folder: Path,
    include_all: bool,
    limit: int | None,
) -> tuple[list[Slice], date, dict[str, Any]]:
    """Parse the input once into a snapshot in ``folder``; plan the slices."""
    from ticket_analysis import pipeline
    from ticket_analysis.metrics import default_as_of
    from ticket_analysis.snapshot import write_snapshot

    started = time.monotonic()
    today = datetime.now(UTC).date()
    load = pipeline._load(settings.model_copy(update={"snapshot": None}), today)
    as_of = settings.as_of or default_as_of(load.tickets, today=today) or today
    slices = plan_slices(
        dimension, load.tickets, settings, as_of, include_all=include_all, limit=limit
    )
    write_snapshot(load, folder)
    logger.info(
        "%s: %d records parsed once in %.1f s; %d %s report(s) as of %s",
        Path(load.source.path).name,
        load.quality.records_read,
        time.monotonic() - started,
        len(slices),
        dimension,
        as_of.isoformat(),
    )
    return slices, as_of, load.source.model_dump(mode="json")


def _slice_settings(
    settings: Settings, piece: Slice, batch_dir: Path, snapshot: Path, as_of: date
) -> Settings:
    """Return the settings of one slice: its change, folder, snapshot and as_of.

    Every slice gets the batch's as_of (a month slice its own), so that no
    slice derives another one from the day it happens to run.
    """
    update: dict[str, Any] = {
        "output_dir": batch_dir / piece.folder,
        "snapshot": snapshot,
        "as_of": as_of,
        **piece.update,
    }
    return settings.model_copy(update=update)


# --- the workers' loop ---------------------------------------------------------------


def _drive(
    workers: list[Worker], tasks: list[SliceTask], dimension: str, bar: bool
) -> dict[int, SliceOutcome]:
    """Hand the tasks to the workers one at a time; return every outcome by index."""
    pending = deque(tasks)
    outcomes: dict[int, SliceOutcome] = {}
    with Progress(len(tasks), dimension, bar) as progress:
        try:
            for worker in workers:
                _assign(worker, pending, progress)
            while busy := [w for w in workers if w.task is not None]:
                ready = wait(
                    [w.conn for w in busy] + [w.process.sentinel for w in busy],
                    timeout=_POLL_SECONDS,
                )
                for worker in busy:
                    outcome = _collect(worker, ready)
                    if outcome is None:
                        continue
                    task, worker.task = worker.task, None
                    assert task is not None
                    outcomes[task.index] = outcome
                    progress.finished(task, outcome)
                    _assign(worker, pending, progress)
                progress.refresh()
        except KeyboardInterrupt:
            _interrupt_all(workers, outcomes)
            raise
    for task in pending:  # every worker died
        outcomes[task.index] = SliceOutcome(
            task.index, NOT_RUN, "no worker process left to run it"
        )
    return outcomes


def _assign(worker: Worker, pending: deque[SliceTask], progress: Progress) -> None:
    """Send the worker its next task, or None to end it."""
    if not worker.process.is_alive():
        return
    task = pending.popleft() if pending else None
    with contextlib.suppress(OSError):
        worker.conn.send(task)
        worker.task, worker.started = task, time.monotonic()
        if task is not None:
            progress.started(task)
            return
    if task is not None:  # the worker is gone: another one takes it
        pending.appendleft(task)


def _collect(worker: Worker, ready: list[Any]) -> SliceOutcome | None:
    """Return the worker's outcome if it sent one or died, else None."""
    assert worker.task is not None
    if worker.conn in ready:
        try:
            outcome: SliceOutcome = worker.conn.recv()
            return outcome
        except (EOFError, OSError):
            pass
    elif worker.process.sentinel not in ready:
        return None
    worker.process.join(1)
    code = worker.process.exitcode
    return SliceOutcome(
        worker.task.index,
        FAILED,
        f"the worker process running it died (exit code {code})",
        seconds=time.monotonic() - worker.started,
    )


def _interrupt_all(workers: list[Worker], outcomes: dict[int, SliceOutcome]) -> None:
    """Forward Ctrl-C to the busy workers and wait for them to stop their kernels."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # let them finish
    try:
        logger.warning("interrupted: stopping the running slices and their kernels")
        for worker in workers:
            if worker.task is None:
                with contextlib.suppress(OSError):
                    worker.conn.send(None)
            else:
                interrupt(worker)
        deadline = time.monotonic() + STOP_SECONDS
        for worker in workers:
            if worker.task is not None:
                left = max(0.0, deadline - time.monotonic())
                if worker.conn.poll(left):
                    with contextlib.suppress(EOFError, OSError):
                        outcome: SliceOutcome = worker.conn.recv()
                        outcomes[outcome.index] = outcome
                worker.task = None
        _stop(workers)
    finally:
        signal.signal(signal.SIGINT, previous)


def _stop(workers: list[Worker]) -> None:
    """End every worker: ask, wait, then terminate what is left."""
    for worker in workers:
        if worker.task is None and worker.process.is_alive():
            with contextlib.suppress(OSError):
                worker.conn.send(None)
    deadline = time.monotonic() + STOP_SECONDS
    for worker in workers:
        worker.process.join(max(0.0, deadline - time.monotonic()))
        if worker.process.is_alive():
            logger.error("worker %s did not stop: terminated", worker.process.pid)
            worker.process.terminate()
            worker.process.join(5)
        worker.conn.close()
