"""Issue 10, defects 5a, 8, 10, 11 through ``python -m ticket_analysis``.

Absurd flag and variable values exit 2 with one line; a relative path in ``.env``
is relative to that file; a FIFO input is refused instead of hanging; the output
folder is checked before the input is read; a failed run changes no report.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from expected_files import DIRECT_FILES, DIRECT_SET

from ticket_analysis import cli
from ticket_analysis.config import ENV_VARS

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "tickets_sample.csv"
HUGE = "99999999999999999999"


#: No variable from the developer's shell or .env; cwd is an empty folder.
pytestmark = pytest.mark.usefixtures("clean_environment")


def main(*args: str) -> int:
    """Run the CLI in-process with the weather off."""
    return cli.main([*args, "--no-weather"])


def error_lines(text: str) -> list[str]:
    """The stderr lines that are not INFO log lines."""
    return [line for line in text.splitlines() if not line.startswith("INFO: ")]


BAD_FLAGS = [
    ("--top-words", HUGE),
    ("--top-words", "-1"),
    ("--top-words", "100001"),
    ("--list-limit", HUGE),
    ("--open-days", "36501"),
    ("--open-days", "1e3"),
    ("--escalation-threshold", "1000000001"),
    ("--escalation-threshold", ""),
    ("--sla-targets", f"Critical={HUGE}"),
    ("--sla-targets", "High=-3"),
    ("--max-reject-rate", "nan"),
    ("--max-reject-rate", "inf"),
    ("--max-reject-rate", "-5%"),
    ("--as-of", "9999-12-31"),
    ("--as-of", ""),
    ("--log-level", "LOUD"),
    ("--input", ""),
    ("--output-dir", ""),
    ("--input", "bad\udcffname.csv"),  # undecodable bytes from argv
]


@pytest.mark.parametrize(("flag", "value"), BAD_FLAGS)
def test_absurd_flag_values_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str, value: str
) -> None:
    """It exits 2 with one line naming the flag, and writes nothing."""
    out = tmp_path / "out"
    argv = ["--input", str(SAMPLE), "--output-dir", str(out), flag, value]
    with pytest.raises(SystemExit) as info:
        main(*argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert f"error: argument {flag}: " in err and "Traceback" not in err
    assert not out.exists()


BAD_VARIABLES = [
    ("TOP_WORDS", HUGE),
    ("LIST_LIMIT", "1e9"),
    ("OPEN_DAYS", "-7"),
    ("ESCALATION_THRESHOLD", HUGE),
    ("WEATHER_TIMEOUT_SECONDS", "nan"),
    ("WEATHER_TIMEOUT_SECONDS", "1e300"),
    ("WEATHER_TIMEOUT_SECONDS", "inf"),
    ("WEATHER_CACHE_TTL_SECONDS", HUGE),
    ("WEATHER_LATITUDE", "nan"),
    ("FINDING_SLA_MIN_TICKETS", HUGE),
    ("FINDING_MAX_NAMED_CUSTOMERS", "100001"),
    ("FINDING_VOLUME_CHANGE", "inf"),
    ("FINDING_REJECT_RATE", "nan"),
    ("SLA_TARGETS_DAYS", "Low=40000"),
    ("REPORT_AS_OF", "0000-01-01"),
    ("LOG_LEVEL", "0"),
]


@pytest.mark.parametrize(("var", "value"), BAD_VARIABLES)
def test_absurd_environment_values_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    var: str,
    value: str,
) -> None:
    """It exits 2 with one line naming the variable, and writes nothing."""
    monkeypatch.setenv(var, value)
    out = tmp_path / "out"
    code = main("--input", str(SAMPLE), "--output-dir", str(out))
    err = capsys.readouterr().err
    assert code == 2, err
    assert len(error_lines(err)) == 1 and f"ERROR: {var}" in err, err
    assert "Traceback" not in err
    assert not out.exists()


def test_a_non_utf8_env_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A .env saved as Latin-1 exits 2 naming the file (it was a traceback).

    "WEATHER_LOCATION=K" is 18 characters, so the bad byte is at offset 18.
    """
    (tmp_path / ".env").write_bytes(b"WEATHER_LOCATION=K\xf6ln\n")
    code = main("--input", str(SAMPLE), "--output-dir", str(tmp_path / "out"))
    err = capsys.readouterr().err
    assert code == 2
    assert error_lines(err) == [
        f"ERROR: cannot read {tmp_path / '.env'} as UTF-8 text: "
        "'utf-8' codec can't decode byte 0xf6 in position 18: invalid start byte"
    ]


@pytest.mark.parametrize(
    ("layout", "expected"),
    [
        ("a file", "ERROR: cannot create the output folder {out}: File exists."),
        (
            "under a file",
            "ERROR: cannot create the output folder {out}: Not a directory.",
        ),
        (
            "read-only place",
            "ERROR: cannot write to the output folder {out}: Operation not permitted.",
        ),
    ],
)
def test_an_unusable_output_folder_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], layout: str, expected: str
) -> None:
    """--output-dir that is a file, under a file, or /sys/kernel: exit 2, one line."""
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    out = {
        "a file": blocker,
        "under a file": blocker / "reports",
        "read-only place": Path("/sys/kernel"),
    }[layout]
    if layout == "read-only place" and not out.is_dir():
        pytest.skip("needs Linux sysfs")
    code = main("--input", str(SAMPLE), "--output-dir", str(out))
    err = capsys.readouterr().err
    assert code == 2
    assert error_lines(err) == [
        expected.format(out=out)
        + " Choose another one with --output-dir or REPORTS_DIR."
    ]
    assert blocker.read_text() == "x"


def test_the_output_folder_is_checked_before_the_input_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bad --output-dir fails without the input being opened at all."""
    from ticket_analysis.ingest import loader

    opened: list[Path] = []
    monkeypatch.setattr(loader, "read_input", lambda path: opened.append(path))
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    assert main("--input", str(SAMPLE), "--output-dir", str(blocker / "r")) == 2
    assert opened == []


def test_a_folder_squatting_on_a_report_name_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Defect 5a: ``mkdir D/summary.json``: exit 2, every earlier file as it was."""
    out = tmp_path / "D"
    assert main("--input", str(SAMPLE), "--output-dir", str(out)) == 0
    (out / "summary.json").unlink()
    (out / "summary.json").mkdir()
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    capsys.readouterr()
    assert (
        main("--input", str(SAMPLE), "--output-dir", str(out), "--top-words", "3") == 2
    )
    err = capsys.readouterr().err
    assert error_lines(err) == [
        f"ERROR: cannot write {out / 'summary.json'}: a folder of that name is in "
        "the way; move it or choose another --output-dir. Nothing was written"
    ]
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert sorted(p.name for p in out.iterdir()) == DIRECT_SET


def test_an_old_report_html_is_removed_by_a_direct_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A report.html of the previous set goes; the user's own file stays."""
    import hashlib

    out = tmp_path / "reports"
    assert main("--input", str(SAMPLE), "--output-dir", str(out)) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    html = b"<html>previous</html>"
    (out / "report.html").write_bytes(html)
    manifest["files"].append(
        {"name": "report.html", "bytes": 21, "sha256": hashlib.sha256(html).hexdigest()}
    )
    (out / "manifest.json").write_text(json.dumps(manifest))
    (out / "notes.txt").write_text("mine")
    capsys.readouterr()
    assert main("--input", str(SAMPLE), "--output-dir", str(out)) == 0
    assert "removed " + str(out / "report.html") in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == sorted([*DIRECT_SET, "notes.txt"])
    names = [
        f["name"] for f in json.loads((out / "manifest.json").read_text())["files"]
    ]
    assert sorted(names) == DIRECT_FILES


def test_relative_paths_in_env_are_relative_to_the_env_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defect 10: ``TICKETS_INPUT=data/t.csv`` in the project's .env, run elsewhere.

    The input is read from proj/data/t.csv and the reports go to proj/out,
    not to folders of the current one (it failed: input file not found).
    """
    from ticket_analysis import config

    proj = tmp_path / "proj"
    (proj / "data").mkdir(parents=True)
    (proj / "data" / "t.csv").write_bytes(SAMPLE.read_bytes())
    (proj / ".env").write_text("TICKETS_INPUT=data/t.csv\nREPORTS_DIR=out\n")
    for var in ("TICKETS_INPUT", "REPORTS_DIR"):
        monkeypatch.delenv(var)
    monkeypatch.setattr(config, "PROJ_ROOT", proj)  # where .env is looked for last
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert cli.main(["--no-weather"]) == 0
    summary = json.loads((proj / "out" / "summary.json").read_text())
    assert summary["source"]["path"] == str(proj / "data" / "t.csv")
    assert summary["data_quality"]["records_read"] == 60
    assert list(elsewhere.iterdir()) == []


def test_relative_paths_from_the_environment_stay_relative_to_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """REPORTS_DIR=out in the environment means ./out of the current folder."""
    from ticket_analysis import config

    settings = config.load_settings(
        env_file=tmp_path / "none", environ={"REPORTS_DIR": "out"}
    )
    assert settings.output_dir == Path("out")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_input_is_refused_instead_of_hanging(tmp_path: Path) -> None:
    """Defect 11: a FIFO with no writer: exit 2 at once, one line (it hung)."""
    fifo = tmp_path / "tickets.csv"
    os.mkfifo(fifo)
    env = {k: v for k, v in os.environ.items() if k not in ENV_VARS}
    result = subprocess.run(
        [
            *(sys.executable, "-m", "ticket_analysis", "--input", str(fifo)),
            *("--output-dir", str(tmp_path / "out"), "--no-weather"),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert error_lines(result.stderr) == [
        f"ERROR: {fifo} is not a regular file (a pipe, socket or device): "
        "save the export to a file and pass that"
    ]
    assert not (tmp_path / "out").exists()
