"""Settings: defaults in code, then ``.env``, then the environment, then CLI flags.

Nothing is read at import time: :func:`load_settings` reads the ``.env`` file and the
environment when it is called. Each bad value raises :class:`UsageError` naming the
variable and the value expected. ``.env.example`` documents every variable.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from dotenv import dotenv_values

from ticket_analysis.dates import RANGE_TEXT, in_range
from ticket_analysis.domain import DEFAULT_SLA_TARGETS_DAYS, PRIORITIES
from ticket_analysis.exceptions import UsageError
from ticket_analysis.findings import FindingThresholds

logger = logging.getLogger(__name__)

#: The project's root folder (the one holding ``data/`` and ``reports/``).
PROJ_ROOT = Path(__file__).resolve().parents[1]

T = TypeVar("T")


@dataclass(frozen=True)
class WeatherSettings:
    """How to fetch the current weather for the report.

    Attributes:
        enabled: False turns the weather step off (status ``disabled``).
        latitude: Latitude of the team's location, if set directly.
        longitude: Longitude of the team's location, if set directly.
        location: A place name resolved through Open-Meteo's geocoding API.
        location_name: Display name used with explicit coordinates.
        openweather_api_key: OpenWeatherMap key; when set that provider is used.
        open_meteo_base_url: Scheme and host (optional path prefix) of Open-Meteo.
        open_meteo_geocoding_url: Scheme and host of Open-Meteo's geocoding API.
        openweather_base_url: Scheme and host of OpenWeatherMap.
        timeout_seconds: Read timeout of one HTTP request, in seconds.
        cache_dir: Folder of the SQLite response cache.
        cache_ttl_seconds: How long a cached response counts as fresh.
    """

    enabled: bool = True
    latitude: float | None = None
    longitude: float | None = None
    location: str | None = None
    location_name: str | None = None
    openweather_api_key: str | None = field(default=None, repr=False)
    open_meteo_base_url: str = "https://api.open-meteo.com"
    open_meteo_geocoding_url: str = "https://geocoding-api.open-meteo.com"
    openweather_base_url: str = "https://api.openweathermap.org"
    timeout_seconds: float = 3.0
    cache_dir: Path = field(default_factory=lambda: _default_cache_dir())
    cache_ttl_seconds: int = 900


@dataclass(frozen=True)
class Settings:
    """Every parameter of one report run.

    Attributes:
        input_path: The ticket CSV export.
        output_dir: Where the report files are written.
        as_of: Reference date of the report; None means derived from the data.
        open_days: Open tickets older than this many days are flagged.
        escalation_threshold: Customers with more tickets than this are flagged.
        top_words: How many subject words to list.
        list_limit: Cap on growing lists in summary.json (0 = no cap).
        sla_targets_days: Resolution target in days for each priority.
        extra_stop_words: Words ignored by the subject word count, on top of the
            shipped English list.
        max_reject_rate: Fail (exit 3) when more than this share of rows is
            rejected; None disables the gate.
        log_level: Logging level name.
        weather: Weather settings.
        findings: Boundaries at which the report's findings fire.
    """

    input_path: Path = field(
        default_factory=lambda: PROJ_ROOT / "data" / "tickets_sample.csv"
    )
    output_dir: Path = field(default_factory=lambda: PROJ_ROOT / "reports")
    as_of: date | None = None
    open_days: int = 7
    escalation_threshold: int = 5
    top_words: int = 10
    list_limit: int = 100
    sla_targets_days: dict[str, int] = field(
        default_factory=lambda: dict(DEFAULT_SLA_TARGETS_DAYS)
    )
    extra_stop_words: tuple[str, ...] = ()
    max_reject_rate: float | None = None
    log_level: str = "INFO"
    weather: WeatherSettings = field(default_factory=WeatherSettings)
    findings: FindingThresholds = field(default_factory=FindingThresholds)


def _default_cache_dir() -> Path:
    """Return the per-user cache folder (XDG on Linux, ``~/.cache`` otherwise)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ticket-analysis"


# --- parsers: each takes the raw text and the variable name, raises UsageError ---


#: Upper bounds of whole-number settings. Past them a value means nothing (the
#: supported dates span 1970-2099), and an unbounded one overflowed in C code
#: (``--top-words 99999999999999999999`` was exit 1).
MAX_DAYS = 36_500  # 100 years
MAX_COUNT = 1_000_000_000  # a number of tickets, records or customers
MAX_LIST = 100_000  # entries listed in a report
MAX_TTL_SECONDS = 31_536_000  # a year
MAX_TIMEOUT_SECONDS = 600.0


def parse_int(
    value: str, name: str, *, minimum: int = 0, maximum: int = MAX_COUNT
) -> int:
    """Parse a whole number between ``minimum`` and ``maximum``.

    Raises:
        UsageError: If the text is not a whole number in range.
    """
    text = value.strip()
    if not re.fullmatch(r"[+-]?\d{1,20}", text) or not (
        minimum <= int(text) <= maximum
    ):
        raise UsageError(
            f"{name}={value!r} is not valid: expected a whole number "
            f"from {minimum} to {maximum}"
        )
    return int(text)


def parse_days(value: str, name: str) -> int:
    """Parse a number of days (0 to :data:`MAX_DAYS`)."""
    return parse_int(value, name, maximum=MAX_DAYS)


def parse_list_size(value: str, name: str) -> int:
    """Parse how many entries to list (0 to :data:`MAX_LIST`)."""
    return parse_int(value, name, maximum=MAX_LIST)


def _parse_ttl(value: str, name: str) -> int:
    """Parse a cache lifetime in seconds (0 to :data:`MAX_TTL_SECONDS`)."""
    return parse_int(value, name, maximum=MAX_TTL_SECONDS)


def parse_timeout(value: str, name: str) -> float:
    """Parse a timeout in seconds, above 0 and at most :data:`MAX_TIMEOUT_SECONDS`.

    Raises:
        UsageError: If the text is not a number in range (NaN, inf included).
    """
    try:
        number = float(value.strip())
    except ValueError:
        number = float("nan")
    if not (0 < number <= MAX_TIMEOUT_SECONDS):
        raise UsageError(
            f"{name}={value!r} is not valid: expected seconds above 0 and at most "
            f"{MAX_TIMEOUT_SECONDS:g}"
        )
    return number


def parse_rate(value: str, name: str) -> float:
    """Parse a share between 0 and 1, given as ``0.05`` or ``5%``.

    Raises:
        UsageError: If the text is not a share between 0 and 1 (0% and 100%).
    """
    rate = _fraction(value)
    if not (0.0 <= rate <= 1.0):
        raise UsageError(
            f"{name}={value!r} is not valid: expected a share between 0 and 1 "
            "(for example 0.05 or 5%)"
        )
    return rate


def parse_change(value: str, name: str) -> float:
    """Parse a relative change of at least 0, given as ``0.25`` or ``25%``.

    Raises:
        UsageError: If the text is not a number >= 0.
    """
    change = _fraction(value)
    if not (0.0 <= change < float("inf")):
        raise UsageError(
            f"{name}={value!r} is not valid: expected a change >= 0 "
            "(for example 0.25 or 25%)"
        )
    return change


def _fraction(value: str) -> float:
    """Read ``0.25`` or ``25%`` as 0.25; NaN when it is not a number."""
    text = value.strip()
    scale = 100.0 if text.endswith("%") else 1.0
    try:
        return float(text.removesuffix("%")) / scale
    except ValueError:
        return float("nan")


def parse_date(value: str, name: str) -> date:
    """Parse a strict ``YYYY-MM-DD`` calendar date in the supported range.

    Args:
        value: The raw text.
        name: Variable or flag name, for the error message.

    Returns:
        The date.

    Raises:
        UsageError: If the text is not a real YYYY-MM-DD date, or lies outside
            the supported range (``ticket_analysis.dates``).
    """
    text = value.strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        # A year Python's date cannot hold (0000) is out of range, not unreal.
        day = date.fromisoformat(text) if int(text[:4]) else None
    except ValueError:
        raise UsageError(
            f"{name}={value!r} is not valid: expected a real date as YYYY-MM-DD"
        ) from None
    if day is None or not in_range(day):
        raise UsageError(
            f"{name}={value!r} is not valid: "
            f"expected a date in the supported range {RANGE_TEXT}"
        )
    return day


def parse_bool(value: str, name: str) -> bool:
    """Parse a yes/no switch (true/false, yes/no, on/off, 1/0).

    Raises:
        UsageError: If the text is not one of the accepted words.
    """
    text = value.strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise UsageError(f"{name}={value!r} is not valid: expected true or false")


def parse_latitude(value: str, name: str) -> float:
    """Parse a latitude in degrees (-90 to 90).

    Raises:
        UsageError: If the text is not a number in range.
    """
    return _parse_degrees(value, name, 90.0)


def parse_longitude(value: str, name: str) -> float:
    """Parse a longitude in degrees (-180 to 180).

    Raises:
        UsageError: If the text is not a number in range.
    """
    return _parse_degrees(value, name, 180.0)


def _parse_degrees(value: str, name: str, limit: float) -> float:
    """Parse a number of degrees within ``[-limit, limit]``."""
    try:
        number = float(value.strip())
    except ValueError:
        number = float("nan")
    if not (-limit <= number <= limit):
        raise UsageError(
            f"{name}={value!r} is not valid: expected degrees between "
            f"{-limit:g} and {limit:g}"
        )
    return number


def parse_sla_targets(value: str, name: str) -> dict[str, int]:
    """Parse SLA targets such as ``Critical=1,High=3`` (unnamed keep defaults).

    Args:
        value: The raw text: comma-separated ``Priority=days`` pairs.
        name: Variable or flag name, for the error message.

    Returns:
        Targets in days for all four priorities.

    Raises:
        UsageError: If a pair is malformed, names an unknown priority, or the
            number of days is not a whole number from 0 to :data:`MAX_DAYS`.
    """
    targets = dict(DEFAULT_SLA_TARGETS_DAYS)
    by_lower = {p.lower(): p for p in PRIORITIES}
    for part in filter(None, (p.strip() for p in value.split(","))):
        key, sep, days = part.partition("=")
        priority = by_lower.get(key.strip().lower())
        if not sep or priority is None:
            raise UsageError(
                f"{name}={value!r} is not valid: expected pairs like "
                "'Critical=1,High=3,Medium=7,Low=14' "
                f"(priorities: {', '.join(PRIORITIES)})"
            )
        targets[priority] = parse_days(days, f"{name} ({priority})")
    return targets


def parse_words(value: str, name: str) -> tuple[str, ...]:
    """Parse a comma-separated word list into lower-case words."""
    del name
    return tuple(w.strip().lower() for w in value.split(",") if w.strip())


def parse_log_level(value: str, name: str) -> str:
    """Parse a logging level name.

    Raises:
        UsageError: If the level is not DEBUG, INFO, WARNING, ERROR or CRITICAL.
    """
    level = value.strip().upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise UsageError(
            f"{name}={value!r} is not valid: expected DEBUG, INFO, WARNING, "
            "ERROR or CRITICAL"
        )
    return level


def _text(value: str, name: str) -> str | None:
    """Return the stripped text, or None when empty."""
    del name
    return value.strip() or None


def _url(value: str, name: str) -> str:
    """Return a base URL without its trailing slash, checking its scheme."""
    text = value.strip().rstrip("/")
    if not re.match(r"https?://[^/\s]+", text):
        raise UsageError(
            f"{name}={value!r} is not valid: expected a base URL such as "
            "https://api.open-meteo.com"
        )
    return text


def parse_path(value: str, name: str) -> Path:
    """Return the path, expanding ``~``; refuse an empty one or one not UTF-8.

    A path that is not UTF-8 text (undecodable bytes from the command line) could
    not be named in summary.json, and a NUL byte in no path at all.
    """
    text = value.strip()
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = "\0"
    if not text or "\0" in text:
        raise UsageError(
            f"{name}={value!r} is not valid: expected a path in UTF-8 text"
        )
    return Path(text).expanduser()


# Environment variable -> (settings field, parser). Weather fields go to .weather.
_SETTINGS_VARS: dict[str, tuple[str, Callable[[str, str], Any]]] = {
    "TICKETS_INPUT": ("input_path", parse_path),
    "REPORTS_DIR": ("output_dir", parse_path),
    "REPORT_AS_OF": ("as_of", parse_date),
    "OPEN_DAYS": ("open_days", parse_days),
    "ESCALATION_THRESHOLD": ("escalation_threshold", parse_int),
    "TOP_WORDS": ("top_words", parse_list_size),
    "LIST_LIMIT": ("list_limit", parse_list_size),
    "SLA_TARGETS_DAYS": ("sla_targets_days", parse_sla_targets),
    "EXTRA_STOP_WORDS": ("extra_stop_words", parse_words),
    "MAX_REJECT_RATE": ("max_reject_rate", parse_rate),
    "LOG_LEVEL": ("log_level", parse_log_level),
}
_WEATHER_VARS: dict[str, tuple[str, Callable[[str, str], Any]]] = {
    "WEATHER_ENABLED": ("enabled", parse_bool),
    "WEATHER_LATITUDE": ("latitude", parse_latitude),
    "WEATHER_LONGITUDE": ("longitude", parse_longitude),
    "WEATHER_LOCATION": ("location", _text),
    "WEATHER_LOCATION_NAME": ("location_name", _text),
    "OPENWEATHER_API_KEY": ("openweather_api_key", _text),
    "OPEN_METEO_BASE_URL": ("open_meteo_base_url", _url),
    "OPEN_METEO_GEOCODING_URL": ("open_meteo_geocoding_url", _url),
    "OPENWEATHER_BASE_URL": ("openweather_base_url", _url),
    "WEATHER_TIMEOUT_SECONDS": ("timeout_seconds", parse_timeout),
    "WEATHER_CACHE_DIR": ("cache_dir", parse_path),
    "WEATHER_CACHE_TTL_SECONDS": ("cache_ttl_seconds", _parse_ttl),
}
_FINDING_VARS: dict[str, tuple[str, Callable[[str, str], Any]]] = {
    "FINDING_SLA_BREACH_RATE": ("sla_breach_rate", parse_rate),
    "FINDING_SLA_MIN_RESOLVED": ("sla_min_resolved", parse_int),
    "FINDING_BACKLOG_TICKETS": ("backlog_tickets", parse_int),
    "FINDING_AGENT_OPEN_SHARE": ("agent_open_share", parse_rate),
    "FINDING_AGENT_MIN_OPEN": ("agent_min_open", parse_int),
    "FINDING_VOLUME_CHANGE": ("volume_change", parse_change),
    "FINDING_VOLUME_MIN_TICKETS": ("volume_min_tickets", parse_int),
    "FINDING_REJECT_RATE": ("reject_rate", parse_rate),
    "FINDING_MAX_NAMED_CUSTOMERS": ("max_named_customers", parse_list_size),
}
#: Every variable the package reads (``.env.example`` documents each one).
ENV_VARS = (*_SETTINGS_VARS, *_WEATHER_VARS, *_FINDING_VARS)
#: Path variables: relative in ``.env`` means relative to that file's folder.
_PATH_VARS = ("TICKETS_INPUT", "REPORTS_DIR", "WEATHER_CACHE_DIR")


def read_environment(
    env_file: Path | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Merge the ``.env`` file and the environment (the environment wins).

    Args:
        env_file: The dotenv file; defaults to ``.env`` in the current folder,
            or in the project root when the current folder has none.
        environ: The environment; defaults to ``os.environ``.

    Returns:
        The non-empty values of the variables the package knows; a relative
        path in ``.env`` is made relative to the file's folder, not the cwd.

    Raises:
        UsageError: If the ``.env`` file cannot be read as UTF-8 text.
    """
    if env_file is None:
        candidates = [Path.cwd() / ".env", PROJ_ROOT / ".env"]
        env_file = next((p for p in candidates if p.is_file()), None)
    merged: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        logger.debug("reading settings from %s", env_file)
        try:
            values = dotenv_values(env_file, encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read {env_file} as UTF-8 text: {exc}") from exc
        merged.update({k: v for k, v in values.items() if v is not None})
        for var in _PATH_VARS:
            if merged.get(var, "").strip():
                path = Path(merged[var].strip()).expanduser()
                merged[var] = str(env_file.resolve().parent / path)
    merged.update(os.environ if environ is None else environ)
    return {k: v for k, v in merged.items() if k in ENV_VARS and v.strip()}


def _apply(
    target: T,
    table: Mapping[str, tuple[str, Callable[[str, str], Any]]],
    raw: Mapping[str, str],
) -> T:
    """Return ``target`` with each variable of ``table`` found in ``raw`` applied."""
    changes = {
        attr: parser(raw[var], var)
        for var, (attr, parser) in table.items()
        if var in raw
    }
    return replace(target, **changes)  # type: ignore[type-var]


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    env_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Build the settings of one run.

    Precedence, lowest first: defaults in code, the ``.env`` file, environment
    variables, then ``overrides`` (already-typed CLI flag values; None values are
    ignored so an absent flag never masks a variable).

    Args:
        overrides: Typed values keyed by :class:`Settings` field name; the key
            ``weather_enabled`` switches the weather off or on.
        env_file: Dotenv file to read (see :func:`read_environment`).
        environ: Environment mapping; defaults to ``os.environ``.

    Returns:
        The settings.

    Raises:
        UsageError: If a variable or override has an invalid value.
    """
    raw = read_environment(env_file, environ)
    weather = _apply(WeatherSettings(), _WEATHER_VARS, raw)
    findings = _apply(FindingThresholds(), _FINDING_VARS, raw)
    settings = _apply(Settings(weather=weather, findings=findings), _SETTINGS_VARS, raw)
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    if "weather_enabled" in given:
        weather = replace(weather, enabled=bool(given.pop("weather_enabled")))
        settings = replace(settings, weather=weather)
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(given) - known)
    if unknown:
        raise UsageError(f"unknown setting(s): {', '.join(unknown)}")
    return replace(settings, **given)
