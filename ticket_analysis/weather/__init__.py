"""Current weather at the team's location, for the report.

Besides the package's own config and exceptions, only ``requests``,
``requests_cache``, ``urllib3`` and the standard library are imported (no
pandas, matplotlib or Jupyter): the CLI imports this package at startup.

Entry points:

- :func:`weather_section` — the report's ``weather`` object; never raises.
- :class:`WeatherClient` — fetch a typed :class:`WeatherResult` (raises
  :class:`~ticket_analysis.exceptions.WeatherError` subclasses).
- :func:`install_secret_redaction` — mask the API key in every log line of
  urllib3, requests, requests-cache and this package.

Modules::

    weather/
    ├── section.py     weather_section, empty_section (the summary.json object)
    ├── client.py      WeatherClient (location, deadline, retries, stale cache)
    ├── transport.py   cached session, RetryPolicy, error classification
    ├── parsing.py     strict JSON validation of each provider's body
    ├── model.py       Location, WeatherResult, WMO code table
    └── redaction.py   redact(), SecretRedactingFilter
"""

import importlib
from typing import Any

# Names are imported on first use (PEP 562), so that a run with the weather
# switched off never loads requests, urllib3 or requests-cache.
_EXPORTS = {
    "NO_LOCATION_REASON": "client",
    "WeatherClient": "client",
    "ATTRIBUTIONS": "model",
    "OPEN_METEO": "model",
    "OPENWEATHERMAP": "model",
    "Location": "model",
    "WeatherResult": "model",
    "describe_wmo_code": "model",
    "SecretRedactingFilter": "redaction",
    "install_secret_redaction": "redaction",
    "redact": "redaction",
    "empty_section": "section",
    "weather_section": "section",
    "CACHE_FILE_NAME": "transport",
    "RetryPolicy": "transport",
    "build_session": "transport",
}


def __getattr__(name: str) -> Any:
    """Import an exported name from its submodule on first use."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


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
