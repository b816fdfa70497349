"""The assembly: a Metrics model with every part, contract order, parameters."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest
from factories import make_tickets

from ticket_analysis.metrics import METRIC_KEYS, compute_metrics
from ticket_analysis.summary import AgentStats, SubjectCount, WordCount

CONTRACT_ORDER = [
    "summary",
    "status_counts",
    "priority_counts",
    "status_by_priority",
    "resolution_time_days",
    "open_over_threshold",
    "backlog_aging",
    "agents",
    "top_agents",
    "monthly_volume",
    "weekly_volume",
    "weekday_volume",
    "period_comparison",
    "overdue_open",
    "top_subjects",
    "top_subject_words",
    "escalation_candidates",
    "sla",
]


def _walk(value: Any) -> list[Any]:
    """Return every leaf value of nested dicts and lists."""
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _walk(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _walk(v)]
    return [value]


def _sample() -> pd.DataFrame:
    rows: list[dict[str, Any]] = [
        {
            "ticket_id": f"T{i:02d}",
            "customer_id": "BIG",
            "subject": "VPN drops",
            "priority": "High",
            "status": "Resolved",
            "created_date": "2024-01-02",
            "resolved_date": "2024-01-05",
            "assigned_to": "ana",
        }
        for i in range(6)
    ]
    rows.append(
        {
            "ticket_id": "T99",
            "customer_id": "BIG",
            "created_date": "2024-03-01",
            "subject": "VPN",
        }
    )
    return make_tickets(rows)


def test_keys_are_in_contract_order() -> None:
    """The metrics come back with exactly the contract's keys, in its order."""
    result = compute_metrics(_sample(), as_of=date(2024, 3, 20))
    assert list(result.model_dump()) == CONTRACT_ORDER
    assert list(METRIC_KEYS) == CONTRACT_ORDER


def test_sample_values_flow_through() -> None:
    """Parameters reach the metrics that use them."""
    result = compute_metrics(
        _sample(),
        as_of=date(2024, 3, 20),
        open_days=30,
        escalation_threshold=6,
        top_words=1,
        period_days=10,
        sla_targets_days={"High": 2},
        extra_stop_words=["drops"],
    )
    assert result.summary.total_tickets == 7
    assert result.summary.avg_resolution_days == 3.0
    # T99 is 19 days old: not over 30 days
    assert result.open_over_threshold.threshold_days == 30
    assert result.open_over_threshold.count == 0
    # BIG has 7 tickets > 6
    assert result.escalation_candidates.count == 1
    assert result.escalation_candidates.customers[0].tickets == 7
    assert result.top_subject_words == [WordCount(word="vpn", count=7)]
    # 3 days > the 2-day High target, for all six
    assert result.sla.by_priority["High"].breach_rate == 1.0
    # T99 (Medium, open, 19 days) is past its 7-day target by 12 days.
    assert [(t.ticket_id, t.overdue_days) for t in result.overdue_open.tickets] == [
        ("T99", 12)
    ]
    # period_days 10: 2024-03-11..03-20 against 03-01..03-10, where T99 was created.
    current = result.period_comparison.current
    previous = result.period_comparison.previous
    assert (current.start, current.end) == (date(2024, 3, 11), date(2024, 3, 20))
    assert (current.created, previous.created, previous.start) == (
        0,
        1,
        date(2024, 3, 1),
    )
    assert result.top_subjects == [SubjectCount(subject="vpn drops", count=6)]
    ana = AgentStats(
        agent="ana",
        resolved=6,
        avg_resolution_days=3.0,
        median_resolution_days=3.0,
        open=0,
        total=6,
        within_target=0,
        breach_rate=1.0,
        open_breaching=0,
    )
    assert result.top_agents == result.agents == [ana]


def test_empty_frame_gives_a_complete_nan_free_result() -> None:
    """No tickets: every key present, zeros/None/empty lists, strict JSON."""
    result = compute_metrics(make_tickets([]), as_of=date(2024, 1, 1))
    data = result.model_dump(mode="json")
    text = json.dumps(data, allow_nan=False)  # raises on NaN or infinity
    assert json.loads(text) == data
    assert list(data) == CONTRACT_ORDER
    assert result.summary.total_tickets == 0
    assert result.resolution_time_days.overall.mean is None
    assert result.open_over_threshold.tickets == []
    assert [b.count for b in result.backlog_aging] == [0] * 6
    assert result.agents == result.top_agents == []
    assert result.monthly_volume == []
    assert [(w.created, w.open_at_end) for w in result.weekly_volume] == [(0, 0)] * 12
    assert [w.created for w in result.weekday_volume] == [0] * 7
    assert result.period_comparison.current.median_resolution_days is None
    assert result.overdue_open.count == 0 and result.top_subjects == []
    assert result.top_subject_words == []
    assert data["escalation_candidates"] == {
        "threshold": 5,
        "count": 0,
        "customers": [],
    }
    assert result.sla.by_priority["Low"].breach_rate is None


def test_values_are_plain_python_types() -> None:
    """No NumPy scalars or NaN anywhere: only JSON's own types."""
    result = compute_metrics(_sample(), as_of=date(2024, 3, 20)).model_dump()
    leaves = _walk(result)
    assert {type(v) for v in leaves} <= {int, float, str, bool, type(None), date}
    assert not any(isinstance(v, np.generic) for v in leaves)


def test_same_input_gives_the_same_json() -> None:
    """Deterministic: equal inputs, byte-identical JSON."""
    first = compute_metrics(_sample(), as_of=date(2024, 3, 20)).model_dump_json()
    second = compute_metrics(_sample(), as_of=date(2024, 3, 20)).model_dump_json()
    assert first == second


def test_rows_in_another_order_give_the_same_result() -> None:
    """The file order of the tickets does not change any list."""
    tickets = _sample()
    shuffled = tickets.sample(frac=1, random_state=7).reset_index(drop=True)
    as_of = date(2024, 3, 20)
    assert compute_metrics(shuffled, as_of=as_of) == compute_metrics(
        tickets, as_of=as_of
    )


@pytest.mark.parametrize(
    "name", ["open_days", "escalation_threshold", "top_words", "list_limit"]
)
def test_negative_parameters_are_refused(name: str) -> None:
    """A negative count or limit is a ValueError naming the parameter."""
    with pytest.raises(ValueError, match=name):
        compute_metrics(_sample(), as_of=date(2024, 3, 20), **{name: -1})  # type: ignore[arg-type]


def test_a_period_of_no_days_is_refused() -> None:
    with pytest.raises(ValueError, match="period_days must be >= 1, got 0"):
        compute_metrics(_sample(), as_of=date(2024, 3, 20), period_days=0)


def test_missing_column_is_named() -> None:
    """A frame without a needed column fails with the column's name."""
    with pytest.raises(ValueError, match="assigned_to"):
        compute_metrics(_sample().drop(columns="assigned_to"), as_of=date(2024, 3, 20))
