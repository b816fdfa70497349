"""The summary model: the one definition of summary.json (contract section 4).

The metrics build :class:`Metrics`, :func:`ticket_analysis.pipeline.analyse`
wraps it in a :class:`Summary`, and every renderer reads its attributes.
``schemas/summary.schema.json`` is generated from it::

    python -m ticket_analysis.summary > schemas/summary.schema.json

Models (the metric parts live in :mod:`ticket_analysis.summary_parts`)::

    Summary ── RunInfo: Parameters, Source, DataQuality
            ├─ Metrics: TicketTotals, Stats, OpenOverThreshold, AgentStats, ...
            └─ Weather (WeatherLocation), findings, recommendations
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, ConfigDict, Field, model_validator

from ticket_analysis import SCHEMA_VERSION
from ticket_analysis.summary_parts import (
    AGING_LABELS,
    PRIORITY_KEYS,
    AgentStats,
    AgingBucket,
    BacklogAging,
    Count,
    Day,
    Escalation,
    EscalationCustomer,
    IssueCounts,
    OpenOverThreshold,
    OverdueOpen,
    OverdueTicket,
    OverThresholdTicket,
    Part,
    Priority,
    PriorityCounts,
    ResolutionTimes,
    Sla,
    SlaFigures,
    Stats,
    Status,
    StatusCounts,
    SubjectCount,
    Text,
    TicketTotals,
    WordCount,
)
from ticket_analysis.summary_trends import (
    MonthVolume,
    Period,
    PeriodComparison,
    WeekdayVolume,
    WeekdayVolumes,
    WeeklyVolume,
    WeekVolume,
)

SCHEMA_ID = f"urn:ticket-analysis:summary:{SCHEMA_VERSION}"
SCHEMA_TITLE = "ticket-analysis summary.json"
SCHEMA_DESCRIPTION = (
    f"Machine-readable report of one run, schema_version {SCHEMA_VERSION}: the "
    "shape of the data and report contract, section 4 (the README explains each "
    "field)."
)
#: How to rewrite the committed schema after a change to the models.
REGENERATE = "python -m ticket_analysis.summary > schemas/summary.schema.json"
OptionalColumn = Literal["subject", "description", "resolved_date", "assigned_to"]


class Filters(Part):
    """The slice a report is narrowed to; null = not filtered."""

    agent: Text | None = None
    customer: Text | None = None
    priority: Priority | None = None


class Parameters(Part):
    """The parameters of the run."""

    open_days: Count
    escalation_threshold: Count
    top_words: Count
    list_limit: Count = Field(description="0 = no limit")
    sla_targets_days: PriorityCounts
    period_days: Annotated[int, Field(strict=True, ge=1)]
    filters: Filters


class Source(Part):
    """The input file: path, checksum, size, encoding and import profile."""

    path: Text
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    bytes: Count
    encoding: Text
    profile: Text = Field(
        default="canonical",
        description='"canonical", or the name of the import profile used.',
    )


class DataQuality(Part):
    """The accounting of the input's rows (contract section 2)."""

    records_read: Count
    rows_valid: Count
    rows_rejected: Count
    rows_with_warnings: Count
    issues: IssueCounts = Field(
        description="Occurrences per issue code (contract section 2); every code "
        "present."
    )
    rejected_rows_file: Text
    extra_columns: list[str] = Field(
        description="Header names the contract does not know; ignored."
    )
    missing_optional_columns: list[OptionalColumn] = Field(
        description="Optional contract columns absent from the file; treated as empty."
    )


class Scope(Part):
    """Which valid rows the report covers; the three counts add up to rows_valid."""

    filters: Filters
    tickets_in_scope: Count = Field(
        description="Valid rows created on or before as_of that match the filters."
    )
    created_after_as_of: Count
    filtered_out: Count


class Metrics(Part):
    """The analysis part of the summary, as :func:`compute_metrics` returns it."""

    summary: TicketTotals
    status_counts: StatusCounts
    priority_counts: PriorityCounts
    status_by_priority: Annotated[dict[Priority, StatusCounts], PRIORITY_KEYS]
    resolution_time_days: ResolutionTimes
    open_over_threshold: OpenOverThreshold
    backlog_aging: BacklogAging
    agents: list[AgentStats]
    top_agents: Annotated[list[AgentStats], Field(max_length=3)]
    monthly_volume: list[MonthVolume]
    weekly_volume: WeeklyVolume
    weekday_volume: WeekdayVolumes
    period_comparison: PeriodComparison
    overdue_open: OverdueOpen
    top_subjects: list[SubjectCount]
    top_subject_words: list[WordCount]
    escalation_candidates: Escalation
    sla: Sla


class WeatherLocation(Part):
    """Where the weather applies, as far as it is known."""

    name: str | None
    latitude: Annotated[float, Field(strict=True, ge=-90, le=90)] | None
    longitude: Annotated[float, Field(strict=True, ge=-180, le=180)] | None


_NUMBER = Annotated[float, Field(strict=True)]


class Weather(Part):
    """Current weather at the team's location, or why there is none."""

    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                {
                    "if": {"properties": {"status": {"const": "ok"}}},
                    "then": {"properties": {"provider": {"type": "string"}}},
                },
                {
                    "if": {"properties": {"status": {"const": "unavailable"}}},
                    "then": {
                        "properties": {"reason": {"type": "string", "minLength": 1}}
                    },
                },
            ]
        }
    )

    status: Literal["ok", "unavailable", "disabled"]
    provider: str | None
    location: WeatherLocation | None
    observed_at: str | None = Field(
        description="Observation time as the provider reports it (Open-Meteo: "
        "local time without offset)."
    )
    temperature_c: _NUMBER | None
    apparent_temperature_c: _NUMBER | None
    humidity_pct: Annotated[float, Field(strict=True, ge=0, le=100)] | None
    wind_kmh: Annotated[float, Field(strict=True, ge=0)] | None
    condition: str | None
    weather_code: Annotated[int, Field(strict=True)] | None
    from_cache: Annotated[bool, Field(strict=True)]
    stale: Annotated[bool, Field(strict=True)]
    reason: str | None
    attribution: str | None

    @model_validator(mode="after")
    def _status_has_its_fields(self) -> Self:
        if self.status == "ok" and self.provider is None:
            raise ValueError("weather with status ok names its provider")
        if self.status == "unavailable" and not self.reason:
            raise ValueError("unavailable weather gives a reason")
        return self


def _utc(value: datetime) -> datetime:
    if value.utcoffset() != timedelta(0):
        raise ValueError("generated_at must be in UTC")
    return value


class RunInfo(Part):
    """What was analysed, when and how: the head of the summary."""

    schema_version: Literal["1.1"] = "1.1"  # a test holds it to SCHEMA_VERSION
    generated_at: Annotated[
        datetime,
        AfterValidator(_utc),
        Field(
            description="ISO-8601 timestamp in UTC.",
            json_schema_extra={
                "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|\+00:00)$"
            },
        ),
    ]
    as_of: Day
    parameters: Parameters
    source: Source
    data_quality: DataQuality
    scope: Scope


# pydantic orders fields base-first along the reversed MRO: RunInfo's, then
# Metrics', then these, which is summary.json's key order.
class Summary(Metrics, RunInfo):
    """The whole summary.json of one run."""

    weather: Weather
    findings: list[Text]
    recommendations: list[Text]

    def to_json(self) -> str:
        """Return summary.json's text: 2-space indent, UTF-8 as is, no NaN."""
        data = self.model_dump(mode="json")
        return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def summary_json_schema() -> dict[str, Any]:
    """Return the JSON Schema (2020-12) of summary.json, generated from the model."""
    schema = Summary.model_json_schema(mode="serialization")
    _drop_titles(schema)
    del schema["description"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": SCHEMA_TITLE,
        "description": SCHEMA_DESCRIPTION,
        **schema,
    }


def schema_text() -> str:
    """Return the schema as committed in ``schemas/summary.schema.json``."""
    return json.dumps(summary_json_schema(), indent=2, ensure_ascii=False) + "\n"


def _drop_titles(node: Any) -> None:
    """Remove pydantic's generated titles ("Open Days"): they say nothing new."""
    if isinstance(node, dict):
        properties = node.get("properties")
        node.pop("title", None)
        for key, value in node.items():
            if key == "properties" and isinstance(properties, dict):
                for child in properties.values():
                    _drop_titles(child)
            else:
                _drop_titles(value)
    elif isinstance(node, list):
        for item in node:
            _drop_titles(item)


__all__ = [
    "AGING_LABELS",
    "REGENERATE",
    "SCHEMA_ID",
    "AgentStats",
    "AgingBucket",
    "DataQuality",
    "Escalation",
    "EscalationCustomer",
    "Filters",
    "Metrics",
    "MonthVolume",
    "OpenOverThreshold",
    "OverThresholdTicket",
    "OverdueOpen",
    "OverdueTicket",
    "Parameters",
    "Period",
    "PeriodComparison",
    "Priority",
    "ResolutionTimes",
    "RunInfo",
    "Scope",
    "Sla",
    "SlaFigures",
    "Source",
    "Stats",
    "Status",
    "StatusCounts",
    "SubjectCount",
    "Summary",
    "TicketTotals",
    "Weather",
    "WeatherLocation",
    "WeekVolume",
    "WeekdayVolume",
    "WordCount",
    "schema_text",
    "summary_json_schema",
]

if __name__ == "__main__":
    sys.stdout.write(schema_text())
