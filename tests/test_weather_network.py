"""Tests of the weather step against real sockets on the loopback interface.

pytest-httpserver answers like the providers; a threaded stdlib server in its
own fixture is slow on purpose (a real read timeout); a closed port refuses the
connection; a ``.invalid`` host fails name resolution. Nothing leaves the
machine.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from ticket_analysis.config import WeatherSettings
from ticket_analysis.weather import RetryPolicy, weather_section

FAST = RetryPolicy(connect_timeout=0.5, max_attempts=2, backoff_seconds=0.01)

OPEN_METEO_BODY: dict[str, Any] = {
    "utc_offset_seconds": -18000,
    "timezone": "America/New_York",
    "current": {
        "time": "2024-01-15T07:00",
        "interval": 900,
        "temperature_2m": -3.5,
        "relative_humidity_2m": 72,
        "apparent_temperature": -8.25,
        "weather_code": 71,
        "wind_speed_10m": 14.0,
    },
}


def make_settings(tmp_path: Path, base_url: str, **changes: Any) -> WeatherSettings:
    """Return settings pointing every provider URL at ``base_url``."""
    values: dict[str, Any] = {
        "latitude": 40.7128,
        "longitude": -74.006,
        "open_meteo_base_url": base_url,
        "open_meteo_geocoding_url": base_url,
        "openweather_base_url": base_url,
        "cache_dir": tmp_path,
        "timeout_seconds": 1.0,
    }
    values.update(changes)
    return WeatherSettings(**values)


def base_of(server: HTTPServer) -> str:
    """Return ``http://host:port`` of a pytest-httpserver instance."""
    return server.url_for("/").rstrip("/")


class _SlowHandler(BaseHTTPRequestHandler):
    """Answers only after the test is over (or 5 s): a server that hangs."""

    release: threading.Event
    hits: list[str]

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.release.wait(5)
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def slow_server() -> Iterator[tuple[str, list[str]]]:
    """Run a threaded server whose handler hangs; yield its base URL and hits."""
    release = threading.Event()
    hits: list[str] = []
    handler = type("Handler", (_SlowHandler,), {"release": release, "hits": hits})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def closed_port() -> int:
    """Return a loopback port nothing listens on (bound, then closed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_open_meteo_over_real_http(tmp_path: Path, httpserver: HTTPServer) -> None:
    """A real HTTP round trip yields the parsed values with the local offset."""
    httpserver.expect_request(
        "/v1/forecast",
        query_string={
            "latitude": "40.7128",
            "longitude": "-74.006",
            "current": "temperature_2m,relative_humidity_2m,apparent_temperature,"
            "weather_code,wind_speed_10m",
            "timezone": "auto",
        },
    ).respond_with_json(OPEN_METEO_BODY)
    result = weather_section(
        make_settings(tmp_path, base_of(httpserver)), policy=FAST
    ).model_dump(mode="json")
    assert result["status"] == "ok"
    assert result["observed_at"] == "2024-01-15T07:00:00-05:00"
    assert result["temperature_c"] == -3.5
    assert result["apparent_temperature_c"] == -8.25
    assert result["condition"] == "Slight snowfall"
    assert result["weather_code"] == 71


def test_geocoding_over_real_http(tmp_path: Path, httpserver: HTTPServer) -> None:
    """A place name is geocoded, then its coordinates are forecast."""
    httpserver.expect_ordered_request(
        "/v1/search",
        query_string={
            "name": "New York",
            "count": "1",
            "language": "en",
            "format": "json",
        },
    ).respond_with_json(
        {
            "results": [
                {
                    "name": "New York",
                    "latitude": 40.71427,
                    "longitude": -74.00597,
                    "country": "United States",
                }
            ]
        }
    )
    httpserver.expect_ordered_request("/v1/forecast").respond_with_json(OPEN_METEO_BODY)
    settings = make_settings(
        tmp_path,
        base_of(httpserver),
        latitude=None,
        longitude=None,
        location="New York",
    )
    result = weather_section(settings, policy=FAST).model_dump(mode="json")
    assert result["location"] == {
        "name": "New York, United States",
        "latitude": 40.71427,
        "longitude": -74.00597,
    }
    assert httpserver.log[1][0].args["latitude"] == "40.7143"
    httpserver.check_assertions()


def test_5xx_then_success_over_real_http(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    """A real 502 is retried and the second answer is used."""
    httpserver.expect_ordered_request("/v1/forecast").respond_with_data(
        "bad gateway", status=502
    )
    httpserver.expect_ordered_request("/v1/forecast").respond_with_json(OPEN_METEO_BODY)
    result = weather_section(
        make_settings(tmp_path, base_of(httpserver)), policy=FAST
    ).model_dump(mode="json")
    assert result["status"] == "ok"
    assert len(httpserver.log) == 2


def test_5xx_every_time_over_real_http(tmp_path: Path, httpserver: HTTPServer) -> None:
    """Persistent 500s end after two attempts with the status in the reason."""
    httpserver.expect_request("/v1/forecast").respond_with_data("oops", status=500)
    base = base_of(httpserver)
    result = weather_section(make_settings(tmp_path, base), policy=FAST).model_dump(
        mode="json"
    )
    host = base.removeprefix("http://")
    assert result["reason"] == f"HTTP 500 from {host} (after 2 attempts)"
    assert len(httpserver.log) == 2


def test_cache_hit_makes_no_request_over_real_http(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    """The second run is answered by the SQLite cache: the server sees one call."""
    httpserver.expect_request("/v1/forecast").respond_with_json(OPEN_METEO_BODY)
    settings = make_settings(tmp_path, base_of(httpserver))
    first = weather_section(settings, policy=FAST).model_dump(mode="json")
    second = weather_section(settings, policy=FAST).model_dump(mode="json")
    assert (first["from_cache"], second["from_cache"]) == (False, True)
    assert second["temperature_c"] == -3.5
    assert len(httpserver.log) == 1


def test_real_read_timeout(tmp_path: Path, slow_server: tuple[str, list[str]]) -> None:
    """A server that accepts but does not answer times out after the read timeout.

    Read timeouts are not retried, so the step ends after about 0.5 s.
    """
    base, hits = slow_server
    settings = make_settings(tmp_path, base, timeout_seconds=0.5)
    started = time.monotonic()
    result = weather_section(settings, policy=FAST).model_dump(mode="json")
    elapsed = time.monotonic() - started
    host = base.removeprefix("http://")
    assert result["status"] == "unavailable"
    assert result["reason"] == f"timed out after 0.5 s waiting for {host}"
    assert 0.4 < elapsed < 2.0
    assert len(hits) == 1


def test_connection_refused(tmp_path: Path, closed_port: int) -> None:
    """A closed port reads 'connection refused by host:port', after a retry."""
    settings = make_settings(tmp_path, f"http://127.0.0.1:{closed_port}")
    started = time.monotonic()
    result = weather_section(settings, policy=FAST).model_dump(mode="json")
    assert result["status"] == "unavailable"
    assert result["reason"] == (
        f"connection refused by 127.0.0.1:{closed_port} (after 2 attempts)"
    )
    assert time.monotonic() - started < 2.0


def test_dns_failure_fails_fast(tmp_path: Path) -> None:
    """A host under .invalid cannot resolve: 'no network', quickly, no retry."""
    settings = make_settings(tmp_path, "http://weather.invalid")
    started = time.monotonic()
    result = weather_section(settings, policy=FAST).model_dump(mode="json")
    assert result["reason"] == "no network: could not resolve weather.invalid"
    assert time.monotonic() - started < 3.0
