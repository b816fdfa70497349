"""The batch benchmark's harness: its arithmetic, read check, exit codes (no timing).

Nothing here times anything: the commands are stand-ins (``python -c``), the
read check gets hand-written logs and notebooks, and the exit codes come from a
missing prerequisite or a failing command.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import batch_bench
from ticket_analysis.ingest.loader import load_tickets


def test_the_bound_is_batch_over_floor_plus_parse() -> None:
    assert batch_bench.bound_ratio(10.0, 4.0, 1.0) == 2.0
    assert batch_bench.bound_ratio(3.0, 5.0, 1.0) == 0.5
    assert batch_bench.verdict(2.0) == "PASS"
    assert batch_bench.verdict(2.01) == "MISS"


def test_run_pool_runs_every_command(tmp_path: Path) -> None:
    touch = "import pathlib, sys; pathlib.Path(sys.argv[1]).touch()"
    marks = [tmp_path / f"mark{n}" for n in range(3)]
    commands = [[sys.executable, "-c", touch, str(mark)] for mark in marks]
    assert batch_bench.run_pool(commands, 2) > 0.0
    assert all(mark.exists() for mark in marks)


def test_a_failing_command_ends_the_pool_with_its_last_error_line() -> None:
    fail = "import sys; sys.stderr.write('first\\nboom\\n'); sys.exit(3)"
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]
    with pytest.raises(batch_bench.BenchError) as caught:
        batch_bench.run_pool([sleeper, [sys.executable, "-c", fail]], 2)
    assert str(caught.value) == "python -c failed (exit 3): boom"
    assert caught.value.exit_code == 1


def _notebook(path: Path, injected: str) -> Path:
    """Write an executed notebook with the parameters cell and an injected one."""
    cells = [
        {"cell_type": "code", "metadata": {"tags": ["parameters"]},
         "source": ['snapshot: str = ""  # default\n']},
        {"cell_type": "code", "metadata": {"tags": ["injected-parameters"]},
         "source": ["# Parameters\n", injected]},
    ]  # fmt: skip
    path.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    return path


def test_read_check_passes_when_no_kernel_opened_the_csv(tmp_path: Path) -> None:
    books = [
        _notebook(tmp_path / f"{n}.ipynb", 'snapshot = "/tmp/snap"\n') for n in (1, 2)
    ]
    log = ["parent\t10", "parent\t10", "worker\t11", "worker\t12"]
    text, passed = batch_bench.read_check(log, books)
    assert passed
    assert text == (
        "opens of the CSV by process: kernel 0, parent 2, worker 2; "
        "slices whose notebook read the snapshot: 2/2"
    )


def test_read_check_misses_a_kernel_open_or_an_empty_snapshot(tmp_path: Path) -> None:
    good = _notebook(tmp_path / "good.ipynb", 'snapshot = "/tmp/snap"\n')
    empty = _notebook(tmp_path / "empty.ipynb", 'snapshot = ""\n')
    assert not batch_bench.read_check(["kernel\t13"], [good])[1]
    text, passed = batch_bench.read_check([], [good, empty])
    assert not passed
    assert text.endswith("read the snapshot: 1/2")
    assert not batch_bench.read_check([], [])[1]  # no slice: nothing shown


def test_the_hook_logs_opens_of_the_watched_file_by_role(tmp_path: Path) -> None:
    hook, watched, log = tmp_path / "hook", tmp_path / "t.csv", tmp_path / "log"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(batch_bench.HOOK_SOURCE, encoding="utf-8")
    watched.write_text("x\n", encoding="utf-8")
    fake_kernel = tmp_path / "ipykernel_launcher.py"
    fake_kernel.write_text(f"open({str(watched)!r}).close()\n", encoding="utf-8")
    spawn = (
        "import multiprocessing as mp, sys\n"
        "if __name__ == '__main__':\n"
        "    open(sys.argv[1]).close(); open(sys.argv[1] + '.other', 'w').close()\n"
        "    p = mp.get_context('spawn').Process(target=open, args=(sys.argv[1],))\n"
        "    p.start(); p.join()\n"
    )
    script = tmp_path / "parent.py"
    script.write_text(spawn, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(hook), BATCH_BENCH_LOG=str(log))
    env["BATCH_BENCH_WATCH"] = os.path.realpath(watched)
    for argv in ([str(script), str(watched)], [str(fake_kernel)]):
        subprocess.run([sys.executable, *argv], env=env, check=True, timeout=60)
    roles = [line.split("\t")[0] for line in log.read_text("utf-8").splitlines()]
    assert roles == ["parent", "worker", "kernel"]


def test_a_missing_prerequisite_exits_2_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(batch_bench, "RUN_REPORT", batch_bench.REPO_ROOT / "nope.py")
    assert batch_bench.main(["--cases", "sample"]) == 2
    assert capsys.readouterr().err == "batch_bench: nope.py does not exist\n"


def test_an_unknown_case_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert batch_bench.main(["--cases", "1m"]) == 2
    assert capsys.readouterr().err == "batch_bench: --cases: unknown case '1m'\n"


@pytest.mark.slow
def test_the_large_file_keeps_every_record_with_the_agents_folded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch_bench, "DATA_DIR", tmp_path)
    folded = batch_bench.ensure_large(5000, 12)
    plain = tmp_path / "plain.csv"
    subprocess.run(
        [sys.executable, "-m", "benchmarks.generate", "--rows", "5000", "--quiet",
         "--output", str(plain)],
        cwd=batch_bench.REPO_ROOT, check=True, timeout=120,
    )  # fmt: skip
    before, after = load_tickets(plain), load_tickets(folded)
    assert before.tickets["assigned_to"].nunique() == 27  # round(10 log10(5000) - 10)
    assert after.tickets["assigned_to"].nunique() == 12
    assert len(after.tickets) == len(before.tickets)
    assert after.quality == before.quality
    assert batch_bench.ensure_large(5000, 12) == folded  # cached
