"""The metric parts of the summary model: one pydantic model per summary.json block.

:mod:`ticket_analysis.summary` assembles them into :class:`~ticket_analysis.summary.
Summary`. Numbers are strict (a float is never taken for a count, nor a string
for a number); every enum-keyed object must hold all its keys, and is put in
the contract's key order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal, Self, TypeVar, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

Priority = Literal["Low", "Medium", "High", "Critical"]
Status = Literal["Open", "In Progress", "Resolved", "Closed"]
IssueCode = Literal[
    "malformed_record",
    "missing_required_field",
    "invalid_created_date",
    "invalid_priority",
    "invalid_status",
    "duplicate_ticket_id",
    "normalized_value",
    "invalid_resolved_date",
    "resolved_before_created",
    "missing_resolved_date",
    "resolved_date_on_open_ticket",
    "missing_subject",
    "created_after_as_of",
]
AgingLabel = Literal["0-1", "2-3", "4-7", "8-14", "15-30", "31+"]
#: The backlog aging buckets, youngest first (all six always present).
AGING_LABELS: tuple[str, ...] = get_args(AgingLabel)

Count = Annotated[int, Field(strict=True, ge=0)]
Days = Annotated[float, Field(strict=True, ge=0)]
#: A share between 0 and 1, rounded to 4 decimals.
Rate = Annotated[float, Field(strict=True, ge=0, le=1)]
Text = Annotated[str, Field(min_length=1)]
#: A calendar day, written ``YYYY-MM-DD``.
Day = Annotated[
    date, Field(json_schema_extra={"pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"})
]


class Part(BaseModel):
    """Base of every summary model: unknown keys are errors, values are final."""

    # Fields with a default are still always written, so the schema requires them.
    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_serialization_defaults_required=True
    )


@dataclass(frozen=True)
class EveryKey:
    """Annotation: an enum-keyed object holds every one of ``keys``, in that order."""

    keys: tuple[str, ...]

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        """Validate as ``source``, then require and order the keys."""
        return core_schema.no_info_after_validator_function(
            self._complete, handler(source)
        )

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """Add the keys as ``required`` to the object's JSON schema."""
        json_schema = handler(schema)
        json_schema["required"] = list(self.keys)
        return json_schema

    def _complete(self, value: dict[str, Any]) -> dict[str, Any]:
        missing = [key for key in self.keys if key not in value]
        if missing:
            raise ValueError(f"missing key(s) {missing}")
        return {key: value[key] for key in self.keys}


PRIORITY_KEYS = EveryKey(get_args(Priority))
STATUS_KEYS = EveryKey(get_args(Status))
PriorityCounts = Annotated[dict[Priority, Count], PRIORITY_KEYS]
StatusCounts = Annotated[dict[Status, Count], STATUS_KEYS]
IssueCounts = Annotated[dict[IssueCode, Count], EveryKey(get_args(IssueCode))]

_T = TypeVar("_T")
_PRIORITIES: tuple[Priority, ...] = get_args(Priority)
_STATUSES: tuple[Status, ...] = get_args(Status)


def by_priority(values: Iterable[_T]) -> dict[Priority, _T]:
    """Key values given in priority order (lowest first) by their priority."""
    return dict(zip(_PRIORITIES, values, strict=True))


def by_status(values: Iterable[_T]) -> dict[Status, _T]:
    """Key values given in workflow order by their status."""
    return dict(zip(_STATUSES, values, strict=True))


class TicketTotals(Part):
    """Headline counts and resolution times (the ``summary`` block)."""

    total_tickets: Count
    open_tickets: Count
    resolved_tickets: Count
    unassigned_tickets: Count
    avg_resolution_days: Days | None
    median_resolution_days: Days | None


_STATS_FIGURES = {"mean": "number", "median": "number", "p90": "number"}
_STATS_FIGURES |= {"min": "integer", "max": "integer"}


class Stats(Part):
    """Resolution time statistics in days; all null when count is 0."""

    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"count": {"const": 0}}},
            "then": {"properties": {k: {"type": "null"} for k in _STATS_FIGURES}},
            "else": {"properties": {k: {"type": t} for k, t in _STATS_FIGURES.items()}},
        }
    )

    count: Count
    mean: Days | None
    median: Days | None
    p90: Days | None
    min: Count | None
    max: Count | None

    @model_validator(mode="after")
    def _null_when_empty(self) -> Self:
        figures = (self.mean, self.median, self.p90, self.min, self.max)
        if any((value is None) != (self.count == 0) for value in figures):
            raise ValueError("statistics must be null exactly when count is 0")
        return self


class ResolutionTimes(Part):
    """Resolution time statistics overall and per priority."""

    overall: Stats
    by_priority: Annotated[dict[Priority, Stats], PRIORITY_KEYS]


class OverThresholdTicket(Part):
    """One open ticket older than the threshold."""

    ticket_id: Text
    customer_id: Text
    priority: Priority
    status: Literal["Open", "In Progress"]
    assigned_to: Text | None
    created_date: Day
    age_days: Annotated[int, Field(strict=True, ge=1)]


class OpenOverThreshold(Part):
    """Open tickets older than ``threshold_days``."""

    threshold_days: Count
    count: Count
    by_priority: PriorityCounts
    tickets: list[OverThresholdTicket] = Field(
        description="Oldest first, then ticket_id; at most list_limit entries."
    )


class AgingBucket(Part):
    """How many open tickets fall in one age bucket."""

    bucket: AgingLabel
    count: Count


def _in_bucket_order(buckets: list[AgingBucket]) -> list[AgingBucket]:
    if tuple(bucket.bucket for bucket in buckets) != AGING_LABELS:
        raise ValueError(f"expected the buckets {list(AGING_LABELS)}, in this order")
    return buckets


def _bucket_schema(schema: dict[str, Any]) -> None:
    """Spell the bucket order out as ``prefixItems`` (JSON Schema 2020-12)."""
    item = schema.pop("items")
    schema["prefixItems"] = [
        {**item, "properties": {"bucket": {"const": label}}} for label in AGING_LABELS
    ]
    schema["items"] = False


BacklogAging = Annotated[
    list[AgingBucket],
    AfterValidator(_in_bucket_order),
    Field(
        description="All six buckets, in this order.",
        min_length=len(AGING_LABELS),
        max_length=len(AGING_LABELS),
        json_schema_extra=_bucket_schema,
    ),
]


class AgentStats(Part):
    """One agent's resolved, open and total tickets and resolution times."""

    agent: Text
    resolved: Count
    avg_resolution_days: Days | None
    median_resolution_days: Days | None
    open: Count
    total: Count
    within_target: Count
    breach_rate: Rate | None
    open_breaching: Count


class OverdueTicket(OverThresholdTicket):
    """One open ticket older than its priority's SLA target."""

    target_days: Count
    overdue_days: Annotated[int, Field(strict=True, ge=1)]


class OverdueOpen(Part):
    """The action list: open tickets past their priority's target."""

    count: Count
    unassigned: Count = Field(description="How many of them have no agent.")
    by_priority: PriorityCounts
    tickets: list[OverdueTicket] = Field(
        description="Critical first, then most overdue, then ticket_id; at most "
        "list_limit entries."
    )


class SubjectCount(Part):
    """One whole subject that occurs at least twice (normalised, lower-cased)."""

    subject: Text
    count: Annotated[int, Field(strict=True, ge=2)]


class WordCount(Part):
    """One frequent subject word."""

    word: Annotated[str, Field(min_length=2)]
    count: Annotated[int, Field(strict=True, ge=1)]


class EscalationCustomer(Part):
    """One customer over the escalation threshold."""

    customer_id: Text
    tickets: Annotated[int, Field(strict=True, ge=1)]
    open: Count
    high_or_critical: Count


class Escalation(Part):
    """Customers with more than ``threshold`` tickets."""

    threshold: Count
    count: Count
    customers: list[EscalationCustomer] = Field(
        description="Most tickets first, then customer_id; at most list_limit entries."
    )


class SlaFigures(Part):
    """SLA figures of one priority."""

    resolved_with_duration: Count
    within_target: Count
    breach_rate: Rate | None
    open_breaching: Count


class Sla(Part):
    """Resolution targets per priority and how often they break."""

    targets_days: PriorityCounts
    overall: SlaFigures = Field(
        description="Over all priorities, each ticket against its own target."
    )
    by_priority: Annotated[dict[Priority, SlaFigures], PRIORITY_KEYS]
