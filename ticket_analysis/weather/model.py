"""Weather results, and strict pydantic models of the providers' JSON bodies.

Every problem of a body goes into one WeatherResponseError line in the project's
words: ``unexpected response: missing current.time; current.weather_code is a
string, expected a number``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Annotated, Any, Final, TypeVar

from pydantic import AfterValidator, AliasPath, BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from ticket_analysis.exceptions import WeatherResponseError
from ticket_analysis.weather.redaction import redact

#: Provider ids, as they appear in ``summary.json``.
OPEN_METEO: Final = "open-meteo"
OPENWEATHERMAP: Final = "openweathermap"
#: Attribution line each provider's terms ask for (Open-Meteo data is CC BY 4.0).
ATTRIBUTIONS: Final = {
    OPEN_METEO: "Weather data by Open-Meteo.com (CC BY 4.0)",
    OPENWEATHERMAP: "Weather data by OpenWeatherMap",
}
#: Reason given when neither a place name nor coordinates are configured.
NO_LOCATION_REASON: Final = (
    "no location configured: set WEATHER_LOCATION or WEATHER_LATITUDE/WEATHER_LONGITUDE"
)
#: The variables requested from Open-Meteo's ``current`` block.
OPEN_METEO_CURRENT: Final = (
    "temperature_2m,relative_humidity_2m,apparent_temperature,weather_code,"
    "wind_speed_10m"
)
#: WMO weather interpretation codes (as used by Open-Meteo) to a short text.
WMO_CODES: Final[dict[int, str]] = {
    0: "Clear sky",
    1: "Mainly clear",
    2: "Partly cloudy",
    3: "Overcast",
    45: "Fog",
    48: "Depositing rime fog",
    51: "Light drizzle",
    53: "Moderate drizzle",
    55: "Dense drizzle",
    56: "Light freezing drizzle",
    57: "Dense freezing drizzle",
    61: "Slight rain",
    63: "Moderate rain",
    65: "Heavy rain",
    66: "Light freezing rain",
    67: "Heavy freezing rain",
    71: "Slight snowfall",
    73: "Moderate snowfall",
    75: "Heavy snowfall",
    77: "Snow grains",
    80: "Slight rain showers",
    81: "Moderate rain showers",
    82: "Violent rain showers",
    85: "Slight snow showers",
    86: "Heavy snow showers",
    95: "Thunderstorm",
    96: "Thunderstorm with slight hail",
    99: "Thunderstorm with heavy hail",
}
_MAX_OFFSET = 18 * 3600  # seconds: ISO 8601 offsets stay within ±18 h
_EXPECTED = {"float_type": "a number", "string_type": "a string"}
BodyT = TypeVar("BodyT", bound="_Body")
T = TypeVar("T")


def describe_wmo_code(code: int) -> str:
    """Return the condition text of a WMO code, or ``"Unknown (code N)"``."""
    return WMO_CODES.get(code, f"Unknown (code {code})")


@dataclass(frozen=True)
class Location:
    """Where the weather is observed: degrees north and east, display name."""

    latitude: float
    longitude: float
    name: str | None = None  # e.g. "Berlin, Germany"


@dataclass(frozen=True, kw_only=True)
class Observation:
    """The provider-independent content of one parsed weather response."""

    observed_at: datetime  # with the location's UTC offset
    temperature_c: float
    apparent_temperature_c: float | None
    humidity_pct: float | None
    wind_kmh: float | None
    condition: str | None
    weather_code: int | None  # WMO code (Open-Meteo) or condition id (OWM)
    place_name: str | None = None  # the provider's name for the place


@dataclass(frozen=True, kw_only=True)
class WeatherResult(Observation):
    """The current weather at the team's location, and where it came from."""

    provider: str  # OPEN_METEO or OPENWEATHERMAP
    location: Location
    from_cache: bool
    stale: bool  # an expired cache entry stood in for a failed live request
    fetched_at: datetime  # when the provider was asked (UTC)
    reason: str | None = None  # why the live request failed, when stale

    def to_section(self) -> dict[str, Any]:
        """Return the ``weather`` object of ``summary.json``, status ``ok``."""
        section = asdict(self)
        del section["fetched_at"], section["place_name"]  # not in the contract
        return {
            "status": "ok",
            **section,
            "observed_at": self.observed_at.isoformat(),
            "attribution": ATTRIBUTIONS[self.provider],
        }


def _range(low: float | None, high: float | None, whole: bool = False) -> Any:
    """Return a check that a number lies in ``[low, high]`` (and is whole)."""

    def check(value: float) -> float:
        if (low is not None and value < low) or (high is not None and value > high):
            raise PydanticCustomError("out_of_range", "", {"range": (low, high)})
        if whole and not value.is_integer():
            raise PydanticCustomError("not_whole", "")
        return value

    return AfterValidator(check)


def _not_null(value: Any) -> Any:
    """Reject an explicit null where a field may only be absent."""
    if value is None:
        raise PydanticCustomError("null", "")
    return value


# Strict floats accept ints but not booleans; whole ones become ints later. Each
# field names its place in the body: an absent block leaves each field missing.
Celsius = Annotated[float, _range(-100, 100)]
FeltCelsius = Annotated[float, _range(-150, 150)]
Percent = Annotated[float, _range(0, 100)]
UtcOffset = Annotated[float, _range(-_MAX_OFFSET, _MAX_OFFSET, whole=True)]
Code = Annotated[float, _range(0, None, whole=True)]
Absent = Annotated[T | None, AfterValidator(_not_null)]  # may be absent, not null


def _at(key: str, *path: str | int, optional: bool = False) -> Any:
    """Return a field read from ``key`` then ``path``; an optional one may be absent."""
    if optional:
        return Field(None, validation_alias=AliasPath(key, *path))
    return Field(validation_alias=AliasPath(key, *path))


class _Body(BaseModel):
    model_config = ConfigDict(strict=True, allow_inf_nan=False, frozen=True)


class OpenMeteoBody(_Body):
    """An Open-Meteo ``/v1/forecast`` body (``current=...&timezone=auto``)."""

    time: str = _at("current", "time")
    utc_offset_seconds: UtcOffset = _at("utc_offset_seconds")
    temperature: Celsius = _at("current", "temperature_2m")
    humidity: Percent | None = _at("current", "relative_humidity_2m")
    apparent: FeltCelsius | None = _at("current", "apparent_temperature")
    code: Annotated[float, _range(0, 999, True)] | None = _at("current", "weather_code")
    wind_kmh: Annotated[float, _range(0, 1000)] | None = _at(
        "current", "wind_speed_10m"
    )


class OpenWeatherBody(_Body):
    """An OpenWeatherMap 2.5 ``/data/2.5/weather`` body (``units=metric``)."""

    temperature: Celsius = _at("main", "temp")
    description: str = _at("weather", 0, "description")
    dt: Code = _at("dt")
    name: str = _at("name")
    apparent: Absent[FeltCelsius] = _at("main", "feels_like", optional=True)
    humidity: Absent[Percent] = _at("main", "humidity", optional=True)
    wind_ms: Absent[Annotated[float, _range(0, 300)]] = _at(
        "wind", "speed", optional=True
    )
    code: Absent[Code] = _at("weather", 0, "id", optional=True)
    timezone: Absent[UtcOffset] = _at("timezone", optional=True)


class GeocodingBody(_Body):
    """The first result of an Open-Meteo geocoding ``/v1/search`` body."""

    name: str = _at("results", 0, "name")
    latitude: Annotated[float, _range(-90, 90)] = _at("results", 0, "latitude")
    longitude: Annotated[float, _range(-180, 180)] = _at("results", 0, "longitude")
    country: str | None = _at("results", 0, "country", optional=True)


def _type_name(value: Any) -> str:
    """Return the JSON type of a value with its article ("an object")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    names: dict[type, str] = {str: "a string", list: "a list", dict: "an object"}
    return names.get(type(value), f"a {type(value).__name__}")


def _describe(error: ErrorDetails) -> str:
    """Return one pydantic error as a reason such as ``x is null``."""
    path, value, kind = error["loc"], error["input"], error["type"]
    name = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)[1:]
    if kind == "missing":
        return f"missing {name}"
    if not path:
        return f"expected a JSON object, got {_type_name(value)}"
    if value is None:
        return f"{name} is null"
    if kind == "finite_number":
        return f"{name} is not a finite number"
    if kind == "out_of_range":
        low, high = error.get("ctx", {})["range"]
        return f"{name}={value!r} is out of range [{low}, {high}]"
    if kind == "not_whole":
        return f"{name}={float(value)!r} is not a whole number"
    if kind in _EXPECTED:
        return f"{name} is {_type_name(value)}, expected {_EXPECTED[kind]}"
    return f"{name} is invalid"  # no other check is declared; never pydantic's text


def _fail(problems: list[str]) -> WeatherResponseError:
    """Return the error listing every problem on one redacted line."""
    return WeatherResponseError("unexpected response: " + redact("; ".join(problems)))


def _validate(
    model: type[BodyT], payload: Any
) -> tuple[BodyT | None, list[ErrorDetails], list[str]]:
    """Return the body (None if invalid), pydantic's errors and their reasons."""
    try:
        return model.model_validate(payload), [], []
    except PydanticValidationError as exc:
        return None, exc.errors(), [_describe(e) for e in exc.errors()]


def _code(value: float | None) -> int | None:
    return None if value is None else int(value)


def parse_open_meteo(payload: Any) -> Observation:
    """Parse an Open-Meteo ``/v1/forecast`` body; the time gets its UTC offset."""
    body, errors, problems = _validate(OpenMeteoBody, payload)
    # The ISO check needs a valid time and offset; its problem comes last.
    observed_at = None
    if not {(), ("current", "time"), ("utc_offset_seconds",)} & {
        e["loc"] for e in errors
    }:
        try:
            observed_at = datetime.fromisoformat(payload["current"]["time"])
        except ValueError:
            time_text = payload["current"]["time"]
            problems.append(f"current.time={time_text!r} is not an ISO date-time")
    if problems or body is None or observed_at is None:
        raise _fail(problems)
    if observed_at.tzinfo is None:
        offset = timedelta(seconds=body.utc_offset_seconds)
        observed_at = observed_at.replace(tzinfo=timezone(offset))
    code = _code(body.code)
    return Observation(
        observed_at=observed_at,
        temperature_c=body.temperature,
        apparent_temperature_c=body.apparent,
        humidity_pct=body.humidity,
        wind_kmh=body.wind_kmh,
        condition=None if code is None else describe_wmo_code(code),
        weather_code=code,
    )


def parse_openweather(payload: Any) -> Observation:
    """Parse an OpenWeatherMap 2.5 body; wind goes from m/s to km/h (one decimal)."""
    body, _, problems = _validate(OpenWeatherBody, payload)
    if body is None:
        raise _fail(problems)
    zone = UTC if body.timezone is None else timezone(timedelta(seconds=body.timezone))
    return Observation(
        observed_at=datetime.fromtimestamp(body.dt, tz=zone),
        temperature_c=body.temperature,
        apparent_temperature_c=body.apparent,
        humidity_pct=body.humidity,
        wind_kmh=None if body.wind_ms is None else round(body.wind_ms * 3.6, 1),
        condition=body.description,
        weather_code=_code(body.code),
        place_name=body.name or None,
    )


def parse_geocoding(payload: Any) -> Location | None:
    """Return the first match named ``"<name>, <country>"``; None if not found.

    Not found means ``results`` is absent, null or empty.
    """
    if isinstance(payload, dict):
        results = payload.get("results")
        if results is None or results == []:
            return None
        if not isinstance(results, list):
            raise _fail([f"results is {_type_name(results)}, expected a list"])
    body, _, problems = _validate(GeocodingBody, payload)
    if body is None:
        raise _fail(problems)
    name = f"{body.name}, {body.country}" if body.country else body.name
    return Location(body.latitude, body.longitude, name)


def error_detail(payload: Any) -> str | None:
    """Return a provider's error text on one line, redacted, at most 200 characters.

    Open-Meteo sends ``{"error": true, "reason": "..."}``; OpenWeatherMap sends
    ``{"cod": ..., "message": "..."}``; anything else gives None.
    """
    if not isinstance(payload, dict):
        return None
    for key in ("reason", "message"):
        value = payload.get(key)
        if isinstance(value, str) and value.strip():
            text = redact(re.sub(r"\s+", " ", value).strip())
            return text if len(text) <= 200 else text[:199] + "…"
    return None
