"""The weather client: location, deadline, retries, cache and stale fallback."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Final, Generic, TypeVar

import requests
import requests_cache

from ticket_analysis.config import WeatherSettings
from ticket_analysis.exceptions import (
    WeatherConfigError,
    WeatherError,
    WeatherResponseError,
    WeatherTimeoutError,
)
from ticket_analysis.weather import cache
from ticket_analysis.weather.model import (
    OPEN_METEO,
    OPENWEATHERMAP,
    Location,
    Observation,
    WeatherResult,
)
from ticket_analysis.weather.parsing import (
    OPEN_METEO_CURRENT,
    parse_geocoding,
    parse_open_meteo,
    parse_openweather,
)
from ticket_analysis.weather.redaction import install_secret_redaction
from ticket_analysis.weather.transport import (
    MIN_READ_SECONDS,
    RetryPolicy,
    build_session,
    describe_http_error,
    describe_request_error,
    host_of,
    safe_url,
    seconds,
    with_attempts,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: Reason shown when neither a place name nor coordinates are configured.
NO_LOCATION_REASON: Final = (
    "no location configured: set WEATHER_LOCATION or WEATHER_LATITUDE/WEATHER_LONGITUDE"
)
#: How long a geocoded place name stays fresh in the cache (it hardly moves).
GEOCODING_TTL_SECONDS: Final = 30 * 24 * 3600

#: Endpoint paths appended to the configured base URLs.
FORECAST_PATH: Final = "/v1/forecast"
GEOCODING_PATH: Final = "/v1/search"
OPENWEATHER_PATH: Final = "/data/2.5/weather"


@dataclass(frozen=True)
class _Fetched(Generic[T]):
    """A parsed body and where it came from."""

    value: T
    from_cache: bool
    stale: bool
    fetched_at: datetime
    reason: str | None = None


def _coordinate(value: float) -> str:
    """Format a coordinate for a query string (4 decimals, about 11 m)."""
    return repr(round(value, 4))


class WeatherClient:
    """Fetch the current weather at the configured location.

    Open-Meteo is used unless an OpenWeatherMap key is configured. A place
    name is geocoded through Open-Meteo's geocoding API (cached for 30 days).
    Responses are cached (:func:`~ticket_analysis.weather.transport.build_session`);
    when a live call fails and an expired entry exists, the entry is returned
    with ``stale=True`` and the failure as ``reason``.

    Each :meth:`current` call runs under one deadline of
    :attr:`worst_case_seconds` covering geocoding, the forecast, retries and
    pauses. Use it as a context manager: ``with WeatherClient(s) as c: c.current()``.
    Without ``session`` a cached one is built on the first request and closed by
    :meth:`close`; a caller's session is never closed here. ``clock`` and
    ``sleep`` are for tests.
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
        self._clock = clock
        self._sleep = sleep
        self._deadline = 0.0
        #: The location of the last call, once resolved (for error reports).
        self.location: Location | None = None

    # --- public API ---------------------------------------------------------

    @property
    def provider(self) -> str:
        """``"openweathermap"`` when an API key is configured, else ``"open-meteo"``."""
        return OPENWEATHERMAP if self.settings.openweather_api_key else OPEN_METEO

    @property
    def worst_case_seconds(self) -> float:
        """Upper bound of one :meth:`current` call, in seconds (see RetryPolicy)."""
        return self.policy.worst_case_seconds(self.settings.timeout_seconds)

    def resolve_location(self) -> Location:
        """Return the configured location, geocoding a place name if needed.

        Explicit coordinates win over a place name (no request is made); the
        display name is ``WEATHER_LOCATION_NAME``, else the place name.

        Raises:
            WeatherConfigError: If no location (or only half of the coordinates)
                is configured, or the place name is not found.
            WeatherError: If the geocoding request fails.
        """
        self._start()
        return self._resolve_location()

    def current(self, *, now: datetime | None = None) -> WeatherResult:
        """Fetch the current weather; ``from_cache``, ``stale``, ``reason`` tell whence.

        Args:
            now: Stamped as ``fetched_at`` on live data (default: now, UTC).

        Raises:
            WeatherError: With a one-line, redacted reason, if neither a live
                response nor a cached one can be used.
        """
        self._start()
        location = self._resolve_location()
        if self.provider == OPENWEATHERMAP:
            url = self.settings.openweather_base_url.rstrip("/") + OPENWEATHER_PATH
            params = {
                "lat": _coordinate(location.latitude),
                "lon": _coordinate(location.longitude),
                "appid": self.settings.openweather_api_key or "",
                "units": "metric",
            }
            fetched = self._fetch(url, params, parse_openweather, now=now)
        else:
            url = self.settings.open_meteo_base_url.rstrip("/") + FORECAST_PATH
            params = {
                "latitude": _coordinate(location.latitude),
                "longitude": _coordinate(location.longitude),
                "current": ",".join(OPEN_METEO_CURRENT),
                "timezone": "auto",
            }
            fetched = self._fetch(url, params, parse_open_meteo, now=now)
        return self._result(location, fetched)

    def close(self) -> None:
        """Close the session if this client created it."""
        if self._owns_session and self._session_or_none is not None:
            self._session_or_none.close()
            self._session_or_none = None

    def __enter__(self) -> WeatherClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- steps --------------------------------------------------------------

    @property
    def _session(self) -> requests.Session:
        """The HTTP session, built (and the cache opened) on first use."""
        if self._session_or_none is None:
            self._session_or_none = build_session(self.settings)
        return self._session_or_none

    def _start(self) -> None:
        """Start the deadline of one weather step."""
        self._deadline = self._clock() + self.worst_case_seconds
        self.location = None

    def _resolve_location(self) -> Location:
        """Resolve the location under the current deadline."""
        s = self.settings
        if (s.latitude is None) != (s.longitude is None):
            missing = "WEATHER_LONGITUDE" if s.longitude is None else "WEATHER_LATITUDE"
            raise WeatherConfigError(
                f"incomplete location: {missing} is not set; set both "
                "WEATHER_LATITUDE and WEATHER_LONGITUDE, or WEATHER_LOCATION"
            )
        if s.latitude is not None and s.longitude is not None:
            if not (-90 <= s.latitude <= 90 and -180 <= s.longitude <= 180):
                raise WeatherConfigError(
                    f"invalid coordinates {s.latitude}, {s.longitude}: latitude must "
                    "be within -90..90 and longitude within -180..180"
                )
            name = s.location_name or s.location
            self.location = Location(s.latitude, s.longitude, name)
            return self.location
        if not s.location:
            raise WeatherConfigError(NO_LOCATION_REASON)
        url = s.open_meteo_geocoding_url.rstrip("/") + GEOCODING_PATH
        params = {"name": s.location, "count": "1", "language": "en", "format": "json"}
        fetched = self._fetch(
            url, params, parse_geocoding, expire_after=GEOCODING_TTL_SECONDS
        )
        if fetched.value is None:
            raise WeatherConfigError(f"location not found: {s.location!r}")
        found = fetched.value
        if fetched.stale:
            logger.debug("weather: using cached geocoding for %r", s.location)
        self.location = Location(
            found.latitude, found.longitude, s.location_name or found.name
        )
        return self.location

    def _result(
        self, location: Location, fetched: _Fetched[Observation]
    ) -> WeatherResult:
        """Combine the location and a parsed observation into the result."""
        observation = fetched.value
        if location.name is None and observation.place_name:
            location = replace(location, name=observation.place_name)
        self.location = location
        return WeatherResult(
            **vars(observation),
            provider=self.provider,
            location=location,
            from_cache=fetched.from_cache,
            stale=fetched.stale,
            fetched_at=fetched.fetched_at,
            reason=fetched.reason,
        )

    # --- HTTP ---------------------------------------------------------------

    def _fetch(
        self,
        url: str,
        params: dict[str, str],
        parse: Callable[[Any], T],
        *,
        now: datetime | None = None,
        expire_after: int | None = None,
    ) -> _Fetched[T]:
        """GET ``url``, parse the body, and fall back to an expired cache entry.

        An invalid 200 body is removed from the cache again (and the entry it
        replaced restored), so it is never served later.
        """
        cache_key, previous = cache.stored_entry(self._session, url, params)
        response: requests.Response | None = None
        try:
            response = self._get(url, params, expire_after=expire_after)
            value = self._parse(response, url, parse)
        except WeatherError as exc:
            if response is not None and isinstance(exc, WeatherResponseError):
                # A bad body read from the cache is dropped; a bad live body is
                # dropped and the entry it overwrote (if any) put back.
                stale = None if cache.from_cache(response) else previous
                cache.forget(self._session, cache_key, stale)
            if previous is None or (
                response is not None and cache.from_cache(response)
            ):
                raise
            try:
                value = parse(previous.json())
            except (ValueError, WeatherError):
                raise exc from None
            logger.debug("weather: live request failed, expired cache entry usable")
            return _Fetched(
                value=value,
                from_cache=True,
                stale=True,
                fetched_at=cache.created_at(previous),
                reason=str(exc),
            )
        if cache.from_cache(response):
            return _Fetched(value, True, False, cache.created_at(response))
        return _Fetched(value, False, False, now or datetime.now(UTC))

    def _parse(
        self, response: requests.Response, url: str, parse: Callable[[Any], T]
    ) -> T:
        """Decode and parse a 200 response body."""
        try:
            payload = response.json()
        except ValueError:
            raise WeatherResponseError(
                f"unexpected response: body is not JSON (HTTP 200 from {host_of(url)})"
            ) from None
        return parse(payload)

    def _get(
        self, url: str, params: dict[str, str], *, expire_after: int | None
    ) -> requests.Response:
        """GET with bounded retries under the step's deadline; return a 200."""
        extra: dict[str, Any] = {}
        if expire_after is not None and isinstance(
            self._session, requests_cache.CachedSession
        ):
            extra["expire_after"] = expire_after
        with_key = "appid" in params
        attempt = 0
        while True:
            attempt += 1
            timeouts = self._timeouts()
            if timeouts is None:
                raise WeatherTimeoutError(
                    f"timed out: the weather step used its "
                    f"{seconds(self.worst_case_seconds)} s time budget "
                    f"before reaching {host_of(url)}"
                )
            logger.debug(
                "weather: GET %s (attempt %d of %d, timeouts %s/%s s)",
                safe_url(url),
                attempt,
                self.policy.max_attempts,
                seconds(timeouts[0]),
                seconds(timeouts[1]),
            )
            try:
                response = self._session.get(
                    url, params=params, timeout=timeouts, allow_redirects=False, **extra
                )
            except requests.RequestException as exc:
                error, retry = describe_request_error(exc, url, timeouts)
            else:
                if response.status_code == 200:
                    return response
                error, retry = describe_http_error(response, url, with_key=with_key)
                response.close()
            pause = self.policy.backoff(attempt)
            if (
                not retry
                or attempt >= self.policy.max_attempts
                or not self._time_left_after(pause)
            ):
                raise with_attempts(error, attempt)
            logger.debug("weather: %s; retrying in %s s", error, seconds(pause))
            self._sleep(pause)

    def _timeouts(self) -> tuple[float, float] | None:
        """Return this attempt's timeouts clipped to the deadline, or None."""
        connect, read = self.policy.timeouts(self.settings.timeout_seconds)
        remaining = self._deadline - self._clock()
        connect = min(connect, remaining)
        read = min(read, remaining - connect)
        if connect <= 0 or read < MIN_READ_SECONDS:
            return None
        return connect, read

    def _time_left_after(self, pause: float) -> bool:
        """Tell whether an attempt still fits in the deadline after ``pause``."""
        return self._deadline - self._clock() - pause >= 2 * MIN_READ_SECONDS
