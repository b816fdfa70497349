"""The benchmark's peers compute what the project computes (so the race is fair).

On a small generated file with 2 % defects (and one with 10 %), each peer's
headline figures must equal the project's ``summary.json``. The peers run as
whole processes, as ``make bench`` runs them. Skipped, with the reason, when
polars or duckdb is not installed (``make setup`` installs both).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks import bench, modes, targets
from benchmarks.generate import write_csv
from benchmarks.harness import CommandFactory, Sample, Series

ROOT = Path(__file__).resolve().parents[1]
PEERS = {
    "polars": "benchmarks.peers.polars_peer",
    "duckdb": "benchmarks.peers.duckdb_peer",
}


def run(module: str, csv_path: Path, out: Path) -> dict[str, Any]:
    """Run one command as a process; return its summary.json."""
    done = subprocess.run(
        [sys.executable, "-m", module, "--input", str(csv_path), "--output-dir",
         str(out), "--no-weather"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    summary: dict[str, Any] = json.loads((out / "summary.json").read_text("utf-8"))
    return summary


def headline(summary: dict[str, Any]) -> dict[str, Any]:
    """The figures the comparison rests on."""
    quality = summary["data_quality"]
    return {
        "as_of": summary["as_of"],
        "records_read": quality["records_read"],
        "rows_valid": quality["rows_valid"],
        "rows_rejected": quality["rows_rejected"],
        "issues": quality["issues"],
        "open": summary["summary"]["open_tickets"],
        "resolved": summary["summary"]["resolved_tickets"],
        "median_resolution_days": summary["summary"]["median_resolution_days"],
        "overdue": summary["overdue_open"]["count"],
        "breach_rates": {
            p: entry["breach_rate"]
            for p, entry in summary["sla"]["by_priority"].items()
        },
    }


@pytest.fixture(scope="module", params=[(3000, 3, 0.02), (4000, 11, 0.10)])
def project(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, Any]]:
    rows, seed, rate = request.param
    folder = tmp_path_factory.mktemp("peers")
    csv_path = folder / "tickets.csv"
    write_csv(csv_path, rows=rows, seed=seed, defect_rate=rate)
    return csv_path, run("ticket_analysis", csv_path, folder / "project")


@pytest.mark.parametrize("peer", sorted(PEERS))
def test_peer_headline_equals_project(
    peer: str, project: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    if importlib.util.find_spec(peer) is None:
        pytest.skip(f"{peer} is not installed (make setup installs it)")
    csv_path, expected = project
    got = run(PEERS[peer], csv_path, tmp_path)
    assert headline(got) == headline(expected)
    # Not trivially equal: the file has rejected rows, open and overdue tickets.
    assert expected["data_quality"]["issues"]["malformed_record"] > 0
    assert expected["overdue_open"]["count"] > 0


@pytest.mark.parametrize("peer", sorted(PEERS))
def test_peer_metrics_equal_project(
    peer: str, project: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    if importlib.util.find_spec(peer) is None:
        pytest.skip(f"{peer} is not installed (make setup installs it)")
    csv_path, expected = project
    got = run(PEERS[peer], csv_path, tmp_path)
    for key in (
        "summary", "status_by_priority", "resolution_time_days", "backlog_aging",
        "agents", "weekly_volume", "overdue_open", "top_subject_words",
        "escalation_candidates", "sla",
    ):  # fmt: skip
        assert got[key] == expected[key], key
    months = [
        {k: m[k] for k in ("month", "created", "resolved")}
        for m in expected["monthly_volume"]
    ]
    assert got["monthly_volume"] == months
    rejected = (tmp_path / "rejected_rows.csv").read_text("utf-8")
    assert rejected.startswith("line_number,reasons,")


@pytest.mark.parametrize("peer", sorted(PEERS))
def test_peer_missing_required_column_exits_2(peer: str, tmp_path: Path) -> None:
    if importlib.util.find_spec(peer) is None:
        pytest.skip(f"{peer} is not installed (make setup installs it)")
    bad = tmp_path / "bad.csv"
    bad.write_text("ticket_id,subject\nT1,hello\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", PEERS[peer], "--input", str(bad), "--output-dir",
         str(tmp_path / "out")],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert "customer_id" in done.stderr


# --- make bench's gate: the project against the Polars peer and the floor --------


def series(label: str, wall: float, rss: float) -> Series:
    """A measured series with three identical runs."""
    sample = Sample(wall_s=wall, cpu_s=wall, rss_mib=rss)
    return Series(label=label, argv=[label], samples=[sample] * 3)


@pytest.mark.parametrize(
    ("project_wall", "project_rss", "verdicts", "gate_missed"),
    [
        (1.9, 700.0, ["RSS ≤ 1.40× floor PASS", "wall ≤ polars PASS"], False),
        (2.1, 700.0, ["RSS ≤ 1.40× floor PASS", "wall ≤ polars MISS"], True),
        # 1.41 × 500 MiB = 705 MiB: over the memory ratio although faster.
        (1.9, 705.0, ["RSS ≤ 1.40× floor MISS", "wall ≤ polars PASS"], True),
    ],
)
def test_gate_at_a_million_rows(
    project_wall: float, project_rss: float, verdicts: list[str], gate_missed: bool
) -> None:
    measured = {
        "floor": series("floor", 1.0, 500.0),
        "project": series("project", project_wall, project_rss),
        "polars": series("polars", 2.0, 800.0),
        "duckdb": series("duckdb", 2.5, 750.0),
    }
    assert targets.check_targets(1_000_000, measured) == (verdicts, gate_missed)


def test_no_gate_at_other_sizes() -> None:
    measured = {
        "floor": series("floor", 0.2, 100.0),
        "project": series("project", 1.0, 300.0),  # 5.0× the floor's wall
        "polars": series("polars", 0.5, 150.0),
    }
    assert targets.check_targets(100_000, measured) == (
        ["wall ≤ 4.00× floor MISS"],
        False,
    )
    assert targets.check_targets(12_345, measured) == ([], False)


def fake(snippet: str) -> CommandFactory:
    """A command factory running a tiny Python snippet instead of the real command."""
    return lambda csv_path, out_dir: [sys.executable, "-c", snippet]


@pytest.mark.parametrize(("project_sleep", "exit_code"), [(0.4, 1), (0.0, 0)])
def test_bench_exits_1_when_the_project_is_slower_than_polars(
    project_sleep: float,
    exit_code: int,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(
        targets,
        "COMPARED",
        [
            ("floor", fake("pass")),
            ("project", fake(f"import time; time.sleep({project_sleep})")),
            ("polars", fake("import time; time.sleep(0.2)")),
            ("duckdb", fake("pass")),
        ],
    )
    monkeypatch.setattr(
        targets, "TARGETS", {60: targets.Target(rss=3.0, wall_vs="polars", gate=True)}
    )
    monkeypatch.setattr(modes, "require_modules", lambda *names: None)
    code = bench.main(
        ["--sizes", "60", "--runs", "1", "--warmup", "0", "--data-dir", str(tmp_path)]
    )
    out = capsys.readouterr().out
    assert code == exit_code
    verdict = "MISS" if exit_code else "PASS"
    assert f"target: project wall ≤ polars {verdict}" in out
