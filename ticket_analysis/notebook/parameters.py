"""The report notebook's parameters, resolved into settings overrides."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from ticket_analysis import config, converters
from ticket_analysis.exceptions import UsageError

logger = logging.getLogger(__name__)

#: Where a run of the notebook by hand writes, inside the reports folder.
SCRATCH_FOLDER: Final = "interactive"
#: The notebook's whole-number parameters and the variable each one can override.
INT_PARAMETERS: Final = {
    "open_days": "OPEN_DAYS",
    "escalation_threshold": "ESCALATION_THRESHOLD",
    "top_words": "TOP_WORDS",
    "list_limit": "LIST_LIMIT",
    "period_days": "PERIOD_DAYS",
}


def parameter_overrides(
    *,
    input_path: str,
    source: str,
    mapping: str,
    snapshot: str,
    output_dir: str,
    as_of: str,
    agent: str,
    customer: str,
    priority: str,
    period_days: int,
    open_days: int,
    escalation_threshold: int,
    top_words: int,
    list_limit: int,
    sla_targets_days: Mapping[str, int],
    finding_thresholds: Mapping[str, object],
    extra_stop_words: str,
    max_reject_rate: str,
    weather_enabled: bool,
    environ: Mapping[str, str] | None = None,
    env_file: Path | None = None,
) -> dict[str, Any]:
    """Turn the notebook's parameters into settings overrides for ``load_settings``.

    Precedence (see the notebook's parameters cell):

    - ``input_path``, ``source``, ``mapping``, ``as_of``, ``agent``,
      ``customer``, ``priority``: ``""`` means "not given", so their variable
      (``.env`` or environment, e.g. ``TICKETS_INPUT``, ``REPORT_AGENT``) or the
      built-in default applies. ``snapshot`` (batch runs) is read instead of
      parsing the input.
    - ``output_dir``: ``""`` (a run by hand; ``run_report.py`` always passes
      one) means ``SCRATCH_FOLDER`` inside ``REPORTS_DIR`` (default
      ``reports``), a set of its own: exploring never replaces the published
      reports.
    - The whole numbers are always passed: the value in the parameters cell is the
      value used, with a warning when ``.env`` or the environment says otherwise
      (``run_report.py`` passes the values it resolved, so nothing differs there
      unless a flag asked for it).
    - ``sla_targets_days``, ``finding_thresholds``: ``{}`` means "not given";
      named SLA targets replace ``SLA_TARGETS_DAYS`` (priorities not named keep
      their default, like ``--sla-targets``); each named threshold wins over
      its ``FINDING_*`` variable.
    - ``extra_stop_words``, ``max_reject_rate``: text, ``""`` means "not given".
    - ``weather_enabled``: ``False`` switches the lookup off; ``True`` means "as
      configured", so a notebook default never turns on network access that
      ``.env`` turned off.

    ``environ`` and ``env_file`` are what the numbers are compared with (default:
    ``os.environ`` and the ``.env`` that ``load_settings`` reads).

    Returns:
        Overrides keyed by :class:`~ticket_analysis.config.Settings` field name.

    Raises:
        UsageError: If a parameter has the wrong type or an invalid value.
    """
    texts: dict[str, object] = {
        "input_path": input_path,
        "source": source,
        "mapping": mapping,
        "snapshot": snapshot,
        "output_dir": output_dir,
        "as_of": as_of,
        "agent": agent,
        "customer": customer,
        "priority": priority,
        "extra_stop_words": extra_stop_words,
        "max_reject_rate": max_reject_rate,
    }
    for name, value in texts.items():
        if not isinstance(value, str):
            raise UsageError(
                f"notebook parameter {name}={value!r} is not valid: expected text"
            )
    overrides: dict[str, Any] = {}
    if input_path.strip():
        overrides["input_path"] = Path(input_path.strip()).expanduser()
    for name, value in (("mapping", mapping), ("snapshot", snapshot)):
        if value.strip():
            overrides[name] = Path(value.strip()).expanduser()
    if source.strip():
        overrides["source"] = source.strip()
    raw = config.read_environment(env_file, environ)
    if output_dir.strip():
        overrides["output_dir"] = Path(output_dir.strip()).expanduser()
    else:  # run by hand: a scratch set of its own, never the published reports
        published = Path(raw.get("REPORTS_DIR", "reports").strip()).expanduser()
        overrides["output_dir"] = published / SCRATCH_FOLDER
    if as_of.strip():
        overrides["as_of"] = converters.parse_date(as_of, "notebook parameter as_of")
    if agent.strip():
        overrides["agent"] = agent.strip()
    if customer.strip():
        overrides["customer"] = customer.strip()
    for name, given_dict in (
        ("sla_targets_days", sla_targets_days),
        ("finding_thresholds", finding_thresholds),
    ):
        if not isinstance(given_dict, Mapping):
            raise UsageError(
                f"notebook parameter {name}={given_dict!r} is not valid: expected a "
                "dict such as {}"
            )
    if sla_targets_days:
        pairs = ",".join(f"{k}={v}" for k, v in sla_targets_days.items())
        overrides["sla_targets_days"] = converters.parse_sla_targets(
            pairs, "notebook parameter sla_targets_days"
        )
    if finding_thresholds:
        overrides["findings"] = dict(finding_thresholds)
    if extra_stop_words.strip():
        overrides["extra_stop_words"] = converters.parse_words(
            extra_stop_words, "notebook parameter extra_stop_words"
        )
    if max_reject_rate.strip():
        overrides["max_reject_rate"] = converters.parse_rate(
            max_reject_rate, "notebook parameter max_reject_rate"
        )
    if priority.strip():
        overrides["priority"] = converters.parse_priority(
            priority, "notebook parameter priority"
        )
    given: dict[str, object] = {
        "open_days": open_days,
        "escalation_threshold": escalation_threshold,
        "top_words": top_words,
        "list_limit": list_limit,
        "period_days": period_days,
    }
    for name, value in given.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise UsageError(
                f"notebook parameter {name}={value!r} is not valid: "
                "expected a whole number >= 0"
            )
        number = converters.parse_int(str(value), f"notebook parameter {name}")
        variable = INT_PARAMETERS[name]
        if variable in raw and _whole_or_none(raw[variable], variable) != number:
            logger.warning(
                "notebook parameter %s=%d is used instead of %s=%s from .env or "
                "the environment",
                name,
                number,
                variable,
                raw[variable].strip(),
            )
        overrides[name] = number
    if not converters.parse_bool(str(weather_enabled), "notebook parameter weather"):
        overrides["weather_enabled"] = False
    return overrides


def _whole_or_none(value: str, name: str) -> int | None:
    """Parse a whole number from a variable; None when invalid (reported later)."""
    try:
        return converters.parse_int(value, name)
    except UsageError:
        return None
