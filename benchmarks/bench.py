"""Whole-process benchmark of ``ticket_analysis`` against the CSV parsing floor.

Each measurement is one fresh child process, timed from spawn to exit, with the
child's own peak RSS taken from ``os.wait4``. Commands are compared side by side,
alternating a/b/a/b, so machine drift hits both equally; the ratios are the result,
absolute times only describe this machine.

Modes (see ``benchmarks/README.md``):

- default: for each size, in the same rounds, the floor (a bare
  ``pyarrow.csv.read_csv`` that copes with quoted line breaks and skips ragged
  rows), ``python -m ticket_analysis --input FILE --output-dir TMP --no-weather``
  and the two peers (``benchmarks/peers``: the same analysis in Polars and in
  DuckDB), each printed as a ratio to the floor. Issue 16's targets at 1M rows
  (project wall ≤ the Polars peer's, peak RSS ≤ 1.40× the floor's) are a gate:
  a miss makes the run exit 1. Reported only: wall ≤ 4.0× the floor at 100k,
  RSS ≤ 1.30× the floor at 10M.
- ``--startup``: ``python -m ticket_analysis`` on ``data/tickets_sample.csv``
  (target: median wall < 1 s).
- ``--notebook``: ``run_report.py`` on the sample against a trivial one-cell
  notebook executed with papermill and exported to HTML (target: ratio ≤ 2.0).

The harness itself imports only the standard library and generates data in a
subprocess: on Linux a child's ``ru_maxrss`` starts from its parent's peak RSS
(the pre-exec copy is counted), so a heavy harness would inflate every figure.

Usage::

    python -m benchmarks.bench                      # 100k and 1M rows, 5 rounds each
    python -m benchmarks.bench --sizes 1000000 --no-peers   # floor and project only
    python -m benchmarks.bench --sizes 100000 --runs 3 --stand-in
    python -m benchmarks.bench --startup --notebook
"""

from __future__ import annotations

import argparse
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
import zlib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Final

REPO_ROOT: Final = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR: Final = REPO_ROOT / "benchmarks" / "data"
SAMPLE_CSV: Final = REPO_ROOT / "data" / "tickets_sample.csv"
RUN_REPORT: Final = REPO_ROOT / "run_report.py"
GENERATOR: Final = REPO_ROOT / "benchmarks" / "generate.py"
PYTHON: Final = sys.executable
MIB: Final = 1024 * 1024

# --------------------------------------------------------------------------------------
# The commands being compared. Each takes the input CSV (and an empty output
# directory) and returns an argv list; they run with the repository as cwd.
# --------------------------------------------------------------------------------------

#: (a) The parsing floor: read the whole file into an Arrow table and do nothing
#: else. ``newlines_in_values`` is needed for quoted line breaks, and the ragged
#: rows are skipped instead of aborting the read.
PYARROW_READ_SNIPPET: Final = """\
import sys
import pyarrow.csv as pacsv
options = pacsv.ParseOptions(
    newlines_in_values=True, invalid_row_handler=lambda row: "skip"
)
table = pacsv.read_csv(sys.argv[1], parse_options=options)
print(table.num_rows)
"""

#: Stand-in for (b) while ``ticket_analysis`` is not runnable: what a minimal
#: pandas analysis costs (strings read as ``str``, one group-by).
STAND_IN_SNIPPET: Final = """\
import sys
import pandas as pd
frame = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False, on_bad_lines="skip")
print(frame.groupby("priority").size())
"""

#: The notebook floor: a one-cell notebook executed with papermill, then exported
#: to HTML in-process with nbconvert. ``argv[1]`` is an empty scratch directory.
NOTEBOOK_FLOOR_SNIPPET: Final = """\
import sys
from pathlib import Path
import nbformat
import papermill
from nbconvert import HTMLExporter
out = Path(sys.argv[1])
notebook = nbformat.v4.new_notebook()
notebook.cells.append(nbformat.v4.new_code_cell("1 + 1"))
notebook.metadata["kernelspec"] = {
    "name": "python3", "display_name": "Python 3", "language": "python"
}
nbformat.write(notebook, str(out / "floor.ipynb"))
papermill.execute_notebook(
    str(out / "floor.ipynb"), str(out / "floor_executed.ipynb"),
    kernel_name="python3", progress_bar=False, log_output=False,
)
body, _ = HTMLExporter().from_filename(str(out / "floor_executed.ipynb"))
(out / "floor.html").write_text(body, encoding="utf-8")
"""


def pyarrow_read_command(csv_path: Path, out_dir: Path) -> list[str]:
    """(a) Bare ``pyarrow.csv.read_csv`` of the file in a fresh interpreter."""
    del out_dir
    return [PYTHON, "-c", PYARROW_READ_SNIPPET, str(csv_path)]


def ticket_analysis_command(csv_path: Path, out_dir: Path) -> list[str]:
    """(b) The product's command-line pipeline without the weather call."""
    return [
        PYTHON,
        "-m",
        "ticket_analysis",
        "--input",
        str(csv_path),
        "--output-dir",
        str(out_dir),
        "--no-weather",
    ]


CommandFactory = Callable[[Path, Path], list[str]]


def polars_peer_command(csv_path: Path, out_dir: Path) -> list[str]:
    """The same analysis in eager Polars (``benchmarks/peers/polars_peer.py``)."""
    return [PYTHON, "-m", "benchmarks.peers.polars_peer", "--input", str(csv_path),
            "--output-dir", str(out_dir)]  # fmt: skip


def duckdb_peer_command(csv_path: Path, out_dir: Path) -> list[str]:
    """The same analysis in DuckDB SQL (``benchmarks/peers/duckdb_peer.py``)."""
    return [PYTHON, "-m", "benchmarks.peers.duckdb_peer", "--input", str(csv_path),
            "--output-dir", str(out_dir)]  # fmt: skip


def stand_in_command(csv_path: Path, out_dir: Path) -> list[str]:
    """(b) replaced by a small pandas script, to exercise the harness early."""
    del out_dir
    return [PYTHON, "-c", STAND_IN_SNIPPET, str(csv_path)]


def run_report_command(csv_path: Path, out_dir: Path) -> list[str]:
    """The notebook pipeline (papermill + HTML export) without the weather call."""
    return [
        PYTHON,
        str(RUN_REPORT),
        "--input",
        str(csv_path),
        "--output-dir",
        str(out_dir),
        "--no-weather",
    ]


def notebook_floor_command(csv_path: Path, out_dir: Path) -> list[str]:
    """A trivial one-cell notebook through papermill and nbconvert."""
    del csv_path
    return [PYTHON, "-c", NOTEBOOK_FLOOR_SNIPPET, str(out_dir)]


def interpreter_command(csv_path: Path, out_dir: Path) -> list[str]:
    """Bare interpreter start-up, for reference next to the start-up figure."""
    del csv_path, out_dir
    return [PYTHON, "-c", "pass"]


@dataclass(frozen=True)
class Target:
    """What the project must meet at one size; None: no such target.

    Attributes:
        wall: Largest project/floor ratio of median wall times.
        rss: Largest project/floor ratio of peak RSS.
        wall_vs: The peer whose median wall time the project must not exceed.
        gate: Whether a miss makes the run exit 1 even without ``--strict``.
    """

    wall: float | None = None
    rss: float | None = None
    wall_vs: str | None = None
    gate: bool = False


#: Targets by number of rows: issue 16 at 1M (gate: ``make bench`` exits 1 on a
#: miss) and 10M (item 4), issue 6's start-up-dominated 100k ratio (reported).
TARGETS: Final = {
    100_000: Target(wall=4.0),
    1_000_000: Target(rss=1.40, wall_vs="polars", gate=True),
    10_000_000: Target(rss=1.30),
}
#: The commands of the size comparison, floor first, the project second.
FLOOR, PROJECT = "floor", "project"
COMPARED: Final[list[tuple[str, CommandFactory]]] = [
    (FLOOR, pyarrow_read_command),
    (PROJECT, ticket_analysis_command),
    ("polars", polars_peer_command),
    ("duckdb", duckdb_peer_command),
]
DESCRIPTIONS: Final = {
    FLOOR: "pyarrow.csv.read_csv(newlines_in_values=True, invalid rows skipped)",
    PROJECT: "python -m ticket_analysis --input FILE --output-dir TMP --no-weather",
    "polars": "python -m benchmarks.peers.polars_peer (eager Polars, untuned)",
    "duckdb": "python -m benchmarks.peers.duckdb_peer (DuckDB SQL, untuned)",
    "stand-in": "pandas.read_csv(dtype=str) + groupby (harness check only)",
}
STARTUP_TARGET_S: Final = 1.0
NOTEBOOK_TARGET_RATIO: Final = 2.0


# --------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------


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


def _maxrss_mib(usage: resource.struct_rusage) -> float:
    """Convert ``ru_maxrss`` to MiB (KiB on Linux, bytes on macOS)."""
    scale = 1 if sys.platform == "darwin" else 1024
    return float(usage.ru_maxrss) * scale / MIB


def _last_line(text: str) -> str:
    """Return the last non-empty line of a child's stderr (its error, usually)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no error output"


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
            message = _last_line(stderr.read().decode("utf-8", "replace"))
            raise BenchError(f"{label} failed (exit {child.returncode}): {message}")
    return Sample(
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        rss_mib=_maxrss_mib(usage),
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
# Data and prerequisites
# --------------------------------------------------------------------------------------


def _generator_digest() -> str:
    """Return a short hash of the generator source, so edits invalidate the cache."""
    return f"{zlib.crc32(GENERATOR.read_bytes()):08x}"


def ensure_data(data_dir: Path, rows: int, seed: int, defect_rate: float) -> Path:
    """Return a cached generated file, generating it in a subprocess if needed.

    Generating in a subprocess keeps the harness's own peak RSS (which every
    child's ``ru_maxrss`` starts from) small. Stale files of the same size, seed
    and defect rate made by an older generator are removed.

    Raises:
        BenchError: The generator failed.
    """
    stem = f"tickets_{rows}_seed{seed}_defects{defect_rate:g}"
    path = data_dir / f"{stem}_{_generator_digest()}.csv"
    if path.exists():
        return path
    for stale in data_dir.glob(f"{stem}_*.csv"):
        stale.unlink()
    shown = path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path
    print(f"generating {shown} …", file=sys.stderr)
    argv = [PYTHON, "-m", "benchmarks.generate", "--rows", str(rows)]
    argv += ["--seed", str(seed), "--defect-rate", str(defect_rate)]
    argv += ["--output", str(path), "--quiet"]
    measure(argv, "benchmarks.generate")
    return path


def require_file(path: Path, what: str) -> None:
    """Fail with a one-line message when a file the mode needs does not exist.

    Raises:
        BenchError: The file is missing (exit code 2).
    """
    if not path.is_file():
        shown = path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path
        raise BenchError(f"{what} {shown} does not exist yet", exit_code=2)


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

    Raises:
        BenchError: ``python -m ticket_analysis --help`` fails (exit code 2).
    """
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
            f"({_last_line(done.stderr)}); use --stand-in to try the harness",
            exit_code=2,
        )


# --------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------


def _verdict(ratio: float, limit: float | None, name: str) -> str:
    """Format one target check (``wall ≤ 3.0× PASS``); ``""`` without a target."""
    if limit is None:
        return ""
    return f"{name} ≤ {limit:.1f}× {'PASS' if ratio <= limit else 'MISS'}"


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


def _environment() -> dict[str, str]:
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


@dataclass
class Report:
    """Everything measured in one invocation, also written as JSON on request."""

    environment: dict[str, str]
    sections: list[dict[str, object]] = field(default_factory=list)
    missed: int = 0
    gate_missed: int = 0

    def add(self, mode: str, series: Sequence[Series], **extra: object) -> None:
        """Record one comparison (``mode``: compare, startup or notebook)."""
        self.sections.append(
            {
                "mode": mode,
                "commands": [
                    {
                        **asdict(s),
                        "median_wall_s": s.median_wall,
                        "peak_rss_mib": s.peak_rss,
                    }
                    for s in series
                ],
                **extra,
            }
        )


def check_targets(rows: int, by_label: dict[str, Series]) -> tuple[list[str], bool]:
    """Check the project against the targets of ``rows``.

    Returns:
        One verdict per target (``RSS ≤ 1.40× floor PASS``) and whether a gate
        target was missed.
    """
    target = TARGETS.get(rows, Target())
    floor, project = by_label[FLOOR], by_label[PROJECT]
    checks: list[tuple[str, bool]] = []
    if target.wall is not None:
        ratio = project.median_wall / floor.median_wall
        checks.append((f"wall ≤ {target.wall:.2f}× floor", ratio <= target.wall))
    if target.rss is not None:
        ratio = project.peak_rss / floor.peak_rss
        checks.append((f"RSS ≤ {target.rss:.2f}× floor", ratio <= target.rss))
    if target.wall_vs is not None and target.wall_vs in by_label:
        peer = by_label[target.wall_vs]
        ok = project.median_wall <= peer.median_wall
        checks.append((f"wall ≤ {target.wall_vs}", ok))
    verdicts = [f"{name} {'PASS' if ok else 'MISS'}" for name, ok in checks]
    return verdicts, target.gate and not all(ok for _, ok in checks)


def _commands(args: argparse.Namespace) -> list[tuple[str, CommandFactory]]:
    """The commands of the size comparison (floor first).

    Raises:
        BenchError: The project or a peer's library cannot run (exit code 2).
    """
    if args.stand_in:
        return [COMPARED[0], ("stand-in", stand_in_command)]
    require_ticket_analysis_cli()
    commands = COMPARED[:2]
    if not args.no_peers:
        require_modules("polars", "duckdb")
        commands = COMPARED
    return commands


def run_compare(args: argparse.Namespace, report: Report) -> None:
    """Mode ``compare``: floor, project and peers in the same rounds, per size."""
    commands = _commands(args)
    files = {
        rows: ensure_data(args.data_dir, rows, args.seed, args.defect_rate)
        for rows in args.sizes
    }
    for label, _ in commands:
        print(f"{label:>8} = {DESCRIPTIONS[label]}")
    for rows, path in files.items():
        mb = path.stat().st_size / 1e6
        title = f"{rows:>9,} rows ({mb:,.0f} MB)"
        series = compare(commands, path, args.runs, args.warmup, title)
        by_label = {s.label: s for s in series}
        floor = by_label[FLOOR]
        verdicts: list[str] = []
        if PROJECT in by_label:
            verdicts, gate_missed = check_targets(rows, by_label)
            report.gate_missed += gate_missed
        report.missed += sum("MISS" in v for v in verdicts)
        report.add(
            "compare",
            series,
            rows=rows,
            file=str(path),
            file_bytes=path.stat().st_size,
            ratios={
                s.label: {
                    "wall": s.median_wall / floor.median_wall,
                    "rss": s.peak_rss / floor.peak_rss,
                }
                for s in series
            },
            targets=asdict(TARGETS.get(rows, Target())),
            verdicts=verdicts,
        )
        print(f"\n{title}")
        header = ("command", "wall s", "peak MiB", "× floor wall", "× floor RSS")
        _print_table(
            header,
            [
                (
                    s.label,
                    f"{s.median_wall:.2f}",
                    f"{s.peak_rss:.0f}",
                    f"{s.median_wall / floor.median_wall:.2f}",
                    f"{s.peak_rss / floor.peak_rss:.2f}",
                )
                for s in series
            ],
        )
        for verdict in verdicts:
            print(f"  target: project {verdict}")
    print(
        f"(median wall of {args.runs} runs, peak RSS = max over runs; "
        f"commands alternate in every round after {args.warmup} warm-up round(s))"
    )


def run_startup(args: argparse.Namespace, report: Report) -> None:
    """Mode ``startup``: the analysis on the small sample file (target < 1 s)."""
    require_file(SAMPLE_CSV, "sample file")
    require_ticket_analysis_cli()
    series = compare(
        [("python", interpreter_command), ("ticket_analysis", ticket_analysis_command)],
        SAMPLE_CSV,
        args.runs,
        args.warmup,
        "startup",
    )
    floor, product = series
    verdict = (
        f"< {STARTUP_TARGET_S:.1f} s "
        f"{'PASS' if product.median_wall < STARTUP_TARGET_S else 'MISS'}"
    )
    report.missed += "MISS" in verdict
    report.add("startup", series, target_s=STARTUP_TARGET_S, verdict=verdict)
    header = ("command", "median wall s", "min wall s", "peak RSS MiB", "target")
    _print_table(
        header,
        [
            (
                "python -m ticket_analysis (sample, --no-weather)",
                f"{product.median_wall:.2f}",
                f"{min(s.wall_s for s in product.samples):.2f}",
                f"{product.peak_rss:.0f}",
                verdict,
            ),
            (
                "python -c pass (interpreter floor)",
                f"{floor.median_wall:.2f}",
                f"{min(s.wall_s for s in floor.samples):.2f}",
                f"{floor.peak_rss:.0f}",
                "-",
            ),
        ],
    )


def run_notebook(args: argparse.Namespace, report: Report) -> None:
    """Mode ``notebook``: ``run_report.py`` against a trivial papermill notebook."""
    require_file(RUN_REPORT, "notebook entry point")
    require_file(SAMPLE_CSV, "sample file")
    require_modules("papermill", "nbconvert", "nbformat", "ipykernel")
    series = compare(
        [("floor", notebook_floor_command), ("run_report", run_report_command)],
        SAMPLE_CSV,
        args.runs,
        args.warmup,
        "notebook",
    )
    floor, product = series
    ratio = product.median_wall / floor.median_wall
    verdict = _verdict(ratio, NOTEBOOK_TARGET_RATIO, "wall")
    report.missed += "MISS" in verdict
    report.add("notebook", series, wall_ratio=ratio, verdict=verdict)
    header = ("command", "median wall s", "peak RSS MiB", "ratio", "target")
    _print_table(
        header,
        [
            (
                "run_report.py (sample, --no-weather)",
                f"{product.median_wall:.2f}",
                f"{product.peak_rss:.0f}",
                f"{ratio:.2f}×",
                verdict,
            ),
            (
                "one-cell notebook: papermill + nbconvert HTML",
                f"{floor.median_wall:.2f}",
                f"{floor.peak_rss:.0f}",
                "1.00×",
                "-",
            ),
        ],
    )


def _print_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Print a plain-text table, first and last columns left-aligned, others right."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        cells = [
            cell.ljust(width) if i in (0, len(row) - 1) else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------


def _sizes(text: str) -> list[int]:
    """Parse ``--sizes`` (comma-separated positive integers, ``_`` allowed).

    Raises:
        argparse.ArgumentTypeError: A size is not a positive integer.
    """
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a list of integers: {text!r}") from exc
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"sizes must be positive: {text!r}")
    return sizes


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line (``None``: ``sys.argv[1:]``)."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench",
        description="Time ticket_analysis as whole processes against the parsing "
        "floor (pyarrow.csv.read_csv), alternating runs.",
    )
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=[100_000, 1_000_000],
        help="rows per generated file, comma-separated (default 100000,1000000)",
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs (default 5)")
    parser.add_argument(
        "--warmup", type=int, default=1, help="untimed rounds first (default 1)"
    )
    parser.add_argument("--seed", type=int, default=0, help="generator seed")
    parser.add_argument(
        "--defect-rate", type=float, default=0.02, help="generator defect share"
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help="cache of generated files (default benchmarks/data)",
    )
    parser.add_argument(
        "--stand-in",
        action="store_true",
        help="replace (b) with a small pandas script (to try the harness)",
    )
    parser.add_argument(
        "--startup", action="store_true", help="only the start-up check on the sample"
    )
    parser.add_argument(
        "--notebook",
        action="store_true",
        help="only run_report.py against a one-cell papermill notebook",
    )
    parser.add_argument(
        "--all", action="store_true", help="the size comparison and both checks"
    )
    parser.add_argument(
        "--no-peers",
        action="store_true",
        help="compare only the floor and the project (no Polars/DuckDB peers)",
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when a target is missed"
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be >= 1 and --warmup >= 0")
    if not 0.0 <= args.defect_rate <= 1.0:
        parser.error("--defect-rate must be within [0, 1]")
    if args.stand_in and (args.startup or args.notebook):
        parser.error("--stand-in only applies to the size comparison")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark.

    Returns:
        0; 1 when a command failed, a gate target (issue 16, 1M rows) was
        missed, or any target was missed with ``--strict``; 2 when a
        prerequisite is missing.
    """
    args = _parse_args(argv)
    modes: list[Callable[[argparse.Namespace, Report], None]] = []
    if args.all or not (args.startup or args.notebook):
        modes.append(run_compare)
    if args.all or args.startup:
        modes.append(run_startup)
    if args.all or args.notebook:
        modes.append(run_notebook)

    report = Report(environment=_environment())
    for name, value in report.environment.items():
        print(f"{name}: {value}")
    try:
        for mode in modes:
            print()
            mode(args, report)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return 130
    own = _maxrss_mib(resource.getrusage(resource.RUSAGE_SELF))
    print(f"\n(harness peak RSS {own:.0f} MiB: a floor under every child's RSS)")
    if args.json:
        args.json.write_text(json.dumps(asdict(report), indent=2) + "\n")
    if report.gate_missed:
        print("bench: the project missed an issue-16 target (see MISS above)")
        return 1
    return 1 if args.strict and report.missed else 0


if __name__ == "__main__":
    sys.exit(main())
