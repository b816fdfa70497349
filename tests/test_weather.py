"""Tests of the weather client and the report's weather section, over mocked HTTP.

Every request here is answered by ``responses`` (it patches the transport
adapter, so the real requests-cache SQLite cache under ``tmp_path`` is used);
nothing reaches the internet. Real sockets are in ``test_weather_network.py``.
"""

from __future__ import annotations

import itertools
import json
import logging
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import responses
from responses import matchers
from urllib3.exceptions import (
    MaxRetryError,
    NameResolutionError,
    ProtocolError,
    ReadTimeoutError,
)

from ticket_analysis.config import WeatherSettings
from ticket_analysis.exceptions import (
    WeatherConfigError,
    WeatherHTTPError,
    WeatherNetworkError,
    WeatherResponseError,
    WeatherTimeoutError,
)
from ticket_analysis.weather import (
    CACHE_FILE_NAME,
    NO_LOCATION_REASON,
    RetryPolicy,
    WeatherClient,
    build_session,
    weather_section,
)

FORECAST_URL = "https://api.open-meteo.com/v1/forecast"
GEOCODING_URL = "https://geocoding-api.open-meteo.com/v1/search"
OWM_URL = "https://api.openweathermap.org/data/2.5/weather"
API_KEY = "test-key-5f1d2c3b4a"

#: Retries without real waiting: keeps the whole module fast.
FAST = RetryPolicy(connect_timeout=0.5, max_attempts=2, backoff_seconds=0.01)

SECTION_KEYS = {
    "status",
    "provider",
    "location",
    "observed_at",
    "temperature_c",
    "apparent_temperature_c",
    "humidity_pct",
    "wind_kmh",
    "condition",
    "weather_code",
    "from_cache",
    "stale",
    "reason",
    "attribution",
}


def open_meteo_body(**current: Any) -> dict[str, Any]:
    """Return a canned Open-Meteo forecast body; ``current`` overrides values."""
    values: dict[str, Any] = {
        "time": "2024-05-01T14:15",
        "interval": 900,
        "temperature_2m": 21.4,
        "relative_humidity_2m": 48,
        "apparent_temperature": 20.1,
        "weather_code": 2,
        "wind_speed_10m": 11.2,
    }
    values.update(current)
    return {
        "latitude": 52.52,
        "longitude": 13.419998,
        "generationtime_ms": 0.03,
        "utc_offset_seconds": 7200,
        "timezone": "Europe/Berlin",
        "timezone_abbreviation": "CEST",
        "elevation": 38.0,
        "current_units": {
            "time": "iso8601",
            "interval": "seconds",
            "temperature_2m": "°C",
            "relative_humidity_2m": "%",
            "apparent_temperature": "°C",
            "weather_code": "wmo code",
            "wind_speed_10m": "km/h",
        },
        "current": values,
    }


def owm_body() -> dict[str, Any]:
    """Return a canned OpenWeatherMap 2.5 body (2024-05-01 12:15 UTC, Berlin)."""
    return {
        "coord": {"lon": 13.41, "lat": 52.52},
        "weather": [
            {"id": 500, "main": "Rain", "description": "light rain", "icon": "10d"}
        ],
        "base": "stations",
        "main": {
            "temp": 12.3,
            "feels_like": 11.6,
            "temp_min": 11.0,
            "temp_max": 13.5,
            "pressure": 1012,
            "humidity": 81,
        },
        "visibility": 10000,
        "wind": {"speed": 4.1, "deg": 250},
        "clouds": {"all": 75},
        "dt": 1714565700,
        "timezone": 7200,
        "id": 2950159,
        "name": "Berlin",
        "cod": 200,
    }


GEOCODING_BERLIN = {
    "results": [
        {
            "id": 2950159,
            "name": "Berlin",
            "latitude": 52.52437,
            "longitude": 13.41053,
            "country": "Germany",
            "timezone": "Europe/Berlin",
        }
    ],
    "generationtime_ms": 0.5,
}


def make_settings(tmp_path: Path, **changes: Any) -> WeatherSettings:
    """Return weather settings for Berlin with a cache under ``tmp_path``."""
    values: dict[str, Any] = {
        "latitude": 52.52,
        "longitude": 13.41,
        "cache_dir": tmp_path / "cache",
        "timeout_seconds": 1.0,
    }
    values.update(changes)
    return WeatherSettings(**values)


def section(settings: WeatherSettings, **kwargs: Any) -> dict[str, Any]:
    """Run the weather step with the fast retry policy."""
    return weather_section(settings, policy=FAST, **kwargs).model_dump(mode="json")


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    """Answer HTTP with ``responses``; every registered answer must be used."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


def name_resolution_error(host: str) -> requests.ConnectionError:
    """Return the ConnectionError requests raises when DNS fails for ``host``."""
    gaierror = socket.gaierror(-2, "Name or service not known")
    reason = NameResolutionError(host, None, gaierror)  # type: ignore[arg-type]
    pool: Any = None
    return requests.ConnectionError(MaxRetryError(pool, f"/?appid={API_KEY}", reason))


# --- success ----------------------------------------------------------------


def test_open_meteo_success_parses_every_field(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """It returns status ok with Open-Meteo's values, the WMO text and the offset."""
    mocked.get(
        FORECAST_URL,
        json=open_meteo_body(),
        match=[
            matchers.query_param_matcher(
                {
                    "latitude": "52.52",
                    "longitude": "13.41",
                    "current": "temperature_2m,relative_humidity_2m,"
                    "apparent_temperature,weather_code,wind_speed_10m",
                    "timezone": "auto",
                }
            )
        ],
    )
    result = section(make_settings(tmp_path, location_name="HQ"))
    assert result == {
        "status": "ok",
        "provider": "open-meteo",
        "location": {"name": "HQ", "latitude": 52.52, "longitude": 13.41},
        "observed_at": "2024-05-01T14:15:00+02:00",
        "temperature_c": 21.4,
        "apparent_temperature_c": 20.1,
        "humidity_pct": 48.0,
        "wind_kmh": 11.2,
        "condition": "Partly cloudy",
        "weather_code": 2,
        "from_cache": False,
        "stale": False,
        "reason": None,
        "attribution": "Weather data by Open-Meteo.com (CC BY 4.0)",
    }


def test_client_returns_typed_result_with_fetched_at(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """WeatherClient.current() returns a WeatherResult stamped with ``now``."""
    mocked.get(FORECAST_URL, json=open_meteo_body(weather_code=95))
    now = datetime(2024, 5, 1, 12, 20, tzinfo=UTC)
    with WeatherClient(make_settings(tmp_path), policy=FAST) as client:
        result = client.current(now=now)
    assert result.provider == "open-meteo"
    assert result.condition == "Thunderstorm"
    assert result.weather_code == 95
    assert result.observed_at == datetime(2024, 5, 1, 12, 15, tzinfo=UTC)
    assert result.observed_at.utcoffset() == timedelta(hours=2)
    assert result.fetched_at == now
    assert (result.from_cache, result.stale, result.reason) == (False, False, None)


def test_open_meteo_nulls_other_than_temperature_become_none(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """Null humidity, apparent temperature, wind and code are shown as None."""
    mocked.get(
        FORECAST_URL,
        json=open_meteo_body(
            relative_humidity_2m=None,
            apparent_temperature=None,
            weather_code=None,
            wind_speed_10m=None,
        ),
    )
    result = section(make_settings(tmp_path))
    assert result["status"] == "ok"
    assert result["temperature_c"] == 21.4
    assert result["humidity_pct"] is None
    assert result["apparent_temperature_c"] is None
    assert result["wind_kmh"] is None
    assert result["condition"] is None
    assert result["weather_code"] is None


def test_openweathermap_success_converts_wind_and_uses_description(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """With a key, OpenWeatherMap is used: m/s becomes km/h, id is the code."""
    mocked.get(
        OWM_URL,
        json=owm_body(),
        match=[
            matchers.query_param_matcher(
                {"lat": "52.52", "lon": "13.41", "appid": API_KEY, "units": "metric"}
            )
        ],
    )
    result = section(make_settings(tmp_path, openweather_api_key=API_KEY))
    assert result == {
        "status": "ok",
        "provider": "openweathermap",
        "location": {"name": "Berlin", "latitude": 52.52, "longitude": 13.41},
        "observed_at": "2024-05-01T14:15:00+02:00",
        "temperature_c": 12.3,
        "apparent_temperature_c": 11.6,
        "humidity_pct": 81.0,
        "wind_kmh": 14.8,
        "condition": "light rain",
        "weather_code": 500,
        "from_cache": False,
        "stale": False,
        "reason": None,
        "attribution": "Weather data by OpenWeatherMap",
    }


def test_base_url_with_path_prefix_is_honoured(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """A self-hosted base URL keeps its path prefix before /v1/forecast."""
    mocked.get(
        "https://meteo.example.test/proxy/om/v1/forecast", json=open_meteo_body()
    )
    settings = make_settings(
        tmp_path, open_meteo_base_url="https://meteo.example.test/proxy/om/"
    )
    assert section(settings)["temperature_c"] == 21.4


# --- geocoding --------------------------------------------------------------


def test_place_name_is_geocoded_then_forecast(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """WEATHER_LOCATION is resolved through the geocoding API, then used."""
    mocked.get(
        GEOCODING_URL,
        json=GEOCODING_BERLIN,
        match=[
            matchers.query_param_matcher(
                {"name": "Berlin", "count": "1", "language": "en", "format": "json"}
            )
        ],
    )
    mocked.get(
        FORECAST_URL,
        json=open_meteo_body(),
        match=[
            matchers.query_param_matcher(
                {"latitude": "52.5244", "longitude": "13.4105"}, strict_match=False
            )
        ],
    )
    settings = make_settings(tmp_path, latitude=None, longitude=None, location="Berlin")
    result = section(settings)
    assert result["status"] == "ok"
    assert result["location"] == {
        "name": "Berlin, Germany",
        "latitude": 52.52437,
        "longitude": 13.41053,
    }


def test_geocoding_is_cached_across_runs(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """A second run resolves the place name from the cache (one geocoding call)."""
    mocked.get(GEOCODING_URL, json=GEOCODING_BERLIN)
    mocked.get(FORECAST_URL, json=open_meteo_body())
    settings = make_settings(tmp_path, latitude=None, longitude=None, location="Berlin")
    first = section(settings)
    second = section(settings)
    assert first["status"] == second["status"] == "ok"
    assert [str(c.request.url).split("?")[0] for c in mocked.calls] == [
        GEOCODING_URL,
        FORECAST_URL,
    ]
    assert second["from_cache"] is True


def test_location_not_found(tmp_path: Path, mocked: responses.RequestsMock) -> None:
    """An empty geocoding result is reported as 'location not found'."""
    mocked.get(GEOCODING_URL, json={"generationtime_ms": 0.4})
    settings = make_settings(
        tmp_path, latitude=None, longitude=None, location="Atlantis"
    )
    result = section(settings)
    assert result["status"] == "unavailable"
    assert result["reason"] == "location not found: 'Atlantis'"
    assert result["provider"] == "open-meteo"
    assert result["location"] == {
        "name": "Atlantis",
        "latitude": None,
        "longitude": None,
    }
    assert len(mocked.calls) == 1


def test_location_not_found_raises_config_error(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """The client raises WeatherConfigError for an unknown place name."""
    mocked.get(GEOCODING_URL, json={"results": []})
    settings = make_settings(
        tmp_path, latitude=None, longitude=None, location="Atlantis"
    )
    with (
        WeatherClient(settings, policy=FAST) as client,
        pytest.raises(WeatherConfigError, match=r"^location not found: 'Atlantis'$"),
    ):
        client.resolve_location()


# --- configuration ------------------------------------------------------------


def test_disabled_makes_no_request(
    tmp_path: Path, mocked: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    """WEATHER_ENABLED=false gives status disabled, every key None/False."""
    caplog.set_level(logging.INFO)
    result = section(make_settings(tmp_path, enabled=False))
    assert set(result) == SECTION_KEYS
    assert result["status"] == "disabled"
    assert result["reason"] is None
    assert result["provider"] is None
    assert result["attribution"] is None
    assert result["location"] is None
    assert not mocked.calls
    assert not (tmp_path / "cache").exists()
    assert [r.levelname for r in caplog.records] == ["INFO"]


def test_no_location_configured_is_disabled_without_warning(
    tmp_path: Path, mocked: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    """No place name and no coordinates: status disabled, one INFO line, no request."""
    caplog.set_level(logging.DEBUG)
    result = section(make_settings(tmp_path, latitude=None, longitude=None))
    assert set(result) == SECTION_KEYS
    assert (result["status"], result["reason"]) == (
        "disabled",
        "no location configured",
    )
    assert (result["location"], result["provider"], result["attribution"]) == (
        None,
        None,
        None,
    )
    records = [r for r in caplog.records if r.name.startswith("ticket_analysis")]
    assert [(r.levelname, r.getMessage()) for r in records] == [
        (
            "INFO",
            "weather: disabled (no location configured: set WEATHER_LOCATION or "
            "WEATHER_LATITUDE/WEATHER_LONGITUDE)",
        )
    ]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert not mocked.calls
    assert not (tmp_path / "cache").exists()


def test_client_without_location_says_what_to_set(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """WeatherClient itself raises WeatherConfigError naming the variables to set."""
    settings = make_settings(tmp_path, latitude=None, longitude=None)
    with (
        WeatherClient(settings, policy=FAST) as client,
        pytest.raises(WeatherConfigError) as caught,
    ):
        client.current()
    assert (
        str(caught.value)
        == NO_LOCATION_REASON
        == (
            "no location configured: set WEATHER_LOCATION or "
            "WEATHER_LATITUDE/WEATHER_LONGITUDE"
        )
    )
    assert not mocked.calls


def test_half_coordinates_name_the_missing_variable(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """A latitude without longitude names WEATHER_LONGITUDE."""
    result = section(make_settings(tmp_path, longitude=None))
    assert result["reason"] == (
        "incomplete location: WEATHER_LONGITUDE is not set; set both "
        "WEATHER_LATITUDE and WEATHER_LONGITUDE, or WEATHER_LOCATION"
    )


def test_coordinates_win_over_place_name(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """With coordinates and a place name, no geocoding call is made."""
    mocked.get(FORECAST_URL, json=open_meteo_body())
    result = section(make_settings(tmp_path, location="Berlin"))
    assert result["location"]["name"] == "Berlin"
    assert len(mocked.calls) == 1


# --- network failures -------------------------------------------------------


def test_connect_timeout_is_retried_then_reported(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """A connect timeout is retried once, then reported with the connect timeout."""
    for _ in range(2):
        mocked.get(FORECAST_URL, body=requests.exceptions.ConnectTimeout("slow"))
    result = section(make_settings(tmp_path))
    assert result["status"] == "unavailable"
    assert result["reason"] == (
        "timed out after 0.5 s connecting to api.open-meteo.com (after 2 attempts)"
    )
    assert len(mocked.calls) == 2


def test_connect_timeout_raises_timeout_error(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """The client raises WeatherTimeoutError (also a TimeoutError)."""
    mocked.get(FORECAST_URL, body=requests.exceptions.ConnectTimeout("slow"))
    policy = RetryPolicy(connect_timeout=0.5, max_attempts=1)
    with (
        WeatherClient(make_settings(tmp_path), policy=policy) as client,
        pytest.raises(TimeoutError) as caught,
    ):
        client.current()
    assert isinstance(caught.value, WeatherTimeoutError)
    assert str(caught.value) == "timed out after 0.5 s connecting to api.open-meteo.com"


def test_body_read_timeout_is_a_timeout(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """A body that stalls after the headers reads as a timeout, not retried."""
    pool: Any = None
    stalled = ReadTimeoutError(pool, "/v1/forecast", "Read timed out.")
    mocked.get(FORECAST_URL, body=requests.ConnectionError(stalled))
    result = section(make_settings(tmp_path))
    assert result["reason"] == "timed out after 1 s waiting for api.open-meteo.com"
    assert len(mocked.calls) == 1


def test_connection_reset_is_retried(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """A connection dropped mid-response is retried, then reported."""
    aborted = ProtocolError("Connection aborted.", ConnectionResetError(104, "reset"))
    for _ in range(2):
        mocked.get(FORECAST_URL, body=requests.ConnectionError(aborted))
    result = section(make_settings(tmp_path))
    assert result["reason"] == (
        "connection to api.open-meteo.com closed before a complete response "
        "(after 2 attempts)"
    )


def test_dns_failure_is_not_retried(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """A name-resolution failure reads 'no network' and is not retried."""
    mocked.get(FORECAST_URL, body=name_resolution_error("api.open-meteo.com"))
    result = section(make_settings(tmp_path))
    assert result["reason"] == "no network: could not resolve api.open-meteo.com"
    assert len(mocked.calls) == 1


def test_dns_failure_raises_network_error(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """The client raises WeatherNetworkError, a ConnectionError."""
    mocked.get(FORECAST_URL, body=name_resolution_error("api.open-meteo.com"))
    with (
        WeatherClient(make_settings(tmp_path), policy=FAST) as client,
        pytest.raises(ConnectionError) as caught,
    ):
        client.current()
    assert isinstance(caught.value, WeatherNetworkError)


def test_deadline_stops_the_step(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """Once the step's time budget is used up, no further request is started."""
    mocked.get(GEOCODING_URL, json=GEOCODING_BERLIN)
    # start, geocoding attempt, forecast attempt (100 s later: past the budget)
    clock = iter([0.0, 0.0, 100.0]).__next__
    settings = make_settings(tmp_path, latitude=None, longitude=None, location="Berlin")
    with WeatherClient(settings, policy=FAST, clock=clock) as client:
        assert client.worst_case_seconds == pytest.approx(3.01)
        with pytest.raises(WeatherTimeoutError) as caught:
            client.current()
    assert str(caught.value) == (
        "timed out: the weather step used its 3.01 s time budget before "
        "reaching api.open-meteo.com"
    )
    assert len(mocked.calls) == 1


def test_retry_is_skipped_when_budget_is_short(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """No second attempt starts when the pause would overrun the deadline."""
    mocked.get(FORECAST_URL, status=503)
    clock = itertools.chain([0.0, 0.0], itertools.repeat(3.0)).__next__
    with (
        WeatherClient(make_settings(tmp_path), policy=FAST, clock=clock) as client,
        pytest.raises(WeatherHTTPError, match=r"^HTTP 503 from api\.open-meteo\.com$"),
    ):
        client.current()
    assert len(mocked.calls) == 1


def test_worst_case_bound_of_default_policy() -> None:
    """Defaults: 2 x (1 s connect + 3 s read) + 0.5 s pause = 8.5 s."""
    assert RetryPolicy().worst_case_seconds(3.0) == 8.5
    assert RetryPolicy().timeouts(3.0) == (1.0, 3.0)
    assert RetryPolicy().timeouts(0.5) == (0.5, 0.5)
    assert RetryPolicy(max_attempts=3).worst_case_seconds(3.0) == 3 * 4 + 0.5 + 1.0


@pytest.mark.parametrize(
    "changes",
    [{"connect_timeout": 0}, {"max_attempts": 0}, {"backoff_seconds": -1}],
)
def test_retry_policy_rejects_meaningless_values(changes: dict[str, float]) -> None:
    """A policy without attempts, or with a zero timeout, is refused."""
    with pytest.raises(ValueError, match="expected"):
        RetryPolicy(**changes)  # type: ignore[arg-type]


# --- HTTP errors ------------------------------------------------------------


def test_5xx_then_success_through_the_retry(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """A 503 is retried once; the second answer is used."""
    mocked.get(FORECAST_URL, status=503, json={"error": True, "reason": "busy"})
    mocked.get(FORECAST_URL, json=open_meteo_body())
    result = section(make_settings(tmp_path))
    assert result["status"] == "ok"
    assert result["temperature_c"] == 21.4
    assert len(mocked.calls) == 2


def test_retry_after_is_not_honoured(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """A 503 asking to retry after an hour is retried after the short backoff."""
    mocked.get(FORECAST_URL, status=503, headers={"Retry-After": "3600"})
    mocked.get(FORECAST_URL, json=open_meteo_body())
    started = time.monotonic()
    result = section(make_settings(tmp_path))
    assert result["status"] == "ok"
    assert time.monotonic() - started < 2


def test_5xx_every_time(tmp_path: Path, mocked: responses.RequestsMock) -> None:
    """Two 503s in a row end as unavailable, naming the status and the host."""
    for _ in range(2):
        mocked.get(FORECAST_URL, status=503, body="Service Unavailable")
    result = section(make_settings(tmp_path))
    assert result["status"] == "unavailable"
    assert result["reason"] == "HTTP 503 from api.open-meteo.com (after 2 attempts)"
    assert result["provider"] == "open-meteo"
    assert result["location"] == {"name": None, "latitude": 52.52, "longitude": 13.41}
    assert len(mocked.calls) == 2


def test_400_shows_open_meteo_reason_and_is_not_retried(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """A 400 shows Open-Meteo's own reason; 4xx are never retried."""
    mocked.get(
        FORECAST_URL,
        status=400,
        json={
            "error": True,
            "reason": "Cannot initialize WeatherVariable from invalid String value "
            "tempeture_2m for key current",
        },
    )
    result = section(make_settings(tmp_path))
    assert result["reason"] == (
        "HTTP 400 from api.open-meteo.com: Cannot initialize WeatherVariable from "
        "invalid String value tempeture_2m for key current"
    )
    assert len(mocked.calls) == 1


def test_openweathermap_401_is_invalid_key(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """OpenWeatherMap's 401 reads 'invalid API key (HTTP 401)'."""
    mocked.get(
        OWM_URL,
        status=401,
        json={
            "cod": 401,
            "message": "Invalid API key. Please see "
            "https://openweathermap.org/faq#error401 for more info.",
        },
    )
    result = section(make_settings(tmp_path, openweather_api_key=API_KEY))
    assert result["status"] == "unavailable"
    assert result["provider"] == "openweathermap"
    assert result["reason"] == "invalid API key (HTTP 401)"
    assert len(mocked.calls) == 1


def test_openweathermap_404_with_string_cod(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """OpenWeatherMap's 404 (``cod`` is a string) shows its message."""
    mocked.get(OWM_URL, status=404, json={"cod": "404", "message": "city not found"})
    result = section(make_settings(tmp_path, openweather_api_key=API_KEY))
    assert result["reason"] == "HTTP 404 from api.openweathermap.org: city not found"


def test_openweathermap_429_is_quota(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """A 429 says the quota is exceeded and is not retried."""
    mocked.get(
        OWM_URL,
        status=429,
        json={"cod": 429, "message": "Your account is temporary blocked"},
    )
    result = section(make_settings(tmp_path, openweather_api_key=API_KEY))
    assert result["reason"] == (
        "rate limit or quota exceeded (HTTP 429 from api.openweathermap.org)"
    )
    assert len(mocked.calls) == 1


def test_redirect_is_not_followed(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """A redirect is reported, not followed (it could carry the key elsewhere)."""
    mocked.get(
        FORECAST_URL, status=302, headers={"Location": "https://elsewhere.test/"}
    )
    result = section(make_settings(tmp_path))
    assert result["reason"] == (
        "unexpected redirect (HTTP 302) from api.open-meteo.com: check the base URL"
    )


# --- invalid bodies ---------------------------------------------------------


def test_non_json_body(tmp_path: Path, mocked: responses.RequestsMock) -> None:
    """An HTML page with status 200 is an unexpected response."""
    mocked.get(FORECAST_URL, body="<html>captive portal</html>")
    result = section(make_settings(tmp_path))
    assert result["status"] == "unavailable"
    assert result["reason"] == (
        "unexpected response: body is not JSON (HTTP 200 from api.open-meteo.com)"
    )


def test_missing_fields_are_all_listed(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """Every missing required field is named in one line."""
    body = open_meteo_body()
    del body["current"]["temperature_2m"]
    del body["current"]["wind_speed_10m"]
    mocked.get(FORECAST_URL, json=body)
    result = section(make_settings(tmp_path))
    assert result["reason"] == (
        "unexpected response: missing current.temperature_2m; "
        "missing current.wind_speed_10m"
    )


def test_null_temperature_is_invalid(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """Open-Meteo's null temperature makes the response invalid."""
    mocked.get(FORECAST_URL, json=open_meteo_body(temperature_2m=None))
    result = section(make_settings(tmp_path))
    assert result["reason"] == "unexpected response: current.temperature_2m is null"


def test_boolean_temperature_is_not_a_number(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """A boolean where a number belongs is rejected (bool is not a number)."""
    mocked.get(FORECAST_URL, json=open_meteo_body(temperature_2m=True))
    with (
        WeatherClient(make_settings(tmp_path), policy=FAST) as client,
        pytest.raises(WeatherResponseError) as caught,
    ):
        client.current()
    assert str(caught.value) == (
        "unexpected response: current.temperature_2m is a boolean, expected a number"
    )


def test_openweathermap_missing_fields(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """OpenWeatherMap bodies need main.temp, weather[0].description, dt, name."""
    mocked.get(OWM_URL, json={"weather": [], "main": {"temp": "12"}, "cod": 200})
    result = section(make_settings(tmp_path, openweather_api_key=API_KEY))
    assert result["reason"] == (
        "unexpected response: main.temp is a string, expected a number; "
        "missing weather[0].description; missing dt; missing name"
    )


def test_invalid_body_is_never_cached(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """After an invalid 200, the next run asks again and gets fresh data."""
    mocked.get(FORECAST_URL, json=open_meteo_body(temperature_2m="warm"))
    mocked.get(FORECAST_URL, json=open_meteo_body())
    settings = make_settings(tmp_path)
    assert section(settings)["status"] == "unavailable"
    second = section(settings)
    assert second["status"] == "ok"
    assert second["from_cache"] is False
    assert len(mocked.calls) == 2


# --- cache --------------------------------------------------------------------


def test_cache_hit_makes_no_request(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """A second run within the TTL is served from the SQLite cache."""
    mocked.get(FORECAST_URL, json=open_meteo_body())
    settings = make_settings(tmp_path)
    first = section(settings)
    second = section(settings)
    assert len(mocked.calls) == 1
    assert first["from_cache"] is False
    assert second["from_cache"] is True
    assert second["stale"] is False
    assert second["temperature_c"] == 21.4
    assert (tmp_path / "cache" / CACHE_FILE_NAME).is_file()


def expire_everything(settings: WeatherSettings) -> None:
    """Mark every cached response as expired an hour ago."""
    session = build_session(settings)
    try:
        session.cache.reset_expiration(datetime.now(UTC) - timedelta(hours=1))  # type: ignore[attr-defined]
    finally:
        session.close()


def test_stale_entry_is_served_when_live_call_fails(
    tmp_path: Path, mocked: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    """An expired entry is used on failure, marked stale, keeping the reason."""
    mocked.get(FORECAST_URL, json=open_meteo_body())
    for _ in range(2):
        mocked.get(FORECAST_URL, status=503)
    settings = make_settings(tmp_path)
    assert section(settings)["from_cache"] is False
    expire_everything(settings)
    caplog.set_level(logging.INFO)
    caplog.clear()  # only the second, failing call's records matter
    result = section(settings)
    assert result["status"] == "ok"
    assert result["stale"] is True
    assert result["from_cache"] is True
    assert result["temperature_c"] == 21.4
    assert result["reason"] == "HTTP 503 from api.open-meteo.com (after 2 attempts)"
    assert result["attribution"] == "Weather data by Open-Meteo.com (CC BY 4.0)"
    assert len(mocked.calls) == 3
    weather_records = [r for r in caplog.records if r.name.startswith("ticket_")]
    assert [r.levelname for r in weather_records] == ["WARNING"]
    assert "HTTP 503 from api.open-meteo.com" in weather_records[0].getMessage()


def test_stale_entry_survives_an_invalid_live_body(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """An invalid live body neither replaces the expired entry nor is cached."""
    mocked.get(FORECAST_URL, json=open_meteo_body())
    mocked.get(FORECAST_URL, json={"current": {}})
    for _ in range(2):
        mocked.get(FORECAST_URL, status=500)
    settings = make_settings(tmp_path)
    section(settings)
    expire_everything(settings)
    invalid = section(settings)
    assert invalid["stale"] is True
    assert invalid["reason"].startswith("unexpected response: missing current.time")
    again = section(settings)
    assert again["stale"] is True
    assert again["temperature_c"] == 21.4
    assert again["reason"] == "HTTP 500 from api.open-meteo.com (after 2 attempts)"


def test_client_reports_stale_result(
    tmp_path: Path, mocked: responses.RequestsMock
) -> None:
    """The typed result carries stale, from_cache, reason and the original fetch."""
    mocked.get(FORECAST_URL, json=open_meteo_body())
    mocked.get(FORECAST_URL, body=name_resolution_error("api.open-meteo.com"))
    settings = make_settings(tmp_path)
    before = datetime.now(UTC)
    section(settings)
    expire_everything(settings)
    with WeatherClient(settings, policy=FAST) as client:
        result = client.current()
    assert result.stale and result.from_cache
    assert result.reason == "no network: could not resolve api.open-meteo.com"
    assert before - timedelta(seconds=5) <= result.fetched_at <= datetime.now(UTC)


def test_unusable_cache_dir_falls_back_to_uncached(
    tmp_path: Path, mocked: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    """A cache folder that is a file only costs the cache, with one warning."""
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    mocked.get(FORECAST_URL, json=open_meteo_body())
    caplog.set_level(logging.INFO)
    result = section(make_settings(tmp_path, cache_dir=blocker))
    assert result["status"] == "ok"
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1
    assert warnings[0].startswith("weather cache disabled: cannot use ")


# --- logging and the never-raises contract ----------------------------------


def test_success_logs_one_info_line(
    tmp_path: Path, mocked: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    """Success logs one INFO line from the weather step."""
    mocked.get(FORECAST_URL, json=open_meteo_body())
    caplog.set_level(logging.INFO)
    section(make_settings(tmp_path, location_name="HQ"))
    records = [r for r in caplog.records if r.name.startswith("ticket_analysis")]
    assert [(r.levelname, r.getMessage()) for r in records] == [
        ("INFO", "weather: 21.4 °C, Partly cloudy at HQ (open-meteo, live)")
    ]


def test_failure_logs_one_warning_with_the_reason(
    tmp_path: Path, mocked: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    """Failure logs one WARNING line carrying the reason."""
    mocked.get(FORECAST_URL, body=name_resolution_error("api.open-meteo.com"))
    caplog.set_level(logging.INFO)
    section(make_settings(tmp_path))
    records = [r for r in caplog.records if r.name.startswith("ticket_analysis")]
    assert [(r.levelname, r.getMessage()) for r in records] == [
        (
            "WARNING",
            "weather unavailable: no network: could not resolve api.open-meteo.com",
        )
    ]


def test_section_never_raises_on_unexpected_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug in the weather step still yields an unavailable section."""

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(WeatherClient, "current", broken)
    result = section(make_settings(tmp_path))
    assert result["status"] == "unavailable"
    assert result["reason"] == "internal error in the weather step (RuntimeError)"


@pytest.mark.parametrize(
    "kind",
    ["ok", "unavailable", "disabled"],
)
def test_section_always_has_every_key_and_is_json(
    tmp_path: Path, mocked: responses.RequestsMock, kind: str
) -> None:
    """Each status carries exactly the contract's keys and serialises to JSON."""
    if kind == "ok":
        mocked.get(FORECAST_URL, json=open_meteo_body())
    elif kind == "unavailable":
        mocked.get(FORECAST_URL, status=404)
    result = section(make_settings(tmp_path, enabled=kind != "disabled"))
    assert result["status"] == kind
    assert set(result) == SECTION_KEYS
    if kind == "disabled":
        assert result["location"] is None
    else:
        assert set(result["location"]) == {"name", "latitude", "longitude"}
    assert json.loads(json.dumps(result)) == result
