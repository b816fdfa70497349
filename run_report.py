"""Batch entry point: run the report notebook and export the HTML report.

Usage::

    python run_report.py --input FILE [--output-dir DIR] [--no-html] [--timeout S] ...

The same as ``ticket-analysis report`` (:mod:`ticket_analysis.report_cli`): the
direct run's flags plus ``--no-html`` and ``--timeout``; writes summary.json,
executive_report.txt, rejected_rows.csv, the executed ticket_report.ipynb and
report.html. Exit codes: 0 written; 2 input or usage error; 3 quality gate
failed (reports still written); 1 a cell failed, the kernel died or timed out.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from ticket_analysis import report_cli


def main(argv: Sequence[str] | None = None, *, notebook: Path | None = None) -> int:
    """Run the notebook report (tests pass fixture notebooks); return the exit code."""
    return report_cli.main(argv, notebook=notebook, prog="run_report.py")


if __name__ == "__main__":
    sys.exit(main())
