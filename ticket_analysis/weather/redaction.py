"""Keep the OpenWeatherMap API key out of messages and log records.

The key travels in the query string, so it shows wherever a URL does (urllib3's
and requests-cache's debug lines, ``Response.url``, requests' exception texts).
"""

from __future__ import annotations

import logging
import re
import threading
from urllib.parse import quote, quote_plus

#: What a redacted secret is replaced with.
MASK = "***"
#: Loggers whose records (and their children's) may hold a request URL.
PROTECTED_LOGGER_PREFIXES = ("urllib3", "requests", "requests_cache", "ticket_analysis")
# A filter sees only its own logger's records, so each module logger is named.
_KNOWN_LOGGERS = (
    *PROTECTED_LOGGER_PREFIXES,
    *(f"urllib3.{m}" for m in ("connectionpool", "connection", "poolmanager")),
    *(f"urllib3.{m}" for m in ("response", "util.retry")),
    *(f"requests_cache.{m}" for m in ("session", "policy.actions")),
    *(f"requests_cache.backends.{m}" for m in ("base", "sqlite")),
)
_SECRET_PARAM = re.compile(
    r"(?i)\b(appid|api_?key|access_token|token|key)=([^&\s'\"<>]+)"
)
_lock = threading.Lock()
_secrets: set[str] = set()


def redact(text: str) -> str:
    """Mask each registered secret (raw or URL-encoded) and credential parameter.

    ``appid=``, ``apikey=``, ``api_key=``, ``access_token=``, ``token=`` and
    ``key=`` values are masked even when no secret is registered.
    """
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
            text = text.replace(form, MASK)
    return _SECRET_PARAM.sub(rf"\1={MASK}", text)


class SecretRedactingFilter(logging.Filter):
    """Mask secrets in a record's message, traceback and stack; never drop it.

    The traceback is kept only as redacted ``exc_text``: the exception object
    itself (which handlers would format again) may hold the key.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact ``record`` in place; always True."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed call: keep the raw template
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info:
            formatted = logging.Formatter().formatException(record.exc_info)
            record.exc_text, record.exc_info = redact(formatted), None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_FILTER = SecretRedactingFilter()


def install_secret_redaction(secret: str | None = None) -> None:
    """Register ``secret`` and add the filter (once) to every logger that may see it.

    Call it after the HTTP libraries are imported, so that their loggers exist.
    """
    if secret and secret.strip():
        with _lock:
            _secrets.add(secret.strip())
    existing = [
        name
        for name in list(logging.root.manager.loggerDict)
        if name.split(".")[0] in PROTECTED_LOGGER_PREFIXES
    ]
    for name in sorted({*_KNOWN_LOGGERS, *existing}):
        target = logging.getLogger(name)
        if _FILTER not in target.filters:
            target.addFilter(_FILTER)
