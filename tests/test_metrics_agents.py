"""Per-agent figures, their order and the top three."""

from __future__ import annotations

from typing import Any

from factories import make_tickets

from ticket_analysis.metrics import agent_stats, top_agents
from ticket_analysis.summary_parts import AgentStats


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
    agents = agent_stats(make_tickets(_rows()))
    assert [a.agent for a in agents] == ["eve", "cy", "ana", "bob", "dee", "fay"]
    by_name = {a.agent: a for a in agents}
    assert by_name["eve"] == AgentStats(
        agent="eve",
        resolved=3,
        avg_resolution_days=10.0,
        median_resolution_days=10.0,
        open=0,
        total=3,
    )
    assert by_name["ana"] == AgentStats(
        agent="ana",
        resolved=2,
        avg_resolution_days=2.0,  # (1 + 3) / 2
        median_resolution_days=2.0,
        open=1,
        total=3,
    )
    assert by_name["dee"].avg_resolution_days is None
    assert by_name["dee"].median_resolution_days is None
    assert by_name["dee"].resolved == 2
    assert by_name["fay"] == AgentStats(
        agent="fay",
        resolved=0,
        avg_resolution_days=None,
        median_resolution_days=None,
        open=2,
        total=2,
    )


def test_top_agents_are_the_first_three_that_resolved_something() -> None:
    """Ties are already broken by the agents' order."""
    agents = agent_stats(make_tickets(_rows()))
    assert [a.agent for a in top_agents(agents)] == ["eve", "cy", "ana"]
    assert top_agents(agents)[0] == agents[0]


def test_top_agents_skip_agents_without_resolutions() -> None:
    """Fewer than three agents resolved anything: fewer are listed."""
    agents = agent_stats(make_tickets([_done("ana", 1), _open("bob"), _open("cy")]))
    assert [a.agent for a in top_agents(agents)] == ["ana"]


def test_average_and_median_per_agent() -> None:
    """Odd and even counts, rounding to 2 decimals."""
    rows = [_done("ana", d) for d in (0, 1, 6)]  # mean 7/3 = 2.33, median 1
    rows += [_done("bob", d) for d in (5, 0, 2, 3)]  # mean 2.5, median (2+3)/2
    agents = {a.agent: a for a in agent_stats(make_tickets(rows))}
    assert agents["ana"].avg_resolution_days == 2.33
    assert agents["ana"].median_resolution_days == 1.0
    assert agents["bob"].avg_resolution_days == 2.5
    assert agents["bob"].median_resolution_days == 2.5


def test_no_agents() -> None:
    """Only unassigned tickets, or none at all: no agents."""
    assert agent_stats(make_tickets([_open(None)])) == []
    assert agent_stats(make_tickets([])) == []
    assert top_agents([]) == []
