"""The report's ``weather`` object: built by a function that never raises."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from ticket_analysis.config import WeatherSettings
from ticket_analysis.exceptions import WeatherError
from ticket_analysis.summary import Weather, WeatherLocation
from ticket_analysis.weather.model import OPEN_METEO, OPENWEATHERMAP

if TYPE_CHECKING:  # the HTTP stack is imported only when the weather is fetched
    import requests

    from ticket_analysis.weather.client import WeatherClient
    from ticket_analysis.weather.transport import RetryPolicy

logger = logging.getLogger(__name__)


def empty_section(
    status: Literal["disabled", "unavailable"],
    settings: WeatherSettings | None = None,
    *,
    reason: str | None = None,
    provider: str | None = None,
) -> Weather:
    """Return a ``weather`` object without data (status disabled or unavailable).

    ``location`` is None when disabled (nothing applies); otherwise an object
    holding what ``settings`` configures (None for what is not).
    """
    location: WeatherLocation | None = None
    if status != "disabled":
        location = WeatherLocation(name=None, latitude=None, longitude=None)
        if settings is not None:
            location = WeatherLocation(
                name=settings.location_name or settings.location,
                latitude=settings.latitude,
                longitude=settings.longitude,
            )
    return Weather(
        status=status,
        provider=provider,
        location=location,
        observed_at=None,
        temperature_c=None,
        apparent_temperature_c=None,
        humidity_pct=None,
        wind_kmh=None,
        condition=None,
        weather_code=None,
        from_cache=False,
        stale=False,
        reason=reason,
        attribution=None,
    )


def weather_section(
    settings: WeatherSettings,
    *,
    session: requests.Session | None = None,
    now: datetime | None = None,
    policy: RetryPolicy | None = None,
) -> Weather:
    """Return the report's ``weather`` object; never raises.

    Status ``ok`` carries the data (possibly ``stale`` cached data, with the
    live failure as ``reason``); ``unavailable`` carries a one-line ``reason``
    such as ``no network: could not resolve api.open-meteo.com``; ``disabled``
    when ``settings.enabled`` is False. Every key of the contract is always
    present. Logs one INFO line on success (and when disabled), one WARNING line
    with the reason when the live call failed. The API key never appears in the
    result or the log. A given ``session`` is not closed here.
    """
    if not settings.enabled:
        logger.info("weather: disabled (WEATHER_ENABLED=false or --no-weather)")
        return empty_section("disabled")
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
        location = WeatherLocation.model_validate(client.location.to_dict())
        section = section.model_copy(update={"location": location})
    return section
