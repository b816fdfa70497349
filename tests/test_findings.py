"""Tests for ticket_analysis.report.findings: each rule at and just past its boundary."""

from __future__ import annotations

import copy
import dataclasses
from datetime import date
from typing import Any

import pytest
from summary_fixtures import (
    EMPTY_FINDINGS,
    EMPTY_RECOMMENDATIONS,
    FULL_FINDINGS,
    FULL_RECOMMENDATIONS,
    empty_summary,
    full_summary,
)

from ticket_analysis.domain import ISSUE_CODES
from ticket_analysis.report import findings as rules
from ticket_analysis.report.findings import FindingThresholds
from ticket_analysis.report.formatting import (
    format_number,
    format_percent,
    is_complete_month,
    month_name,
)
from ticket_analysis.summary import Summary


def build_findings(
    summary: dict[str, Any], thresholds: FindingThresholds | None = None
) -> tuple[list[str], list[str]]:
    """Run the rules on a summary.json dict, validated into the model first."""
    return rules.build_findings(Summary.model_validate(summary), thresholds)


NO_RULE = (
    [
        "No rule crossed its threshold: SLA breach rates, backlog age, agent load, "
        "repeat customers, monthly volume and rejected rows are within limits."
    ],
    ["No action needed; check again with the next export."],
)
FIX_EXPORT = (
    "Fix the export at its source: rejected_rows.csv lists each rejected line with "
    "its reasons."
)


def quiet_summary() -> dict[str, Any]:
    """Return the full fixture with every rule's numbers just inside its limits."""
    summary = full_summary()
    for entry in summary["sla"]["by_priority"].values():
        entry.update(
            within_target=entry["resolved_with_duration"],
            breach_rate=0.0,
            open_breaching=0,
        )
    summary["open_over_threshold"].update(
        count=0, by_priority=dict.fromkeys(summary["priority_counts"], 0), tickets=[]
    )
    for agent, open_count in zip(summary["agents"], (2, 2, 1), strict=True):
        agent["open"] = open_count  # 2 of 6 open tickets is 33%
    summary["escalation_candidates"].update(count=0, customers=[])
    summary["monthly_volume"][1]["created"] = 5  # January 5, February 5
    summary["data_quality"].update(
        records_read=16, rows_rejected=0, issues=dict.fromkeys(ISSUE_CODES, 0)
    )
    return summary


def test_fixture_gives_the_hand_written_findings() -> None:
    """The 16-ticket fixture fires every rule; the text matches word for word."""
    assert build_findings(full_summary()) == (FULL_FINDINGS, FULL_RECOMMENDATIONS)


def test_quiet_summary_says_nothing_crossed_a_threshold() -> None:
    """With every number inside its limit, one finding says so: no empty lists."""
    assert build_findings(quiet_summary()) == NO_RULE


def test_output_is_deterministic_and_the_input_untouched() -> None:
    """The same summary gives the same lists; the summary is not modified."""
    summary = full_summary()
    before = copy.deepcopy(summary)
    assert build_findings(summary) == build_findings(summary)
    assert summary == before


# --- SLA breach rate ---


def _sla(
    priority: str,
    resolved: int,
    within: int,
    rate: float | None,
    median: float | None,
    open_breaching: int = 0,
) -> dict[str, Any]:
    """Return the quiet summary with one priority's SLA numbers set."""
    summary = quiet_summary()
    summary["sla"]["by_priority"][priority].update(
        resolved_with_duration=resolved,
        within_target=within,
        breach_rate=rate,
        open_breaching=open_breaching,
    )
    stats = summary["resolution_time_days"]["by_priority"][priority]
    if median is None:  # the model: no median only for a group without times
        stats.update(count=0, mean=None, median=None, p90=None, min=None, max=None)
    else:
        stats["median"] = median
    return summary


def test_sla_breach_rate_at_the_boundary_is_silent() -> None:
    """A breach rate of exactly 20% (1 of 5) does not fire."""
    assert build_findings(_sla("High", 5, 4, 0.2, 2.0)) == NO_RULE


def test_sla_breach_rate_just_past_the_boundary_fires() -> None:
    """2 of 9 (22%) breaching the High target fires, with the median and target."""
    assert build_findings(_sla("High", 9, 7, 0.2222, 2.5)) == (
        [
            "High tickets take 2.5 days at the median against a 3-day target; 2 of "
            "9 resolved (22%) breached it."
        ],
        [
            "Review High triage and staffing: 2 of 9 resolved High tickets missed "
            "the 3-day target."
        ],
    )


def test_sla_needs_the_minimum_number_of_resolved_tickets() -> None:
    """2 resolved tickets, both late, are too few; 3 of 3 late fires."""
    assert build_findings(_sla("Critical", 2, 0, 1.0, 4.0)) == NO_RULE
    findings, _ = build_findings(_sla("Critical", 3, 0, 1.0, 1.0, open_breaching=1))
    assert findings == [
        "Critical tickets take 1 day at the median against a 1-day target; 3 of 3 "
        "resolved (100%) breached it, and 1 open Critical ticket is already past it."
    ]


def test_sla_without_a_median_still_reports_the_breaches() -> None:
    """A null median drops the median clause, not the finding."""
    findings, _ = build_findings(_sla("Low", 4, 1, 0.75, None))
    assert findings == [
        "Low tickets miss their 14-day target; 3 of 4 resolved (75%) breached it."
    ]


def test_sla_breach_rate_threshold_is_configurable() -> None:
    """The fixture's 67% Critical and Medium breach rates stay silent at 70%."""
    findings, _ = build_findings(full_summary(), FindingThresholds(sla_breach_rate=0.7))
    assert not any("breached" in finding for finding in findings)


# --- backlog ---


def _backlog(count: int, tickets: int = 1) -> dict[str, Any]:
    """Return the quiet summary with ``count`` tickets over the age threshold."""
    summary = quiet_summary()
    summary["open_over_threshold"].update(
        count=count,
        by_priority={"Low": 0, "Medium": 0, "High": count, "Critical": 0},
        tickets=[
            {
                "ticket_id": f"T{100 + index}",
                "customer_id": "C9",
                "priority": "High",
                "status": "Open",
                "assigned_to": None,
                "created_date": "2024-03-01",
                "age_days": 8 + tickets - index,
            }
            for index in range(min(count, tickets))
        ],
    )
    return summary


def test_backlog_is_silent_without_old_tickets_and_fires_with_one() -> None:
    """No ticket over 7 days is silent; one fires, in the singular."""
    assert build_findings(quiet_summary()) == NO_RULE
    assert build_findings(_backlog(1)) == (
        [
            "1 ticket has been open longer than 7 days (1 High or Critical); the "
            "oldest, T100, has been open 9 days."
        ],
        [
            "Run an age-based triage of the oldest open ticket (listed under "
            "Backlog), starting with T100 at 9 days."
        ],
    )


def test_backlog_triage_asks_for_at_most_ten_tickets() -> None:
    """25 old tickets: the recommendation names the 10 oldest, the first one."""
    findings, recommendations = build_findings(_backlog(25, tickets=25))
    assert findings == [
        "25 tickets have been open longer than 7 days (25 High or Critical); the "
        "oldest, T100, has been open 33 days."
    ]
    assert recommendations == [
        "Run an age-based triage of the 10 oldest open tickets (listed under "
        "Backlog), starting with T100 at 33 days."
    ]


def test_backlog_threshold_is_configurable() -> None:
    """With backlog_tickets=3, three old tickets are silent and four fire."""
    limits = FindingThresholds(backlog_tickets=3)
    assert build_findings(_backlog(3), limits) == NO_RULE
    findings, _ = build_findings(_backlog(4), limits)
    assert findings[0].startswith("4 tickets have been open longer than 7 days")


# --- agent load ---


def _agents(open_total: int, *opens: int) -> dict[str, Any]:
    """Return the quiet summary with these open counts for Ann, Bob, Cy..."""
    summary = quiet_summary()
    summary["summary"]["open_tickets"] = open_total
    summary["agents"] = [
        {
            "agent": name,
            "resolved": 1,
            "avg_resolution_days": 1.0,
            "median_resolution_days": 1.0,
            "open": count,
            "total": count + 1,
        }
        for name, count in zip(("Ann", "Bob", "Cy"), opens, strict=False)
    ]
    return summary


def test_agent_share_at_the_boundary_is_silent() -> None:
    """2 of 5 open tickets is exactly 40%: silent."""
    assert build_findings(_agents(5, 2, 2, 1)) == NO_RULE


def test_agent_share_just_past_the_boundary_fires() -> None:
    """3 of 7 open tickets (43%) fires for that agent only."""
    assert build_findings(_agents(7, 3, 2, 2)) == (
        ["Ann holds 43% of open work (3 of 7 open tickets)."],
        [
            "Rebalance open work: share Ann's 3 open tickets with agents who have "
            "capacity."
        ],
    )


def test_agent_share_needs_the_minimum_open_tickets() -> None:
    """4 of 4 open tickets is too few to judge; 3 of 5 fires."""
    assert build_findings(_agents(4, 4)) == NO_RULE
    findings, _ = build_findings(_agents(5, 3, 2))
    assert findings == ["Ann holds 60% of open work (3 of 5 open tickets)."]


def test_agents_over_the_share_are_listed_most_loaded_first() -> None:
    """At a 25% limit, Cy (4) comes before Ann and Bob (3 each, by name)."""
    findings, _ = build_findings(
        _agents(10, 3, 3, 4), FindingThresholds(agent_open_share=0.25)
    )
    assert findings == [
        "Cy holds 40% of open work (4 of 10 open tickets).",
        "Ann holds 30% of open work (3 of 10 open tickets).",
        "Bob holds 30% of open work (3 of 10 open tickets).",
    ]


def test_ticket_derived_names_are_kept_as_they_are() -> None:
    """A hostile agent name is not escaped here: the renderers escape."""
    summary = _agents(5, 3)
    summary["agents"][0]["agent"] = "<b>*Eve*</b> $x$"
    findings, _ = build_findings(summary)
    assert findings == [
        "<b>*Eve*</b> $x$ holds 60% of open work (3 of 5 open tickets)."
    ]


# --- escalation candidates ---


def _customers(count: int) -> dict[str, Any]:
    """Return the quiet summary with ``count`` escalation candidates C1, C2..."""
    summary = quiet_summary()
    summary["escalation_candidates"] = {
        "threshold": 5,
        "count": count,
        "customers": [
            {
                "customer_id": f"C{n}",
                "tickets": 10 - n,
                "open": n,
                "high_or_critical": 1,
            }
            for n in range(1, count + 1)
        ],
    }
    return summary


def test_escalation_is_silent_without_candidates_and_fires_with_one() -> None:
    """No candidate is silent; one is named with its numbers."""
    assert build_findings(_customers(0)) == NO_RULE
    assert build_findings(_customers(1)) == (
        [
            "Customer C1 opened 9 tickets (more than 5), 1 still open, 1 High or Critical."
        ],
        ["Contact C1 proactively before they escalate."],
    )


def test_escalation_names_three_customers_and_counts_the_rest() -> None:
    """Five candidates: three named one by one, two counted together."""
    findings, recommendations = build_findings(_customers(5))
    assert findings == [
        "Customer C1 opened 9 tickets (more than 5), 1 still open, 1 High or Critical.",
        "Customer C2 opened 8 tickets (more than 5), 2 still open, 1 High or Critical.",
        "Customer C3 opened 7 tickets (more than 5), 3 still open, 1 High or Critical.",
        "2 more customers opened more than 5 tickets each (listed under Customers to "
        "Watch).",
    ]
    assert recommendations == [
        "Contact C1, C2, C3 and the 2 other customers listed under Customers to Watch "
        "proactively before they escalate."
    ]


def test_escalation_without_named_customers_counts_them_all() -> None:
    """With max_named_customers=0 the candidates are only counted."""
    limits = FindingThresholds(max_named_customers=0)
    assert build_findings(_customers(2), limits) == (
        [
            "2 customers opened more than 5 tickets each (listed under Customers to "
            "Watch)."
        ],
        [
            "Contact the 2 customers listed under Customers to Watch proactively "
            "before they escalate."
        ],
    )


# --- monthly volume ---


def _volume(*created: int, as_of: str = "2024-04-15") -> dict[str, Any]:
    """Return the quiet summary with monthly created counts from January 2024."""
    summary = quiet_summary()
    summary["as_of"] = as_of
    summary["monthly_volume"] = [
        {"month": f"2024-{index:02d}", "created": count, "resolved": 0}
        for index, count in enumerate(created, start=1)
    ]
    return summary


def test_volume_change_at_the_boundary_is_silent() -> None:
    """A 25% rise or fall (100 to 125, 100 to 75) is silent."""
    assert build_findings(_volume(100, 125)) == NO_RULE
    assert build_findings(_volume(100, 75)) == NO_RULE


def test_volume_rise_just_past_the_boundary_fires() -> None:
    """100 to 126 (26%) fires, naming both months, with a staffing step."""
    assert build_findings(_volume(100, 126)) == (
        [
            "Ticket volume rose 26% month over month: 126 created in February 2024 "
            "against 100 in January 2024."
        ],
        [
            "Plan staffing for the higher volume: February 2024 was up 26% on January 2024."
        ],
    )


def test_volume_fall_just_past_the_boundary_fires_without_a_recommendation() -> None:
    """100 to 74 (26% down) is a finding; a fall asks for no action."""
    assert build_findings(_volume(100, 74)) == (
        [
            "Ticket volume fell 26% month over month: 74 created in February 2024 "
            "against 100 in January 2024."
        ],
        [],
    )


def test_volume_needs_the_minimum_tickets_in_the_earlier_month() -> None:
    """4 to 12 is too small a base; 5 to 12 (140%) fires."""
    assert build_findings(_volume(4, 12)) == NO_RULE
    findings, _ = build_findings(_volume(5, 12))
    assert findings == [
        "Ticket volume rose 140% month over month: 12 created in February 2024 "
        "against 5 in January 2024."
    ]


def test_volume_compares_the_last_two_complete_months() -> None:
    """The as-of month counts only when as_of is its last day."""
    mid_march = _volume(100, 100, 10, as_of="2024-03-20")
    assert build_findings(mid_march) == NO_RULE  # March is partial
    findings, _ = build_findings(_volume(100, 100, 10, as_of="2024-03-31"))
    assert findings == [
        "Ticket volume fell 90% month over month: 10 created in March 2024 against "
        "100 in February 2024."
    ]


@pytest.mark.parametrize(
    "summary",
    [
        _volume(100, as_of="2024-04-15"),  # one month
        _volume(100, 10, as_of="2024-02-10"),  # one complete month
        _volume(0, 10),  # nothing to compare against
    ],
)
def test_volume_is_silent_without_two_comparable_months(
    summary: dict[str, Any],
) -> None:
    """Fewer than two complete months, or an empty base month, is silent."""
    assert build_findings(summary) == NO_RULE


# --- rejected rows ---


def _rejected(read: int, rejected: int, **issues: int) -> dict[str, Any]:
    """Return the quiet summary with this row accounting."""
    summary = quiet_summary()
    summary["data_quality"].update(
        records_read=read,
        rows_rejected=rejected,
        issues=dict.fromkeys(ISSUE_CODES, 0) | issues,
    )
    return summary


def test_reject_rate_at_the_boundary_is_silent() -> None:
    """2 of 100 rows (2%) rejected is silent."""
    assert build_findings(_rejected(100, 2, invalid_status=2)) == NO_RULE


def test_reject_rate_just_past_the_boundary_fires() -> None:
    """3 of 100 rejected fires and names the most common code in words."""
    summary = _rejected(100, 3, duplicate_ticket_id=2, invalid_status=1)
    assert build_findings(summary) == (
        [
            "3% of rows were rejected (3 of 100); the most common reason is a "
            "duplicate ticket id (2)."
        ],
        [FIX_EXPORT],
    )


def test_reject_reason_ties_follow_the_contract_order() -> None:
    """On a tie the code listed first in the contract wins; warnings never count."""
    summary = _rejected(10, 2, invalid_status=1, malformed_record=1, normalized_value=9)
    findings, _ = build_findings(summary)
    assert findings == [
        "20% of rows were rejected (2 of 10); the most common reason is a malformed "
        "record (1)."
    ]


def test_reject_recommendation_names_the_rejected_rows_file() -> None:
    """The file's name is taken from its path, Windows separators included."""
    summary = _rejected(10, 5)
    summary["data_quality"]["rejected_rows_file"] = "C:\\reports\\bad rows.csv"
    assert build_findings(summary) == (
        ["50% of rows were rejected (5 of 10)."],
        [
            "Fix the export at its source: bad rows.csv lists each rejected line "
            "with its reasons."
        ],
    )


# --- no tickets ---


def test_empty_summary_says_there_is_nothing_to_analyse() -> None:
    """An export without records gives one sentence and one step, no error."""
    assert build_findings(empty_summary()) == (EMPTY_FINDINGS, EMPTY_RECOMMENDATIONS)


def test_all_rows_rejected_explains_why() -> None:
    """Every record rejected: say so, and report the rejects."""
    summary = empty_summary()
    summary["data_quality"].update(
        records_read=5,
        rows_rejected=5,
        issues=dict.fromkeys(ISSUE_CODES, 0) | {"invalid_priority": 5},
    )
    assert build_findings(summary) == (
        [
            "No tickets to analyse: all 5 records were rejected.",
            "100% of rows were rejected (5 of 5); the most common reason is an "
            "invalid priority (5).",
        ],
        [FIX_EXPORT],
    )


# --- thresholds and formatting helpers ---


def test_thresholds_have_documented_defaults_and_are_frozen() -> None:
    """The defaults are the ones the README lists; a threshold cannot be changed."""
    limits = FindingThresholds()
    assert dataclasses.asdict(limits) == {
        "sla_breach_rate": 0.2,
        "sla_min_resolved": 3,
        "backlog_tickets": 0,
        "agent_open_share": 0.4,
        "agent_min_open": 5,
        "volume_change": 0.25,
        "volume_min_tickets": 5,
        "reject_rate": 0.02,
        "max_named_customers": 3,
    }
    with pytest.raises(dataclasses.FrozenInstanceError):
        limits.reject_rate = 0.5  # type: ignore[misc]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reject_rate", 1.5, "reject_rate=1.5: expected a share between 0 and 1"),
        ("agent_open_share", -0.1, "agent_open_share=-0.1: expected a share"),
        ("sla_breach_rate", float("nan"), "sla_breach_rate=nan"),
        ("volume_change", -0.5, "volume_change=-0.5: expected a fraction >= 0"),
        ("agent_min_open", -1, "agent_min_open=-1: expected a whole number >= 0"),
    ],
)
def test_thresholds_reject_out_of_range_values(
    field: str, value: float, message: str
) -> None:
    """A bad boundary fails at construction, naming the field."""
    kwargs: dict[str, Any] = {field: value}
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        FindingThresholds(**kwargs)


@pytest.mark.parametrize(
    ("fraction", "text"),
    [
        (0.0, "0%"),
        (0.025, "2.5%"),
        (0.03, "3%"),
        (0.0999, "10%"),
        (0.125, "13%"),
        (0.6667, "67%"),
        (1.0, "100%"),
        (1.4, "140%"),
    ],
)
def test_format_percent(fraction: float, text: str) -> None:
    """Whole percent from 10% up, one decimal below, halves rounded up."""
    assert format_percent(fraction) == text


def test_format_number_and_month_helpers() -> None:
    """Numbers of days keep one decimal; months are spelled out; completeness."""
    assert [format_number(v) for v in (3.0, 2.33, 2.25, 0.0)] == [
        "3",
        "2.3",
        "2.3",
        "0",
    ]
    assert month_name("2024-02") == "February 2024"
    assert is_complete_month("2024-02", date(2024, 2, 29))
    assert not is_complete_month("2024-02", date(2024, 2, 28))
    assert is_complete_month("2023-12", date(2024, 1, 1))
