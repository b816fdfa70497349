"""Whole-process benchmark of ``ticket_analysis`` against the CSV parsing floor.

Each measurement is one fresh child process, timed from spawn to exit, with the
child's own peak RSS taken from ``os.wait4``. Commands are compared side by side,
alternating a/b/a/b, so machine drift hits both equally; the ratios are the result,
absolute times only describe this machine.

Modes (see ``benchmarks/README.md``):

- default, per size: in the same rounds, the floor (a bare ``pyarrow.csv.read_csv``
  that copes with quoted line breaks and skips ragged rows), ``python -m
  ticket_analysis --input FILE --output-dir TMP --no-weather`` and the two peers
  (``benchmarks/peers``: the same analysis in Polars and in DuckDB), each printed
  as a ratio to the floor. Issue 16's targets at 1M rows (project wall ≤ the
  Polars peer's, peak RSS ≤ 1.40× the floor's) are a gate: a miss makes the run
  exit 1. Reported only: wall ≤ 4.0× the floor at 100k, RSS ≤ 1.30× at 10M.
- ``--startup``: ``python -m ticket_analysis`` on ``data/tickets_sample.csv``
  (target: median wall < 1 s).
- ``--notebook``: ``run_report.py`` on the sample against a trivial one-cell
  notebook executed with papermill and exported to HTML (target: ratio ≤ 2.0).
- ``--profiles``: the 1M-row file converted to a Zendesk export, read with
  ``--source zendesk``, against the canonical file in the same rounds (issue 15:
  ratio ≤ 1.15).
- ``--all`` (``make bench``): all of them.

The parts: ``harness`` (measuring), ``targets`` (commands and targets), ``data``
(the cached input files), ``modes`` (each mode's table), ``export_profile``
(the Zendesk conversion); the generator is ``benchmarks/generate.py``.

Usage::

    python -m benchmarks.bench                      # 100k and 1M rows, 5 rounds each
    python -m benchmarks.bench --sizes 1000000 --no-peers   # floor and project only
    python -m benchmarks.bench --sizes 100000 --runs 3 --stand-in
    python -m benchmarks.bench --startup --notebook --profiles
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

from benchmarks.data import DEFAULT_DATA_DIR
from benchmarks.harness import BenchError, environment, maxrss_mib
from benchmarks.modes import (
    Report,
    run_compare,
    run_notebook,
    run_profiles,
    run_startup,
)
from benchmarks.targets import PROFILE_ROWS


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
    add = parser.add_argument
    add(
        "--sizes",
        type=_sizes,
        default=[100_000, 1_000_000],
        help="rows per generated file, comma-separated (default 100000,1000000)",
    )
    add("--runs", type=int, default=5, help="timed runs (default 5)")
    add("--warmup", type=int, default=1, help="untimed rounds first (default 1)")
    add("--seed", type=int, default=0, help="generator seed")
    add("--defect-rate", type=float, default=0.02, help="generator defect share")
    add(
        "--data-dir",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help="cache of generated files (default benchmarks/data)",
    )
    add(
        "--stand-in",
        action="store_true",
        help="replace (b) with a small pandas script (to try the harness)",
    )
    add("--startup", action="store_true", help="only the start-up check on the sample")
    add(
        "--notebook",
        action="store_true",
        help="only run_report.py against a one-cell papermill notebook",
    )
    add(
        "--profiles",
        action="store_true",
        help="only a Zendesk export (--source zendesk) against the canonical file",
    )
    add(
        "--profile-rows",
        type=int,
        default=PROFILE_ROWS,
        help=f"rows of the --profiles comparison (default {PROFILE_ROWS})",
    )
    add("--all", action="store_true", help="the size comparison and every check")
    add(
        "--no-peers",
        action="store_true",
        help="compare only the floor and the project (no Polars/DuckDB peers)",
    )
    add("--json", type=Path, help="also write the results here")
    add("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be >= 1 and --warmup >= 0")
    if args.profile_rows < 1:
        parser.error("--profile-rows must be >= 1")
    if not 0.0 <= args.defect_rate <= 1.0:
        parser.error("--defect-rate must be within [0, 1]")
    if args.stand_in and (args.startup or args.notebook or args.profiles):
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
    checks = args.startup or args.notebook or args.profiles
    modes: list[Callable[[argparse.Namespace, Report], None]] = []
    if args.all or not checks:
        modes.append(run_compare)
    if args.all or args.startup:
        modes.append(run_startup)
    if args.all or args.notebook:
        modes.append(run_notebook)
    if args.all or args.profiles:
        modes.append(run_profiles)

    report = Report(environment=environment())
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
    own = maxrss_mib(resource.getrusage(resource.RUSAGE_SELF))
    print(f"\n(harness peak RSS {own:.0f} MiB: a floor under every child's RSS)")
    if args.json:
        args.json.write_text(json.dumps(asdict(report), indent=2) + "\n")
    if report.gate_missed:
        print("bench: the project missed an issue-16 target (see MISS above)")
        return 1
    return 1 if args.strict and report.missed else 0


if __name__ == "__main__":
    sys.exit(main())
