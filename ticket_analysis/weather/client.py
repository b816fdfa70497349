"""The weather client: location, deadline, retries, cache and stale fallback."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Final, TypeVar
from urllib.parse import urlsplit

import requests
from requests_cache import CachedSession

from ticket_analysis.config import WeatherSettings
from ticket_analysis.exceptions import (
    WeatherConfigError,
    WeatherError,
    WeatherResponseError,
    WeatherTimeoutError,
)
from ticket_analysis.weather import model, transport
from ticket_analysis.weather.model import Location, WeatherResult
from ticket_analysis.weather.redaction import install_secret_redaction
from ticket_analysis.weather.transport import RetryPolicy, host_of, seconds

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: How long a geocoded place name stays fresh in the cache (it hardly moves).
GEOCODING_TTL_SECONDS: Final = 30 * 24 * 3600


class WeatherClient:
    """Fetch the current weather at the configured location.

    OpenWeatherMap is used when a key is configured, else Open-Meteo; a place
    name is geocoded through Open-Meteo. When a live call fails and an expired
    cache entry exists, it is returned with ``stale=True`` and the failure as
    ``reason``. Each :meth:`current` call runs under one deadline of
    :attr:`worst_case_seconds`. Without ``session`` a cached one is built on
    first use and closed on exit; a caller's session is never closed here.
    ``clock`` and ``sleep`` are for tests.
    """

    def __init__(
        self,
        settings: WeatherSettings,
        *,
        session: requests.Session | None = None,
        policy: RetryPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.policy = policy or RetryPolicy()
        if settings.openweather_api_key:
            install_secret_redaction(settings.openweather_api_key)
        self._owns_session = session is None
        self._session_or_none = session
        self._clock, self._sleep = clock, sleep
        self._deadline = 0.0
        #: The location of the last call, once resolved (for error reports).
        self.location: Location | None = None

    @property
    def provider(self) -> str:
        """``"openweathermap"`` when an API key is configured, else ``"open-meteo"``."""
        key = self.settings.openweather_api_key
        return model.OPENWEATHERMAP if key else model.OPEN_METEO

    @property
    def worst_case_seconds(self) -> float:
        """Upper bound of one :meth:`current` call, in seconds (see RetryPolicy)."""
        return self.policy.worst_case_seconds(self.settings.timeout_seconds)

    def resolve_location(self) -> Location:
        """Return the configured location, geocoding a place name if needed.

        Coordinates win over a place name; the display name is
        ``WEATHER_LOCATION_NAME``, else the place name. Starts the deadline.

        Raises:
            WeatherConfigError: If no location (or half of the coordinates) is
                configured, or the place name is not found.
            WeatherError: If the geocoding request fails.
        """
        self._deadline = self._clock() + self.worst_case_seconds
        self.location = None
        s = self.settings
        if (s.latitude is None) != (s.longitude is None):
            missing = "WEATHER_LONGITUDE" if s.longitude is None else "WEATHER_LATITUDE"
            raise WeatherConfigError(
                f"incomplete location: {missing} is not set; set both "
                "WEATHER_LATITUDE and WEATHER_LONGITUDE, or WEATHER_LOCATION"
            )
        if s.latitude is not None and s.longitude is not None:
            name = s.location_name or s.location
            self.location = Location(s.latitude, s.longitude, name)
            return self.location
        if not s.location:
            raise WeatherConfigError(model.NO_LOCATION_REASON)
        url = s.open_meteo_geocoding_url.rstrip("/") + "/v1/search"
        params = {"name": s.location, "count": "1", "language": "en", "format": "json"}
        found, _ = self._fetch(
            url, params, model.parse_geocoding, ttl=GEOCODING_TTL_SECONDS
        )
        if found is None:
            raise WeatherConfigError(f"location not found: {s.location!r}")
        self.location = replace(found, name=s.location_name or found.name)
        return self.location

    def current(self, *, now: datetime | None = None) -> WeatherResult:
        """Fetch the current weather; ``now`` is stamped as ``fetched_at`` on live data.

        Raises:
            WeatherError: With a one-line, redacted reason, if neither a live
                response nor a cached one can be used.
        """
        location = self.resolve_location()
        # 4 decimals (about 11 m) in the query string
        lat, lon = (repr(round(x, 4)) for x in (location.latitude, location.longitude))
        s = self.settings
        if self.provider == model.OPENWEATHERMAP:
            url = s.openweather_base_url.rstrip("/") + "/data/2.5/weather"
            key = s.openweather_api_key or ""
            params = {"lat": lat, "lon": lon, "appid": key, "units": "metric"}
            observation, origin = self._fetch(url, params, model.parse_openweather, now)
        else:
            url = s.open_meteo_base_url.rstrip("/") + "/v1/forecast"
            params = {
                "latitude": lat,
                "longitude": lon,
                "current": model.OPEN_METEO_CURRENT,
            }
            params["timezone"] = "auto"
            observation, origin = self._fetch(url, params, model.parse_open_meteo, now)
        if location.name is None and observation.place_name:
            location = replace(location, name=observation.place_name)
        self.location = location
        return WeatherResult(
            **vars(observation), provider=self.provider, location=location, **origin
        )

    def close(self) -> None:
        """Close the session if this client created it."""
        if self._owns_session and self._session_or_none is not None:
            self._session_or_none.close()
            self._session_or_none = None

    def __enter__(self) -> WeatherClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def _session(self) -> requests.Session:
        """The HTTP session, built (and the cache opened) on first use."""
        if self._session_or_none is None:
            self._session_or_none = transport.build_session(self.settings)
        return self._session_or_none

    def _fetch(
        self,
        url: str,
        params: dict[str, str],
        parse: Callable[[Any], T],
        now: datetime | None = None,
        ttl: int | None = None,
    ) -> tuple[T, dict[str, Any]]:
        """GET and parse ``url``, falling back to an expired cache entry.

        Returns:
            The parsed body, and ``from_cache``, ``stale``, ``fetched_at`` and
            ``reason`` (why the live call failed, when stale) for WeatherResult.
        """
        session = self._session
        cache = session.cache if isinstance(session, CachedSession) else None
        request = requests.Request("GET", url, params=params)
        key = cache.create_key(session.prepare_request(request)) if cache else ""
        previous = cache.get_response(key) if cache else None
        response: requests.Response | None = None
        try:
            response = self._get(url, params, ttl)
            try:
                payload = response.json()
            except ValueError:
                raise WeatherResponseError(
                    "unexpected response: body is not JSON "
                    f"(HTTP 200 from {host_of(url)})"
                ) from None
            value = parse(payload)
        except WeatherError as exc:
            cached = getattr(response, "from_cache", False)
            if cache and isinstance(exc, WeatherResponseError):
                cache.delete(key)  # a bad cached body goes; a bad live one is
                if previous is not None and not cached:  # replaced by the old entry
                    cache.responses[key] = previous
            if previous is None or cached:
                raise
            try:
                value = parse(previous.json())
            except (ValueError, WeatherError):
                raise exc from None
            logger.debug("weather: live request failed, expired cache entry usable")
            origin = {"from_cache": True, "stale": True, "reason": str(exc)}
            return value, {**origin, "fetched_at": _utc(previous.created_at)}
        if getattr(response, "from_cache", False):
            origin = {"from_cache": True, "fetched_at": _utc(response.created_at)}  # type: ignore[attr-defined]
        else:
            origin = {"from_cache": False, "fetched_at": now or datetime.now(UTC)}
        return value, {**origin, "stale": False, "reason": None}

    def _get(
        self, url: str, params: dict[str, str], ttl: int | None
    ) -> requests.Response:
        """GET with bounded retries under the step's deadline; return a 200."""
        extra: dict[str, Any] = {"allow_redirects": False}
        if ttl is not None and isinstance(self._session, CachedSession):
            extra["expire_after"] = ttl
        attempt, min_read = 0, transport.MIN_READ_SECONDS
        while True:
            attempt += 1
            connect, read = self.policy.timeouts(self.settings.timeout_seconds)
            remaining = self._deadline - self._clock()
            connect = min(connect, remaining)
            read = min(read, remaining - connect)
            if connect <= 0 or read < min_read:
                raise WeatherTimeoutError(
                    f"timed out: the weather step used its "
                    f"{seconds(self.worst_case_seconds)} s time budget "
                    f"before reaching {host_of(url)}"
                )
            where = f"{host_of(url)}{urlsplit(url).path} (attempt {attempt})"
            timeouts = f"{seconds(connect)}/{seconds(read)}"
            logger.debug("weather: GET %s, timeouts %s s", where, timeouts)
            extra["timeout"] = (connect, read)
            try:
                response = self._session.get(url, params=params, **extra)
            except requests.RequestException as exc:
                error, retry = transport.describe_request_error(
                    exc, url, (connect, read)
                )
            else:
                if response.status_code == 200:
                    return response
                error, retry = transport.describe_http_error(
                    response, url, with_key="appid" in params
                )
                response.close()
            pause = self.policy.backoff(attempt)
            retry = retry and attempt < self.policy.max_attempts
            if not retry or self._deadline - self._clock() - pause < 2 * min_read:
                if attempt > 1:
                    error.args = (f"{error} (after {attempt} attempts)",)
                raise error
            logger.debug("weather: %s; retrying in %s s", error, seconds(pause))
            self._sleep(pause)


def _utc(moment: datetime) -> datetime:
    """Return a cache entry's time in UTC (requests-cache stores it naive)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
