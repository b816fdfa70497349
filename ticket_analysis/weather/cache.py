"""Reading and repairing the client's requests-cache entries.

The client looks up a request's stored response before asking the network, so
that an expired entry can stand in when the live request fails, and removes a
body that failed validation (putting back the entry it overwrote), so that it
is never served later. Sessions without a cache (a caller's plain
``requests.Session``) have no entries: every function then does nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

import requests
import requests_cache
from requests_cache.models.response import CachedResponse


def stored_entry(
    session: requests.Session, url: str, params: dict[str, str]
) -> tuple[str | None, CachedResponse | None]:
    """Return the cache key of a GET and its stored response (even expired)."""
    if not isinstance(session, requests_cache.CachedSession):
        return None, None
    prepared = session.prepare_request(requests.Request("GET", url, params=params))
    key: str = session.cache.create_key(prepared)
    return key, session.cache.get_response(key)


def forget(
    session: requests.Session, key: str | None, previous: CachedResponse | None
) -> None:
    """Delete an invalid cached body, restoring the entry it overwrote."""
    if key is None or not isinstance(session, requests_cache.CachedSession):
        return
    session.cache.delete(key)
    if previous is not None:
        session.cache.responses[key] = previous


def from_cache(response: requests.Response) -> bool:
    """Tell whether requests-cache served the response from its cache."""
    return bool(getattr(response, "from_cache", False))


def created_at(response: requests.Response | CachedResponse) -> datetime:
    """Return when a cached response was fetched, in UTC (now if unknown)."""
    moment: datetime | None = getattr(response, "created_at", None)
    if moment is None:
        return datetime.now(UTC)
    # requests-cache may store a naive UTC time
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
