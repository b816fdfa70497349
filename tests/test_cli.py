"""`python -m ticket_analysis`: exit codes, one-line errors, the sample's figures."""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from expected_files import DIRECT_SET
from jsonschema import Draft202012Validator

from ticket_analysis.cli import configure_logging, main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "tickets_sample.csv"
SCHEMA = json.loads((ROOT / "schemas" / "summary.schema.json").read_text())


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a fresh process with weather off and no .env influence."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WEATHER", "OPEN"))}
    env["WEATHER_ENABLED"] = "false"
    return subprocess.run(
        [sys.executable, "-m", "ticket_analysis", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
        check=False,
    )


def load_summary(out: Path) -> dict[str, Any]:
    """Read and schema-validate summary.json."""
    summary: dict[str, Any] = json.loads((out / "summary.json").read_text())
    Draft202012Validator(
        SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER
    ).validate(summary)
    return summary


def test_sample_end_to_end_headline_figures(tmp_path: Path) -> None:
    """The sample's headline figures, checked by an independent csv-module count.

    Worked out from data/tickets_sample.csv: 60 records, line 24 has the impossible
    date 2026-09-31 and line 62 repeats TCK-1047 -> 58 valid. 20 are Open/In
    Progress (7 In Progress), 38 Resolved/Closed; TCK-1049/1050 are unassigned.
    37 resolved tickets have a usable duration (TCK-1057 resolves before it was
    created): mean 5.68, median 5. As of 2026-11-20, 16 open tickets are older than
    7 days (TCK-1054 is exactly 7). C100 has 8 tickets, C200 6, C300 exactly 5.
    """
    result = run_cli("--input", str(SAMPLE), "--output-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    s = load_summary(tmp_path)
    assert s["as_of"] == "2026-11-20"
    assert s["data_quality"] | {"issues": None} == {
        "records_read": 60,
        "rows_valid": 58,
        "rows_rejected": 2,
        "rows_with_warnings": 2,
        "issues": None,
        "rejected_rows_file": "rejected_rows.csv",
        "extra_columns": [],
        "missing_optional_columns": [],
    }
    assert s["summary"] == {
        "total_tickets": 58,
        "open_tickets": 20,
        "resolved_tickets": 38,
        "unassigned_tickets": 2,
        "avg_resolution_days": 5.68,
        "median_resolution_days": 5.0,
    }
    assert s["status_counts"]["In Progress"] == 7
    assert s["open_over_threshold"]["count"] == 16
    assert "TCK-1054" not in [
        t["ticket_id"] for t in s["open_over_threshold"]["tickets"]
    ]
    assert [
        (c["customer_id"], c["tickets"])
        for c in s["escalation_candidates"]["customers"]
    ] == [
        ("C100", 8),
        ("C200", 6),
    ]
    assert [(a["agent"], a["resolved"]) for a in s["top_agents"]] == [
        ("Agent_Sarah", 14),
        ("Agent_Mike", 10),
        ("Agent_Priya", 10),
    ]
    assert s["weather"]["status"] == "disabled"
    assert s["findings"] and s["recommendations"]
    rejected = (tmp_path / "rejected_rows.csv").read_text().splitlines()
    assert len(rejected) == 3 and rejected[1].startswith("24,invalid_created_date")
    assert (
        "INFO: tickets_sample.csv: 60 records read, 58 valid, 2 rejected"
        in result.stderr
    )


def test_same_input_gives_identical_json_but_generated_at(tmp_path: Path) -> None:
    """Two runs differ only in generated_at."""
    for name in ("a", "b"):
        assert (
            main(
                [
                    "--input",
                    str(SAMPLE),
                    "--output-dir",
                    str(tmp_path / name),
                    "--no-weather",
                ]
            )
            == 0
        )
    a, b = (json.loads((tmp_path / n / "summary.json").read_text()) for n in ("a", "b"))
    a.pop("generated_at")
    b.pop("generated_at")
    assert a == b


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--input", "missing.csv"], "ERROR: input file not found: missing.csv"),
        (["--input", "data"], "ERROR: data is a folder, not a CSV file"),
    ],
)
def test_input_errors_exit_2_with_one_line_and_no_files(
    tmp_path: Path, args: list[str], expected: str
) -> None:
    """Fatal input errors: exit 2, one clear line, no traceback, nothing written."""
    out = tmp_path / "out"
    result = run_cli(*args, "--output-dir", str(out))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(expected)
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_bad_flag_value_exits_2(tmp_path: Path) -> None:
    """A bad flag value is a usage error naming the flag."""
    result = run_cli("--open-days", "soon", "--output-dir", str(tmp_path))
    assert result.returncode == 2
    assert (
        "--open-days='soon' is not valid: expected a whole number from 0 to 36500"
        in result.stderr
    )
    assert list(tmp_path.iterdir()) == []


def test_bad_environment_variable_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bad variable in the environment is named, exit 2."""
    monkeypatch.setenv("ESCALATION_THRESHOLD", "many")
    assert main(["--input", str(SAMPLE), "--output-dir", str(tmp_path / "o")]) == 2
    assert not (tmp_path / "o").exists()


def test_quality_gate_exits_3_after_writing(tmp_path: Path) -> None:
    """More rejected rows than allowed: reports written, exit 3, the reason logged."""
    result = run_cli(
        "--input", str(SAMPLE), "--output-dir", str(tmp_path), "--max-reject-rate", "2%"
    )
    assert result.returncode == 3
    assert (
        "data-quality gate: 3.3% of records rejected (2 of 60), above the allowed 2.0%"
        in (result.stderr)
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == DIRECT_SET
    assert (
        run_cli(
            "--input",
            str(SAMPLE),
            "--output-dir",
            str(tmp_path),
            "--max-reject-rate",
            "5%",
        ).returncode
        == 0
    )


def test_unwritable_output_dir_exits_2(tmp_path: Path) -> None:
    """An output folder that cannot be created: exit 2 and a clear line."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_cli("--input", str(SAMPLE), "--output-dir", str(blocker / "reports"))
    assert result.returncode == 2
    assert "ERROR: cannot create the output folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_direct_path_imports_no_matplotlib_or_jupyter(tmp_path: Path) -> None:
    """The direct CLI stays light: no matplotlib, papermill, nbconvert or IPython."""
    code = (
        "import sys\n"
        "from ticket_analysis.cli import main\n"
        f"rc = main(['--input', {str(SAMPLE)!r}, '--output-dir', {str(tmp_path)!r}, '--no-weather'])\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'matplotlib', 'papermill', 'nbconvert', 'nbclient', 'IPython', 'jupyter_client'})\n"
        "print(rc, heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "0 []"


def test_as_of_override_flags_newer_tickets(tmp_path: Path) -> None:
    """--as-of before the newest ticket adds created_after_as_of warnings."""
    assert (
        main(
            [
                "--input",
                str(SAMPLE),
                "--output-dir",
                str(tmp_path),
                "--as-of",
                "2026-11-15",
                "--no-weather",
            ]
        )
        == 0
    )
    s = load_summary(tmp_path)
    # Created after 2026-11-15: TCK-1057 (11-16), TCK-1058 (11-17), TCK-1059 (11-18);
    # the 2026-11-20 row at line 62 is a rejected duplicate. 2 rows had warnings already,
    # one of them TCK-1057 (resolved before created): 2 + 3 - 1 = 4 rows with warnings.
    assert s["as_of"] == "2026-11-15"
    assert s["data_quality"]["issues"]["created_after_as_of"] == 3
    assert s["data_quality"]["rows_with_warnings"] == 4


def test_finding_thresholds_reach_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FINDING_REJECT_RATE above the sample's 3.3% silences the rejected-rows finding."""
    args = ["--input", str(SAMPLE), "--no-weather"]
    assert main([*args, "--output-dir", str(tmp_path / "a")]) == 0
    monkeypatch.setenv("FINDING_REJECT_RATE", "0.05")
    assert main([*args, "--output-dir", str(tmp_path / "b")]) == 0
    a, b = (load_summary(tmp_path / n)["findings"] for n in ("a", "b"))
    rejected = [f for f in a if f.startswith("3.3% of rows were rejected")]
    assert len(rejected) == 1
    assert [f for f in a if f not in rejected] == b


@pytest.fixture
def cli_logging() -> Iterator[None]:
    """Leave the root and asyncio loggers as they were after ``configure_logging``."""
    yield
    logging.getLogger().handlers.clear()
    logging.getLogger().setLevel(logging.WARNING)
    logging.getLogger("asyncio").setLevel(logging.NOTSET)


def _orphan_a_failed_task() -> None:
    """Leave a task whose exception nobody retrieves, as nbclient's cell task is."""

    async def cell() -> None:
        raise RuntimeError("Kernel died")

    loop = asyncio.new_event_loop()
    task = loop.create_task(cell())
    loop.run_until_complete(asyncio.sleep(0))
    loop.close()
    del task
    gc.collect()  # the loop reports a never-retrieved exception here


@pytest.mark.usefixtures("cli_logging")
def test_an_orphaned_asyncio_task_adds_no_error_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The cell task of nbclient, dead with its kernel after Ctrl-C, prints nothing."""
    configure_logging("INFO")
    _orphan_a_failed_task()
    assert capsys.readouterr().err == ""
    configure_logging("DEBUG")  # --log-level DEBUG still shows it
    _orphan_a_failed_task()
    assert "Task exception was never retrieved" in capsys.readouterr().err


@pytest.mark.usefixtures("cli_logging")
def test_a_library_s_logged_traceback_stays_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An error another library logs with its exception is one line, no traceback."""
    configure_logging("INFO")
    try:
        raise RuntimeError("kernel went away")
    except RuntimeError:
        logging.getLogger("some.library").exception("cell failed")
    assert capsys.readouterr().err == "ERROR: cell failed\n"
