"""HTTP plumbing of the weather client: the cached session, timeouts and errors.

Retries are *not* left to urllib3: the adapter is mounted with
``Retry(total=0, read=False)`` (so a read timeout surfaces as
:class:`requests.ReadTimeout`, never as a generic ``ConnectionError``) and the
client runs its own bounded loop (:class:`RetryPolicy`) under one deadline for
the whole weather step. That keeps Retry-After out of the picture and lets the
worst case be computed exactly (:meth:`RetryPolicy.worst_case_seconds`).

Every message built here names the host, never the URL (whose query string may
hold the API key), and never includes ``str(exc)`` of a requests exception.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

import requests
import requests_cache
from requests.adapters import HTTPAdapter
from urllib3.exceptions import (
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.util.retry import Retry

from ticket_analysis import __version__
from ticket_analysis.config import WeatherSettings
from ticket_analysis.exceptions import (
    WeatherConfigError,
    WeatherError,
    WeatherHTTPError,
    WeatherNetworkError,
    WeatherTimeoutError,
)
from ticket_analysis.weather.parsing import error_detail

logger = logging.getLogger(__name__)

#: File name of the SQLite response cache inside ``WeatherSettings.cache_dir``.
CACHE_FILE_NAME: Final = "weather_cache.sqlite"
#: Query parameters and headers kept out of cache keys and out of the cache file.
IGNORED_PARAMETERS: Final = (*requests_cache.DEFAULT_IGNORED_PARAMS, "appid")
#: Statuses worth one more attempt (a server-side hiccup); 4xx never are.
RETRY_STATUSES: Final = frozenset({500, 502, 503, 504})
#: An attempt is not started with less read time than this left in the budget.
MIN_READ_SECONDS: Final = 0.05


@dataclass(frozen=True)
class RetryPolicy:
    """Timeouts and retries of the weather step.

    Attributes:
        connect_timeout: Connect timeout of one attempt, in seconds (capped at
            the read timeout, ``WEATHER_TIMEOUT_SECONDS``).
        max_attempts: Attempts per request (1 = no retry). Only connection
            failures (refused, reset, connect timeout) and HTTP 500/502/503/504
            are retried; DNS failures, read timeouts and 4xx are not.
        backoff_seconds: Pause before the second attempt; doubles after that.
    """

    connect_timeout: float = 1.0
    max_attempts: int = 2
    backoff_seconds: float = 0.5

    def __post_init__(self) -> None:
        """Reject values that would make the bound meaningless (``ValueError``)."""
        if not self.connect_timeout > 0:
            raise ValueError(f"connect_timeout={self.connect_timeout!r}: expected > 0")
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts={self.max_attempts!r}: expected >= 1")
        if not self.backoff_seconds >= 0:
            raise ValueError(f"backoff_seconds={self.backoff_seconds!r}: expected >= 0")

    def timeouts(self, read_timeout: float) -> tuple[float, float]:
        """Return the ``(connect, read)`` timeouts of one attempt, in seconds."""
        return min(self.connect_timeout, read_timeout), read_timeout

    def backoff(self, attempt: int) -> float:
        """Return the seconds to wait after failed attempt ``attempt`` (1-based)."""
        return float(self.backoff_seconds * 2 ** (attempt - 1))

    def worst_case_seconds(self, read_timeout: float) -> float:
        """Return the time budget of the whole weather step, in seconds.

        ``max_attempts x (connect + read) + the pauses between attempts``. The
        client stops starting attempts (and clips their timeouts) so that the
        step, geocoding included, ends within this budget; host-name resolution
        by the operating system is the one wait it cannot interrupt.
        """
        connect, read = self.timeouts(read_timeout)
        pauses = sum(self.backoff(n) for n in range(1, self.max_attempts))
        return self.max_attempts * (connect + read) + pauses


def build_session(settings: WeatherSettings) -> requests.Session:
    """Return a session caching 200 responses in SQLite under ``settings.cache_dir``.

    The API key (``appid``) and the usual credential parameters are ignored for
    cache keys and redacted from what is stored. When the cache cannot be
    opened (read-only folder, corrupt file) a plain session is returned and one
    warning says why: the weather still works, uncached.
    """
    path = settings.cache_dir / CACHE_FILE_NAME
    session: requests.Session
    try:
        settings.cache_dir.mkdir(parents=True, exist_ok=True)
        cached = requests_cache.CachedSession(
            str(path),
            backend="sqlite",
            expire_after=settings.cache_ttl_seconds,
            allowable_codes=(200,),
            allowable_methods=("GET",),
            ignored_parameters=IGNORED_PARAMETERS,
            match_headers=False,
            stale_if_error=False,
        )
        len(cached.cache.responses)  # open the database now, not mid-request
        session = cached
    except (OSError, sqlite3.Error) as exc:
        logger.warning(
            "weather cache disabled: cannot use %s (%s); fetching uncached",
            path,
            type(exc).__name__,
        )
        session = requests.Session()
    adapter = HTTPAdapter(
        max_retries=Retry(
            total=0, read=False, raise_on_status=False, respect_retry_after_header=False
        ),
        pool_connections=2,
        pool_maxsize=2,
    )
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = f"ticket-analysis/{__version__}"
    return session


def host_of(url: str) -> str:
    """Return ``host[:port]`` of a URL, without credentials, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{host}:{port}" if port else host


def safe_url(url: str) -> str:
    """Return ``scheme://host[:port]/path``: no credentials, no query string."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{host_of(url)}{parts.path}"


def seconds(value: float) -> str:
    """Format seconds for a message, three significant digits: ``5``, ``14.5``."""
    return f"{value:.3g}"


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """Yield ``exc`` and every exception it wraps (args, reason, cause, context)."""
    seen: set[int] = set()
    queue: list[Any] = [exc]
    while queue:
        item = queue.pop(0)
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        queue.extend(
            [
                getattr(item, "reason", None),
                item.__cause__,
                item.__context__,
                *item.args,
            ]
        )


def describe_request_error(
    exc: requests.RequestException, url: str, timeouts: tuple[float, float]
) -> tuple[WeatherError, bool]:
    """Return a one-line weather error (naming only the host) and whether to retry."""
    host = host_of(url)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        message = f"timed out after {seconds(timeouts[0])} s connecting to {host}"
        return WeatherTimeoutError(message), True
    if isinstance(exc, requests.exceptions.ReadTimeout):
        message = f"timed out after {seconds(timeouts[1])} s waiting for {host}"
        return WeatherTimeoutError(message), False
    if isinstance(exc, requests.exceptions.SSLError):
        message = f"TLS error talking to {host}: check the base URL and certificates"
        return WeatherNetworkError(message), False
    if isinstance(exc, requests.exceptions.ProxyError):
        return WeatherNetworkError(f"proxy error reaching {host}"), False
    if isinstance(exc, requests.exceptions.ConnectionError):
        if any(isinstance(c, ReadTimeoutError) for c in _causes(exc)):
            # the body stalled after the headers (requests wraps this one)
            message = f"timed out after {seconds(timeouts[1])} s waiting for {host}"
            return WeatherTimeoutError(message), False
        return _describe_connection_error(exc, url)
    if isinstance(
        exc,
        requests.exceptions.InvalidURL
        | requests.exceptions.MissingSchema
        | requests.exceptions.InvalidSchema,
    ):
        return WeatherConfigError(f"invalid weather service URL for {host}"), False
    return WeatherNetworkError(
        f"request to {host} failed ({type(exc).__name__})"
    ), False


def _describe_connection_error(
    exc: requests.exceptions.ConnectionError, url: str
) -> tuple[WeatherError, bool]:
    """Classify a ``ConnectionError`` by the urllib3/OS error it wraps."""
    host = host_of(url)
    causes = list(_causes(exc))
    if any(isinstance(c, NameResolutionError) for c in causes):
        hostname = urlsplit(url).hostname or host
        return WeatherNetworkError(f"no network: could not resolve {hostname}"), False
    errnos = {c.errno for c in causes if isinstance(c, OSError) and c.errno}
    if errno.ECONNREFUSED in errnos or any(
        isinstance(c, ConnectionRefusedError) for c in causes
    ):
        return WeatherNetworkError(f"connection refused by {host}"), True
    if errnos & {errno.ENETUNREACH, errno.EHOSTUNREACH}:
        return WeatherNetworkError(f"no network: {host} is unreachable"), False
    if any(isinstance(c, NewConnectionError) for c in causes):
        return WeatherNetworkError(f"could not connect to {host}"), True
    if any(isinstance(c, ProtocolError | ConnectionResetError) for c in causes):
        message = f"connection to {host} closed before a complete response"
        return WeatherNetworkError(message), True
    return WeatherNetworkError(f"could not connect to {host}"), True


def describe_http_error(
    response: requests.Response, url: str, *, with_key: bool
) -> tuple[WeatherError, bool]:
    """Turn a non-200 response into a one-line weather error.

    Open-Meteo's ``reason`` and OpenWeatherMap's ``message`` are shown (redacted,
    one line), except for 401/403 on a keyed request, which says "invalid API
    key". Returns the error and whether another attempt may help.
    """
    status = response.status_code
    host = host_of(url)
    try:
        detail = error_detail(response.json())
    except ValueError:
        detail = None
    retry = status in RETRY_STATUSES
    if with_key and status in (401, 403):
        message = f"invalid API key (HTTP {status})"
    elif status == 429:
        message = f"rate limit or quota exceeded (HTTP 429 from {host})"
    elif 300 <= status < 400:
        message = f"unexpected redirect (HTTP {status}) from {host}: check the base URL"
    else:
        message = f"HTTP {status} from {host}" + (f": {detail}" if detail else "")
    return WeatherHTTPError(message, status_code=status), retry


def with_attempts(error: WeatherError, attempts: int) -> WeatherError:
    """Return a copy of ``error`` saying ``(after N attempts)``; itself when N is 1."""
    if attempts <= 1:
        return error
    message = f"{error} (after {attempts} attempts)"
    if isinstance(error, WeatherHTTPError):
        return WeatherHTTPError(message, status_code=error.status_code)
    return type(error)(message)
