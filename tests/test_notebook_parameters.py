"""The notebook's parameters become settings overrides; .env and environment rules."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from ticket_analysis.exceptions import UsageError
from ticket_analysis.notebook.parameters import parameter_overrides

#: A dotenv file that does not exist: tests never read a developer's .env.
NO_ENV_FILE = Path(__file__).parent / "fixtures" / "no-such.env"
#: The parameters cell's values.
DEFAULTS: dict[str, Any] = {
    "input_path": "",
    "source": "",
    "mapping": "",
    "snapshot": "",
    "output_dir": "",
    "as_of": "",
    "agent": "",
    "customer": "",
    "priority": "",
    "period_days": 28,
    "open_days": 7,
    "escalation_threshold": 5,
    "top_words": 10,
    "list_limit": 100,
    "sla_targets_days": {},
    "finding_thresholds": {},
    "extra_stop_words": "",
    "max_reject_rate": "",
    "weather_enabled": True,
}


def overrides_for(environ: dict[str, str], **given: Any) -> dict[str, Any]:
    """Resolve the default parameters with ``given`` changes against ``environ``."""
    params = {**DEFAULTS, **given}
    return parameter_overrides(**params, environ=environ, env_file=NO_ENV_FILE)


def test_parameter_overrides_respect_env_for_blank_text_and_weather_on() -> None:
    """Blank text and weather True leave .env and the environment in force.

    A blank output folder is the scratch folder inside the reports folder.
    """
    overrides = overrides_for({}, output_dir="  ")
    assert overrides == {
        "output_dir": Path("reports", "interactive"),
        "open_days": 7,
        "escalation_threshold": 5,
        "top_words": 10,
        "list_limit": 100,
        "period_days": 28,
    }


def test_parameter_overrides_pass_given_values(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    """Given values win; a number that differs from the environment is announced."""
    caplog.set_level(logging.WARNING, logger="ticket_analysis")
    overrides = overrides_for(
        {"OPEN_DAYS": "10", "TOP_WORDS": "+10"},
        input_path="data.csv",
        output_dir=str(tmp_path),
        as_of="2024-03-20",
        agent=" Agent_Sarah ",
        customer="C200",
        priority="HIGH",
        open_days=14,
        list_limit=0,
        weather_enabled=False,
    )
    assert overrides["input_path"] == Path("data.csv")
    assert overrides["output_dir"] == tmp_path
    assert str(overrides["as_of"]) == "2024-03-20"
    assert (overrides["agent"], overrides["customer"], overrides["priority"]) == (
        "Agent_Sarah",
        "C200",
        "High",
    )
    assert overrides["open_days"] == 14 and overrides["list_limit"] == 0
    assert overrides["weather_enabled"] is False
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [
        "notebook parameter open_days=14 is used instead of OPEN_DAYS=10 from .env "
        "or the environment"
    ]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("open_days", -1),
        ("top_words", "10"),
        ("list_limit", True),
        ("as_of", "03/20"),
        ("priority", "P1"),
        ("agent", 7),
    ],
)
def test_parameter_overrides_reject_bad_values(name: str, value: object) -> None:
    """A bad parameter is a usage error naming it."""
    with pytest.raises(UsageError, match=name):
        overrides_for({}, **{name: value})


def test_dict_and_text_parameters_become_settings(tmp_path: Path) -> None:
    """SLA targets and thresholds by name, stop words and the gate as text."""
    from ticket_analysis.config import load_settings

    overrides = overrides_for(
        {},
        sla_targets_days={"critical": 2},
        finding_thresholds={"agent_open_share": 0.5, "max_named_tickets": 1},
        extra_stop_words=" Please , HELLO ",
        max_reject_rate="5%",
    )
    assert overrides["sla_targets_days"] == {
        "Low": 14,
        "Medium": 7,
        "High": 3,
        "Critical": 2,
    }
    assert overrides["extra_stop_words"] == ("please", "hello")
    assert overrides["max_reject_rate"] == 0.05
    settings = load_settings(
        overrides,
        env_file=NO_ENV_FILE,
        environ={"FINDING_AGENT_OPEN_SHARE": "0.1", "FINDING_REJECT_RATE": "0.5"},
    )
    # The parameter wins over its variable; the other variable still applies.
    assert settings.findings.agent_open_share == 0.5
    assert settings.findings.max_named_tickets == 1
    assert settings.findings.reject_rate == 0.5


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"sla_targets_days": {"Urgent": 1}}, "sla_targets_days"),
        ({"sla_targets_days": [1]}, "sla_targets_days"),
        ({"max_reject_rate": "lots"}, "max_reject_rate"),
    ],
)
def test_bad_dict_or_text_parameters_are_usage_errors(
    given: dict[str, Any], message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        overrides_for({}, **given)


@pytest.mark.parametrize(
    ("thresholds", "message"),
    [
        ({"agent_open_share": 2}, "FINDING_AGENT_OPEN_SHARE='2' is not valid"),
        ({"no_such_rule": 1}, "unknown setting.*findings.no_such_rule"),
    ],
)
def test_bad_thresholds_are_named(thresholds: dict[str, Any], message: str) -> None:
    from ticket_analysis.config import load_settings

    overrides = overrides_for({}, finding_thresholds=thresholds)
    with pytest.raises(UsageError, match=message):
        load_settings(overrides, env_file=NO_ENV_FILE, environ={})


def test_a_run_by_hand_writes_into_the_scratch_folder_of_reports_dir(
    tmp_path: Path,
) -> None:
    """No output_dir: ``interactive`` inside REPORTS_DIR, never the set itself."""
    published = tmp_path / "published"
    overrides = overrides_for({"REPORTS_DIR": str(published)})
    assert overrides["output_dir"] == published / "interactive"
    given = overrides_for({"REPORTS_DIR": str(published)}, output_dir=str(tmp_path))
    assert given["output_dir"] == tmp_path


def test_source_mapping_and_snapshot_parameters(tmp_path: Path) -> None:
    overrides = overrides_for(
        {}, source=" zendesk ", mapping="my.toml", snapshot=str(tmp_path / "s")
    )
    assert overrides["source"] == "zendesk"
    assert overrides["mapping"] == Path("my.toml")
    assert overrides["snapshot"] == tmp_path / "s"
