"""Current weather at the team's location, for the report.

:func:`weather_section` builds the report's ``weather`` object and never raises;
:class:`WeatherClient` (``client.py``, with ``transport.py`` for HTTP) fetches a
typed :class:`WeatherResult` (``model.py``) or raises a WeatherError. requests,
urllib3 and requests-cache are imported only when the weather is fetched.
"""

from __future__ import annotations

import importlib
import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from ticket_analysis.config import WeatherSettings
from ticket_analysis.exceptions import WeatherError
from ticket_analysis.summary import Weather, WeatherLocation
from ticket_analysis.weather.model import (
    ATTRIBUTIONS,
    NO_LOCATION_REASON,
    OPEN_METEO,
    OPENWEATHERMAP,
    Location,
    WeatherResult,
    describe_wmo_code,
)
from ticket_analysis.weather.redaction import (
    SecretRedactingFilter,
    install_secret_redaction,
    redact,
)

if TYPE_CHECKING:
    import requests

    from ticket_analysis.weather.client import WeatherClient
    from ticket_analysis.weather.transport import RetryPolicy

logger = logging.getLogger(__name__)

# Imported on first use (PEP 562): a run without weather never loads requests.
_LAZY = {
    "WeatherClient": "client",
    "CACHE_FILE_NAME": "transport",
    "RetryPolicy": "transport",
    "build_session": "transport",
}


def __getattr__(name: str) -> Any:
    """Import a name of the HTTP side from its submodule on first use."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    globals()[name] = value
    return value


def empty_section(
    status: Literal["disabled", "unavailable"],
    settings: WeatherSettings | None = None,
    *,
    reason: str | None = None,
    provider: str | None = None,
) -> Weather:
    """Return a ``weather`` object without data.

    ``location`` is None when disabled; otherwise it holds what ``settings``
    configures (None for what is not).
    """
    location = None
    if settings is not None and status != "disabled":
        location = WeatherLocation(
            name=settings.location_name or settings.location,
            latitude=settings.latitude,
            longitude=settings.longitude,
        )
    elif status != "disabled":
        location = WeatherLocation(name=None, latitude=None, longitude=None)
    empty = dict.fromkeys(Weather.model_fields)
    return Weather.model_validate(
        empty
        | {"status": status, "provider": provider, "location": location}
        | {"from_cache": False, "stale": False, "reason": reason}
    )


def weather_section(
    settings: WeatherSettings,
    *,
    session: requests.Session | None = None,
    now: datetime | None = None,
    policy: RetryPolicy | None = None,
) -> Weather:
    """Return the report's ``weather`` object; never raises.

    Status ``ok`` carries the data (``stale`` cached data keeps the live failure
    as ``reason``); ``unavailable`` a one-line ``reason``; ``disabled`` when the
    weather is switched off or no location is configured. Logs one line: INFO, or
    WARNING when a configured lookup failed. A given ``session`` is not closed.
    """
    if not settings.enabled:
        logger.info("weather: disabled (WEATHER_ENABLED=false or --no-weather)")
        return empty_section("disabled")
    s = settings
    if not s.location and s.latitude is None and s.longitude is None:
        logger.info("weather: disabled (%s)", NO_LOCATION_REASON)
        return empty_section("disabled", reason="no location configured")
    from ticket_analysis.weather.client import WeatherClient

    client: WeatherClient | None = None
    try:
        client = WeatherClient(settings, session=session, policy=policy)
        with client:
            result = client.current(now=now)
    except WeatherError as exc:
        reason = str(exc)
    except Exception as exc:  # the report must never fail because of the weather
        reason = f"internal error in the weather step ({type(exc).__name__})"
        logger.debug("weather step failed unexpectedly", exc_info=True)
    else:
        section = Weather.model_validate(result.to_section())
        if result.stale:
            logger.warning(
                "weather: live request failed (%s); showing cached data observed at %s",
                result.reason,
                section.observed_at,
            )
        else:
            logger.info(
                "weather: %s °C, %s at %s (%s, %s)",
                result.temperature_c,
                result.condition or "condition unknown",
                result.location.name
                or f"{result.location.latitude}, {result.location.longitude}",
                result.provider,
                "cached" if result.from_cache else "live",
            )
        return section
    logger.warning("weather unavailable: %s", reason)
    provider = OPENWEATHERMAP if settings.openweather_api_key else OPEN_METEO
    section = empty_section("unavailable", settings, reason=reason, provider=provider)
    if client is not None and client.location is not None:
        location = WeatherLocation.model_validate(vars(client.location))
        section = section.model_copy(update={"location": location})
    return section


__all__ = [
    "ATTRIBUTIONS",
    "CACHE_FILE_NAME",
    "NO_LOCATION_REASON",
    "OPENWEATHERMAP",
    "OPEN_METEO",
    "Location",
    "RetryPolicy",
    "SecretRedactingFilter",
    "WeatherClient",
    "WeatherResult",
    "build_session",
    "describe_wmo_code",
    "empty_section",
    "install_secret_redaction",
    "redact",
    "weather_section",
]
