"""``schemas/summary.schema.json`` accepts real summaries and refuses broken ones."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from factories import make_tickets
from jsonschema import Draft202012Validator

from ticket_analysis.domain import ISSUE_CODES
from ticket_analysis.metrics import compute_metrics

FILTERS = {"agent": None, "customer": None, "priority": None}
SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schemas" / "summary.schema.json"


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    """The schema, checked against the draft 2020-12 meta-schema."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(
        schema, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def _weather(status: str) -> dict[str, Any]:
    if status == "disabled":
        location = None
    else:
        location = {"name": "Berlin", "latitude": 52.52, "longitude": 13.41}
    ok = status == "ok"
    return {
        "status": status,
        "provider": "open-meteo" if status != "disabled" else None,
        "location": location,
        "observed_at": "2024-03-20T14:15" if ok else None,
        "temperature_c": 11.4 if ok else None,
        "apparent_temperature_c": 9.8 if ok else None,
        "humidity_pct": 71.0 if ok else None,
        "wind_kmh": 14.3 if ok else None,
        "condition": "Overcast" if ok else None,
        "weather_code": 3 if ok else None,
        "from_cache": ok,
        "stale": False,
        "reason": "no network: could not resolve api.open-meteo.com"
        if status == "unavailable"
        else None,
        "attribution": "Weather data by Open-Meteo.com (CC BY 4.0)" if ok else None,
    }


def _summary(tickets: Any, weather: str = "ok") -> dict[str, Any]:
    """A whole summary.json: real metrics around plausible pipeline fields."""
    metrics = compute_metrics(
        tickets, as_of=date(2024, 3, 20), escalation_threshold=1
    ).model_dump(mode="json")
    issues = dict.fromkeys(ISSUE_CODES, 0)
    issues["normalized_value"] = 1
    return {
        "schema_version": "1.1",
        "generated_at": "2024-03-21T09:30:00Z",
        "as_of": "2024-03-20",
        "parameters": {
            "open_days": 7,
            "escalation_threshold": 1,
            "top_words": 10,
            "list_limit": 100,
            "sla_targets_days": {"Low": 14, "Medium": 7, "High": 3, "Critical": 1},
            "period_days": 28,
            "filters": FILTERS,
        },
        "source": {
            "path": "data/tickets_sample.csv",
            "sha256": "ab" * 32,
            "bytes": 1834,
            "encoding": "utf-8",
            "profile": "canonical",
        },
        "data_quality": {
            "records_read": len(tickets) + 1,
            "rows_valid": len(tickets),
            "rows_rejected": 1,
            "rows_with_warnings": 1,
            "issues": issues,
            "rejected_rows_file": "rejected_rows.csv",
            "extra_columns": [],
            "missing_optional_columns": [],
        },
        "scope": {
            "filters": FILTERS,
            "tickets_in_scope": len(tickets),
            "created_after_as_of": 0,
            "filtered_out": 0,
        },
        **metrics,
        "weather": _weather(weather),
        "findings": ["2 tickets have been open longer than 7 days."],
        "recommendations": ["Run an age-based triage of the oldest open tickets."],
    }


def _tickets() -> Any:
    return make_tickets(
        [
            {
                "customer_id": "C1",
                "subject": "Login fails",
                "priority": "High",
                "status": "Resolved",
                "created_date": "2024-02-01",
                "resolved_date": "2024-02-03",
                "assigned_to": "ana",
            },
            {
                "customer_id": "C1",
                "subject": "Login slow",
                "created_date": "2024-03-01",
            },
            {
                "customer_id": "C2",
                "subject": "Invoice",
                "priority": "Critical",
                "status": "In Progress",
                "created_date": "2024-03-02",
                "assigned_to": "bo",
            },
        ]
    )


def _errors(validator: Draft202012Validator, summary: dict[str, Any]) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(summary)
    ]


@pytest.mark.parametrize("weather", ["ok", "unavailable", "disabled"])
def test_a_complete_summary_is_valid(
    validator: Draft202012Validator, weather: str
) -> None:
    """Real metrics of a small fixture plus the pipeline's fields validate."""
    summary = _summary(_tickets(), weather)
    assert summary["open_over_threshold"]["count"] == 2  # the lists are not empty
    assert summary["escalation_candidates"]["count"] == 1
    assert summary["overdue_open"]["count"] == 2
    assert _errors(validator, summary) == []


def test_the_summary_of_an_empty_file_is_valid(validator: Draft202012Validator) -> None:
    """No tickets: nulls and empty lists are all allowed where they occur."""
    summary = _summary(make_tickets([]))
    assert _errors(validator, summary) == []


def _break(summary: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """Return a copy with the value at ``a/b/0/c`` replaced (or deleted: ...)."""
    broken = copy.deepcopy(summary)
    *parents, last = path.split("/")
    node: Any = broken
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    key_or_index: Any = int(last) if isinstance(node, list) else last
    if value is ...:
        del node[key_or_index]
    else:
        node[key_or_index] = value
    return broken


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("schema_version", "1.0"),
        ("generated_at", "2024-03-21 09:30"),  # not ISO-8601 UTC
        ("generated_at", "2024-03-21T09:30:00+02:00"),  # not UTC
        ("as_of", None),  # always a date
        ("as_of", "2024-02-30"),  # not a real date
        ("parameters/list_limit", -1),
        ("parameters/sla_targets_days/Urgent", 1),
        ("source/sha256", "xyz"),
        ("data_quality/issues/created_after_as_of", ...),  # every code present
        ("data_quality/issues/surprise", 1),
        ("summary/avg_resolution_days", "1.5"),
        ("summary/extra", 1),
        ("status_counts/Pending", 0),
        ("status_counts/Closed", ...),
        ("priority_counts/Low", 1.5),
        ("status_by_priority/High/Open", -1),
        ("resolution_time_days/by_priority/Low/mean", 1.0),  # count 0 -> null
        ("resolution_time_days/overall/p90", None),  # count 1 -> a number
        ("open_over_threshold/tickets/0/status", "Closed"),  # only open tickets
        ("open_over_threshold/tickets/0/created_date", "01/03/2024"),
        ("open_over_threshold/tickets/0/assigned_to", ""),
        ("backlog_aging/0/bucket", "0-2"),
        ("backlog_aging/5", ...),  # all six buckets
        ("agents/0/resolved", None),
        ("top_agents", [{}]),
        ("monthly_volume/0/month", "2024-13"),
        ("top_subject_words/0/word", "x"),  # one-character words are dropped
        ("escalation_candidates/customers/0/tickets", 0),
        ("sla/by_priority/High/breach_rate", 1.5),
        ("sla/overall", ...),
        ("parameters/period_days", 0),
        ("parameters/filters/priority", "Urgent"),
        ("source/profile", ""),
        ("scope/tickets_in_scope", -1),
        ("scope/filters", ...),
        ("agents/0/open_breaching", ...),
        ("monthly_volume/0/partial", ...),
        ("weekly_volume/11", ...),  # exactly 12 weeks
        ("weekly_volume/0/week_start", "2024-W01"),
        ("weekday_volume/0/weekday", "Mon"),
        ("weekday_volume/6", ...),  # all seven days
        ("period_comparison/current/breach_rate", 2),
        ("period_comparison/period_days", 0),
        ("overdue_open/tickets/0/overdue_days", 0),  # overdue means past target
        ("overdue_open/tickets/0/status", "Resolved"),
        ("overdue_open/by_priority/Critical", ...),
        ("top_subjects", [{"subject": "login", "count": 1}]),  # at least twice
        ("weather/status", "error"),
        ("weather/from_cache", None),
        ("weather/reason", None),
        ("findings", "none"),
        ("recommendations/0", 3),
        ("notes", []),  # no unknown top-level key
    ],
)
def test_broken_summaries_are_refused(
    validator: Draft202012Validator, path: str, value: Any
) -> None:
    """Each breach of the contract is reported."""
    summary = _summary(_tickets(), "unavailable")
    assert _errors(validator, summary) == []
    assert _errors(validator, _break(summary, path, value)) != []


def test_every_top_level_key_is_required(validator: Draft202012Validator) -> None:
    """Dropping any top-level key makes the summary invalid."""
    summary = _summary(_tickets())
    for key in summary:
        assert _errors(validator, _break(summary, key, ...)) != [], key
