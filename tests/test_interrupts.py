"""Ctrl-C at any moment of ``run_report.py`` never leaves a mixed report set.

A terminal's Ctrl-C sends SIGINT to the whole foreground process group. Each
run here starts ``run_report.py`` in a session of its own and signals that
group with ``os.killpg`` at one of a dozen moments spread over a long run (a
generated 120,000-row export), from the first milliseconds to the end of the
HTML export and the commit. Whatever the moment, the output folder holds
either the previous set byte for byte or the whole new set (every file from the
new input), the exit code is 130 or 0 (or death by SIGINT when it comes before Python
has started), stderr has no traceback, and no staging
folder, temporary file or kernel process is left behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psutil
import pytest
from expected_files import NOTEBOOK_SET

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "tickets_sample.csv"
SET_FILES = NOTEBOOK_SET
#: Moments of the interrupts, as shares of an uninterrupted run's duration.
MOMENTS = (0.0, 0.05, 0.15, 0.3, 0.45, 0.6, 0.75, 0.85, 0.92, 0.97, 1.0)
INTERRUPTED = (
    "ERROR: interrupted; report files already written are complete, others unchanged"
)

pytestmark = [pytest.mark.slow, pytest.mark.notebook]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Return every entry of a folder (hidden ones included) with its bytes."""
    return {
        p.name: p.read_bytes() if p.is_file() else b"<folder>"
        for p in sorted(folder.iterdir())
    }


def restore(folder: Path, files: dict[str, bytes]) -> None:
    """Make ``folder`` hold exactly ``files``."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)


def run_report(
    sandbox: Any, csv_path: Path, out: Path, *, interrupt_after: float | None = None
) -> tuple[int, str, float, set[tuple[int, float]]]:
    """Run run_report.py; maybe Ctrl-C its process group after some seconds.

    Returns:
        The exit code, stderr, the wall time, and every descendant process seen
        while it ran (pid, creation time).
    """
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "run_report.py"), "--input", str(csv_path),
         "--output-dir", str(out), "--no-weather"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=sandbox.home,
        env=sandbox.env(),
        start_new_session=True,
    )  # fmt: skip
    parent = psutil.Process(process.pid)
    children: set[tuple[int, float]] = set()
    signalled = False
    try:
        while process.poll() is None:
            elapsed = time.monotonic() - started
            if (
                interrupt_after is not None
                and not signalled
                and (elapsed >= interrupt_after)
            ):
                os.killpg(process.pid, signal.SIGINT)
                signalled = True
            with contextlib.suppress(psutil.Error):  # it may just have ended
                children |= {
                    (c.pid, c.create_time()) for c in parent.children(recursive=True)
                }
            assert elapsed < 180, "run_report.py hangs"
            time.sleep(0.01)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.stderr is not None
    stderr = process.stderr.read()
    process.stderr.close()
    return process.wait(), stderr, time.monotonic() - started, children


def leftover(children: set[tuple[int, float]]) -> list[int]:
    """Return the processes of a finished run that are still alive."""
    deadline = time.monotonic() + 5
    while True:
        alive = []
        for pid, created in children:
            try:
                process = psutil.Process(pid)
                if process.create_time() == created and (
                    process.status() != psutil.STATUS_ZOMBIE
                ):
                    alive.append(pid)
            except psutil.NoSuchProcess:
                pass
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def assert_new_set(files: dict[str, bytes], csv_sha256: str) -> None:
    """Every file of the set comes from the new input, as the manifest lists it."""
    summary = json.loads(files["summary.json"])
    assert summary["source"]["sha256"] == csv_sha256
    assert summary["data_quality"]["records_read"] == 120_000
    assert csv_sha256.encode() in files["report.html"]
    assert csv_sha256.encode() in files["ticket_report.ipynb"]
    text = files["executive_report.txt"].decode("utf-8")
    assert re.search(r"^Records read: +120,000$", text, re.MULTILINE)
    rejected = summary["data_quality"]["rows_rejected"]
    assert files["rejected_rows.csv"].count(b"\r\n") >= 1 + rejected
    manifest = json.loads(files["manifest.json"])
    assert {e["name"]: e["sha256"] for e in manifest["files"]} == {
        name: hashlib.sha256(data).hexdigest()
        for name, data in files.items()
        if name != "manifest.json"
    }


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated 120,000-row export (about 27 MB), written once."""
    from benchmarks.generate import write_csv

    path = tmp_path_factory.mktemp("big") / "tickets_120k.csv"
    write_csv(path, 120_000, seed=7)
    return path


def test_ctrl_c_at_any_moment_leaves_the_previous_or_the_new_set(
    sandbox: Any, big_csv: Path
) -> None:
    """Previous set byte for byte, or the whole new one; never a mix or a trace."""
    out = sandbox.home / "out"
    code, stderr, _, _ = run_report(sandbox, SAMPLE, out)
    assert code == 0, stderr
    previous = snapshot(out)
    assert sorted(previous) == SET_FILES
    csv_sha256 = hashlib.sha256(big_csv.read_bytes()).hexdigest()

    # One uninterrupted run: its duration spreads the interrupts over a whole run.
    code, stderr, duration, children = run_report(sandbox, big_csv, out)
    assert code == 0, stderr
    assert_new_set(snapshot(out), csv_sha256)
    assert leftover(children) == []

    outcomes = []
    for share in MOMENTS:
        restore(out, previous)
        code, stderr, _, children = run_report(
            sandbox, big_csv, out, interrupt_after=share * duration
        )
        where = f"interrupt at {share:.0%} of {duration:.1f} s"
        # -SIGINT: killed before Python installed its handler (a shell shows 130).
        assert code in (0, 130, -signal.SIGINT), f"{where}: {stderr[-3000:]}"
        assert "Traceback" not in stderr, f"{where}: {stderr[-3000:]}"
        errors = [line for line in stderr.splitlines() if not line.startswith("INFO")]
        expected = {0: [], 130: [INTERRUPTED]}.get(code, [])
        assert errors == expected, f"{where}: {stderr}"
        after = snapshot(out)
        assert sorted(after) == SET_FILES, f"{where}: staging or temp file left"
        if after != previous:
            assert_new_set(after, csv_sha256)
        assert leftover(children) == [], f"{where}: a kernel survived"
        outcomes.append("previous" if after == previous else "new")
    # The spread reached both sides: early interrupts keep the previous set.
    assert outcomes[0] == "previous"
