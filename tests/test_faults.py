"""Faults around a run: the user still gets complete files or one clear line.

- the output folder cannot be created (both entry points): exit 2, one line;
- a report write fails midway (disk full, simulated at the file handle): exit 2,
  the file being written keeps its previous content, no temporary file is left;
- the weather service fails in every way, through the real CLI against a
  stand-in server on 127.0.0.1: exit 0, complete reports, ``unavailable`` with
  the precise reason; a healthy stand-in: ``ok``, then served from the cache,
  then shown ``stale`` when the live call fails;
- the notebook kernel dies or a cell times out (``run_report.main`` with a
  notebook generated from the real one): exit 1 naming the cell, the folder
  as it was (the reports staged before the failure are discarded), only
  ``ticket_report.failed.ipynb`` added;
- Ctrl-C (a real SIGINT) on a 300,000-row run: exit 130 with one line, never a
  traceback or a temporary file, the previous reports intact.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from expected_files import DIRECT_FILES, DIRECT_SET

from ticket_analysis import cli
from ticket_analysis.config import ENV_VARS

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "tickets_sample.csv"
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
REPORT_FILES = tuple(DIRECT_FILES)
#: A direct run's folder: the reports and the manifest written last.
REPORT_SET = tuple(DIRECT_SET)

OPEN_METEO_BODY: dict[str, Any] = {
    "latitude": 52.52,
    "longitude": 13.41,
    "utc_offset_seconds": 3600,
    "timezone": "Europe/Berlin",
    "current": {
        "time": "2024-03-20T14:00",
        "interval": 900,
        "temperature_2m": 11.5,
        "relative_humidity_2m": 62,
        "apparent_temperature": 9.75,
        "weather_code": 61,
        "wind_speed_10m": 18.0,
    },
}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Return every file of a folder (hidden ones included) with its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def temp_files(folder: Path) -> list[str]:
    """Return the names of leftover temporary files in a folder."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def error_lines(stderr: str) -> list[str]:
    """Return the stderr lines that are not INFO log lines."""
    return [line for line in stderr.splitlines() if not line.startswith("INFO: ")]


# --- the output folder ------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "layout", "strerror"),
    [
        ("cli", "is_a_file", "File exists"),
        ("report", "is_a_file", "File exists"),
        ("report", "below_a_file", "Not a directory"),
    ],
)
def test_output_dir_that_cannot_be_created(
    sandbox: Any, entry: str, layout: str, strerror: str
) -> None:
    """Exit 2 before any work, one line naming the folder and the OS reason."""
    blocker = sandbox.home / "blocker"
    blocker.write_text("not a folder")
    out = blocker if layout == "is_a_file" else blocker / "reports"
    run = sandbox.cli if entry == "cli" else sandbox.report
    result = run("--input", str(SAMPLE), "--output-dir", str(out))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert error_lines(result.stderr) == [
        f"ERROR: cannot create the output folder {out}: {strerror}. "
        "Choose another one with --output-dir or REPORTS_DIR."
    ]
    assert blocker.read_text() == "not a folder"
    assert sorted(p.name for p in sandbox.home.iterdir()) == ["blocker"]


# --- a write that fails midway ------------------------------------------------------


class _DiskFullHandle:
    """A file handle that writes half of its first chunk, then reports ENOSPC."""

    def __init__(self, handle: Any, interrupt: bool) -> None:
        self._handle = handle
        self._interrupt = interrupt

    def write(self, data: Any) -> int:
        self._handle.write(data[: len(data) // 2])
        self._handle.flush()
        if self._interrupt:
            raise KeyboardInterrupt
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __enter__(self) -> _DiskFullHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._handle)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


def fail_writes_of(
    monkeypatch: pytest.MonkeyPatch, name: str, *, interrupt: bool = False
) -> None:
    """Make the staged file of report ``name`` fail after half a write.

    The direct run writes each report into its staging folder with
    ``write_file``; the handle for that one file is swapped for one that fails.
    """
    from ticket_analysis import pipeline

    real_write_file = pipeline.write_file

    def write_file(path: Path, write: Any) -> Path:
        if path.name != name:
            return real_write_file(path, write)
        handle = path.open("w", encoding="utf-8", newline="")
        with _DiskFullHandle(handle, interrupt) as failing:
            write(failing)
        return path

    monkeypatch.setattr(pipeline, "write_file", write_file)


def run_in_process(csv: Path, out: Path) -> int:
    """Run ``cli.main`` in this process (weather off)."""
    return cli.main(["--input", str(csv), "--output-dir", str(out), "--no-weather"])


@pytest.fixture
def previous_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, restore_logging: None
) -> tuple[Path, dict[str, bytes]]:
    """A complete earlier run on the sample, and the bytes of its files."""
    for var in ENV_VARS:  # also masks a developer's .env
        monkeypatch.setenv(var, "")
    out = tmp_path / "reports"
    assert run_in_process(SAMPLE, out) == 0
    return out, snapshot(out)


@pytest.mark.parametrize("failing", REPORT_FILES)
def test_failed_write_keeps_the_previous_file(
    previous_run: tuple[Path, dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    failing: str,
) -> None:
    """Disk full while writing any one report: exit 2, every report as before.

    The three reports are staged first and renamed only when all are
    complete, so a failure on any of them changes none.
    """
    out, before = previous_run
    capsys.readouterr()
    fail_writes_of(monkeypatch, failing)
    code = run_in_process(HOSTILE / "enum_variants.csv", out)
    assert code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert error_lines(err) == [
        f"ERROR: cannot write {out / failing}: No space left on device; "
        "the previous reports are unchanged"
    ]
    assert temp_files(out) == []
    assert snapshot(out) == before


@pytest.mark.parametrize("interrupt", [False, True], ids=["disk-full", "ctrl-c"])
def test_failed_run_leaves_the_previous_set_consistent(
    previous_run: tuple[Path, dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
    interrupt: bool,
) -> None:
    """A run failing at its last write leaves the previous set of reports whole."""
    out, before = previous_run
    fail_writes_of(monkeypatch, "executive_report.txt", interrupt=interrupt)
    code = run_in_process(HOSTILE / "enum_variants.csv", out)
    assert code == (130 if interrupt else 2)
    assert temp_files(out) == []
    assert snapshot(out) == before


# --- weather failing in every way, through the real CLI ----------------------------


def weather_env(sandbox: Any, base_url: str, **extra: str) -> dict[str, str]:
    """Weather on, at fixed coordinates, every provider URL on the stand-in."""
    return sandbox.env(
        WEATHER_ENABLED="true",
        WEATHER_LATITUDE="52.52",
        WEATHER_LONGITUDE="13.405",
        WEATHER_LOCATION_NAME="Berlin office",
        OPEN_METEO_BASE_URL=base_url,
        OPEN_METEO_GEOCODING_URL=base_url,
        OPENWEATHER_BASE_URL=base_url,
        WEATHER_TIMEOUT_SECONDS="1",
        **extra,
    )


def run_with_weather(
    sandbox: Any, env: dict[str, str]
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any], float]:
    """Run the CLI on the sample; return the process, its summary and seconds."""
    out = sandbox.home / "out"
    started = time.monotonic()
    result = sandbox.cli("--input", str(SAMPLE), "--output-dir", str(out), env=env)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(REPORT_SET)
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["data_quality"]["records_read"] == 60
    assert summary["summary"]["total_tickets"] == 58
    return result, summary, elapsed


def host(url: str) -> str:
    """Return ``127.0.0.1:port`` of a stand-in URL."""
    return url.removeprefix("http://")


#: name -> (what the stand-in answers, the reason expected, requests it gets)
FAILURES: dict[str, tuple[dict[str, Any], str, int]] = {
    "http-500": (
        {"status": 500, "body": b"oops"},
        "HTTP 500 from {host} (after 2 attempts)",
        2,
    ),
    "slow": ({"delay": 30.0}, "timed out after 1 s waiting for {host}", 1),
    "not-json": (
        {"body": b"<html>Service Unavailable</html>"},
        "unexpected response: body is not JSON (HTTP 200 from {host})",
        1,
    ),
    "wrong-shape": (
        {"body": b'{"current": {"temperature_2m": "warm", "time": "x"}}'},
        "unexpected response: missing utc_offset_seconds; current.temperature_2m is "
        "a string, expected a number; missing current.relative_humidity_2m; missing "
        "current.apparent_temperature; missing current.weather_code; missing "
        "current.wind_speed_10m",
        1,
    ),
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_weather_failure_still_gives_a_complete_report(
    sandbox: Any, stand_in: Any, failure: str
) -> None:
    """A failing weather service: exit 0, full reports, the precise reason."""
    reply, template, requests = FAILURES[failure]
    for name, value in reply.items():
        setattr(stand_in.reply, name, value)
    result, summary, elapsed = run_with_weather(
        sandbox, weather_env(sandbox, stand_in.url)
    )
    reason = template.format(host=host(stand_in.url))
    weather = summary["weather"]
    assert (weather["status"], weather["reason"], weather["provider"]) == (
        "unavailable",
        reason,
        "open-meteo",
    )
    assert weather["location"] == {
        "name": "Berlin office",
        "latitude": 52.52,
        "longitude": 13.405,
    }
    assert weather["temperature_c"] is None and weather["from_cache"] is False
    assert f"WARNING: weather unavailable: {reason}" in result.stderr
    assert len(stand_in.requests) == requests
    assert stand_in.requests[0].startswith(
        "/v1/forecast?latitude=52.52&longitude=13.405&current="
    )
    assert elapsed < 20  # worst case with a 1 s timeout: 2 x (1 + 1) + 0.5 s


def test_weather_connection_refused(sandbox: Any, closed_port_url: str) -> None:
    """Nothing listening: retried once, then unavailable with the reason."""
    _, summary, _ = run_with_weather(sandbox, weather_env(sandbox, closed_port_url))
    assert summary["weather"]["status"] == "unavailable"
    assert summary["weather"]["reason"] == (
        f"connection refused by {host(closed_port_url)} (after 2 attempts)"
    )


def test_weather_rejected_api_key(sandbox: Any, stand_in: Any) -> None:
    """OpenWeatherMap answering 401 to the key: 'invalid API key', exit 0."""
    stand_in.reply.status = 401
    stand_in.reply.body = b'{"cod": 401, "message": "Invalid API key."}'
    env = weather_env(sandbox, stand_in.url, OPENWEATHER_API_KEY="0" * 32)
    _, summary, _ = run_with_weather(sandbox, env)
    weather = summary["weather"]
    assert (weather["status"], weather["provider"], weather["reason"]) == (
        "unavailable",
        "openweathermap",
        "invalid API key (HTTP 401)",
    )
    assert [p.split("?")[0] for p in stand_in.requests] == ["/data/2.5/weather"]


def test_weather_ok_then_cached_then_stale(sandbox: Any, stand_in: Any) -> None:
    """Live data, then the same data from the cache, then stale after a failure."""
    stand_in.reply.body = json.dumps(OPEN_METEO_BODY).encode()
    # Long enough that the second run (a new process, slower on a loaded
    # machine) still finds the entry fresh; the third run waits it out.
    ttl = 6
    env = weather_env(sandbox, stand_in.url, WEATHER_CACHE_TTL_SECONDS=str(ttl))
    expected = {
        "status": "ok",
        "provider": "open-meteo",
        "location": {"name": "Berlin office", "latitude": 52.52, "longitude": 13.405},
        "observed_at": "2024-03-20T14:00:00+01:00",
        "temperature_c": 11.5,
        "apparent_temperature_c": 9.75,
        "humidity_pct": 62.0,
        "wind_kmh": 18.0,
        "condition": "Slight rain",
        "weather_code": 61,
        "from_cache": False,
        "stale": False,
        "reason": None,
    }
    result, first, _ = run_with_weather(sandbox, env)
    cached_by = time.monotonic()  # the entry was written before the run ended
    assert {k: first["weather"][k] for k in expected} == expected
    assert "Open-Meteo" in first["weather"]["attribution"]
    assert "INFO: weather: 11.5 °C, Slight rain at Berlin office" in result.stderr
    assert (sandbox.cache / "weather_cache.sqlite").is_file()

    _, second, _ = run_with_weather(sandbox, env)
    assert {k: second["weather"][k] for k in expected} == expected | {
        "from_cache": True
    }
    assert len(stand_in.requests) == 1, "the second run made no request"

    time.sleep(max(0.0, cached_by + ttl + 0.3 - time.monotonic()))  # it expires
    stand_in.reply.status, stand_in.reply.body = 503, b"down"
    result, third, _ = run_with_weather(sandbox, env)
    reason = f"HTTP 503 from {host(stand_in.url)} (after 2 attempts)"
    assert {k: third["weather"][k] for k in expected} == expected | {
        "from_cache": True,
        "stale": True,
        "reason": reason,
    }
    assert f"WARNING: weather: live request failed ({reason})" in result.stderr
    assert len(stand_in.requests) == 3


# --- the notebook kernel dying or a cell timing out -----------------------------


def failing_notebook(folder: Path, failure: str, *, after_pipeline: bool) -> Path:
    """Write a notebook: the real parameters cell, maybe its pipeline cell, a failure.

    Args:
        folder: Where to write it.
        failure: Source of the failing cell.
        after_pipeline: Keep the real notebook's report step (which writes
            summary.json, executive_report.txt and rejected_rows.csv) before it.

    Returns:
        The notebook's path.
    """
    real = nbformat.read(ROOT / "notebooks" / "ticket_report.ipynb", as_version=4)
    parameters = next(
        c for c in real.cells if "parameters" in c.get("metadata", {}).get("tags", [])
    )
    cells = [parameters]
    if after_pipeline:
        cells.append(
            next(
                c
                for c in real.cells
                if c.cell_type == "code" and "ticket_analysis.pipeline" in c.source
            )
        )
    cells.append(nbformat.v4.new_code_cell(failure))
    notebook = nbformat.v4.new_notebook(cells=cells, metadata=real.metadata)
    path = folder / "failing.ipynb"
    nbformat.write(notebook, path)
    return path


def test_kernel_death_after_the_report_step(sandbox: Any) -> None:
    """The kernel dies after the report step: exit 1 naming the cell.

    The reports are one set: the three files the step wrote stay staged and are
    thrown away, so the folder keeps the previous files byte for byte; only the
    failed notebook is added, and no staging folder or temporary file is left.
    """
    out = sandbox.home / "out"
    out.mkdir()
    (out / "report.html").write_text("previous html")
    (out / "ticket_report.ipynb").write_text("previous notebook")
    (out / "summary.json").write_text("previous summary")
    before = snapshot(out)
    notebook = failing_notebook(
        sandbox.home, "import os\n\nos._exit(1)", after_pipeline=True
    )
    input_csv = HOSTILE / "enum_variants.csv"
    result = sandbox.report(
        "--input", str(input_csv), "--output-dir", str(out), notebook=notebook
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert error_lines(result.stderr) == [
        "ERROR: the kernel died while running notebook cell 2 (`import os`) "
        "(out of memory?)"
    ]
    assert (
        f"INFO: the executed notebook, with the traceback: "
        f"{out / 'ticket_report.failed.ipynb'}" in result.stderr
    )
    after = snapshot(out)
    failed = nbformat.reads(after.pop("ticket_report.failed.ipynb"), as_version=4)
    assert "os._exit(1)" in failed.cells[-1].source
    assert after == before
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [*before, "ticket_report.failed.ipynb"]
    )
    assert temp_files(out) == []


def test_cell_timeout_keeps_the_previous_reports(sandbox: Any) -> None:
    """A cell running past --timeout: exit 1 naming it; earlier reports intact."""
    out = sandbox.home / "out"
    assert sandbox.cli("--input", str(SAMPLE), "--output-dir", str(out)).returncode == 0
    (out / "report.html").write_text("previous html")
    before = snapshot(out)
    notebook = failing_notebook(
        sandbox.home, "import time\n\ntime.sleep(120)", after_pipeline=False
    )
    result = sandbox.report(
        "--input",
        str(HOSTILE / "enum_variants.csv"),
        "--output-dir",
        str(out),
        "--timeout",
        "1",
        notebook=notebook,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert error_lines(result.stderr) == [
        "ERROR: notebook cell 1 (`import time`) timed out after 1 s "
        "(raise --timeout if the data is large)"
    ]
    after = snapshot(out)
    assert after.pop("ticket_report.failed.ipynb")
    assert after == before


# --- Ctrl-C -----------------------------------------------------------------------

_INTERRUPT_DURING_IMPORT = """
import os, signal, sys
from importlib.abc import MetaPathFinder

class Interrupt(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "ticket_analysis.pipeline":
            sys.meta_path.remove(self)
            os.kill(os.getpid(), signal.SIGINT)
        return None

from ticket_analysis import cli
from ticket_analysis.config import ENV_VARS
sys.meta_path.insert(0, Interrupt())
raise SystemExit(cli.main(sys.argv[1:]))
"""


def test_ctrl_c_during_start_up_is_one_line(sandbox: Any) -> None:
    """A real SIGINT while main() imports the pipeline: exit 130, one line."""
    out = sandbox.home / "out"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            _INTERRUPT_DURING_IMPORT,
            *("--input", str(SAMPLE), "--output-dir", str(out)),
        ],
        capture_output=True,
        text=True,
        cwd=sandbox.home,
        env=sandbox.env(),
        timeout=60,
        check=False,
    )
    assert "Traceback" not in result.stderr
    assert result.returncode == 130
    assert result.stderr.splitlines() == [
        "ERROR: interrupted; report files already written are complete, "
        "others unchanged"
    ]
    assert not out.exists()


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated 300,000-row export (about 67 MB), written once."""
    from benchmarks.generate import write_csv

    path = tmp_path_factory.mktemp("big") / "tickets_300k.csv"
    write_csv(path, 300_000, seed=7)
    return path


def interrupt_when(
    sandbox: Any, csv_path: Path, out: Path, marker: str
) -> subprocess.CompletedProcess[str]:
    """Run the CLI at DEBUG and send SIGINT as soon as ``marker`` is logged."""
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "ticket_analysis", "--input", str(csv_path)),
            *("--output-dir", str(out), "--log-level", "DEBUG"),
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=sandbox.home,
        env=sandbox.env(),
    )
    lines: list[str] = []
    seen = threading.Event()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append(line)
            if marker in line:
                process.send_signal(signal.SIGINT)
                seen.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        process.wait(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    reader.join(10)
    assert seen.is_set(), "".join(lines)[-2000:]
    return subprocess.CompletedProcess(
        process.args, process.returncode, "", "".join(lines)
    )


def test_ctrl_c_while_computing_keeps_the_previous_reports(
    previous_run: tuple[Path, dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Ctrl-C while the metrics run (after loading, before any write).

    Exit 130, one line, no traceback, no temporary file, the previous reports
    byte for byte. The interrupt is raised in-process at a fixed point, so the
    outcome does not depend on how fast the machine is (a real SIGINT on a large
    file raced the metrics, which became fast enough to finish first).
    """
    import ticket_analysis.metrics as metrics

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    out, before = previous_run
    monkeypatch.setattr(metrics, "compute_metrics", interrupted)
    capsys.readouterr()
    assert run_in_process(HOSTILE / "enum_variants.csv", out) == 130
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == (
        "ERROR: interrupted; report files already written are complete, "
        "others unchanged"
    )
    assert temp_files(out) == []
    assert snapshot(out) == before


@pytest.mark.slow
def test_ctrl_c_while_writing_leaves_only_complete_files(
    sandbox: Any, big_csv: Path
) -> None:
    """SIGINT as the reports are about to be written: a consistent set.

    Exit 130 (or 0 if the run won the race), no traceback, no temporary file,
    and the three reports all from the previous run or all from the new one.
    """
    out = sandbox.home / "out"
    assert sandbox.cli("--input", str(SAMPLE), "--output-dir", str(out)).returncode == 0
    before = snapshot(out)
    result = interrupt_when(sandbox, big_csv, out, "computed metrics for")
    assert result.returncode in (0, 130), result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert temp_files(out) == []
    after = snapshot(out)
    assert sorted(after) == sorted(REPORT_SET)
    if after == before:
        return
    summary = json.loads(after["summary.json"])
    assert summary["data_quality"]["records_read"] == 300_000
    report = after["executive_report.txt"].decode("utf-8")
    assert report.startswith("Support Ticket Analysis Report\n")
    assert "=== Recommendations ===" in report and report.endswith("\n")
    # 300,000 records, 3,414 of them rejected (see the loader's log line).
    assert after["rejected_rows.csv"].count(b"\r\n") >= 1 + 3_414
