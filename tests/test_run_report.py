"""run_report.py: exit codes 2, 3 and 1, one clear line per error.

Exit code 0 and the report's content are checked by ``test_notebook.py`` (a full
run of the real notebook). The failure paths use tiny fixture notebooks from
``tests/fixtures/notebooks`` through ``main(..., notebook=...)``.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import asdict
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from ticket_analysis.config import ENV_VARS, Settings, WeatherSettings
from ticket_analysis.notebook import runner
from ticket_analysis.report.findings import FindingThresholds

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "notebooks"

HEADER = (
    "ticket_id,customer_id,subject,description,priority,status,created_date,"
    "resolved_date,assigned_to\n"
)
#: Four tickets; the last has the invalid priority "Urgent" and is rejected.
TICKETS = HEADER + (
    "T1,C1,Login fails,d,High,Resolved,2024-03-01,2024-03-02,Agent_A\n"
    "T2,C1,Export broken,d,Low,Open,2024-03-02,,Agent_B\n"
    "T3,C2,Invoice wrong,d,Medium,Closed,2024-03-03,2024-03-05,Agent_A\n"
    "T4,C3,Bad row,d,Urgent,Open,2024-03-04,,Agent_B\n"
)


def load_run_report() -> ModuleType:
    """Import the top-level run_report.py (it is a script, not in the package)."""
    spec = importlib.util.spec_from_file_location("run_report", ROOT / "run_report.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An isolated working folder: no .env influence, no network, no real home.

    Every settings variable is set empty (masking a developer's .env), weather is
    off, and Jupyter, IPython and matplotlib write under ``tmp_path``. The venv's
    kernelspec is still found under ``sys.prefix``. The root logger is restored
    afterwards (the entry point configures it).
    """
    for var in ENV_VARS:
        monkeypatch.setenv(var, "")
    monkeypatch.setenv("WEATHER_ENABLED", "false")
    for var, sub in (
        ("JUPYTER_CONFIG_DIR", "jupyter-config"),
        ("JUPYTER_DATA_DIR", "jupyter-data"),
        ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"),
        ("IPYTHONDIR", "ipython"),
        ("MPLCONFIGDIR", "matplotlib"),
    ):
        monkeypatch.setenv(var, str(tmp_path / sub))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tickets.csv").write_text(TICKETS, encoding="utf-8")
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield tmp_path
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.getLogger("ticket_analysis").setLevel(logging.NOTSET)


def run(
    *args: str, notebook: str | None = None, capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[str]]:
    """Run ``run_report.main`` in-process; return the exit code and stderr lines."""
    path = FIXTURES / f"{notebook}.ipynb" if notebook else None
    code = load_run_report().main(list(args), notebook=path)
    captured = capsys.readouterr()
    assert captured.out == "", "run_report prints nothing on stdout"
    return code, captured.err.splitlines()


# --- exit code 2: nothing written ---------------------------------------------


def test_missing_input_exits_2_with_one_line_and_writes_nothing(home: Path) -> None:
    """It exits 2 before starting a kernel when the input file is missing."""
    env = dict(os.environ)
    result = subprocess.run(
        [sys.executable, str(ROOT / "run_report.py"), "--input", "nope.csv",
         "--output-dir", "out"],
        capture_output=True, text=True, cwd=home, env=env, check=False, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "ERROR: input file not found: nope.csv. Check the path (--input or "
        "TICKETS_INPUT)."
    ]
    assert not (home / "out").exists()


@pytest.mark.parametrize("flag", [["--open-days", "-1"], ["--timeout", "0"]])
def test_bad_flag_value_exits_2(home: Path, flag: list[str]) -> None:
    """A bad flag value is a usage error (argparse exits 2)."""
    with pytest.raises(SystemExit) as exc:
        load_run_report().main([*flag, "--output-dir", "out"])
    assert exc.value.code == 2
    assert not (home / "out").exists()


@pytest.mark.notebook
def test_input_error_in_the_notebook_exits_2_and_writes_nothing(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An InputError raised by the notebook's first step is exit 2, one line."""
    (home / "bad.csv").write_text("ticket_id,subject\nT1,hello\n", encoding="utf-8")
    code, err = run("--input", "bad.csv", "--output-dir", "out/nested", capsys=capsys)
    assert code == 2
    errors = [line for line in err if line.startswith("ERROR")]
    assert len(errors) == 1 and "missing" in errors[0].lower(), err
    assert "bad.csv" in errors[0]
    assert not (home / "out").exists(), "created folders are removed again"


# --- exit code 3: reports still written ----------------------------------------


@pytest.mark.notebook
def test_quality_gate_exits_3_and_still_writes_every_report(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--max-reject-rate 0 with a rejected row: exit 3, all five files written."""
    code, err = run(
        "--input", "tickets.csv", "--output-dir", "out", "--max-reject-rate", "0",
        capsys=capsys,
    )  # fmt: skip
    assert code == 3
    assert (
        "ERROR: data-quality gate: 25.0% of records rejected (1 of 4), above the "
        "allowed 0.0%"
    ) in err
    for name in ("summary.json", "executive_report.txt", "rejected_rows.csv",
                 "ticket_report.ipynb", "report.html"):  # fmt: skip
        assert (home / "out" / name).is_file(), name
        assert f"INFO: wrote {home / 'out' / name}" in err
    html = (home / "out" / "report.html").read_text(encoding="utf-8")
    assert "Quality gate FAILED" in html
    assert "T4" in (home / "out" / "rejected_rows.csv").read_text()


# --- exit code 1: a failed cell, named ------------------------------------------


@pytest.mark.notebook
def test_failing_cell_exits_1_naming_the_cell(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A ValueError in cell 2 exits 1 with one line naming the cell and the error.

    Reports of an earlier run stay as they were; the failed notebook is kept.
    """
    out = home / "out"
    out.mkdir()
    (out / "report.html").write_text("earlier report", encoding="utf-8")
    code, err = run(
        "--input", "tickets.csv", "--output-dir", "out", notebook="raises_in_cell_2",
        capsys=capsys,
    )  # fmt: skip
    assert code == 1
    assert [line for line in err if line.startswith("ERROR")] == [
        'ERROR: notebook cell 2 (`raise ValueError("boom in cell 2")`) failed: '
        "ValueError: boom in cell 2"
    ]
    assert (out / "report.html").read_text(encoding="utf-8") == "earlier report"
    assert (out / "ticket_report.failed.ipynb").is_file()
    assert not (out / "ticket_report.ipynb").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "no temp file"


@pytest.mark.notebook
def test_sys_exit_in_a_cell_is_not_a_success(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """sys.exit(0) stops papermill silently; the runner still reports exit 1."""
    code, err = run(
        "--input", "tickets.csv", "--output-dir", "out", notebook="exits_early",
        capsys=capsys,
    )  # fmt: skip
    assert code == 1
    assert [line for line in err if line.startswith("ERROR")] == [
        "ERROR: notebook cell 2 (`import sys`) stopped the notebook: SystemExit: 0"
    ]


@pytest.mark.notebook
def test_cell_timeout_exits_1(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A cell running past --timeout exits 1 naming the cell."""
    code, err = run(
        "--input", "tickets.csv", "--output-dir", "out", "--timeout", "1",
        notebook="sleeps", capsys=capsys,
    )  # fmt: skip
    assert code == 1
    assert [line for line in err if line.startswith("ERROR")] == [
        "ERROR: notebook cell 2 (`import time`) timed out after 1 s "
        "(raise --timeout if the data is large)"
    ]


@pytest.mark.notebook
def test_dead_kernel_exits_1(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A kernel that dies in a cell exits 1 naming the cell."""
    code, err = run(
        "--input", "tickets.csv", "--output-dir", "out", notebook="kernel_dies",
        capsys=capsys,
    )  # fmt: skip
    assert code == 1
    assert [line for line in err if line.startswith("ERROR")] == [
        "ERROR: the kernel died while running notebook cell 2 (`import os`) "
        "(out of memory?)"
    ]


# --- how settings reach the kernel (no kernel) ------------------------------------


def test_resolved_settings_become_parameters_and_kernel_variables(
    tmp_path: Path,
) -> None:
    """Every setting of the report is a parameter; secrets never are."""
    settings = Settings(
        input_path=Path("data/x.csv"),
        output_dir=tmp_path,
        as_of=date(2024, 3, 20),
        agent="Agent_Sarah",
        priority="High",
        period_days=14,
        open_days=14,
        escalation_threshold=3,
        top_words=5,
        list_limit=0,
        sla_targets_days={"Low": 10, "Medium": 5, "High": 2, "Critical": 1},
        extra_stop_words=("please", "hello"),
        max_reject_rate=0.05,
        weather=WeatherSettings(enabled=False, openweather_api_key="secret"),
    )
    assert runner.notebook_parameters(settings, tmp_path) == {
        "input_path": "data/x.csv",
        "source": "",
        "mapping": "",
        "snapshot": "",
        "output_dir": str(tmp_path),
        "as_of": "2024-03-20",
        "agent": "Agent_Sarah",
        "customer": "",
        "priority": "High",
        "period_days": 14,
        "open_days": 14,
        "escalation_threshold": 3,
        "top_words": 5,
        "list_limit": 0,
        "sla_targets_days": {"Low": 10, "Medium": 5, "High": 2, "Critical": 1},
        "finding_thresholds": asdict(FindingThresholds()),
        "extra_stop_words": "please,hello",
        "max_reject_rate": "0.05",
        "weather_enabled": False,
    }
    defaults = runner.notebook_parameters(Settings(), tmp_path)
    assert (defaults["as_of"], defaults["max_reject_rate"]) == ("", "")


def test_unusable_file_is_refused_before_the_kernel_starts(tmp_path: Path) -> None:
    """A file without the required columns: exit 2, one line, no kernel started."""
    bad = tmp_path / "bad.csv"
    bad.write_text("id,subject\n1,hello\n", encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "run_report.py"),
            "--input",
            str(bad),
            "--output-dir",
            str(out),
            "--no-weather",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"ERROR: {bad} is missing required column(s): ticket_id, customer_id, priority, "
        "status, created_date. Columns found: 'id', 'subject'. Required: ticket_id, "
        "customer_id, priority, status, created_date."
    ]
    assert not out.exists()


#: A kernel that dies at its first start (before binding its ports), then works.
_DIES_ONCE = """
import os, sys
marker = sys.argv[1]
if not os.path.exists(marker):
    open(marker, "w").close()
    sys.exit(1)
from ipykernel import kernelapp
kernelapp.launch_new_instance(argv=sys.argv[2:])
"""


@pytest.mark.notebook
def test_a_kernel_that_dies_while_starting_is_started_once_more(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kernel dying before its first reply has run nothing: one more start.

    The run then succeeds, with one warning naming what happened.
    """
    monkeypatch.setenv("JUPYTER_PATH", str(home / "jupyter-path"))  # searched first
    spec = home / "jupyter-path" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (home / "dies_once.py").write_text(_DIES_ONCE, encoding="utf-8")
    argv = [sys.executable, str(home / "dies_once.py"), str(home / "marker"),
            "-f", "{connection_file}"]  # fmt: skip
    kernel = {"argv": argv, "display_name": "dies once", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel), encoding="utf-8")
    code, err = run(
        "--input", "tickets.csv", "--output-dir", "out", "--no-html", capsys=capsys
    )
    assert code == 0, err
    assert (home / "marker").exists(), "the first kernel started (and died)"
    warnings = [line for line in err if not line.startswith("INFO")]
    assert warnings == [
        "WARNING: the kernel did not start (Kernel died before replying to "
        "kernel_info); retrying"
    ]
    assert (home / "out" / "summary.json").is_file()


@pytest.mark.parametrize("case", ["sysfs", "folder-in-the-way"])
def test_unusable_output_folder_fails_at_once_before_the_kernel(
    home: Path, case: str
) -> None:
    """The report set is made before the kernel starts: exit 2 in a second, one line.

    ``/sys/kernel`` refuses new files even to root (it once escaped as a
    PermissionError traceback from creating a temporary file); a folder named
    like a report is never replaced. Nothing in the folder changes.
    """
    if case == "sysfs":
        out = Path("/sys/kernel")
        if not out.is_dir():
            pytest.skip("no sysfs here")
        expected = f"ERROR: cannot write to the output folder {out}: "
    else:
        out = home / "out"
        (out / "summary.json").mkdir(parents=True)
        expected = f"ERROR: cannot write {out / 'summary.json'}: a folder of that"
    before = sorted(p.name for p in out.iterdir())
    result = subprocess.run(
        [sys.executable, str(ROOT / "run_report.py"), "--input", "tickets.csv",
         "--output-dir", str(out), "--no-weather"],
        capture_output=True, text=True, cwd=home, check=False, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(expected), lines
    assert sorted(p.name for p in out.iterdir()) == before
