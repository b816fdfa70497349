"""Keep the OpenWeatherMap API key out of log lines and messages.

The key travels in the query string (``appid=...``), so it shows up wherever a
URL does: urllib3's debug line for every request, requests-cache's debug lines,
``Response.url`` and the text of requests' exceptions. The weather code never
puts a URL or ``str(exc)`` into a message; this module is the second line of
defence for everything else: :func:`redact` scrubs a string and
:class:`SecretRedactingFilter`, installed by :func:`install_secret_redaction`,
scrubs every record of the loggers that may see a URL (``urllib3``,
``requests``, ``requests_cache`` and this package), including tracebacks.
"""

from __future__ import annotations

import logging
import re
import threading
from urllib.parse import quote, quote_plus

logger = logging.getLogger(__name__)

#: What a redacted secret is replaced with.
MASK = "***"

#: Logger names whose records may contain a request URL. A filter on a logger
#: only sees records created by that very logger (not its children), so each
#: module logger is listed, and :func:`install_secret_redaction` also covers
#: every already-created logger below these prefixes.
PROTECTED_LOGGER_PREFIXES = ("urllib3", "requests", "requests_cache", "ticket_analysis")
_KNOWN_LOGGERS = (
    "urllib3",
    "urllib3.connectionpool",
    "urllib3.connection",
    "urllib3.poolmanager",
    "urllib3.response",
    "urllib3.util.retry",
    "requests",
    "requests_cache",
    "requests_cache.session",
    "requests_cache.policy.actions",
    "requests_cache.backends.base",
    "requests_cache.backends.sqlite",
    "ticket_analysis",
)

# Query parameters that carry credentials, whatever their value.
_SECRET_PARAM = re.compile(
    r"(?i)\b(appid|api_?key|access_token|token|key)=([^&\s'\"<>]+)"
)

_lock = threading.Lock()
_secrets: set[str] = set()


def redact(text: str) -> str:
    """Return ``text`` with every registered secret and credential parameter masked.

    Credential query parameters (``appid=``, ``apikey=``, ``api_key=``,
    ``access_token=``, ``token=``, ``key=``) are masked even when no secret is
    registered, so a URL is safe to show after this call.
    """
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
            text = text.replace(form, MASK)
    return _SECRET_PARAM.sub(rf"\1={MASK}", text)


class SecretRedactingFilter(logging.Filter):
    """A logging filter that masks secrets in a record before any handler sees it.

    The message is merged with its arguments and redacted; a traceback
    (``exc_info``) is formatted, redacted and kept as ``exc_text`` only, because
    the exception object itself (which handlers would format again) may hold the
    key in its message. The filter never drops a record.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact ``record`` in place; always True (the record is kept)."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed call: keep the raw template
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info:
            record.exc_text = redact(
                logging.Formatter().formatException(record.exc_info)
            )
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_FILTER = SecretRedactingFilter()


def install_secret_redaction(secret: str | None = None) -> None:
    """Register a secret and install the redacting filter on the HTTP loggers.

    Safe to call more than once (the filter is added once per logger). Call it
    after the HTTP libraries are imported, as the weather client does when it is
    built with an API key; the CLI may call it early with the configured key.
    Without a ``secret`` it only (re)installs the filter, which still masks
    credential parameters.
    """
    if secret and secret.strip():
        with _lock:
            _secrets.add(secret.strip())
    names = set(_KNOWN_LOGGERS)
    names.update(
        name
        for name in list(logging.root.manager.loggerDict)
        if name.split(".")[0] in PROTECTED_LOGGER_PREFIXES
    )
    for name in sorted(names):
        target = logging.getLogger(name)
        if _FILTER not in target.filters:
            target.addFilter(_FILTER)
