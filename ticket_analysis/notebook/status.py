"""The run status the notebook shows and the runner reads back (no pandas here)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from ticket_analysis.pipeline import RunResult

#: MIME type of the run-status output of the notebook's first step; the runner
#: reads it back from the executed notebook (the HTML export ignores it).
RUN_STATUS_MIME: Final = "application/vnd.ticket-analysis.run+json"


def run_status(result: RunResult) -> dict[str, Any]:
    """Describe a pipeline run for the runner, JSON-ready.

    ``files`` maps report name to path; ``notices`` are lines about the input.
    """
    return {
        "exit_code": result.exit_code,
        "gate_failed": result.gate_failed,
        "gate_message": result.gate_message,
        "as_of": result.summary.as_of.isoformat(),
        "files": {name: str(path) for name, path in result.files.items()},
        "notices": result.notices,
    }


def run_status_text(status: Mapping[str, Any]) -> str:
    """Summarise a run status in one or two plain lines (shown in JupyterLab)."""
    files = [str(path) for path in dict(status.get("files", {})).values()]
    folder = str(Path(files[0]).parent) if files else "?"
    names = ", ".join(Path(path).name for path in files)
    lines = [f"Reports written to {folder}: {names}"]
    if status.get("gate_message"):
        lines.append(str(status["gate_message"]))
    return "\n".join(lines)
