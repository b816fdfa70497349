"""Settings: defaults in code, then ``.env``, then the environment, then CLI flags.

Nothing is read at import: :func:`load_settings` reads ``.env`` and the environment.
The settings are pydantic models whose fields name their variable and convert its
text; bad values raise one :class:`UsageError` line naming each variable, its value
and what is expected. ``.env.example`` documents every variable.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Mapping
from datetime import date
from functools import partial
from pathlib import Path
from typing import Annotated, Any, TypeVar

from dotenv import dotenv_values
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from ticket_analysis.dates import RANGE_TEXT, in_range
from ticket_analysis.domain import DEFAULT_SLA_TARGETS_DAYS, PRIORITIES
from ticket_analysis.exceptions import UsageError
from ticket_analysis.report.findings import FindingThresholds

logger = logging.getLogger(__name__)

#: The folder above the package; in a checkout, the one holding ``.env``.
PROJ_ROOT = Path(__file__).resolve().parents[1]

T = TypeVar("T")

#: Upper bounds: past them a value means nothing (dates span 1970-2099), and an
#: unbounded one overflowed in C code (``--top-words 99999999999999999999``).
MAX_DAYS = 36_500  # 100 years
MAX_COUNT = 1_000_000_000  # a number of tickets, records or customers
MAX_LIST = 100_000  # entries listed in a report
MAX_TTL_SECONDS = 31_536_000  # a year
MAX_TIMEOUT_SECONDS = 600.0

# --- converters: text -> value; a ValueError says what was expected ---


def _whole(text: str, minimum: int = 0, maximum: int = MAX_COUNT) -> int:
    """Read a whole number between ``minimum`` and ``maximum``."""
    text = text.strip()
    # At most 20 digits: int() of a huge string is slow and means nothing here.
    if not re.fullmatch(r"[+-]?\d{1,20}", text) or not minimum <= int(text) <= maximum:
        raise ValueError(f"expected a whole number from {minimum} to {maximum}")
    return int(text)


def _checked(
    ok: Callable[[float], bool], expected: str, percent: bool = False
) -> Callable[[str], float]:
    """Return a converter of a number ``ok`` accepts (``25%`` is 0.25 if percent)."""

    def convert(text: str) -> float:
        text = text.strip()
        scale = 100.0 if percent and text.endswith("%") else 1.0
        try:
            number = float(text.removesuffix("%") if percent else text) / scale
        except ValueError:
            number = float("nan")  # which ``ok`` never accepts
        if not ok(number):
            raise ValueError(f"expected {expected}")
        return number

    return convert


_seconds = _checked(
    lambda x: 0 < x <= MAX_TIMEOUT_SECONDS,
    f"seconds above 0 and at most {MAX_TIMEOUT_SECONDS:g}",
)
_share = _checked(
    lambda x: 0 <= x <= 1, "a share between 0 and 1 (for example 0.05 or 5%)", True
)
_change = _checked(
    lambda x: 0 <= x < float("inf"), "a change >= 0 (for example 0.25 or 25%)", True
)
_latitude = _checked(lambda x: -90 <= x <= 90, "degrees between -90 and 90")
_longitude = _checked(lambda x: -180 <= x <= 180, "degrees between -180 and 180")
_days = partial(_whole, maximum=MAX_DAYS)
_list_size = partial(_whole, maximum=MAX_LIST)
_ttl = partial(_whole, maximum=MAX_TTL_SECONDS)


def _date(text: str) -> date:
    """Read a strict ``YYYY-MM-DD`` date in the supported range (``dates.py``)."""
    text = text.strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        # A year Python's date cannot hold (0000) is out of range, not unreal.
        day = date.fromisoformat(text) if int(text[:4]) else None
    except ValueError:
        raise ValueError("expected a real date as YYYY-MM-DD") from None
    if day is None or not in_range(day):
        raise ValueError(f"expected a date in the supported range {RANGE_TEXT}")
    return day


def _bool(text: str) -> bool:
    """Read a yes/no switch (true/false, yes/no, on/off, 1/0)."""
    word = text.strip().lower()
    if word not in {"1", "true", "yes", "on", "0", "false", "no", "off"}:
        raise ValueError("expected true or false")
    return word in {"1", "true", "yes", "on"}


def _sla_targets(text: str) -> dict[str, int]:
    """Read ``Critical=1,High=3`` pairs; priorities not named keep their default."""
    targets = dict(DEFAULT_SLA_TARGETS_DAYS)
    by_lower = {p.lower(): p for p in PRIORITIES}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, days = part.partition("=")
        priority = by_lower.get(key.strip().lower())
        if not sep or priority is None:
            raise ValueError(
                "expected pairs like 'Critical=1,High=3,Medium=7,Low=14' "
                f"(priorities: {', '.join(PRIORITIES)})"
            )
        targets[priority] = _days(days)
    return targets


def _words(text: str) -> tuple[str, ...]:
    """Read a comma-separated word list as lower-case words."""
    return tuple(w.strip().lower() for w in text.split(",") if w.strip())


def _log_level(text: str) -> str:
    """Read a logging level name."""
    level = text.strip().upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ValueError("expected DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return level


def _url(text: str) -> str:
    """Read a base URL (http or https), without its trailing slash."""
    text = text.strip().rstrip("/")
    if not re.match(r"https?://[^/\s]+", text):
        raise ValueError("expected a base URL such as https://api.open-meteo.com")
    return text


def _path(text: str) -> Path:
    """Read a path, expanding ``~``; refuse an empty one, NUL, or bytes not UTF-8."""
    text = text.strip()
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = "\0"
    if not text or "\0" in text:
        raise ValueError("expected a path in UTF-8 text")
    return Path(text).expanduser()


# --- the same converters for CLI flags: (value, flag name) -> value, UsageError ---


def _named(convert: Callable[[str], T]) -> Callable[[str, str], T]:
    """Return ``convert`` taking the flag or variable name for its UsageError."""

    def parse(value: str, name: str) -> T:
        try:
            return convert(value)
        except ValueError as exc:
            raise UsageError(f"{name}={value!r} is not valid: {exc}") from None

    parse.__doc__ = convert.__doc__
    return parse


def parse_int(
    value: str, name: str, *, minimum: int = 0, maximum: int = MAX_COUNT
) -> int:
    """Parse a whole number between ``minimum`` and ``maximum`` (UsageError if not)."""
    return _named(partial(_whole, minimum=minimum, maximum=maximum))(value, name)


parse_days = _named(_days)
parse_list_size = _named(_list_size)
parse_timeout = _named(_seconds)
parse_rate = _named(_share)
parse_change = _named(_change)
parse_date = _named(_date)
parse_bool = _named(_bool)
parse_latitude = _named(_latitude)
parse_longitude = _named(_longitude)
parse_sla_targets = _named(_sla_targets)
parse_words = _named(_words)
parse_log_level = _named(_log_level)
parse_path = _named(_path)


# --- field types: text (.env, environment) is converted; typed values are checked ---


def _text(convert: Callable[[str], Any]) -> BeforeValidator:
    """Return a validator converting text with ``convert``."""
    return BeforeValidator(lambda v: convert(v) if isinstance(v, str) else v)


Count = Annotated[int, _text(_whole)]
Days = Annotated[int, _text(_days)]
ListSize = Annotated[int, _text(_list_size)]
Share = Annotated[float, _text(_share)]
Change = Annotated[float, _text(_change)]
Seconds = Annotated[float, _text(_seconds)]
Latitude = Annotated[float, _text(_latitude)]
Longitude = Annotated[float, _text(_longitude)]
Switch = Annotated[bool, _text(_bool)]
AnyPath = Annotated[Path, _text(_path)]
Url = Annotated[str, _text(_url)]
# Empty text never reaches a field (empty = unset); blank means unset too.
OptionalText = Annotated[str | None, _text(lambda t: t.strip() or None)]


def _var(default: Any = None, *, name: str, **kwargs: Any) -> Any:
    """Declare a field read from the variable ``name``."""
    return Field(default, validation_alias=name, **kwargs)


class _Group(BaseModel):
    """Frozen settings built by field name in code, by variable name from text."""

    model_config = ConfigDict(frozen=True, validate_by_name=True)


class WeatherSettings(_Group):
    """Where and how to fetch the weather; an API key selects OpenWeatherMap."""

    enabled: Switch = _var(True, name="WEATHER_ENABLED")
    latitude: Latitude | None = _var(name="WEATHER_LATITUDE")
    longitude: Longitude | None = _var(name="WEATHER_LONGITUDE")
    location: OptionalText = _var(name="WEATHER_LOCATION")
    location_name: OptionalText = _var(name="WEATHER_LOCATION_NAME")
    openweather_api_key: OptionalText = _var(name="OPENWEATHER_API_KEY", repr=False)
    open_meteo_base_url: Url = _var(
        "https://api.open-meteo.com", name="OPEN_METEO_BASE_URL"
    )
    open_meteo_geocoding_url: Url = _var(
        "https://geocoding-api.open-meteo.com", name="OPEN_METEO_GEOCODING_URL"
    )
    openweather_base_url: Url = _var(
        "https://api.openweathermap.org", name="OPENWEATHER_BASE_URL"
    )
    timeout_seconds: Seconds = _var(3.0, name="WEATHER_TIMEOUT_SECONDS")
    cache_dir: AnyPath = Field(
        # The per-user cache folder (XDG on Linux, ~/.cache otherwise).
        default_factory=lambda: Path(
            os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache",
            "ticket-analysis",
        ),
        validation_alias="WEATHER_CACHE_DIR",
    )
    cache_ttl_seconds: Annotated[int, _text(_ttl)] = _var(
        900, name="WEATHER_CACHE_TTL_SECONDS"
    )


class _FindingVariables(_Group):
    """The ``FINDING_*`` variables; unset ones keep FindingThresholds' defaults."""

    sla_breach_rate: Share | None = _var(name="FINDING_SLA_BREACH_RATE")
    sla_min_resolved: Count | None = _var(name="FINDING_SLA_MIN_RESOLVED")
    backlog_tickets: Count | None = _var(name="FINDING_BACKLOG_TICKETS")
    agent_open_share: Share | None = _var(name="FINDING_AGENT_OPEN_SHARE")
    agent_min_open: Count | None = _var(name="FINDING_AGENT_MIN_OPEN")
    volume_change: Change | None = _var(name="FINDING_VOLUME_CHANGE")
    volume_min_tickets: Count | None = _var(name="FINDING_VOLUME_MIN_TICKETS")
    reject_rate: Share | None = _var(name="FINDING_REJECT_RATE")
    max_named_customers: ListSize | None = _var(name="FINDING_MAX_NAMED_CUSTOMERS")


#: The one line a run without an input file stops with (no bundled demo fallback).
MISSING_INPUT = (
    "no input file given: pass --input FILE, or set TICKETS_INPUT (environment or .env)"
)


class Settings(_Group):
    """Every parameter of one report run (None = not set; list_limit 0 = no cap)."""

    input_path: AnyPath | None = _var(name="TICKETS_INPUT")
    output_dir: AnyPath = _var(Path("reports"), name="REPORTS_DIR")
    as_of: Annotated[date, _text(_date)] | None = _var(name="REPORT_AS_OF")
    open_days: Days = _var(7, name="OPEN_DAYS")
    escalation_threshold: Count = _var(5, name="ESCALATION_THRESHOLD")
    top_words: ListSize = _var(10, name="TOP_WORDS")
    list_limit: ListSize = _var(100, name="LIST_LIMIT")
    sla_targets_days: Annotated[dict[str, int], _text(_sla_targets)] = Field(
        default_factory=lambda: dict(DEFAULT_SLA_TARGETS_DAYS),
        validation_alias="SLA_TARGETS_DAYS",
    )
    extra_stop_words: Annotated[tuple[str, ...], _text(_words)] = _var(
        (), name="EXTRA_STOP_WORDS"
    )
    max_reject_rate: Share | None = _var(name="MAX_REJECT_RATE")
    log_level: Annotated[str, _text(_log_level)] = _var("INFO", name="LOG_LEVEL")
    weather: WeatherSettings = Field(default_factory=WeatherSettings)
    findings: FindingThresholds = Field(default_factory=FindingThresholds)

    def input_file(self) -> Path:
        """Return the input path; raise UsageError when none is set anywhere."""
        if self.input_path is None:
            raise UsageError(MISSING_INPUT)
        return self.input_path


def _variables(*models: type[BaseModel]) -> tuple[str, ...]:
    """Return the variable names the fields of ``models`` are read from."""
    return tuple(
        f.validation_alias
        for model in models
        for f in model.model_fields.values()
        if isinstance(f.validation_alias, str)
    )


#: Every variable the package reads (``.env.example`` documents each one).
ENV_VARS = _variables(Settings, WeatherSettings, _FindingVariables)
#: Path variables: relative in ``.env`` means relative to that file's folder.
_PATH_VARS = ("TICKETS_INPUT", "REPORTS_DIR", "WEATHER_CACHE_DIR")


def read_environment(
    env_file: Path | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Return the non-blank known variables of ``.env`` and the environment.

    The environment wins. ``env_file`` defaults to the first of ``./.env`` and
    ``PROJ_ROOT/.env``; its relative paths are relative to its own folder.
    ``environ`` defaults to ``os.environ``. A file that is not UTF-8: UsageError.
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


def _validate(model: type[T], data: Mapping[str, Any]) -> T:
    """Validate ``data`` as ``model``; every problem goes into one UsageError line."""
    try:
        return model.model_validate(data)  # type: ignore[attr-defined,no-any-return]
    except ValidationError as exc:
        problems = [
            f"{'.'.join(map(str, e['loc']))}={e['input']!r} is not valid: "
            f"{e.get('ctx', {}).get('error') or e['msg']}"
            for e in exc.errors()
        ]
        raise UsageError("; ".join(problems)) from None


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    env_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Build the settings of one run: defaults < ``.env`` < environment < overrides.

    ``overrides`` are typed values by field name (CLI flags; None is ignored so an
    absent flag never masks a variable); ``weather_enabled`` switches the weather.
    ``env_file`` and ``environ`` are as in :func:`read_environment`.
    """
    raw = read_environment(env_file, environ)
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    weather = _validate(WeatherSettings, raw)
    if "weather_enabled" in given:
        enabled = bool(given.pop("weather_enabled"))
        weather = weather.model_copy(update={"enabled": enabled})
    unknown = sorted(set(given) - set(Settings.model_fields))
    if unknown:
        raise UsageError(f"unknown setting(s): {', '.join(unknown)}")
    findings = _validate(_FindingVariables, raw).model_dump(exclude_none=True)
    data: dict[str, Any] = {**raw, "weather": weather}
    data["findings"] = FindingThresholds(**findings)
    for name, value in given.items():  # by field name; its variable must not win
        data.pop(str(Settings.model_fields[name].validation_alias), None)
        data[name] = value
    return _validate(Settings, data)
