"""The summary model is the one definition of summary.json and refuses drift."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args

import pytest
from pydantic import ValidationError
from summary_fixtures import empty_summary, full_summary

from ticket_analysis import SCHEMA_VERSION
from ticket_analysis.domain import ISSUE_CODES, PRIORITIES, STATUSES
from ticket_analysis.summary import (
    REGENERATE,
    Priority,
    Status,
    Summary,
    schema_text,
)
from ticket_analysis.summary_parts import IssueCode

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schemas" / "summary.schema.json"


def test_committed_schema_is_the_generated_one() -> None:
    """schemas/summary.schema.json is exactly what the model generates."""
    committed = SCHEMA_PATH.read_text(encoding="utf-8")
    assert committed == schema_text(), (
        f"schemas/summary.schema.json is out of date; regenerate it: {REGENERATE}"
    )


def test_the_model_names_the_domain_values() -> None:
    """The model's enums and version are the domain's, in the same order."""
    assert get_args(Priority) == PRIORITIES
    assert get_args(Status) == STATUSES
    assert get_args(IssueCode) == ISSUE_CODES
    assert Summary.model_fields["schema_version"].default == SCHEMA_VERSION


@pytest.mark.parametrize("make", [full_summary, empty_summary])
def test_a_summary_round_trips_through_json(make: Any) -> None:
    """Validating summary.json and writing it again gives the same JSON."""
    data = make()
    summary = Summary.model_validate(data)
    assert json.loads(summary.to_json()) == data


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("", "notes"),
        ("summary", "total_tickets_count"),
        ("sla/by_priority/High", "breach"),
        ("weather", "temperature"),
    ],
)
def test_an_unknown_key_is_an_error(path: str, key: str) -> None:
    """A key the model does not know is refused, not ignored."""
    data = full_summary()
    node = data
    for part in filter(None, path.split("/")):
        node = node[part]
    node[key] = 1
    with pytest.raises(ValidationError, match=key):
        Summary.model_validate(data)


@pytest.mark.parametrize(
    ("path", "old", "new"),
    [
        ("summary", "open_tickets", "open"),
        ("status_counts", "In Progress", "In_Progress"),
        ("data_quality/issues", "missing_subject", "no_subject"),
        ("agents/0", "avg_resolution_days", "average_resolution_days"),
    ],
)
def test_a_renamed_key_is_an_error_not_a_zero(path: str, old: str, new: str) -> None:
    """Renaming a key fails validation, naming the key, instead of reading as 0."""
    data = full_summary()
    node: Any = data
    for part in filter(None, path.split("/")):
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[new] = node.pop(old)
    with pytest.raises(ValidationError, match=old):
        Summary.model_validate(data)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("summary/open_tickets", 1.5),
        ("summary/open_tickets", "6"),
        ("summary/avg_resolution_days", "4.67"),
        ("resolution_time_days/overall/mean", None),  # count 9: not null
        ("generated_at", "2024-03-21T09:30:00+02:00"),  # not UTC
        ("backlog_aging", []),
    ],
)
def test_wrong_values_are_errors(path: str, value: Any) -> None:
    """Strings for numbers, fractions for counts and broken invariants fail."""
    data = full_summary()
    *parents, last = path.split("/")
    node: Any = data
    for part in parents:
        node = node[part]
    node[last] = value
    with pytest.raises(ValidationError):
        Summary.model_validate(data)


def test_the_summary_cannot_be_changed_in_place() -> None:
    """Renderers share one summary: it is frozen."""
    summary = Summary.model_validate(full_summary())
    with pytest.raises(ValidationError):
        summary.findings = []  # type: ignore[misc]
