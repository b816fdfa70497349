"""Per-agent figures, their order and the top three."""

from __future__ import annotations

from datetime import date
from typing import Any

from factories import make_tickets

from ticket_analysis.metrics import agent_stats, top_agents
from ticket_analysis.metrics.columns import Tickets
from ticket_analysis.summary_parts import AgentStats

#: Every ticket of ``_rows`` is Medium (target 7 days) created on 2024-01-01, so
#: on this date each open ticket is 30 days old: past its target.
AS_OF = date(2024, 1, 31)
#: The default targets, lowest priority first: Low 14, Medium 7, High 3, Critical 1.
TARGETS = (14, 7, 3, 1)


def _stats(tickets: Tickets, as_of: date = AS_OF) -> list[AgentStats]:
    return agent_stats(tickets, as_of, TARGETS)


def _done(agent: str, days: int | None, status: str = "Resolved") -> dict[str, Any]:
    """A resolved ticket of ``agent`` taking ``days`` (None: no usable date)."""
    resolved = None if days is None else f"2024-01-{1 + days:02d}"
    return {
        "assigned_to": agent,
        "status": status,
        "created_date": "2024-01-01",
        "resolved_date": resolved,
    }


def _open(agent: str | None) -> dict[str, Any]:
    return {"assigned_to": agent, "status": "Open"}


def _rows() -> list[dict[str, Any]]:
    return [
        # eve: 3 resolved (10, 10, 10) -> first on resolved alone.
        _done("eve", 10),
        _done("eve", 10, "Closed"),
        _done("eve", 10),
        # ana and bob: 2 resolved, both average 2.0 -> name decides: ana, bob.
        _done("bob", 0),
        _done("bob", 4),
        _done("ana", 1),
        _done("ana", 3),
        _open("ana"),
        # cy: 2 resolved, average 1.0 -> before ana and bob.
        _done("cy", 1),
        _done("cy", 1),
        # dee: 2 resolved without usable dates -> average None, last of the 2s.
        _done("dee", None, "Closed"),
        _done("dee", None),
        # fay: nothing resolved -> after everyone who resolved.
        _open("fay"),
        {"assigned_to": "fay", "status": "In Progress"},
        # Unassigned tickets never form an agent.
        _open(None),
        _done("", 2),
    ]


def test_agents_are_sorted_by_resolved_then_average_then_name() -> None:
    """Resolved desc, avg asc with None last, name asc."""
    agents = _stats(make_tickets(_rows()))
    assert [a.agent for a in agents] == ["eve", "cy", "ana", "bob", "dee", "fay"]
    by_name = {a.agent: a for a in agents}
    assert by_name["eve"] == AgentStats(
        agent="eve",
        resolved=3,
        avg_resolution_days=10.0,
        median_resolution_days=10.0,
        open=0,
        total=3,
        within_target=0,  # 10 > 7 three times
        breach_rate=1.0,
        open_breaching=0,
    )
    assert by_name["ana"] == AgentStats(
        agent="ana",
        resolved=2,
        avg_resolution_days=2.0,  # (1 + 3) / 2
        median_resolution_days=2.0,
        open=1,
        total=3,
        within_target=2,  # 1 and 3 <= 7
        breach_rate=0.0,
        open_breaching=1,  # open 30 days > 7
    )
    assert by_name["dee"].avg_resolution_days is None
    assert by_name["dee"].median_resolution_days is None
    assert by_name["dee"].resolved == 2
    # Resolved without a usable date: no resolution time, so no breach rate.
    assert (by_name["dee"].within_target, by_name["dee"].breach_rate) == (0, None)
    assert by_name["fay"] == AgentStats(
        agent="fay",
        resolved=0,
        avg_resolution_days=None,
        median_resolution_days=None,
        open=2,
        total=2,
        within_target=0,
        breach_rate=None,
        open_breaching=2,  # Open and In Progress, both 30 days > 7
    )


def test_top_agents_are_the_first_three_that_resolved_something() -> None:
    """Ties are already broken by the agents' order."""
    agents = _stats(make_tickets(_rows()))
    assert [a.agent for a in top_agents(agents)] == ["eve", "cy", "ana"]
    assert top_agents(agents)[0] == agents[0]


def test_top_agents_skip_agents_without_resolutions() -> None:
    """Fewer than three agents resolved anything: fewer are listed."""
    agents = _stats(make_tickets([_done("ana", 1), _open("bob"), _open("cy")]))
    assert [a.agent for a in top_agents(agents)] == ["ana"]


def test_average_and_median_per_agent() -> None:
    """Odd and even counts, rounding to 2 decimals."""
    rows = [_done("ana", d) for d in (0, 1, 6)]  # mean 7/3 = 2.33, median 1
    rows += [_done("bob", d) for d in (5, 0, 2, 3)]  # mean 2.5, median (2+3)/2
    agents = {a.agent: a for a in _stats(make_tickets(rows))}
    assert agents["ana"].avg_resolution_days == 2.33
    assert agents["ana"].median_resolution_days == 1.0
    assert agents["bob"].avg_resolution_days == 2.5
    assert agents["bob"].median_resolution_days == 2.5


def test_no_agents() -> None:
    """Only unassigned tickets, or none at all: no agents."""
    assert _stats(make_tickets([_open(None)])) == []
    assert _stats(make_tickets([])) == []
    assert top_agents([]) == []


def _ticket(agent: str | None, priority: str, **fields: str) -> dict[str, Any]:
    return {"assigned_to": agent, "priority": priority, **fields}


def test_sla_figures_hold_each_ticket_against_its_priority_target() -> None:
    """Per-agent SLA figures use each ticket's own priority target.

    hal: High in 3 days (within 3), High in 4 (breached), Low in 10 (within
    14), Closed without a date (no resolution time) -> 2 within of 3 timed,
    breach rate 1/3 = 0.3333. Open on 2024-01-31: Low created 01-17 is 14 days
    old (== 14, not past), High created 01-27 is 4 days old (> 3, past) -> 1.
    """
    rows = [
        _ticket("hal", "High", status="Resolved", resolved_date="2024-01-04"),
        _ticket("hal", "High", status="Closed", resolved_date="2024-01-05"),
        _ticket("hal", "Low", status="Resolved", resolved_date="2024-01-11"),
        _ticket("hal", "Critical", status="Closed"),
        _ticket("hal", "Low", created_date="2024-01-17"),
        _ticket("hal", "High", status="In Progress", created_date="2024-01-27"),
        # Unassigned tickets past target count for no agent.
        _ticket(None, "Critical", created_date="2024-01-01"),
    ]
    assert _stats(make_tickets(rows)) == [
        AgentStats(
            agent="hal",
            resolved=4,
            avg_resolution_days=5.67,  # (3 + 4 + 10) / 3
            median_resolution_days=4.0,
            open=2,
            total=6,
            within_target=2,
            breach_rate=0.3333,
            open_breaching=1,
        )
    ]


def test_agent_with_only_unresolved_tickets() -> None:
    """Nothing resolved: within 0 and no breach rate, open breaches still counted.

    gus on 2024-01-31: Critical created 01-28 is 3 days old (> 1: past), Low
    created 01-28 (3 <= 14: not), High created 01-28 (3 == 3: not past) ->
    open_breaching 1; nothing resolved: within 0, breach rate None.
    """
    rows = [
        _ticket("gus", "Critical", created_date="2024-01-28"),
        _ticket("gus", "Low", status="In Progress", created_date="2024-01-28"),
        _ticket("gus", "High", created_date="2024-01-28"),
    ]
    assert _stats(make_tickets(rows)) == [
        AgentStats(
            agent="gus",
            resolved=0,
            avg_resolution_days=None,
            median_resolution_days=None,
            open=3,
            total=3,
            within_target=0,
            breach_rate=None,
            open_breaching=1,
        )
    ]


def test_open_breaching_depends_on_as_of_and_targets() -> None:
    """Age exactly at the target is not past it; the targets are the caller's.

    The same Medium ticket created 2024-01-01: 7 days old on 01-08 (not past
    7), 8 days old on 01-09 (past); with a Medium target of 8, not past either.
    """
    tickets = make_tickets([_open("ana")])
    assert _stats(tickets, date(2024, 1, 8))[0].open_breaching == 0
    assert _stats(tickets, date(2024, 1, 9))[0].open_breaching == 1
    later = agent_stats(tickets, date(2024, 1, 9), (14, 8, 3, 1))
    assert later[0].open_breaching == 0
