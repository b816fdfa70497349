"""Weather observations and results, their location, and the WMO code table."""

from __future__ import annotations

from dataclasses import asdict, dataclass
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
    """Return the condition text of a WMO code, or ``"Unknown (code N)"``."""
    return WMO_CODES.get(code, f"Unknown (code {code})")


@dataclass(frozen=True)
class Location:
    """Where the weather is observed: degrees north and east, display name."""

    latitude: float
    longitude: float
    name: str | None = None  # e.g. "Berlin, Germany"

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's ``location`` object (name, latitude, longitude)."""
        return asdict(self)


@dataclass(frozen=True, kw_only=True)
class Observation:
    """The provider-independent content of one parsed weather response."""

    observed_at: datetime  # with the location's UTC offset
    temperature_c: float
    apparent_temperature_c: float | None
    humidity_pct: float | None
    wind_kmh: float | None
    condition: str | None
    #: WMO code (Open-Meteo) or condition id (OpenWeatherMap).
    weather_code: int | None
    place_name: str | None = None  # the provider's name for the place


@dataclass(frozen=True, kw_only=True)
class WeatherResult(Observation):
    """The current weather at the team's location, and where it came from."""

    provider: str  # OPEN_METEO or OPENWEATHERMAP
    location: Location
    from_cache: bool
    #: True when an expired cache entry stood in for a failed live request.
    stale: bool
    fetched_at: datetime  # when the provider was asked (UTC)
    reason: str | None = None  # why the live request failed, when stale

    @property
    def attribution(self) -> str:
        """The attribution line the provider's terms ask for."""
        return ATTRIBUTIONS[self.provider]

    def to_section(self) -> dict[str, Any]:
        """Return the ``weather`` object of ``summary.json``, status ``ok``."""
        section = asdict(self)
        del section["fetched_at"], section["place_name"]  # not in the contract
        return {
            "status": "ok",
            **section,
            "observed_at": self.observed_at.isoformat(),
            "attribution": self.attribution,
        }
