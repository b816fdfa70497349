"""The entry points: ``ticket-analysis`` (direct run and ``report``), ``run_report.py``.

The wheel itself (notebook and templates inside, a fresh venv, no checkout on the
path) is checked by ``make install-check``, which needs the package index.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Sandbox
from expected_files import NOTEBOOK_SET

from ticket_analysis import cli, resources
from ticket_analysis.exceptions import TicketAnalysisError

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "tickets_sample.csv"
CONSOLE_SCRIPT = Path(sys.executable).parent / "ticket-analysis"


def _lines(text: str) -> list[str]:
    """Return the non-empty lines of a process's output."""
    return [line for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("command", [[], ["report"]], ids=["direct", "report"])
def test_a_run_without_input_exits_2_with_one_line(
    sandbox: Sandbox, command: list[str]
) -> None:
    """Without --input or TICKETS_INPUT a run stops: exit 2, one line, no file."""
    result = sandbox.cli(*command, "--output-dir", "out")
    assert result.returncode == 2
    assert _lines(result.stderr) == [f"ERROR: {cli.MISSING_INPUT}"]
    assert not (sandbox.home / "out").exists()


def test_the_missing_input_message_names_the_flag_and_the_variable() -> None:
    """The message says what to do: pass --input or set TICKETS_INPUT."""
    assert "--input FILE" in cli.MISSING_INPUT
    assert "TICKETS_INPUT" in cli.MISSING_INPUT
    assert "\n" not in cli.MISSING_INPUT


def test_run_report_help_still_works() -> None:
    """`python run_report.py --help` exits 0 and lists the notebook-only flags."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "run_report.py"), "--help"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("usage: run_report.py ")
    assert "--no-html" in result.stdout and "--timeout" in result.stdout


def test_report_subcommand_has_the_notebook_flags(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`report --help` shows the report's own usage; the direct run's help names it."""
    with pytest.raises(SystemExit) as exited:
        cli.main(["report", "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: python -m ticket_analysis report ")
    assert "--no-html" in out and "--timeout" in out
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps the text
    assert "python -m ticket_analysis report --help" in out
    assert "--no-html" not in out


def test_a_bad_report_flag_is_one_error_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`report --timeout 0` exits 2 with one line naming the subcommand."""
    with pytest.raises(SystemExit) as exited:
        cli.main(["report", "--timeout", "0"])
    assert exited.value.code == 2
    err = _lines(capsys.readouterr().err)
    assert len(err) == 1
    assert err[0].startswith("python -m ticket_analysis report: error: argument ")


def test_report_notebook_in_a_checkout_is_the_top_level_file() -> None:
    """From a checkout the notebook is notebooks/ticket_report.ipynb (the one source)."""
    assert resources.report_notebook() == ROOT / "notebooks" / "ticket_report.ipynb"


def test_report_notebook_outside_a_checkout_is_the_packaged_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Installed (no checkout around), the package's notebooks/ copy is used."""
    packaged = tmp_path / "pkg" / "notebooks" / resources.NOTEBOOK_NAME
    packaged.parent.mkdir(parents=True)
    packaged.write_text("{}", encoding="utf-8")
    monkeypatch.setattr(resources, "_CHECKOUT", tmp_path / "site-packages")
    monkeypatch.setattr(resources.resources, "files", lambda _: tmp_path / "pkg")
    assert resources.report_notebook() == packaged


def test_a_missing_packaged_notebook_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neither checkout nor packaged copy: the error names the file and the fix."""
    monkeypatch.setattr(resources, "_CHECKOUT", tmp_path)
    monkeypatch.setattr(resources.resources, "files", lambda _: tmp_path / "pkg")
    with pytest.raises(TicketAnalysisError, match=r"ticket_report\.ipynb is missing"):
        resources.report_notebook()


@pytest.mark.notebook
def test_console_script_report_writes_the_html_report(sandbox: Sandbox) -> None:
    """`ticket-analysis report` on the sample writes the five files; same summary.

    The console script is the one `make setup` installs into the venv; its
    summary.json equals the direct run's apart from generated_at.
    """
    assert CONSOLE_SCRIPT.is_file(), "no ticket-analysis command: run `make setup`"
    env = sandbox.env()
    common = ["--input", str(SAMPLE), "--no-weather", "--log-level", "WARNING"]
    runs = {
        "direct": [str(CONSOLE_SCRIPT), *common, "--output-dir", "direct"],
        "report": [str(CONSOLE_SCRIPT), "report", *common, "--output-dir", "report"],
    }
    for name, command in runs.items():
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            check=False,
            cwd=sandbox.home,
            env=env,
            timeout=240,
        )
        assert result.returncode == 0, (name, result.stderr)
    out = sandbox.home / "report"
    assert sorted(p.name for p in out.iterdir()) == NOTEBOOK_SET
    assert "<title>Support ticket report" in (out / "report.html").read_text("utf-8")
    summaries = [
        json.loads((sandbox.home / name / "summary.json").read_text("utf-8"))
        for name in runs
    ]
    for summary in summaries:
        del summary["generated_at"]
    assert summaries[0] == summaries[1]
