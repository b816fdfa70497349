"""The batch flags of ``run_report.py`` / ``ticket-analysis report``: usage errors.

Each bad combination stops with exit 2 and one line, before any worker or
kernel starts and without writing anything.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "tickets_sample.csv"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--jobs", "2"], "--jobs needs --batch"),
        (
            ["--batch-all", "--batch-limit", "3"],
            "--batch-all, --batch-limit needs --batch",
        ),
        (["--batch", "team"], "argument --batch: invalid choice: 'team'"),
        (["--batch", "agent", "--jobs", "0"], "--jobs"),
        (["--batch", "month", "--batch-limit", "-1"], "--batch-limit"),
        (["--batch", "agent", "--agent", "Agent_Tom"], "leave out --agent"),
        (["--batch", "customer", "--customer", "C100"], "leave out --customer"),
        (["--batch", "priority", "--priority", "high"], "leave out --priority"),
    ],
)
def test_bad_batch_flags_are_usage_errors(
    sandbox: Any, args: list[str], message: str
) -> None:
    out = sandbox.home / "out"
    result = sandbox.report("--input", str(SAMPLE), "--output-dir", str(out), *args)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert not out.exists()


def test_a_missing_input_stops_the_batch_before_it_starts(sandbox: Any) -> None:
    out = sandbox.home / "out"
    result = sandbox.report(
        "--input", str(sandbox.home / "nope.csv"), "--output-dir", str(out),
        "--batch", "agent",
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.startswith("ERROR: input file not found:")
    assert not out.exists()


def test_help_lists_the_batch_flags(sandbox: Any) -> None:
    result = sandbox.report("--help")
    assert result.returncode == 0
    for flag in ("--batch {agent,customer,priority,month}", "--batch-all",
                 "--batch-limit", "--jobs"):  # fmt: skip
        assert flag in result.stdout, flag
