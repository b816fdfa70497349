"""Batch benchmark: ``run_report.py --batch agent --jobs 2`` against its floor.

The bound: the batch's wall time ≤ 2.0 × (N one-cell papermill runs with HTML
export, run 2 at a time, + one parse of the file), N = the number of slices.
Each term is measured, in the same rounds (batch, floor, parse, alternating):

- batch: ``run_report.py --input CSV --output-dir TMP --batch agent --jobs 2
  --no-weather``, one child process, wall from spawn to exit;
- floor: bench.py's one-cell notebook (papermill + nbconvert HTML) N times, 2
  children at a time, wall from the first spawn to the last exit;
- parse: ``ingest.loader.load_tickets`` of the file alone, in a fresh process.

Cases: the sample, and a generated 100,000-row file with its 40 agents folded
onto 30. A first, untimed batch runs with an audit hook (a ``sitecustomize`` on
PYTHONPATH) logging each Python-level ``open`` of the CSV by process: a kernel
that opens it re-reads the CSV (a miss), and every slice's executed notebook
must hold a ``snapshot`` parameter.

Standard library only in this process, like bench.py. Exit codes: 0 within the
bound, 1 a miss or a failed command, 2 a prerequisite is missing (one line).
Usage: ``python -m benchmarks.batch_bench [--cases sample,100k] [--rounds 3]``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Final

from benchmarks.data import DEFAULT_DATA_DIR, GENERATOR_SOURCES, source_digest
from benchmarks.harness import PYTHON, REPO_ROOT
from benchmarks.targets import NOTEBOOK_FLOOR_SNIPPET, RUN_REPORT

SAMPLE_CSV: Final = REPO_ROOT / "data" / "tickets_sample.csv"
GENERATOR: Final = REPO_ROOT / "benchmarks" / "generate.py"
DATA_DIR: Final = DEFAULT_DATA_DIR
LIMIT: Final = 2.0
PARSE: Final = """\
import sys
from ticket_analysis.ingest.loader import load_tickets
print(len(load_tickets(sys.argv[1]).tickets))
"""
#: Installed as sitecustomize.py: logs each Python-level open of the watched file.
HOOK_SOURCE: Final = """\
import os, sys
_WATCH, _LOG = os.environ.get("BATCH_BENCH_WATCH"), os.environ.get("BATCH_BENCH_LOG")
def _role():
    if "ipykernel" in (sys.argv[:1] or [""])[0]: return "kernel"
    process = sys.modules.get("multiprocessing.process")  # spawn copies sys.argv
    return "worker" if process and process.parent_process() else "parent"
def _hook(event, args):
    path = args[0] if event == "open" and args else None
    if not isinstance(path, (str, bytes, os.PathLike)): return
    try:
        if os.path.realpath(os.fsdecode(path)) != _WATCH: return
    except (OSError, ValueError): return
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(f"{_role()}\\t{os.getpid()}\\n")
if _WATCH and _LOG: sys.addaudithook(_hook)
"""


class BenchError(Exception):
    """A prerequisite is missing (exit 2) or a command failed (exit 1)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def run_pool(
    commands: Sequence[Sequence[str]], jobs: int, env: dict[str, str] | None = None
) -> float:
    """Run the commands ``jobs`` at a time; return the first spawn-to-last-exit wall.

    Raises:
        BenchError: A command exited non-zero (its last stderr line is quoted).
    """
    pending, started, null = list(commands), time.perf_counter(), subprocess.DEVNULL
    running: dict[int, tuple[Sequence[str], subprocess.Popen[bytes], IO[bytes]]] = {}
    while pending or running:
        while pending and len(running) < jobs:
            argv, log = pending.pop(0), tempfile.TemporaryFile()  # noqa: SIM115
            child = subprocess.Popen(argv, cwd=REPO_ROOT, env=env,
                                     stdin=null, stdout=null, stderr=log)  # fmt: skip
            running[child.pid] = (argv, child, log)
        pid, status = os.wait()
        if pid not in running:
            continue
        argv, child, err = running.pop(pid)
        child.returncode = code = os.waitstatus_to_exitcode(status)
        with err:  # each child's stderr file is closed when it ends
            err.seek(0)
            lines = err.read().decode("utf-8", "replace").strip().splitlines()
        if code != 0:
            for _, other, other_err in running.values():
                other.kill()
                other.wait()
                other_err.close()
            what = "python -c" if argv[1] == "-c" else Path(argv[1]).name
            last = lines[-1] if lines else "no error output"
            raise BenchError(f"{what} failed (exit {code}): {last}")
    return time.perf_counter() - started


def bound_ratio(batch: float, floor: float, parse: float) -> float:
    """Return batch / (floor + parse): the figure held to :data:`LIMIT`."""
    return batch / (floor + parse)


def verdict(ratio: float, limit: float = LIMIT) -> str:
    """Return ``PASS`` or ``MISS`` for a ratio against the limit."""
    return "PASS" if ratio <= limit else "MISS"


def read_check(log_lines: Sequence[str], notebooks: Sequence[Path]) -> tuple[str, bool]:
    """Return an account of the hooked batch and whether no kernel opened the CSV."""
    roles = {"kernel": 0}
    for line in log_lines:
        role = line.split("\t", 1)[0]
        roles[role] = roles.get(role, 0) + 1
    with_snapshot = sum(_read_snapshot(path) for path in notebooks)
    passed = roles["kernel"] == 0 and with_snapshot == len(notebooks) > 0
    opens = ", ".join(f"{r} {n}" for r, n in sorted(roles.items()))
    text = (
        f"opens of the CSV by process: {opens}; slices whose notebook read the "
        f"snapshot: {with_snapshot}/{len(notebooks)}"
    )
    return text, passed


def _read_snapshot(notebook: Path) -> bool:
    """Whether papermill gave the executed notebook a non-empty ``snapshot``."""
    cells = json.loads(notebook.read_text("utf-8"))["cells"]
    lines = [x for cell in cells for x in "".join(cell["source"]).splitlines()]
    return any(x.startswith('snapshot = "') and x != 'snapshot = ""' for x in lines)


def batch_command(csv: Path, out: Path, jobs: int) -> list[str]:
    """The batch as a lead runs it, without the weather call."""
    return [PYTHON, str(RUN_REPORT), "--input", str(csv), "--output-dir", str(out),
            "--batch", "agent", "--jobs", str(jobs), "--no-weather"]  # fmt: skip


def ensure_large(rows: int, agents: int) -> Path:
    """Return the cached generated file with ``agents`` agents (made if missing).

    The generator has no agent flag (20-50 agents by size): the records of the
    agents past the busiest ``agents`` go to those (a record ends ``,<agent>CRLF``).
    """
    digest = source_digest(GENERATOR_SOURCES)
    path = DATA_DIR / f"tickets_{rows}_seed0_defects0.02_agents{agents}_{digest}.csv"
    if path.exists():
        return path
    for stale in DATA_DIR.glob(f"tickets_{rows}_seed0_defects0.02_agents{agents}_*"):
        stale.unlink()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    print(f"generating {path.name} …", file=sys.stderr)
    plain = path.with_suffix(".plain")
    run_pool([[PYTHON, "-m", "benchmarks.generate", "--rows", str(rows), "--quiet",
               "--output", str(plain)]], 1)  # fmt: skip
    data = plain.read_bytes()
    ends = Counter(re.findall(rb",([^,\"\r\n]+ [^,\"\r\n]+)\r\n", data))
    floor = data.count(b"\r\n") // 1000  # a name ending fewer records is noise
    busiest = [name for name, count in ends.most_common() if count > floor]
    for n, name in enumerate(busiest[agents:]):
        data = data.replace(b",%s\r\n" % name, b",%s\r\n" % busiest[n % agents])
    path.write_bytes(data)
    plain.unlink()
    return path


def hooked_batch(csv: Path, scratch: Path, jobs: int) -> tuple[int, str, bool]:
    """Run the batch once, logging opens of the CSV: (slices, account, passed)."""
    hook_dir, out, log = scratch / "hook", scratch / "hooked", scratch / "opens.log"
    hook_dir.mkdir()
    (hook_dir / "sitecustomize.py").write_text(HOOK_SOURCE, encoding="utf-8")
    log.touch()
    watch = {"BATCH_BENCH_LOG": str(log), "BATCH_BENCH_WATCH": os.path.realpath(csv)}
    env = dict(os.environ, PYTHONPATH=str(hook_dir), **watch)
    run_pool([batch_command(csv, out, jobs)], 1, env)
    folder = out / "batch-agent"
    index = json.loads((folder / "index.json").read_text("utf-8"))
    notebooks = [folder / s["folder"] / "ticket_report.ipynb" for s in index["slices"]]
    text, passed = read_check(log.read_text("utf-8").splitlines(), notebooks)
    return len(index["slices"]), text, passed


def run_case(name: str, csv: Path, rounds: int, jobs: int) -> bool:
    """Measure one case; print its figures and verdicts; return whether it passed."""
    with tempfile.TemporaryDirectory(prefix="batch-bench-") as scratch_dir:
        scratch = Path(scratch_dir)
        slices, account, reads_ok = hooked_batch(csv, scratch, jobs)
        walls: dict[str, list[float]] = {"batch": [], "floor": [], "parse": []}
        for number in range(rounds):
            base = scratch / f"round{number}"
            floors = []
            for k in range(slices):
                (base / f"floor{k}").mkdir(parents=True)
                floors.append(
                    [PYTHON, "-c", NOTEBOOK_FLOOR_SNIPPET, str(base / f"floor{k}")]
                )
            walls["batch"].append(run_pool([batch_command(csv, base / "b", jobs)], 1))
            walls["floor"].append(run_pool(floors, jobs))
            walls["parse"].append(run_pool([[PYTHON, "-c", PARSE, str(csv)]], 1))
    med = {key: statistics.median(values) for key, values in walls.items()}
    ratio = bound_ratio(med["batch"], med["floor"], med["parse"])
    load = f"load {os.getloadavg()[0]:.1f}"
    print(f"\n{name}: {csv.name}, {slices} agent slices, {rounds} round(s), {load}")
    for key, what in (
        ("batch", f"run_report.py --batch agent --jobs {jobs}"),
        ("floor", f"{slices} one-cell notebooks + HTML, {jobs} at a time"),
        ("parse", "load_tickets alone, in a fresh process"),
    ):
        each = " ".join(f"{v:.2f}" for v in walls[key])
        print(f"  {key}  {what:44} median {med[key]:6.2f} s  (rounds: {each})")
    print(
        f"  ratio  batch / (floor + parse) = {ratio:.2f}×, ≤ {LIMIT}×: {verdict(ratio)}"
    )
    print(f"  reads  {account}: {'PASS' if reads_ok else 'MISS'}")
    return verdict(ratio) == "PASS" and reads_ok


def _require() -> None:
    """Exit 2 (one line) when something the run needs is missing."""
    for path in (RUN_REPORT, SAMPLE_CSV, GENERATOR):
        if not path.is_file():
            raise BenchError(f"{path.relative_to(REPO_ROOT)} does not exist", 2)
    needed = ("papermill", "nbconvert", "nbformat", "ipykernel", "ticket_analysis")
    missing = [name for name in needed if importlib.util.find_spec(name) is None]
    if missing:
        raise BenchError(f"not installed in {PYTHON}: {', '.join(missing)}", 2)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the cases; return 0 (within the bound), 1 (a miss) or 2 (missing)."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.batch_bench", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--cases", default="sample,100k", help="sample and/or 100k")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds (3)")
    parser.add_argument("--jobs", type=int, default=2, help="batch jobs (2)")
    parser.add_argument("--rows", type=int, default=100_000, help="large file rows")
    parser.add_argument("--agents", type=int, default=30, help="large file agents")
    args = parser.parse_args(argv)
    try:
        _require()
        print(f"load before: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} CPUs")
        cases = []
        for case in args.cases.split(","):
            if case not in ("sample", "100k"):
                raise BenchError(f"--cases: unknown case {case!r}", 2)
            large = case == "100k"
            csv = ensure_large(args.rows, args.agents) if large else SAMPLE_CSV
            cases.append((case, csv))
        passed = [run_case(name, csv, args.rounds, args.jobs) for name, csv in cases]
    except BenchError as exc:
        print(f"batch_bench: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("batch_bench: interrupted", file=sys.stderr)
        return 1
    return 0 if all(passed) else 1


if __name__ == "__main__":
    sys.exit(main())
