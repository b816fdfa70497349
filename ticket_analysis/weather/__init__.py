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

from ticket_analysis.weather.client import NO_LOCATION_REASON, WeatherClient
from ticket_analysis.weather.model import (
    ATTRIBUTIONS,
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
from ticket_analysis.weather.section import empty_section, weather_section
from ticket_analysis.weather.transport import (
    CACHE_FILE_NAME,
    RetryPolicy,
    build_session,
)

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
