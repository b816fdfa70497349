"""Measuring whole processes: one child per run, its wall time and own peak RSS.

Commands are compared side by side, every round running each once in the same
order, so drift on a shared machine hits all of them alike. Only the standard
library is imported: on Linux a child's ``ru_maxrss`` starts from its parent's
peak RSS (the pre-exec copy is counted), so a heavy harness would inflate every
figure.
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

REPO_ROOT: Final = Path(__file__).resolve().parents[1]
PYTHON: Final = sys.executable
MIB: Final = 1024 * 1024

#: Builds a command's argv from the input CSV and an empty output directory; the
#: command runs with the repository as cwd.
CommandFactory = Callable[[Path, Path], list[str]]


class BenchError(Exception):
    """A prerequisite is missing or a measured command failed (one-line message)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class Sample:
    """One run of one command.

    Attributes:
        cpu_s: User plus system CPU time of the child and its reaped children.
        rss_mib: Peak resident set size of the child (largest single process of
            its tree, not their sum).
    """

    wall_s: float
    cpu_s: float
    rss_mib: float


@dataclass
class Series:
    """All runs of one command in one comparison (argv as in the first run)."""

    label: str
    argv: list[str]
    samples: list[Sample] = field(default_factory=list)

    @property
    def median_wall(self) -> float:
        """Median wall time in seconds."""
        return statistics.median(s.wall_s for s in self.samples)

    @property
    def peak_rss(self) -> float:
        """Largest peak RSS over the runs, in MiB."""
        return max(s.rss_mib for s in self.samples)


def maxrss_mib(usage: resource.struct_rusage) -> float:
    """Convert ``ru_maxrss`` to MiB (KiB on Linux, bytes on macOS)."""
    scale = 1 if sys.platform == "darwin" else 1024
    return float(usage.ru_maxrss) * scale / MIB


def last_line(text: str) -> str:
    """Return the last non-empty line of a child's stderr (its error, usually)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no error output"


def shown(path: Path) -> Path:
    """Return ``path`` relative to the repository when it lies inside it."""
    return path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path


def measure(argv: Sequence[str], label: str) -> Sample:
    """Run one command as a child process and measure it.

    The child's own rusage comes from ``os.wait4`` on its pid, so the peak RSS is
    that child's, not the maximum over every child the harness has run.

    Raises:
        BenchError: The command exited with a non-zero status.
    """
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        child = subprocess.Popen(
            argv, cwd=REPO_ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=stderr,
        )  # fmt: skip
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            stderr.seek(0)
            message = last_line(stderr.read().decode("utf-8", "replace"))
            raise BenchError(f"{label} failed (exit {child.returncode}): {message}")
    return Sample(
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        rss_mib=maxrss_mib(usage),
    )


def _describe(argv: Sequence[str]) -> str:
    """Return a short form of a command for messages (``python -m ticket_analysis``)."""
    head = [Path(argv[0]).name, *argv[1:3]]
    if len(argv) > 2 and argv[1] == "-c":
        head[2] = repr(argv[2].split("\n", 1)[0] + " …")
    return " ".join(head)


def compare(
    commands: Sequence[tuple[str, CommandFactory]],
    csv_path: Path,
    runs: int,
    warmup: int,
    title: str,
) -> list[Series]:
    """Time commands alternately (a, b, a, b, …), each run in a fresh process.

    Each run gets a new empty output directory, created and removed outside the
    timed span. ``warmup`` rounds (page cache, bytecode) run first, unrecorded.
    Returns one series per command, in the order given.
    """
    series: list[Series] = []
    for round_no in range(warmup + runs):
        timed = round_no >= warmup
        progress = []
        for index, (label, factory) in enumerate(commands):
            out_dir = Path(tempfile.mkdtemp(prefix="bench-out-"))
            try:
                argv = factory(csv_path, out_dir)
                sample = measure(argv, f"{label} ({_describe(argv)})")
            finally:
                shutil.rmtree(out_dir, ignore_errors=True)
            if len(series) <= index:
                series.append(Series(label=label, argv=argv))
            if timed:
                series[index].samples.append(sample)
            progress.append(f"{label} {sample.wall_s:6.2f} s {sample.rss_mib:6.0f} MiB")
        run_name = f"run {round_no - warmup + 1}/{runs}" if timed else "warm-up"
        print(f"  {title} {run_name:>9}: " + " | ".join(progress), file=sys.stderr)
    return series


# --------------------------------------------------------------------------------------
# Prerequisites and the environment
# --------------------------------------------------------------------------------------


def require_file(path: Path, what: str) -> None:
    """Fail with a one-line message when a file the mode needs does not exist.

    Raises:
        BenchError: The file is missing (exit code 2).
    """
    if not path.is_file():
        raise BenchError(f"{what} {shown(path)} does not exist yet", exit_code=2)


def require_modules(*names: str) -> None:
    """Fail with a one-line message when modules are not importable (not imported).

    Raises:
        BenchError: A module is missing (exit code 2).
    """
    missing = [name for name in names if importlib.util.find_spec(name) is None]
    if missing:
        joined = ", ".join(missing)
        raise BenchError(f"not installed in {PYTHON}: {joined}", exit_code=2)


def require_ticket_analysis_cli() -> None:
    """Fail with a one-line message when ``python -m ticket_analysis`` cannot run.

    The package's bytecode is compiled first, as an install (or a user's first
    run) leaves it: with ``PYTHONDONTWRITEBYTECODE`` set, every timed run would
    otherwise compile the whole package from source (0.1-0.3 s).

    Raises:
        BenchError: ``python -m ticket_analysis --help`` fails (exit code 2).
    """
    subprocess.run(
        [PYTHON, "-m", "compileall", "-q", str(REPO_ROOT / "ticket_analysis")],
        capture_output=True,
        check=False,
    )
    done = subprocess.run(
        [PYTHON, "-m", "ticket_analysis", "--help"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(
            "`python -m ticket_analysis` is not runnable yet "
            f"({last_line(done.stderr)}); use --stand-in to try the harness",
            exit_code=2,
        )


#: Prints the versions of the packages that matter, as JSON (run in a child so
#: that ``importlib.metadata`` does not raise the harness's own peak RSS).
VERSIONS_SNIPPET: Final = """\
import json
from importlib import metadata
versions = {}
for name in ("pyarrow", "pandas", "numpy", "polars", "duckdb"):
    try:
        versions[name] = metadata.version(name)
    except metadata.PackageNotFoundError:
        versions[name] = "not installed"
print(json.dumps(versions))
"""


def environment() -> dict[str, str]:
    """Describe the machine and the package versions."""
    done = subprocess.run(
        [PYTHON, "-c", VERSIONS_SNIPPET], capture_output=True, text=True, check=False
    )
    versions: dict[str, str] = json.loads(done.stdout) if done.returncode == 0 else {}
    return {
        "python": f"{platform.python_version()} ({PYTHON})",
        "machine": f"{platform.platform()}, {os.cpu_count()} CPUs",
        "load average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        **versions,
    }


def print_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Print a plain-text table, first and last columns left-aligned, others right."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        cells = [
            cell.ljust(width) if i in (0, len(row) - 1) else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
