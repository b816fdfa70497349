"""Settings: defaults in code, then ``.env``, then the environment, then CLI flags.

Nothing is read at import: :func:`load_settings` reads ``.env`` and the environment.
The settings are pydantic models whose fields name their variable and convert its
text; bad values raise one :class:`UsageError` line naming each variable, its value
and what is expected. ``.env.example`` documents every variable.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from dotenv import dotenv_values
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from ticket_analysis.converters import (
    T,
    read_bool,
    read_change,
    read_date,
    read_days,
    read_latitude,
    read_list_size,
    read_log_level,
    read_longitude,
    read_path,
    read_period,
    read_priority,
    read_seconds,
    read_share,
    read_sla_targets,
    read_ttl,
    read_url,
    read_whole,
    read_words,
)
from ticket_analysis.domain import DEFAULT_SLA_TARGETS_DAYS
from ticket_analysis.exceptions import UsageError
from ticket_analysis.report.findings import FindingThresholds
from ticket_analysis.summary import Filters, Priority

logger = logging.getLogger(__name__)

#: The folder above the package; in a checkout, the one holding ``.env``.
PROJ_ROOT = Path(__file__).resolve().parents[1]

# --- field types: text (.env, environment) is converted; typed values are checked ---


def _text(convert: Callable[[str], Any]) -> BeforeValidator:
    """Return a validator converting text with ``convert``."""
    return BeforeValidator(lambda v: convert(v) if isinstance(v, str) else v)


Count = Annotated[int, _text(read_whole)]
Days = Annotated[int, _text(read_days)]
ListSize = Annotated[int, _text(read_list_size)]
Share = Annotated[float, _text(read_share)]
Change = Annotated[float, _text(read_change)]
Seconds = Annotated[float, _text(read_seconds)]
Latitude = Annotated[float, _text(read_latitude)]
Longitude = Annotated[float, _text(read_longitude)]
Switch = Annotated[bool, _text(read_bool)]
AnyPath = Annotated[Path, _text(read_path)]
Url = Annotated[str, _text(read_url)]
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
    cache_ttl_seconds: Annotated[int, _text(read_ttl)] = _var(
        900, name="WEATHER_CACHE_TTL_SECONDS"
    )


class _FindingVariables(_Group):
    """The ``FINDING_*`` variables; unset ones keep FindingThresholds' defaults."""

    sla_breach_rate: Share | None = _var(name="FINDING_SLA_BREACH_RATE")
    sla_min_tickets: Count | None = _var(name="FINDING_SLA_MIN_TICKETS")
    backlog_growth: Count | None = _var(name="FINDING_BACKLOG_GROWTH")
    volume_change: Change | None = _var(name="FINDING_VOLUME_CHANGE")
    volume_min_tickets: Count | None = _var(name="FINDING_VOLUME_MIN_TICKETS")
    agent_open_share: Share | None = _var(name="FINDING_AGENT_OPEN_SHARE")
    agent_min_open: Count | None = _var(name="FINDING_AGENT_MIN_OPEN")
    reject_rate: Share | None = _var(name="FINDING_REJECT_RATE")
    max_named_tickets: ListSize | None = _var(name="FINDING_MAX_NAMED_TICKETS")
    max_named_customers: ListSize | None = _var(name="FINDING_MAX_NAMED_CUSTOMERS")


_THRESHOLDS = _FindingVariables.model_fields
#: The one line a run without an input file stops with (no bundled demo fallback).
MISSING_INPUT = (
    "no input file given: pass --input FILE, or set TICKETS_INPUT (environment or .env)"
)


class Settings(_Group):
    """Every parameter of one report run (None = not set; list_limit 0 = no cap)."""

    input_path: AnyPath | None = _var(name="TICKETS_INPUT")
    source: OptionalText = _var(name="TICKETS_SOURCE")
    mapping: AnyPath | None = _var(name="TICKETS_MAPPING")
    #: A parsed snapshot of the input (batch runs parse the file once).
    snapshot: Path | None = None
    output_dir: AnyPath = _var(Path("reports"), name="REPORTS_DIR")
    as_of: Annotated[date, _text(read_date)] | None = _var(name="REPORT_AS_OF")
    open_days: Days = _var(7, name="OPEN_DAYS")
    escalation_threshold: Count = _var(5, name="ESCALATION_THRESHOLD")
    top_words: ListSize = _var(10, name="TOP_WORDS")
    list_limit: ListSize = _var(100, name="LIST_LIMIT")
    sla_targets_days: Annotated[dict[str, int], _text(read_sla_targets)] = Field(
        default_factory=lambda: dict(DEFAULT_SLA_TARGETS_DAYS),
        validation_alias="SLA_TARGETS_DAYS",
    )
    extra_stop_words: Annotated[tuple[str, ...], _text(read_words)] = _var(
        (), name="EXTRA_STOP_WORDS"
    )
    max_reject_rate: Share | None = _var(name="MAX_REJECT_RATE")
    period_days: Annotated[int, _text(read_period)] = _var(28, name="PERIOD_DAYS")
    agent: OptionalText = _var(name="REPORT_AGENT")
    customer: OptionalText = _var(name="REPORT_CUSTOMER")
    priority: Annotated[Priority | None, _text(read_priority)] = _var(
        name="REPORT_PRIORITY"
    )
    log_level: Annotated[str, _text(read_log_level)] = _var("INFO", name="LOG_LEVEL")
    weather: WeatherSettings = Field(default_factory=WeatherSettings)
    findings: FindingThresholds = Field(default_factory=FindingThresholds)

    def input_file(self) -> Path:
        """Return the input path; raise UsageError when none is set anywhere."""
        if self.input_path is None:
            raise UsageError(MISSING_INPUT)
        return self.input_path

    @property
    def filters(self) -> Filters:
        """The slice this report is narrowed to (contract section 3)."""
        return Filters(agent=self.agent, customer=self.customer, priority=self.priority)


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
_PATH_VARS = ("TICKETS_INPUT", "TICKETS_MAPPING", "REPORTS_DIR", "WEATHER_CACHE_DIR")


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
    absent flag never masks a variable); ``weather_enabled`` switches the weather;
    ``findings`` maps some ``FindingThresholds`` fields to values, each winning
    over its ``FINDING_*`` variable. ``env_file`` and ``environ`` are as in
    :func:`read_environment`.
    """
    raw = read_environment(env_file, environ)
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    weather = _validate(WeatherSettings, raw)
    if "weather_enabled" in given:
        enabled = bool(given.pop("weather_enabled"))
        weather = weather.model_copy(update={"enabled": enabled})
    thresholds = dict(given.pop("findings", {}))
    unknown = sorted(set(given) - set(Settings.model_fields))
    unknown += sorted(f"findings.{k}" for k in thresholds if k not in _THRESHOLDS)
    if unknown:
        raise UsageError(f"unknown setting(s): {', '.join(unknown)}")
    # Checked as the variable's text would be: one set of rules and messages.
    as_text = {
        str(_THRESHOLDS[k].validation_alias): str(v) for k, v in thresholds.items()
    }
    findings = _validate(_FindingVariables, {**raw, **as_text}).model_dump(
        exclude_none=True
    )
    data: dict[str, Any] = {**raw, "weather": weather}
    data["findings"] = FindingThresholds(**findings)
    for name, value in given.items():  # by field name; its variable must not win
        data.pop(str(Settings.model_fields[name].validation_alias), None)
        data[name] = value
    return _validate(Settings, data)
