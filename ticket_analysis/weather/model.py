"""The weather result, its location, and the WMO weather-code table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

#: Provider ids, as they appear in ``summary.json``.
OPEN_METEO: Final = "open-meteo"
OPENWEATHERMAP: Final = "openweathermap"

#: Attribution line each provider's terms ask for (Open-Meteo data is CC BY 4.0).
ATTRIBUTIONS: Final = {
    OPEN_METEO: "Weather data by Open-Meteo.com (CC BY 4.0)",
    OPENWEATHERMAP: "Weather data by OpenWeatherMap",
}

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


def describe_wmo_code(code: int) -> str:
    """Return the condition text of a WMO weather code.

    Args:
        code: The WMO weather interpretation code.

    Returns:
        The text, e.g. ``"Partly cloudy"``, or ``"Unknown (code N)"``.
    """
    return WMO_CODES.get(code, f"Unknown (code {code})")


@dataclass(frozen=True)
class Location:
    """Where the weather is observed.

    Attributes:
        latitude: Degrees north (-90 to 90).
        longitude: Degrees east (-180 to 180).
        name: Display name (``"Berlin, Germany"``), if known.
    """

    latitude: float
    longitude: float
    name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's ``location`` object.

        Returns:
            ``{"name", "latitude", "longitude"}``.
        """
        return {
            "name": self.name,
            "latitude": self.latitude,
            "longitude": self.longitude,
        }


@dataclass(frozen=True)
class Observation:
    """The provider-independent part of one parsed weather response.

    Attributes:
        observed_at: When the provider observed the values (timezone-aware).
        temperature_c: Air temperature in °C.
        apparent_temperature_c: Felt temperature in °C, if given.
        humidity_pct: Relative humidity in percent, if given.
        wind_kmh: Wind speed in km/h, if given.
        condition: Condition text, if known.
        weather_code: Provider's condition code (WMO for Open-Meteo, the
            condition id for OpenWeatherMap), if given.
        place_name: The place name the provider reports, if any.
    """

    observed_at: datetime
    temperature_c: float
    apparent_temperature_c: float | None
    humidity_pct: float | None
    wind_kmh: float | None
    condition: str | None
    weather_code: int | None
    place_name: str | None = None


@dataclass(frozen=True)
class WeatherResult:
    """The current weather at the team's location, as shown in the report.

    Attributes:
        provider: ``"open-meteo"`` or ``"openweathermap"``.
        location: Where the weather was observed.
        observed_at: Observation time with the location's UTC offset.
        temperature_c: Air temperature in °C.
        apparent_temperature_c: Felt temperature in °C, if given.
        humidity_pct: Relative humidity in percent, if given.
        wind_kmh: Wind speed in km/h, if given.
        condition: Condition text (WMO table or the provider's description).
        weather_code: The provider's condition code, if given.
        from_cache: True when the data came from the local cache.
        stale: True when the cache entry had expired and was used because the
            live request failed.
        fetched_at: When the data was fetched from the provider (UTC).
        reason: Why the live request failed, when ``stale`` is True.
    """

    provider: str
    location: Location
    observed_at: datetime
    temperature_c: float
    apparent_temperature_c: float | None
    humidity_pct: float | None
    wind_kmh: float | None
    condition: str | None
    weather_code: int | None
    from_cache: bool
    stale: bool
    fetched_at: datetime
    reason: str | None = None

    @property
    def attribution(self) -> str:
        """The attribution line the provider's terms ask for."""
        return ATTRIBUTIONS[self.provider]

    def to_section(self) -> dict[str, Any]:
        """Return the contract's ``weather`` object for this result.

        Returns:
            The ``weather`` dict of ``summary.json`` with status ``"ok"``.
        """
        return {
            "status": "ok",
            "provider": self.provider,
            "location": self.location.to_dict(),
            "observed_at": self.observed_at.isoformat(),
            "temperature_c": self.temperature_c,
            "apparent_temperature_c": self.apparent_temperature_c,
            "humidity_pct": self.humidity_pct,
            "wind_kmh": self.wind_kmh,
            "condition": self.condition,
            "weather_code": self.weather_code,
            "from_cache": self.from_cache,
            "stale": self.stale,
            "reason": self.reason,
            "attribution": self.attribution,
        }
