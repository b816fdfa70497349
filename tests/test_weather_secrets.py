"""Tests that the OpenWeatherMap API key never leaks.

The key must be absent from the weather section, every exception message,
every log record (at DEBUG, urllib3 and requests-cache included) and the raw
bytes of the cache files, whatever the outcome of the call.
"""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
import responses
from pytest_httpserver import HTTPServer
from urllib3.exceptions import MaxRetryError

from ticket_analysis.config import WeatherSettings
from ticket_analysis.exceptions import WeatherError
from ticket_analysis.weather import (
    RetryPolicy,
    SecretRedactingFilter,
    WeatherClient,
    install_secret_redaction,
    redact,
    weather_section,
)

KEY = "k3y-0f-the-t3am-9a8b7c6d5e4f"
FAST = RetryPolicy(connect_timeout=0.5, max_attempts=2, backoff_seconds=0.01)

OWM_BODY: dict[str, Any] = {
    "weather": [{"id": 800, "description": "clear sky"}],
    "main": {"temp": 25.0, "feels_like": 24.5, "humidity": 30},
    "wind": {"speed": 2.5},
    "dt": 1714565700,
    "timezone": 0,
    "name": "Lisbon",
}


def make_settings(tmp_path: Path, base_url: str) -> WeatherSettings:
    """Return keyed OpenWeatherMap settings pointing at ``base_url``."""
    return WeatherSettings(
        latitude=38.72,
        longitude=-9.14,
        openweather_api_key=KEY,
        openweather_base_url=base_url,
        cache_dir=tmp_path / "cache",
        timeout_seconds=1.0,
    )


def closed_port_url() -> str:
    """Return the URL of a loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def cache_bytes(tmp_path: Path) -> bytes:
    """Return the raw bytes of every file in the cache folder."""
    folder = tmp_path / "cache"
    return b"".join(p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file())


def assert_no_key(
    tmp_path: Path, result: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    """Assert the key is nowhere: section, log records, log text, cache files.

    The test server's own access log (``werkzeug``, the server side running in
    this process) is not the client's output and is left out.
    """
    assert KEY not in json.dumps(result)
    client_records = [r for r in caplog.records if not r.name.startswith("werkzeug")]
    assert any(r.name.startswith("urllib3") for r in client_records)
    for record in client_records:
        assert KEY not in record.getMessage(), record.name
        assert KEY not in (record.exc_text or ""), record.name
        assert record.exc_info is None or KEY not in str(record.exc_info[1])
    formatter = logging.Formatter("%(name)s %(message)s")
    assert not [t for t in map(formatter.format, client_records) if KEY in t]
    assert KEY.encode() not in cache_bytes(tmp_path)


Scenario = Callable[[HTTPServer], str]


def answer_ok(server: HTTPServer) -> str:
    """Serve a valid body."""
    server.expect_request("/data/2.5/weather").respond_with_json(OWM_BODY)
    return server.url_for("/").rstrip("/")


def answer_401(server: HTTPServer) -> str:
    """Reject the key."""
    server.expect_request("/data/2.5/weather").respond_with_json(
        {"cod": 401, "message": f"Invalid API key {KEY}."}, status=401
    )
    return server.url_for("/").rstrip("/")


def answer_503(server: HTTPServer) -> str:
    """Fail twice (the retry path)."""
    server.expect_request("/data/2.5/weather").respond_with_data("down", status=503)
    return server.url_for("/").rstrip("/")


def answer_404_echoing_key(server: HTTPServer) -> str:
    """Answer with an error message that echoes the key."""
    server.expect_request("/data/2.5/weather").respond_with_json(
        {"cod": "404", "message": f"nothing at appid={KEY}"}, status=404
    )
    return server.url_for("/").rstrip("/")


def answer_garbage(server: HTTPServer) -> str:
    """Answer 200 with a body that is not JSON."""
    server.expect_request("/data/2.5/weather").respond_with_data("<html/>")
    return server.url_for("/").rstrip("/")


def refuse(server: HTTPServer) -> str:
    """Point at a closed port (connection refused, retried)."""
    del server
    return closed_port_url()


@pytest.mark.parametrize(
    ("scenario", "status"),
    [
        (answer_ok, "ok"),
        (answer_401, "unavailable"),
        (answer_503, "unavailable"),
        (answer_404_echoing_key, "unavailable"),
        (answer_garbage, "unavailable"),
        (refuse, "unavailable"),
    ],
    ids=["ok", "401", "503", "404-echo", "not-json", "refused"],
)
def test_key_never_leaks(
    tmp_path: Path,
    httpserver: HTTPServer,
    caplog: pytest.LogCaptureFixture,
    scenario: Scenario,
    status: str,
) -> None:
    """Whatever happens, the key is absent from output, DEBUG logs and cache."""
    base = scenario(httpserver)
    caplog.set_level(logging.DEBUG)
    result = weather_section(make_settings(tmp_path, base), policy=FAST).model_dump(
        mode="json"
    )
    assert result["status"] == status
    assert_no_key(tmp_path, result, caplog)


def test_urllib3_debug_line_is_redacted(
    tmp_path: Path, httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    """urllib3 logs the request line with its query: it is kept, key masked."""
    base = answer_ok(httpserver)
    caplog.set_level(logging.DEBUG)
    weather_section(make_settings(tmp_path, base), policy=FAST)
    urllib3_lines = [
        r.getMessage() for r in caplog.records if r.name == "urllib3.connectionpool"
    ]
    assert any("appid=***" in line for line in urllib3_lines), urllib3_lines
    assert len(httpserver.log) == 1
    assert httpserver.log[0][0].args["appid"] == KEY  # the server did get it


def test_cache_file_holds_the_response_but_not_the_key(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    """The cached entry is reused across runs although the key is not stored."""
    base = answer_ok(httpserver)
    settings = make_settings(tmp_path, base)
    weather_section(settings, policy=FAST)
    again = weather_section(settings, policy=FAST).model_dump(mode="json")
    assert again["from_cache"] is True
    assert again["condition"] == "clear sky"
    assert len(httpserver.log) == 1
    assert KEY.encode() not in cache_bytes(tmp_path)


@responses.activate
def test_exception_messages_are_redacted(tmp_path: Path) -> None:
    """A requests error whose text holds the URL yields a key-free WeatherError."""
    url = f"https://api.openweathermap.org/data/2.5/weather?appid={KEY}"
    responses.get(
        "https://api.openweathermap.org/data/2.5/weather",
        body=requests.ConnectionError(MaxRetryError(None, url, OSError("reset"))),  # type: ignore[arg-type]
    )
    responses.get(
        "https://api.openweathermap.org/data/2.5/weather",
        body=requests.ConnectionError(MaxRetryError(None, url, OSError("reset"))),  # type: ignore[arg-type]
    )
    settings = make_settings(tmp_path, "https://api.openweathermap.org")
    with (
        WeatherClient(settings, policy=FAST) as client,
        pytest.raises(WeatherError) as caught,
    ):
        client.current()
    assert str(caught.value) == (
        "could not connect to api.openweathermap.org (after 2 attempts)"
    )
    assert KEY not in repr(caught.value)


def test_filter_redacts_arguments_and_tracebacks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A record with the key in its args and its exception is masked in place."""
    install_secret_redaction(KEY)
    log = logging.getLogger("urllib3.connectionpool")
    caplog.set_level(logging.DEBUG)
    try:
        raise requests.HTTPError(f"401 for url: https://x.test/?appid={KEY}")
    except requests.HTTPError:
        log.debug(
            '"GET %s HTTP/1.1" 401', f"/data/2.5/weather?appid={KEY}", exc_info=True
        )
    (record,) = caplog.records
    assert record.getMessage() == '"GET /data/2.5/weather?appid=*** HTTP/1.1" 401'
    assert record.exc_info is None
    assert record.exc_text is not None
    assert "HTTPError: 401 for url: https://x.test/?appid=***" in record.exc_text
    assert KEY not in caplog.text


def test_install_is_idempotent() -> None:
    """Installing twice adds the filter once per logger."""
    install_secret_redaction(KEY)
    install_secret_redaction(KEY)
    for name in ("urllib3.connectionpool", "requests_cache.session", "ticket_analysis"):
        filters = logging.getLogger(name).filters
        assert sum(isinstance(f, SecretRedactingFilter) for f in filters) == 1


def test_redact_masks_the_key_in_every_form() -> None:
    """The raw, URL-encoded and parameter forms are all masked."""
    install_secret_redaction("a b/c+d")
    assert redact("key a b/c+d here") == "key *** here"
    assert redact("q=a%20b%2Fc%2Bd") == "q=***"
    assert redact("q=a+b%2Fc%2Bd") == "q=***"
    assert redact("/w?lat=1&appid=anything&units=metric") == (
        "/w?lat=1&appid=***&units=metric"
    )
    assert redact("?api_key=x&apikey=y&access_token=z") == (
        "?api_key=***&apikey=***&access_token=***"
    )
    assert redact("nothing secret") == "nothing secret"
