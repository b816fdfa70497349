"""Strict parsing of the providers' JSON bodies into typed values.

Each parser checks the whole body and reports every problem at once in one
:class:`~ticket_analysis.exceptions.WeatherResponseError` line, e.g.
``unexpected response: missing current.temperature_2m; current.weather_code is a
string, expected a number``. Numbers must be JSON numbers (a boolean is not a
number) and finite; Open-Meteo may send ``null`` for any value: a null
temperature is invalid, any other null becomes None.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Final

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

_MISSING: Final = object()
_MAX_DETAIL = 200


def _describe_path(path: tuple[str | int, ...]) -> str:
    """Return ``("weather", 0, "id")`` as ``weather[0].id``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".")


def _type_name(value: Any) -> str:
    """Return the JSON type of a value with its article ("an object"), for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


class _Validator:
    """Collect every problem of one JSON body, then raise them together."""

    def __init__(self, payload: Any) -> None:
        self.payload = payload
        self.problems: list[str] = []
        if not isinstance(payload, dict):
            self.problems.append(f"expected a JSON object, got {_type_name(payload)}")

    def _get(self, path: tuple[str | int, ...]) -> Any:
        """Return the value at ``path``, or ``_MISSING`` when any step is absent."""
        node = self.payload
        for part in path:
            if isinstance(part, int):
                if not isinstance(node, list) or part >= len(node):
                    return _MISSING
            elif not isinstance(node, dict) or part not in node:
                return _MISSING
            node = node[part]
        return node

    def _present(
        self, path: tuple[str | int, ...], *, required: bool, nullable: bool
    ) -> Any:
        """Return the raw value, or ``_MISSING`` after noting a problem if needed."""
        value = self._get(path)
        if value is _MISSING:
            if required and isinstance(self.payload, dict):
                self.problems.append(f"missing {_describe_path(path)}")
            return _MISSING
        if value is None:
            if not nullable:
                self.problems.append(f"{_describe_path(path)} is null")
            return _MISSING
        return value

    def number(
        self,
        *path: str | int,
        required: bool = True,
        nullable: bool = False,
        low: float | None = None,
        high: float | None = None,
    ) -> float | None:
        """Return a finite number within ``[low, high]``, or None (with a problem).

        Args:
            *path: Keys and list indexes leading to the value.
            required: Note a problem when the value is absent.
            nullable: Accept ``null`` (as None) without a problem.
            low: Smallest plausible value.
            high: Largest plausible value.

        Returns:
            The number as a float, or None.
        """
        value = self._present(path, required=required, nullable=nullable)
        if value is _MISSING:
            return None
        name = _describe_path(path)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problems.append(f"{name} is {_type_name(value)}, expected a number")
            return None
        number = float(value)
        if not math.isfinite(number):
            self.problems.append(f"{name} is not a finite number")
            return None
        if (low is not None and number < low) or (high is not None and number > high):
            self.problems.append(f"{name}={value!r} is out of range [{low}, {high}]")
            return None
        return number

    def integer(
        self,
        *path: str | int,
        required: bool = True,
        nullable: bool = False,
        low: int | None = None,
        high: int | None = None,
    ) -> int | None:
        """Return a whole number (``3`` or ``3.0``), or None (with a problem).

        Args:
            *path: Keys and list indexes leading to the value.
            required: Note a problem when the value is absent.
            nullable: Accept ``null`` (as None) without a problem.
            low: Smallest plausible value.
            high: Largest plausible value.

        Returns:
            The number, or None.
        """
        number = self.number(
            *path, required=required, nullable=nullable, low=low, high=high
        )
        if number is None:
            return None
        if not number.is_integer():
            self.problems.append(
                f"{_describe_path(path)}={number!r} is not a whole number"
            )
            return None
        return int(number)

    def text(
        self, *path: str | int, required: bool = True, nullable: bool = False
    ) -> str | None:
        """Return a string, or None (with a problem).

        Args:
            *path: Keys and list indexes leading to the value.
            required: Note a problem when the value is absent.
            nullable: Accept ``null`` (as None) without a problem.

        Returns:
            The string, or None.
        """
        value = self._present(path, required=required, nullable=nullable)
        if value is _MISSING:
            return None
        if not isinstance(value, str):
            self.problems.append(
                f"{_describe_path(path)} is {_type_name(value)}, expected a string"
            )
            return None
        return value

    def problem(self, text: str) -> None:
        """Note a problem found by the caller.

        Args:
            text: What is wrong, naming the field.
        """
        self.problems.append(text)

    def check(self) -> None:
        """Raise every problem noted so far.

        Raises:
            WeatherResponseError: If any problem was noted.
        """
        if self.problems:
            raise WeatherResponseError(
                "unexpected response: " + redact("; ".join(self.problems))
            )


def parse_open_meteo(payload: Any) -> Observation:
    """Parse an Open-Meteo ``/v1/forecast`` body (``current=...&timezone=auto``).

    Args:
        payload: The decoded JSON body.

    Returns:
        The observation; ``observed_at`` carries the location's UTC offset.

    Raises:
        WeatherResponseError: If a field is missing, null where a value is
            required (the temperature), or of the wrong type.
    """
    v = _Validator(payload)
    time_text = v.text("current", "time")
    offset = v.integer("utc_offset_seconds", low=-18 * 3600, high=18 * 3600)
    temperature = v.number("current", "temperature_2m", low=-100, high=100)
    humidity = v.number(
        "current", "relative_humidity_2m", nullable=True, low=0, high=100
    )
    apparent = v.number(
        "current", "apparent_temperature", nullable=True, low=-150, high=150
    )
    code = v.integer("current", "weather_code", nullable=True, low=0, high=999)
    wind = v.number("current", "wind_speed_10m", nullable=True, low=0, high=1000)
    observed_at = None
    if time_text is not None and offset is not None:
        observed_at = _parse_local_time(v, time_text, offset)
    v.check()
    assert observed_at is not None and temperature is not None
    return Observation(
        observed_at=observed_at,
        temperature_c=temperature,
        apparent_temperature_c=apparent,
        humidity_pct=humidity,
        wind_kmh=wind,
        condition=None if code is None else describe_wmo_code(code),
        weather_code=code,
    )


def _parse_local_time(v: _Validator, text: str, offset_seconds: int) -> datetime | None:
    """Parse Open-Meteo's local ``YYYY-MM-DDTHH:MM`` and attach its UTC offset."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        v.problem(f"current.time={text!r} is not an ISO date-time")
        return None
    if parsed.tzinfo is not None:
        return parsed
    return parsed.replace(tzinfo=timezone(timedelta(seconds=offset_seconds)))


def parse_openweather(payload: Any) -> Observation:
    """Parse an OpenWeatherMap 2.5 ``/data/2.5/weather`` body (``units=metric``).

    Wind arrives in m/s and is converted to km/h (one decimal); the condition is
    ``weather[0].description`` and the code ``weather[0].id``.

    Args:
        payload: The decoded JSON body.

    Returns:
        The observation; ``observed_at`` carries the location's UTC offset.

    Raises:
        WeatherResponseError: If a required field (``main.temp``,
            ``weather[0].description``, ``dt``, ``name``) is missing or a field
            has the wrong type.
    """
    v = _Validator(payload)
    temperature = v.number("main", "temp", low=-100, high=100)
    description = v.text("weather", 0, "description")
    timestamp = v.integer("dt", low=0)
    name = v.text("name")
    apparent = v.number("main", "feels_like", required=False, low=-150, high=150)
    humidity = v.number("main", "humidity", required=False, low=0, high=100)
    wind_ms = v.number("wind", "speed", required=False, low=0, high=300)
    code = v.integer("weather", 0, "id", required=False, low=0)
    offset = v.integer("timezone", required=False, low=-18 * 3600, high=18 * 3600)
    v.check()
    assert timestamp is not None and temperature is not None
    zone = timezone(timedelta(seconds=offset)) if offset is not None else UTC
    return Observation(
        observed_at=datetime.fromtimestamp(timestamp, tz=zone),
        temperature_c=temperature,
        apparent_temperature_c=apparent,
        humidity_pct=humidity,
        wind_kmh=None if wind_ms is None else round(wind_ms * KMH_PER_MS, 1),
        condition=description,
        weather_code=code,
        place_name=name or None,
    )


def parse_geocoding(payload: Any) -> Location | None:
    """Parse an Open-Meteo geocoding ``/v1/search`` body (``count=1``).

    Args:
        payload: The decoded JSON body.

    Returns:
        The first match, named ``"<name>, <country>"`` when the country is
        given; None when ``results`` is missing or empty (location not found).

    Raises:
        WeatherResponseError: If the body or the first result is malformed.
    """
    v = _Validator(payload)
    results = payload.get("results") if isinstance(payload, dict) else None
    if results is None or results == []:
        v.check()
        return None
    if not isinstance(results, list):
        v.problem(f"results is {_type_name(results)}, expected a list")
        v.check()
    name = v.text("results", 0, "name")
    latitude = v.number("results", 0, "latitude", low=-90, high=90)
    longitude = v.number("results", 0, "longitude", low=-180, high=180)
    country = v.text("results", 0, "country", required=False, nullable=True)
    v.check()
    assert name is not None and latitude is not None and longitude is not None
    display = f"{name}, {country}" if country else name
    return Location(latitude=latitude, longitude=longitude, name=display)


def error_detail(payload: Any) -> str | None:
    """Return the provider's own error text from an error body, made safe to show.

    Open-Meteo sends ``{"error": true, "reason": "..."}``; OpenWeatherMap sends
    ``{"cod": ..., "message": "..."}``.

    Args:
        payload: The decoded JSON body of an error response (or anything).

    Returns:
        The text on one line, redacted and at most 200 characters, or None.
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
