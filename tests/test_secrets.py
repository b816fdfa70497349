"""The OpenWeatherMap API key never leaves the process that uses it.

Real runs of both entry points with ``OPENWEATHER_API_KEY`` set to a
recognisable fake key and ``OPENWEATHER_BASE_URL`` pointed at a stand-in on
127.0.0.1 that answers 200, 401 or 500, the error bodies echoing the key back
(as a careless provider or proxy might). At log levels DEBUG (urllib3's request
lines included), INFO and WARNING, the key must be absent from stdout, stderr,
every report file (summary.json, executive_report.txt, rejected_rows.csv,
overdue_tickets.csv, report.html, ticket_report.ipynb) and the weather cache's SQLite files, while
the stand-in proves the key was really sent.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
from expected_files import NOTEBOOK_SET

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "tickets_sample.csv"

KEY = "f4k3beefcafe0123456789abcdef0042"
#: The key as it may appear: whole, URL-encoded, and either half of it.
FORMS = {KEY, quote(KEY), quote_plus(KEY), KEY[:16], KEY[16:]}

OWM_BODY: dict[str, Any] = {
    "coord": {"lon": 13.405, "lat": 52.52},
    "weather": [{"id": 500, "main": "Rain", "description": "light rain"}],
    "main": {"temp": 9.5, "feels_like": 7.25, "humidity": 81},
    "wind": {"speed": 5.0},
    "dt": 1710943200,
    "timezone": 3600,
    "name": "Berlin",
    "cod": 200,
}

#: Stand-in answers: (status, body, weather status, reason in summary.json).
ANSWERS: dict[str, tuple[int, bytes, str, str | None]] = {
    "200": (200, json.dumps(OWM_BODY).encode(), "ok", None),
    "401": (
        401,
        json.dumps({"cod": 401, "message": f"Invalid API key {KEY}."}).encode(),
        "unavailable",
        "invalid API key (HTTP 401)",
    ),
    "500": (
        500,
        json.dumps(
            {"cod": "500", "message": f"backend failed for appid={KEY}"}
        ).encode(),
        "unavailable",
        "HTTP 500 from {host}: backend failed for appid=*** (after 2 attempts)",
    ),
}


def keyed_env(sandbox: Any, base_url: str, level: str, **extra: str) -> dict[str, str]:
    """Weather on through OpenWeatherMap at the stand-in, with the fake key."""
    return sandbox.env(
        WEATHER_ENABLED="true",
        WEATHER_LATITUDE="52.52",
        WEATHER_LONGITUDE="13.405",
        OPENWEATHER_API_KEY=KEY,
        OPENWEATHER_BASE_URL=base_url,
        OPEN_METEO_BASE_URL=base_url,
        WEATHER_TIMEOUT_SECONDS="2",
        LOG_LEVEL=level,
        **extra,
    )


def leaks(text: str | bytes, where: str) -> list[str]:
    """Return ``where`` for each form of the key found in ``text``."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return [f"{where}: {form!r}" for form in FORMS if form.encode() in data]


def scan(*folders: Path) -> list[str]:
    """Return every leak in the files below ``folders`` (reports, cache files)."""
    found: list[str] = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                found += leaks(path.read_bytes(), str(path))
    return found


def assert_key_was_sent(stand_in: Any) -> None:
    """The stand-in received the key: the runs above really used it."""
    assert stand_in.requests
    assert all(f"appid={KEY}" in request for request in stand_in.requests)


@pytest.mark.parametrize("level", ["DEBUG", "INFO", "WARNING"])
@pytest.mark.parametrize("answer", sorted(ANSWERS))
def test_cli_never_shows_the_key(
    sandbox: Any, stand_in: Any, answer: str, level: str
) -> None:
    """CLI, any answer, any log level: the key is in no output, log or cache."""
    status, body, weather_status, reason = ANSWERS[answer]
    stand_in.reply.status, stand_in.reply.body = status, body
    out = sandbox.home / "out"
    result = sandbox.cli(
        "--input",
        str(SAMPLE),
        "--output-dir",
        str(out),
        env=keyed_env(sandbox, stand_in.url, level),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert_key_was_sent(stand_in)
    weather = json.loads((out / "summary.json").read_text("utf-8"))["weather"]
    host = stand_in.url.removeprefix("http://")
    assert (weather["status"], weather["provider"]) == (
        weather_status,
        "openweathermap",
    )
    assert weather["reason"] == (reason.format(host=host) if reason else None)
    if level == "DEBUG":  # the request lines are logged, with the key masked
        assert "/data/2.5/weather?lat=52.52&lon=13.405&appid=***" in result.stderr
    if answer == "200":
        assert (sandbox.cache / "weather_cache.sqlite").is_file()
    found = leaks(result.stdout, "stdout") + leaks(result.stderr, "stderr")
    assert found + scan(out, sandbox.cache) == []


def test_key_from_dotenv_never_shows(sandbox: Any, stand_in: Any) -> None:
    """A key read from the working folder's .env (not the environment) stays hidden."""
    stand_in.reply.status, stand_in.reply.body = 401, ANSWERS["401"][1]
    (sandbox.home / ".env").write_text(f"OPENWEATHER_API_KEY={KEY}\n")
    env = keyed_env(sandbox, stand_in.url, "DEBUG")
    del env["OPENWEATHER_API_KEY"]
    out = sandbox.home / "out"
    result = sandbox.cli("--input", str(SAMPLE), "--output-dir", str(out), env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert_key_was_sent(stand_in)
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["weather"]["reason"] == "invalid API key (HTTP 401)"
    found = leaks(result.stdout, "stdout") + leaks(result.stderr, "stderr")
    assert found + scan(out, sandbox.cache) == []


@pytest.mark.notebook
def test_run_report_never_shows_the_key(sandbox: Any, stand_in: Any) -> None:
    """run_report.py at DEBUG: stale cached data after a 500 echoing the key.

    A first CLI run caches a 200 answer (1 s lifetime). run_report.py then gets a
    500 whose body holds the key, so the kernel falls back to the stale cached
    data (summary.json keeps the redacted reason; report.html says it is cached).
    """
    stand_in.reply.status, stand_in.reply.body = 200, ANSWERS["200"][1]
    env = keyed_env(sandbox, stand_in.url, "DEBUG", WEATHER_CACHE_TTL_SECONDS="1")
    out = sandbox.home / "out"
    first = sandbox.cli("--input", str(SAMPLE), "--output-dir", str(out), env=env)
    assert first.returncode == 0, first.stderr[-2000:]
    time.sleep(1.2)
    stand_in.reply.status, stand_in.reply.body = 500, ANSWERS["500"][1]
    result = sandbox.report(
        "--input",
        str(SAMPLE),
        "--output-dir",
        str(out),
        "--log-level",
        "DEBUG",
        env=env,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert_key_was_sent(stand_in)
    assert len(stand_in.requests) == 3  # the CLI's one, the report's two attempts
    assert sorted(p.name for p in out.iterdir()) == NOTEBOOK_SET
    weather = json.loads((out / "summary.json").read_text("utf-8"))["weather"]
    reason = ANSWERS["500"][3]
    assert reason is not None
    host = stand_in.url.removeprefix("http://")
    assert (weather["status"], weather["stale"], weather["reason"]) == (
        "ok",
        True,
        reason.format(host=host),
    )
    html = (out / "report.html").read_text("utf-8")
    assert "9.5 °C" in html and "(cached value, may be out of date)" in html
    found = leaks(first.stderr, "first stderr") + leaks(result.stdout, "stdout")
    found += leaks(result.stderr, "stderr")
    assert found + scan(out, sandbox.cache) == []
