"""The commands being compared and the targets the project must meet.

Each command factory takes the input CSV (and an empty output directory) and
returns an argv list; the commands run with the repository as cwd.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from benchmarks.harness import PYTHON, REPO_ROOT, CommandFactory, Series

RUN_REPORT: Final = REPO_ROOT / "run_report.py"

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


def zendesk_command(csv_path: Path, out_dir: Path) -> list[str]:
    """The same pipeline reading a Zendesk export through its import profile."""
    return [*ticket_analysis_command(csv_path, out_dir), "--source", "zendesk"]


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
FLOOR, PROJECT, ZENDESK = "floor", "project", "zendesk"
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
    ZENDESK: "the project on FILE as a Zendesk export, --source zendesk",
}
STARTUP_TARGET_S: Final = 1.0
NOTEBOOK_TARGET_RATIO: Final = 2.0
#: Issue 15 item 6: reading a Zendesk export through its profile takes at most
#: this multiple of the canonical file's wall time, at 1M rows (reported).
PROFILE_TARGET_RATIO: Final = 1.15
PROFILE_ROWS: Final = 1_000_000


def verdict(ratio: float, limit: float | None, name: str) -> str:
    """Format one target check (``wall ≤ 3.0× PASS``); ``""`` without a target."""
    if limit is None:
        return ""
    shown = f"{limit:.1f}" if round(limit, 1) == limit else f"{limit:.2f}"
    return f"{name} ≤ {shown}× {'PASS' if ratio <= limit else 'MISS'}"


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
