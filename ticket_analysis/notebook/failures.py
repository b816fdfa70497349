"""Name the notebook cell a run failed in and map the failure to the package's errors.

papermill reports the index of the cell in the executed notebook, which holds its
``injected-parameters`` cell; users read the source notebook, so messages name
the source cell's index and its first line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ticket_analysis.exceptions import (
    InputError,
    NotebookError,
    OutputError,
    TicketAnalysisError,
    UsageError,
)

if TYPE_CHECKING:  # nbformat takes over a second to import: only when running
    from nbformat import NotebookNode

#: Errors raised in a cell that keep their class (exit 2, nothing written).
_USAGE_ERRORS: Final[dict[str, type[TicketAnalysisError]]] = {
    "InputError": InputError,
    "UsageError": UsageError,
    "OutputError": OutputError,
}


def cell_error(exc: Any, notebook: Path) -> TicketAnalysisError:
    """Map a papermill cell error: the package's own errors keep their class."""
    ename, evalue = str(exc.ename), one_line(str(exc.evalue))
    if ename in _USAGE_ERRORS:
        return _USAGE_ERRORS[ename](evalue)
    index, where = cell_name(int(exc.cell_index), str(exc.source), notebook)
    message = f"notebook {where} failed: {ename}: {evalue}"
    return NotebookError(message, cell_index=index, ename=ename, evalue=evalue)


def _read(path: Path) -> NotebookNode:
    """Read a notebook file (nbformat v4)."""
    import nbformat

    node: NotebookNode = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    return node


def running_cell(output: Path, notebook: Path) -> tuple[int | None, str]:
    """Find the cell that was running when execution stopped (from the saved file)."""
    try:
        cells = _read(output).cells
    except (OSError, ValueError):
        return None, "cell ?"
    started = [
        number
        for number, cell in enumerate(cells)
        if cell.get("metadata", {}).get("papermill", {}).get("start_time")
    ]
    if not started:
        return None, "cell ?"
    return cell_name(started[-1], cells[started[-1]].source, notebook)


def cell_name(number: int, source: str, notebook: Path) -> tuple[int | None, str]:
    """Return a cell's index in the source notebook and its name for a message.

    papermill inserts its ``injected-parameters`` cell after the ``parameters``
    cell (or replaces one already there); None is the injected cell itself.
    The name is like ``cell 5 (`plots.plot_agent_load(summary)`)``.
    """
    index: int | None = number
    try:
        tags = [c.get("metadata", {}).get("tags", []) for c in _read(notebook).cells]
    except (OSError, ValueError):
        tags = [["injected-parameters"]]  # unknown: keep the executed index
    if not any("injected-parameters" in t for t in tags):
        injected = next((i for i, t in enumerate(tags) if "parameters" in t), -1) + 1
        index = None if number == injected else number - (number > injected)
    line = next((part.strip() for part in source.splitlines() if part.strip()), "")
    line = line if len(line) <= 60 else line[:57] + "..."
    where = "injected-parameters cell" if index is None else f"cell {index}"
    return index, f"{where} (`{line}`)" if line else where


def notebook_error(
    message: str, exc: Exception, index: int | None = None
) -> NotebookError:
    """Return a NotebookError for an exception raised while running the notebook."""
    evalue = one_line(str(exc))
    return NotebookError(
        message, cell_index=index, ename=type(exc).__name__, evalue=evalue
    )


def one_line(text: str) -> str:
    """Collapse a message to one line without ANSI colour codes."""
    return " ".join(re.sub(r"\x1b\[[0-9;]*m", "", text).split())
