"""Which slices a batch makes and their folder names (no notebook runs here).

Agent names and customer ids are customer-written: a folder name must never be
empty, hidden, a path or a name another slice (or the index) already has.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ticket_analysis.batch.slices import (
    MAX_SLUG,
    folder_names,
    month_ends,
    plan_slices,
    printable,
    slug,
)
from ticket_analysis.config import Settings
from ticket_analysis.exceptions import UsageError
from ticket_analysis.ingest.loader import load_tickets

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "tickets_sample.csv"
HOSTILE_NAMES = [
    "../../etc/passwd",
    "..",
    ".",
    "/",
    "a/b",
    "a\\b",
    "<script>alert(1)</script>",
    "!!!",
    "   ",
    "Zoë",
    "Zoe",
    "zoe",
    "Agent One",
    "agent-one",
    "Agent_Sarah",
    "\u00a0\u200b",
    "日本語",
    "中文",
    "CON",
    "nul",
    "x" * 300,
    "x" * 300 + "y",
    "index.html",
    ".ticket-analysis-abc",
    "line\nbreak",
]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Agent_Sarah", "agent_sarah"),
        ("Agent One", "agent-one"),
        ("Zoë  Müller", "zoe-muller"),
        ("../../etc/passwd", "etc-passwd"),
        ("<script>alert(1)</script>", "script-alert-1-script"),
        ("C100", "c100"),
        ("!!!", ""),
        ("..", ""),
        ("日本語", ""),
        ("__x__", "x"),
        ("index.html", "index-html"),
    ],
)
def test_slug(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_hostile_names_get_distinct_safe_folders(tmp_path: Path) -> None:
    folders = folder_names(HOSTILE_NAMES, fallback="agent")
    assert list(folders) == HOSTILE_NAMES
    values = list(folders.values())
    # distinct, also on a case-insensitive file system
    assert len({v.lower() for v in values}) == len(values)
    for name, folder in folders.items():
        assert folder, name
        assert set(folder) <= set("abcdefghijklmnopqrstuvwxyz0123456789-_"), folder
        assert not folder.startswith((".", "-", "_")), folder
        assert len(folder) <= MAX_SLUG + 1 + 8
        assert folder not in {"index.html", "index.json", "manifest.json"}
        inside = (tmp_path / folder).resolve()
        assert inside.parent == tmp_path.resolve(), name
    # names whose slugs collide each get a suffix; a unique slug stays plain
    assert folders["Agent_Sarah"] == "agent_sarah"
    assert folders["../../etc/passwd"] == "etc-passwd"
    for name in ("Zoë", "Zoe", "zoe", "Agent One", "agent-one", "x" * 300):
        assert folders[name].startswith(slug(name) + "-"), name
    # empty or reserved after slugging: the fallback or the slug, plus a hash
    for name in ("..", ".", "/", "!!!", "   ", "日本語", "\u00a0\u200b"):
        assert folders[name].startswith("agent-"), name
    assert folders["CON"].startswith("con-") and folders["nul"].startswith("nul-")


def test_a_folder_does_not_depend_on_order_or_unrelated_names() -> None:
    names = ["Zoë", "Zoe", "!!!", "Bob"]
    forward = folder_names(names, fallback="agent")
    backward = folder_names(names[::-1], fallback="agent")
    assert forward == backward
    alone = folder_names(["!!!", "Ann"], fallback="agent")
    assert alone["!!!"] == forward["!!!"]
    assert alone["Ann"] == "ann"


def test_a_suffix_that_equals_another_slug_gets_longer() -> None:
    """'Zoë' and 'Zoe' collide; a name that is literally 'zoe-<their hash>' too."""
    first = folder_names(["Zoë", "Zoe"], fallback="agent")
    taken = first["Zoë"]
    folders = folder_names(["Zoë", "Zoe", taken], fallback="agent")
    assert len(set(folders.values())) == 3
    assert folders[taken] == taken
    assert len(folders["Zoë"]) == len(taken) + 8


def test_printable_escapes_control_characters() -> None:
    assert printable("Ann\x1b[31m\nRed") == "Ann\\x1b[31m\\nRed"
    assert printable("Zoë 日本") == "Zoë 日本"


@pytest.mark.parametrize(
    ("first", "as_of", "count", "expected"),
    [
        (
            date(2026, 6, 3),
            date(2026, 11, 20),
            12,
            ["2026-06-30", "2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31",
             "2026-11-20"],
        ),
        (date(2026, 6, 3), date(2026, 11, 20), 2, ["2026-10-31", "2026-11-20"]),
        (date(2023, 1, 1), date(2024, 3, 31), 4,
         ["2023-12-31", "2024-01-31", "2024-02-29", "2024-03-31"]),
        (date(2024, 3, 5), date(2024, 3, 9), 12, ["2024-03-09"]),
        (None, date(2024, 3, 9), 12, ["2024-03-09"]),
    ],
)  # fmt: skip
def test_month_ends(
    first: date | None, as_of: date, count: int, expected: list[str]
) -> None:
    assert [d.isoformat() for d in month_ends(first, as_of, count)] == expected


@pytest.fixture(scope="module")
def sample_tickets():  # type: ignore[no-untyped-def]
    return load_tickets(SAMPLE, today=date(2026, 12, 1)).tickets


AS_OF = date(2026, 11, 20)


def test_agent_slices_of_the_sample(sample_tickets) -> None:  # type: ignore[no-untyped-def]
    """The five agents, most tickets first (README: the sample's load)."""
    slices = plan_slices("agent", sample_tickets, Settings(), AS_OF)
    assert [(s.name, s.folder, dict(s.update)) for s in slices] == [
        ("Agent_Mike", "agent_mike", {"agent": "Agent_Mike"}),
        ("Agent_Sarah", "agent_sarah", {"agent": "Agent_Sarah"}),
        ("Agent_Priya", "agent_priya", {"agent": "Agent_Priya"}),
        ("Agent_Tom", "agent_tom", {"agent": "Agent_Tom"}),
        ("Agent_Lena", "agent_lena", {"agent": "Agent_Lena"}),
    ]
    limited = plan_slices("agent", sample_tickets, Settings(), AS_OF, limit=2)
    assert [s.name for s in limited] == ["Agent_Mike", "Agent_Sarah"]


def test_agent_slices_follow_the_other_filters(sample_tickets) -> None:  # type: ignore[no-untyped-def]
    """With --customer C100 only the agents of C100's tickets get a report."""
    c100 = sample_tickets[sample_tickets["customer_id"] == "C100"]
    expected = set(c100["assigned_to"].dropna())
    slices = plan_slices("agent", sample_tickets, Settings(customer="C100"), AS_OF)
    assert {s.name for s in slices} == expected
    assert 0 < len(expected) < 5


def test_customer_slices_are_the_escalation_candidates(sample_tickets) -> None:  # type: ignore[no-untyped-def]
    """C100 (8 tickets) and C200 (6); C300 has exactly 5: not a candidate."""
    slices = plan_slices("customer", sample_tickets, Settings(), AS_OF)
    assert [(s.name, s.folder) for s in slices] == [("C100", "c100"), ("C200", "c200")]
    everyone = plan_slices(
        "customer", sample_tickets, Settings(), AS_OF, include_all=True
    )
    assert len(everyone) == sample_tickets["customer_id"].nunique()
    assert [s.name for s in everyone[:3]] == ["C100", "C200", "C300"]


def test_priority_and_month_slices(sample_tickets) -> None:  # type: ignore[no-untyped-def]
    slices = plan_slices("priority", sample_tickets, Settings(), AS_OF)
    assert [(s.name, s.folder) for s in slices] == [
        ("Critical", "critical"),
        ("High", "high"),
        ("Medium", "medium"),
        ("Low", "low"),
    ]
    months = plan_slices("month", sample_tickets, Settings(), AS_OF)
    assert [(s.name, s.folder) for s in months] == [
        ("2026-06-30", "2026-06"),
        ("2026-07-31", "2026-07"),
        ("2026-08-31", "2026-08"),
        ("2026-09-30", "2026-09"),
        ("2026-10-31", "2026-10"),
        ("2026-11-20", "2026-11"),
    ]
    assert months[-1].update == {"as_of": AS_OF}
    limited = plan_slices("month", sample_tickets, Settings(), AS_OF, limit=3)
    assert [s.name for s in limited] == ["2026-09-30", "2026-10-31", "2026-11-20"]


def test_the_dimension_s_own_filter_is_a_usage_error(sample_tickets) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match="leave out --agent"):
        plan_slices("agent", sample_tickets, Settings(agent="Agent_Tom"), AS_OF)
    with pytest.raises(UsageError, match="choose one of"):
        plan_slices("team", sample_tickets, Settings(), AS_OF)


def test_every_slice_gets_the_batch_s_as_of(sample_tickets, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Not each slice's own default (the day it runs); a month slice keeps its own."""
    from ticket_analysis.batch.run import _slice_settings

    agent = plan_slices("agent", sample_tickets, Settings(), AS_OF)[0]
    month = plan_slices("month", sample_tickets, Settings(), AS_OF)[0]
    shown = _slice_settings(Settings(), agent, tmp_path, tmp_path / "snap", AS_OF)
    assert (shown.as_of, shown.agent) == (AS_OF, "Agent_Mike")
    assert shown.output_dir == tmp_path / "agent_mike"
    assert shown.snapshot == tmp_path / "snap"
    past = _slice_settings(Settings(), month, tmp_path, tmp_path / "snap", AS_OF)
    assert past.as_of == date(2026, 6, 30)
