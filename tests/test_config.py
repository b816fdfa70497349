"""Settings: defaults < .env < environment < CLI flags, and clear errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ticket_analysis.config import ENV_VARS, load_settings
from ticket_analysis.converters import parse_rate, parse_sla_targets
from ticket_analysis.exceptions import UsageError

ROOT = Path(__file__).resolve().parents[1]


def test_defaults(tmp_path: Path) -> None:
    """With no .env and an empty environment the contract's defaults apply.

    No default input, and reports go to ./reports: nothing hangs off the checkout.
    """
    s = load_settings(env_file=tmp_path / "none.env", environ={})
    assert (s.open_days, s.escalation_threshold, s.top_words, s.list_limit) == (
        7,
        5,
        10,
        100,
    )
    assert s.sla_targets_days == {"Low": 14, "Medium": 7, "High": 3, "Critical": 1}
    assert s.as_of is None and s.max_reject_rate is None
    assert s.input_path is None and s.output_dir == Path("reports")
    assert s.weather.enabled is True and s.weather.cache_ttl_seconds == 900


def test_precedence_env_file_then_environment_then_overrides(tmp_path: Path) -> None:
    """Each layer overrides the one before it; a None override changes nothing."""
    env = tmp_path / ".env"
    env.write_text("OPEN_DAYS=10\nTOP_WORDS=3\nLIST_LIMIT=4\nWEATHER_ENABLED=false\n")
    s = load_settings(
        {"top_words": 20, "list_limit": None},
        env_file=env,
        environ={"OPEN_DAYS": "12", "TOP_WORDS": "5"},
    )
    assert (s.open_days, s.top_words, s.list_limit) == (12, 20, 4)
    assert s.weather.enabled is False
    assert load_settings(
        {"weather_enabled": True}, env_file=env, environ={}
    ).weather.enabled


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "OPEN_DAYS",
            "seven",
            "OPEN_DAYS='seven' is not valid: expected a whole number from 0 to 36500",
        ),
        ("OPEN_DAYS", "-1", "expected a whole number from 0 to 36500"),
        ("REPORT_AS_OF", "2024-02-30", "expected a real date as YYYY-MM-DD"),
        ("MAX_REJECT_RATE", "150%", "expected a share between 0 and 1"),
        ("WEATHER_LATITUDE", "91", "expected degrees between -90 and 90"),
        ("WEATHER_ENABLED", "maybe", "expected true or false"),
        ("SLA_TARGETS_DAYS", "Urgent=1", "priorities: Low, Medium, High, Critical"),
        ("OPEN_METEO_BASE_URL", "ftp://x", "expected a base URL"),
        ("WEATHER_TIMEOUT_SECONDS", "0", "expected seconds above 0 and at most 600"),
    ],
)
def test_bad_values_name_the_variable(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    """A bad variable raises UsageError naming it and what is expected."""
    with pytest.raises(UsageError) as info:
        load_settings(env_file=tmp_path / "none.env", environ={name: value})
    assert message in str(info.value)
    assert name in str(info.value)


def test_parsers() -> None:
    """Shares accept fractions and percentages; SLA pairs keep unnamed defaults."""
    assert parse_rate("5%", "X") == pytest.approx(0.05)
    assert parse_rate("0.25", "X") == 0.25
    assert parse_sla_targets("critical=2, High=4", "X") == {
        "Low": 14,
        "Medium": 7,
        "High": 4,
        "Critical": 2,
    }
    s = load_settings(
        env_file=Path("/nonexistent"),
        environ={"REPORT_AS_OF": "2024-03-01", "EXTRA_STOP_WORDS": "Foo, bar,"},
    )
    assert s.as_of == date(2024, 3, 1)
    assert s.extra_stop_words == ("foo", "bar")


def test_env_example_documents_every_variable() -> None:
    """.env.example names every variable the package reads."""
    text = (ROOT / ".env.example").read_text()
    missing = [name for name in ENV_VARS if f"{name}=" not in text]
    assert missing == []


def test_finding_thresholds_from_environment(tmp_path: Path) -> None:
    """FINDING_* variables set the boundaries of the report's findings."""
    s = load_settings(
        env_file=tmp_path / "none.env",
        environ={
            "FINDING_VOLUME_CHANGE": "50%",
            "FINDING_REJECT_RATE": "0.1",
            "FINDING_AGENT_MIN_OPEN": "8",
        },
    )
    assert (s.findings.volume_change, s.findings.reject_rate) == (0.5, 0.1)
    assert s.findings.agent_min_open == 8
    assert s.findings.sla_breach_rate == 0.2  # untouched default
    with pytest.raises(UsageError, match="FINDING_AGENT_OPEN_SHARE='2' is not valid"):
        load_settings(
            env_file=tmp_path / "none.env", environ={"FINDING_AGENT_OPEN_SHARE": "2"}
        )


def test_filters_and_period_from_the_environment(tmp_path: Path) -> None:
    """REPORT_* filters are trimmed, the priority normalised like the loader's."""
    s = load_settings(
        env_file=tmp_path / "none.env",
        environ={
            "REPORT_AGENT": " Agent_Sarah ",
            "REPORT_CUSTOMER": "C200",
            "REPORT_PRIORITY": "hIGH",
            "PERIOD_DAYS": "14",
        },
    )
    assert s.filters.model_dump() == {
        "agent": "Agent_Sarah",
        "customer": "C200",
        "priority": "High",
    }
    assert s.period_days == 14
    defaults = load_settings(env_file=tmp_path / "none.env", environ={})
    assert defaults.period_days == 28
    assert defaults.filters.model_dump() == dict.fromkeys(
        ("agent", "customer", "priority")
    )


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("REPORT_PRIORITY", "Urgent", "expected one of Low, Medium, High, Critical"),
        ("PERIOD_DAYS", "0", "expected a whole number from 1 to 36500"),
    ],
)
def test_bad_filter_or_period_is_a_usage_error(
    tmp_path: Path, variable: str, value: str, expected: str
) -> None:
    with pytest.raises(UsageError, match=expected):
        load_settings(env_file=tmp_path / "none.env", environ={variable: value})
