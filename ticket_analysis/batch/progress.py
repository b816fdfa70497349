"""Progress of a batch: a bar on a terminal, one log line per slice otherwise.

On a terminal (tqdm, installed with papermill) the bar names the slices being
run and shows an ETA; log lines are printed above it. Otherwise each slice ends
with one line: ``INFO: [3/5] agent Ann: written in 4.2 s``, or ``ERROR: ...:
failed: <reason>``. A worker's warnings are shown once each, however many
slices repeat them.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from typing import Any

from ticket_analysis.batch.slices import printable
from ticket_analysis.batch.workers import OK, SliceOutcome, SliceTask

logger = logging.getLogger(__name__)


class Progress:
    """Show which slices run and how far the batch is (a context manager)."""

    def __init__(self, total: int, dimension: str, bar: bool) -> None:
        self.total, self.done, self.dimension = total, 0, dimension
        self.running: dict[int, str] = {}
        self.seen: set[str] = set()
        self._stack = contextlib.ExitStack()
        self.bar: Any = None
        if bar and total:
            from tqdm import tqdm  # type: ignore[import-untyped]  # with papermill
            from tqdm.contrib.logging import (  # type: ignore[import-untyped]
                logging_redirect_tqdm,
            )

            self.bar = self._stack.enter_context(
                tqdm(
                    total=total,
                    desc=f"batch {dimension}",
                    unit="report",
                    file=sys.stderr,
                )
            )
            self._stack.enter_context(logging_redirect_tqdm([logging.getLogger()]))

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def started(self, task: SliceTask) -> None:
        """Note a slice handed to a worker."""
        self.running[task.index] = printable(task.slice.name)
        self.refresh()

    def finished(self, task: SliceTask, outcome: SliceOutcome) -> None:
        """Log a slice's end (its worker's warnings once each) and advance."""
        self.running.pop(task.index, None)
        self.done += 1
        for level, message in outcome.logs:
            if message not in self.seen:
                self.seen.add(message)
                logging.getLogger("ticket_analysis").log(level, "%s", message)
        what = (
            f"[{self.done}/{self.total}] {self.dimension} {printable(task.slice.name)}"
        )
        if outcome.status != OK:
            logger.error("%s: %s: %s", what, outcome.status, outcome.reason)
        elif self.bar is None:
            logger.info("%s: written in %.1f s", what, outcome.seconds)
        if self.bar is not None:
            self.bar.update(1)
        self.refresh()

    def refresh(self) -> None:
        """Show the running slices beside the bar (its ETA updates too)."""
        if self.bar is not None:
            self.bar.set_postfix_str(", ".join(self.running.values())[:60])
