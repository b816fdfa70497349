"""Strict validation of the providers' JSON bodies, as pydantic models.

Each body model is flat: a field names its place in the JSON with an
``AliasPath`` (``current.temperature_2m``, ``weather[0].description``), so an
absent block reads as each of its fields missing, and problems come out in field
order. Numbers must be JSON numbers (a boolean is not one), finite and in a
plausible range; of Open-Meteo's values only humidity, felt temperature, code and
wind may be ``null`` (None). All problems of a body go into one
:class:`~ticket_analysis.exceptions.WeatherResponseError` line, e.g.
``unexpected response: missing current.temperature_2m; current.weather_code is a
string, expected a number``; pydantic's own error text never reaches the user.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Annotated, Any, Final, TypeVar

from pydantic import AfterValidator, AliasPath, BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from ticket_analysis.exceptions import WeatherResponseError
from ticket_analysis.weather.model import Location, Observation, describe_wmo_code
from ticket_analysis.weather.redaction import redact

#: The variables requested from Open-Meteo's ``current`` block.
OPEN_METEO_CURRENT: Final = (
    "temperature_2m",
    "relative_humidity_2m",
    "apparent_temperature",
    "weather_code",
    "wind_speed_10m",
)

#: km/h per m/s (OpenWeatherMap's metric wind speed is in m/s).
KMH_PER_MS: Final = 3.6

_MAX_DETAIL = 200
_MAX_OFFSET = 18 * 3600  # seconds: ISO 8601 offsets stay within ±18 h
_EXPECTED = {"float_type": "a number", "string_type": "a string"}

BodyT = TypeVar("BodyT", bound="_Body")


def _range(
    low: float | None, high: float | None, *, whole: bool = False
) -> AfterValidator:
    """Return a check that a number lies in ``[low, high]`` (and is whole)."""

    def check(value: float) -> float:
        if (low is not None and value < low) or (high is not None and value > high):
            raise PydanticCustomError(
                "out_of_range", "out of range", {"range": (low, high)}
            )
        if whole and not value.is_integer():
            raise PydanticCustomError("not_whole", "not a whole number")
        return value

    return AfterValidator(check)


def _not_null(value: Any) -> Any:
    """Reject an explicit null where a field may only be absent."""
    if value is None:
        raise PydanticCustomError("null", "null")
    return value


# Strict float fields accept ints but not booleans; whole numbers stay floats
# here (3.0 is the code 3) and become ints in the observation.
Celsius = Annotated[float, _range(-100, 100)]
FeltCelsius = Annotated[float, _range(-150, 150)]
Percent = Annotated[float, _range(0, 100)]
UtcOffset = Annotated[float, _range(-_MAX_OFFSET, _MAX_OFFSET, whole=True)]
NotNull = AfterValidator(_not_null)


def _at(key: str, *path: str | int, optional: bool = False) -> Any:
    """Return a field read from ``key`` then ``path``; an optional one may be absent."""
    if optional:
        return Field(None, validation_alias=AliasPath(key, *path))
    return Field(validation_alias=AliasPath(key, *path))


class _Body(BaseModel):
    """A provider body: JSON types only, no NaN or infinity."""

    model_config = ConfigDict(strict=True, allow_inf_nan=False, frozen=True)


class OpenMeteoBody(_Body):
    """An Open-Meteo ``/v1/forecast`` body (``current=...&timezone=auto``)."""

    time: str = _at("current", "time")
    utc_offset_seconds: UtcOffset = _at("utc_offset_seconds")
    temperature: Celsius = _at("current", "temperature_2m")
    humidity: Percent | None = _at("current", "relative_humidity_2m")
    apparent: FeltCelsius | None = _at("current", "apparent_temperature")
    code: Annotated[float, _range(0, 999, whole=True)] | None = _at(
        "current", "weather_code"
    )
    wind_kmh: Annotated[float, _range(0, 1000)] | None = _at(
        "current", "wind_speed_10m"
    )


class OpenWeatherBody(_Body):
    """An OpenWeatherMap 2.5 ``/data/2.5/weather`` body (``units=metric``)."""

    temperature: Celsius = _at("main", "temp")
    description: str = _at("weather", 0, "description")
    dt: Annotated[float, _range(0, None, whole=True)] = _at("dt")
    name: str = _at("name")
    apparent: Annotated[FeltCelsius | None, NotNull] = _at(
        "main", "feels_like", optional=True
    )
    humidity: Annotated[Percent | None, NotNull] = _at(
        "main", "humidity", optional=True
    )
    wind_ms: Annotated[Annotated[float, _range(0, 300)] | None, NotNull] = _at(
        "wind", "speed", optional=True
    )
    code: Annotated[Annotated[float, _range(0, None, whole=True)] | None, NotNull] = (
        _at("weather", 0, "id", optional=True)
    )
    timezone: Annotated[UtcOffset | None, NotNull] = _at("timezone", optional=True)


class GeocodingBody(_Body):
    """The first result of an Open-Meteo geocoding ``/v1/search`` body."""

    name: str = _at("results", 0, "name")
    latitude: Annotated[float, _range(-90, 90)] = _at("results", 0, "latitude")
    longitude: Annotated[float, _range(-180, 180)] = _at("results", 0, "longitude")
    country: str | None = _at("results", 0, "country", optional=True)


def _describe_path(path: tuple[str | int, ...]) -> str:
    """Return ``("weather", 0, "id")`` as ``weather[0].id``."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)[1:]


def _type_name(value: Any) -> str:
    """Return the JSON type of a value with its article ("an object"), for messages."""
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
    name = _describe_path(path)
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


def _validate(model: type[BodyT], payload: Any) -> BodyT:
    """Return the validated body, or raise all its problems on one line."""
    try:
        return model.model_validate(payload)
    except PydanticValidationError as exc:
        raise _fail([_describe(error) for error in exc.errors()]) from None


def parse_open_meteo(payload: Any) -> Observation:
    """Parse an Open-Meteo ``/v1/forecast`` body; the time gets its UTC offset.

    Raises:
        WeatherResponseError: If a field is missing, null where a value is
            required (the time, the temperature), of the wrong type or implausible.
    """
    try:
        body, errors = OpenMeteoBody.model_validate(payload), []
    except PydanticValidationError as exc:
        body, errors = None, exc.errors()
    problems = [_describe(error) for error in errors]
    # The date-time check needs a valid time and offset, so it runs outside the
    # model (which hands out nothing when it fails) and only once both are valid.
    observed_at = None
    if not {(), ("current", "time"), ("utc_offset_seconds",)} & {
        error["loc"] for error in errors
    }:
        time_text = payload["current"]["time"]
        try:
            observed_at = datetime.fromisoformat(time_text)
        except ValueError:
            problems.append(f"current.time={time_text!r} is not an ISO date-time")
    if problems:
        raise _fail(problems)
    assert body is not None and observed_at is not None
    if observed_at.tzinfo is None:
        offset = timedelta(seconds=body.utc_offset_seconds)
        observed_at = observed_at.replace(tzinfo=timezone(offset))
    return Observation(
        observed_at=observed_at,
        temperature_c=body.temperature,
        apparent_temperature_c=body.apparent,
        humidity_pct=body.humidity,
        wind_kmh=body.wind_kmh,
        condition=None if body.code is None else describe_wmo_code(int(body.code)),
        weather_code=None if body.code is None else int(body.code),
    )


def parse_openweather(payload: Any) -> Observation:
    """Parse an OpenWeatherMap 2.5 body; wind goes from m/s to km/h (one decimal).

    Raises:
        WeatherResponseError: If a required field (``main.temp``,
            ``weather[0].description``, ``dt``, ``name``) is missing or a field
            is of the wrong type or implausible.
    """
    body = _validate(OpenWeatherBody, payload)
    zone = UTC if body.timezone is None else timezone(timedelta(seconds=body.timezone))
    return Observation(
        observed_at=datetime.fromtimestamp(body.dt, tz=zone),
        temperature_c=body.temperature,
        apparent_temperature_c=body.apparent,
        humidity_pct=body.humidity,
        wind_kmh=None if body.wind_ms is None else round(body.wind_ms * KMH_PER_MS, 1),
        condition=body.description,
        weather_code=None if body.code is None else int(body.code),
        place_name=body.name or None,
    )


def parse_geocoding(payload: Any) -> Location | None:
    """Parse an Open-Meteo geocoding body (``count=1``) into its first match.

    Returns:
        The match, named ``"<name>, <country>"`` when the country is given; None
        when ``results`` is absent, null or empty (location not found).

    Raises:
        WeatherResponseError: If the body or the first result is malformed.
    """
    if isinstance(payload, dict):
        results = payload.get("results")
        if results is None or results == []:
            return None
        if not isinstance(results, list):
            raise _fail([f"results is {_type_name(results)}, expected a list"])
    body = _validate(GeocodingBody, payload)
    name = f"{body.name}, {body.country}" if body.country else body.name
    return Location(latitude=body.latitude, longitude=body.longitude, name=name)


def error_detail(payload: Any) -> str | None:
    """Return the provider's error text, on one line, redacted, at most 200 chars.

    Open-Meteo sends ``{"error": true, "reason": "..."}``; OpenWeatherMap sends
    ``{"cod": ..., "message": "..."}``; anything else gives None.
    """
    if not isinstance(payload, Mapping):
        return None
    for key in ("reason", "message"):
        value = payload.get(key)
        if isinstance(value, str) and value.strip():
            text = redact(re.sub(r"\s+", " ", value).strip())
            if len(text) > _MAX_DETAIL:
                text = text[: _MAX_DETAIL - 1] + "…"
            return text
    return None
