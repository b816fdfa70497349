"""Tests of the strict parsers of provider bodies and the WMO code table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from ticket_analysis.exceptions import WeatherResponseError
from ticket_analysis.weather import Location, describe_wmo_code
from ticket_analysis.weather.model import (
    error_detail,
    parse_geocoding,
    parse_open_meteo,
    parse_openweather,
)


def open_meteo(**current: Any) -> dict[str, Any]:
    """Return a minimal valid Open-Meteo body with ``current`` overrides."""
    values: dict[str, Any] = {
        "time": "2024-07-01T09:30",
        "temperature_2m": 18,
        "relative_humidity_2m": 60,
        "apparent_temperature": 17.5,
        "weather_code": 61,
        "wind_speed_10m": 5.4,
    }
    values.update(current)
    return {"utc_offset_seconds": 19800, "current": values}


@pytest.mark.parametrize(
    ("code", "text"),
    [
        (0, "Clear sky"),
        (1, "Mainly clear"),
        (2, "Partly cloudy"),
        (3, "Overcast"),
        (45, "Fog"),
        (48, "Depositing rime fog"),
        (55, "Dense drizzle"),
        (57, "Dense freezing drizzle"),
        (63, "Moderate rain"),
        (66, "Light freezing rain"),
        (75, "Heavy snowfall"),
        (77, "Snow grains"),
        (82, "Violent rain showers"),
        (86, "Heavy snow showers"),
        (95, "Thunderstorm"),
        (99, "Thunderstorm with heavy hail"),
        (42, "Unknown (code 42)"),
    ],
)
def test_wmo_codes(code: int, text: str) -> None:
    """Each WMO code maps to its text; an unknown one says so with the code."""
    assert describe_wmo_code(code) == text


def test_open_meteo_values_and_offset() -> None:
    """Integers become floats and the local time gets its UTC offset (+05:30)."""
    observation = parse_open_meteo(open_meteo())
    assert observation.observed_at == datetime(
        2024, 7, 1, 9, 30, tzinfo=timezone(timedelta(hours=5, minutes=30))
    )
    assert observation.observed_at.isoformat() == "2024-07-01T09:30:00+05:30"
    assert observation.temperature_c == 18.0
    assert isinstance(observation.temperature_c, float)
    assert observation.condition == "Slight rain"
    assert observation.weather_code == 61


def test_open_meteo_reports_every_problem_at_once() -> None:
    """Several bad fields are listed together, in field order."""
    body = open_meteo(
        time="yesterday",
        relative_humidity_2m="60",
        weather_code=2.5,
        wind_speed_10m=-1,
    )
    with pytest.raises(WeatherResponseError) as caught:
        parse_open_meteo(body)
    assert str(caught.value) == (
        "unexpected response: "
        "current.relative_humidity_2m is a string, expected a number; "
        "current.weather_code=2.5 is not a whole number; "
        "current.wind_speed_10m=-1 is out of range [0, 1000]; "
        "current.time='yesterday' is not an ISO date-time"
    )


def test_open_meteo_whole_float_code_is_accepted() -> None:
    """A code sent as 3.0 is the integer 3."""
    assert parse_open_meteo(open_meteo(weather_code=3.0)).weather_code == 3


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], "expected a JSON object, got a list"),
        (
            {},
            "missing current.time; missing utc_offset_seconds; "
            "missing current.temperature_2m; missing current.relative_humidity_2m; "
            "missing current.apparent_temperature; missing current.weather_code; "
            "missing current.wind_speed_10m",
        ),
        (
            open_meteo(temperature_2m=float("nan")),
            "current.temperature_2m is not a finite number",
        ),
        (
            open_meteo(temperature_2m=False),
            "current.temperature_2m is a boolean, expected a number",
        ),
        (
            open_meteo(temperature_2m=[1]),
            "current.temperature_2m is a list, expected a number",
        ),
        (
            open_meteo(temperature_2m=150),
            "current.temperature_2m=150 is out of range [-100, 100]",
        ),
        (open_meteo(time=None), "current.time is null"),
    ],
    ids=["list", "empty", "nan", "bool", "list-value", "implausible", "null-time"],
)
def test_open_meteo_invalid_bodies(body: Any, message: str) -> None:
    """Each malformed body is rejected with a message naming the field."""
    with pytest.raises(WeatherResponseError) as caught:
        parse_open_meteo(body)
    assert str(caught.value) == f"unexpected response: {message}"


def test_open_meteo_time_is_checked_only_with_a_valid_offset() -> None:
    """Without a valid offset the time is not read as a date-time (no ISO problem)."""
    body = open_meteo(time="x")
    del body["utc_offset_seconds"]
    with pytest.raises(WeatherResponseError) as caught:
        parse_open_meteo(body)
    assert str(caught.value) == "unexpected response: missing utc_offset_seconds"


def test_open_meteo_current_that_is_not_an_object() -> None:
    """A ``current`` that is not an object leaves each of its fields missing."""
    with pytest.raises(WeatherResponseError) as caught:
        parse_open_meteo({"utc_offset_seconds": 0, "current": [1]})
    assert str(caught.value) == (
        "unexpected response: missing current.time; missing current.temperature_2m; "
        "missing current.relative_humidity_2m; missing current.apparent_temperature; "
        "missing current.weather_code; missing current.wind_speed_10m"
    )


def test_open_meteo_nulls_become_none() -> None:
    """Null humidity, apparent temperature, code and wind are None, not problems."""
    observation = parse_open_meteo(
        open_meteo(
            relative_humidity_2m=None,
            apparent_temperature=None,
            weather_code=None,
            wind_speed_10m=None,
        )
    )
    assert observation.temperature_c == 18.0
    assert (
        observation.humidity_pct,
        observation.apparent_temperature_c,
        observation.weather_code,
        observation.condition,
        observation.wind_kmh,
    ) == (None, None, None, None, None)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (None, "expected a JSON object, got null"),
        (
            open_meteo(temperature_2m=float("inf"), weather_code=float("-inf")),
            "current.temperature_2m is not a finite number; "
            "current.weather_code is not a finite number",
        ),
        (
            open_meteo(weather_code={"code": 1}),
            "current.weather_code is an object, expected a number",
        ),
        (
            {**open_meteo(), "utc_offset_seconds": 20 * 3600},
            "utc_offset_seconds=72000 is out of range [-64800, 64800]",
        ),
        (open_meteo(time=12), "current.time is a number, expected a string"),
    ],
    ids=["null-body", "infinities", "object-value", "offset", "number-time"],
)
def test_open_meteo_more_invalid_bodies(body: Any, message: str) -> None:
    """Each reason is one line in the project's words, never pydantic's text."""
    with pytest.raises(WeatherResponseError) as caught:
        parse_open_meteo(body)
    assert str(caught.value) == f"unexpected response: {message}"
    shown_context = (
        None if caught.value.__suppress_context__ else caught.value.__context__
    )
    assert (caught.value.__cause__, shown_context) == (None, None)


def test_openweather_optional_fields_may_be_absent() -> None:
    """Only main.temp, weather[0].description, dt and name are required."""
    observation = parse_openweather(
        {
            "main": {"temp": -1.5},
            "weather": [{"description": "mist"}],
            "dt": 0,
            "name": "",
        }
    )
    assert observation.observed_at == datetime(1970, 1, 1, tzinfo=UTC)
    assert observation.temperature_c == -1.5
    assert observation.condition == "mist"
    assert (observation.wind_kmh, observation.weather_code) == (None, None)
    assert observation.place_name is None


def test_openweather_wind_is_converted_to_kmh() -> None:
    """10 m/s is 36.0 km/h; the zone comes from ``timezone`` seconds."""
    observation = parse_openweather(
        {
            "main": {"temp": 20},
            "weather": [{"id": 801, "description": "few clouds"}],
            "wind": {"speed": 10},
            "dt": 1700000000,
            "timezone": -10800,
            "name": "Recife",
        }
    )
    assert observation.wind_kmh == 36.0
    assert observation.observed_at.isoformat() == "2023-11-14T19:13:20-03:00"
    assert observation.weather_code == 801
    assert observation.place_name == "Recife"


def test_openweather_boolean_humidity_is_rejected() -> None:
    """Optional fields are type-checked too."""
    with pytest.raises(WeatherResponseError, match=r"main\.humidity is a boolean"):
        parse_openweather(
            {
                "main": {"temp": 20, "humidity": True},
                "weather": [{"description": "x"}],
                "dt": 1,
                "name": "X",
            }
        )


def test_openweather_optional_field_may_not_be_null() -> None:
    """An optional field may be absent, but an explicit null is a problem."""
    with pytest.raises(WeatherResponseError) as caught:
        parse_openweather(
            {
                "main": {"temp": 20, "feels_like": None},
                "weather": [{"description": "x", "id": 2.5}],
                "dt": -1,
                "name": "X",
            }
        )
    assert str(caught.value) == (
        "unexpected response: dt=-1 is out of range [0, None]; "
        "main.feels_like is null; weather[0].id=2.5 is not a whole number"
    )


def test_openweather_reason_masks_a_key_in_a_field() -> None:
    """An API key echoed in a shown value is masked in the reason."""
    with pytest.raises(WeatherResponseError) as caught:
        parse_open_meteo(open_meteo(time="https://x.test/?appid=SECRET123"))
    assert "SECRET123" not in str(caught.value)
    assert "appid=***" in str(caught.value)


def test_geocoding_first_result() -> None:
    """The first result is used, named with its country."""
    location = parse_geocoding(
        {
            "results": [
                {
                    "name": "Paris",
                    "latitude": 48.85341,
                    "longitude": 2.3488,
                    "country": "France",
                },
                {
                    "name": "Paris",
                    "latitude": 33.66094,
                    "longitude": -95.55551,
                    "country": "United States",
                },
            ]
        }
    )
    assert location == Location(48.85341, 2.3488, "Paris, France")


def test_geocoding_checks_only_the_first_result() -> None:
    """A malformed second result does not matter (only the first is used)."""
    location = parse_geocoding(
        {
            "results": [
                {"name": "Lima", "latitude": -12.04318, "longitude": -77.02824},
                {"name": 5},
            ]
        }
    )
    assert location == Location(-12.04318, -77.02824, "Lima")


@pytest.mark.parametrize("body", [{}, {"results": []}, {"results": None}])
def test_geocoding_not_found(body: dict[str, Any]) -> None:
    """No results (absent, empty or null) means not found: None."""
    assert parse_geocoding(body) is None


def test_geocoding_malformed_result() -> None:
    """A result without coordinates is an unexpected response."""
    with pytest.raises(WeatherResponseError) as caught:
        parse_geocoding({"results": [{"name": "X", "latitude": "1"}]})
    assert str(caught.value) == (
        "unexpected response: results[0].latitude is a string, expected a number; "
        "missing results[0].longitude"
    )


def test_geocoding_results_not_a_list() -> None:
    """``results`` must be a list."""
    with pytest.raises(
        WeatherResponseError, match=r"results is an object, expected a list"
    ):
        parse_geocoding({"results": {"name": "X"}})


@pytest.mark.parametrize(
    ("payload", "detail"),
    [
        (
            {"error": True, "reason": "Latitude must be in range\n of -90 to 90°."},
            "Latitude must be in range of -90 to 90°.",
        ),
        ({"cod": "404", "message": "city not found"}, "city not found"),
        ({"cod": 500}, None),
        ("plain text", None),
        ({"message": "x" * 500}, "x" * 199 + "…"),
    ],
)
def test_error_detail(payload: Any, detail: str | None) -> None:
    """The provider's error text is taken on one line and capped."""
    assert error_detail(payload) == detail
