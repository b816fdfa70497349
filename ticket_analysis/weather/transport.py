"""HTTP plumbing of the weather client: the cached session, retries, error messages.

Messages name the host, never the URL (its query may hold the API key) nor
``str(exc)`` of a requests exception.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

import requests
import requests_cache
from requests.adapters import HTTPAdapter
from requests.exceptions import InvalidSchema, InvalidURL, MissingSchema
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
from ticket_analysis.weather.model import error_detail

logger = logging.getLogger(__name__)

#: File name of the SQLite response cache inside ``WeatherSettings.cache_dir``.
CACHE_FILE_NAME: Final = "weather_cache.sqlite"
#: An attempt is not started with less read time than this left in the budget.
MIN_READ_SECONDS: Final = 0.05


@dataclass(frozen=True)
class RetryPolicy:
    """Timeouts and retries of the weather step.

    Only connection failures (refused, reset, connect timeout) and HTTP
    500/502/503/504 are retried; DNS failures, read timeouts and 4xx are not.

    Attributes:
        connect_timeout: Seconds; capped at the read timeout.
        max_attempts: Attempts per request (1 = no retry).
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
        """Return the step's budget: attempts x (connect + read) + the pauses."""
        pauses = sum(self.backoff(n) for n in range(1, self.max_attempts))
        return self.max_attempts * sum(self.timeouts(read_timeout)) + pauses


def build_session(settings: WeatherSettings) -> requests.Session:
    """Return a session caching 200s in SQLite (without ``appid``), else uncached.

    urllib3 never retries (the client does) and a read timeout stays a
    ``ReadTimeout``; when the cache cannot be opened, one warning says why.
    """
    path = settings.cache_dir / CACHE_FILE_NAME
    session: requests.Session
    try:
        settings.cache_dir.mkdir(parents=True, exist_ok=True)
        session = requests_cache.CachedSession(
            str(path),
            backend="sqlite",
            expire_after=settings.cache_ttl_seconds,
            allowable_codes=(200,),
            allowable_methods=("GET",),
            ignored_parameters=(*requests_cache.DEFAULT_IGNORED_PARAMS, "appid"),
            match_headers=False,
            stale_if_error=False,
        )
        len(session.cache.responses)  # open the database now, not mid-request
    except (OSError, sqlite3.Error) as exc:
        logger.warning(
            "weather cache disabled: cannot use %s (%s); fetching uncached",
            path,
            type(exc).__name__,
        )
        session = requests.Session()
    retry = Retry(
        total=0, read=False, raise_on_status=False, respect_retry_after_header=False
    )
    adapter = HTTPAdapter(max_retries=retry, pool_connections=2, pool_maxsize=2)
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


def seconds(value: float) -> str:
    """Format seconds for a message, three significant digits: ``5``, ``14.5``."""
    return f"{value:.3g}"


def _causes(exc: BaseException) -> list[BaseException]:
    """Return ``exc`` and every exception it wraps (reason, cause, context, args)."""
    found: list[BaseException] = []
    queue: list[Any] = [exc]
    while queue:
        item = queue.pop(0)
        if isinstance(item, BaseException) and all(item is not f for f in found):
            found.append(item)
            reason = getattr(item, "reason", None)
            queue += [reason, item.__cause__, item.__context__, *item.args]
    return found


def describe_request_error(
    exc: requests.RequestException, url: str, timeouts: tuple[float, float]
) -> tuple[WeatherError, bool]:
    """Return a one-line weather error (naming only the host) and whether to retry."""
    host, causes = host_of(url), _causes(exc)
    errnos = {c.errno for c in causes if isinstance(c, OSError) and c.errno}

    def wraps(*types: type[BaseException]) -> bool:
        return any(isinstance(c, types) for c in causes)

    read_timeout = f"timed out after {seconds(timeouts[1])} s waiting for {host}"
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        message = f"timed out after {seconds(timeouts[0])} s connecting to {host}"
        return WeatherTimeoutError(message), True
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return WeatherTimeoutError(read_timeout), False
    if isinstance(exc, requests.exceptions.SSLError):
        message = f"TLS error talking to {host}: check the base URL and certificates"
        return WeatherNetworkError(message), False
    if isinstance(exc, requests.exceptions.ProxyError):
        return WeatherNetworkError(f"proxy error reaching {host}"), False
    if isinstance(exc, requests.exceptions.ConnectionError):
        if wraps(ReadTimeoutError):  # the body stalled after the headers
            return WeatherTimeoutError(read_timeout), False
        if wraps(NameResolutionError):
            hostname = urlsplit(url).hostname or host
            message = f"no network: could not resolve {hostname}"
            return WeatherNetworkError(message), False
        if errno.ECONNREFUSED in errnos or wraps(ConnectionRefusedError):
            return WeatherNetworkError(f"connection refused by {host}"), True
        if errnos & {errno.ENETUNREACH, errno.EHOSTUNREACH}:
            return WeatherNetworkError(f"no network: {host} is unreachable"), False
        if not wraps(NewConnectionError) and wraps(ProtocolError, ConnectionResetError):
            message = f"connection to {host} closed before a complete response"
            return WeatherNetworkError(message), True
        return WeatherNetworkError(f"could not connect to {host}"), True
    if isinstance(exc, InvalidURL | MissingSchema | InvalidSchema):
        return WeatherConfigError(f"invalid weather service URL for {host}"), False
    message = f"request to {host} failed ({type(exc).__name__})"
    return WeatherNetworkError(message), False


def describe_http_error(
    response: requests.Response, url: str, *, with_key: bool
) -> tuple[WeatherError, bool]:
    """Return a one-line weather error for a non-200 response and whether to retry."""
    status, host = response.status_code, host_of(url)
    if with_key and status in (401, 403):
        message = f"invalid API key (HTTP {status})"
    elif status == 429:
        message = f"rate limit or quota exceeded (HTTP 429 from {host})"
    elif 300 <= status < 400:
        message = f"unexpected redirect (HTTP {status}) from {host}: check the base URL"
    else:
        try:
            detail = error_detail(response.json())
        except ValueError:
            detail = None
        message = f"HTTP {status} from {host}" + (f": {detail}" if detail else "")
    return WeatherHTTPError(message, status_code=status), status in (500, 502, 503, 504)
