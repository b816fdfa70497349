"""Property: a profile reads an export exactly as the canonical file reads its twin.

Hypothesis writes a canonical file (valid and invalid values, duplicates, blank
and untrimmed fields, a two-line description), and this module converts it to
each built-in profile's format the way that helpdesk would export it: its
headers, one of its own values for each canonical value (or the canonical value,
which every profile accepts), its timestamps with a random time of day, and for
Zendesk and Freshdesk the customer or resolution moved to a later candidate
column now and then (or a decoy put there, which the first candidate's value
must win over). Invalid values stay as they were. The two summary.json
files must be equal apart from ``source`` and the ``normalized_value`` warnings
(and so ``rows_with_warnings``), and the issues apart from those warnings must
sit on the same lines.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ticket_analysis.config import Settings, WeatherSettings
from ticket_analysis.domain import COLUMNS, PRIORITIES, STATUSES
from ticket_analysis.ingest.profiles import builtin_profile, enum_key
from ticket_analysis.pipeline import analyse

NOW = datetime(2024, 6, 30, 12, 0, tzinfo=UTC)
#: Draws a value from a strategy (``data.draw``).
Draw = Callable[[st.SearchStrategy[Any]], Any]
#: Each profile's timestamp form, as its helpdesk writes it.
STAMPS = {
    "zendesk": "%Y-%m-%d %H:%M",
    "freshdesk": "%Y-%m-%d %H:%M:%S",
    "jira": "%d/%b/%y %I:%M %p",
}
#: Later candidate columns a value may move to: (column, from, to).
MOVES = {
    "zendesk": ("customer_id", "Requester id", "Requester email"),
    "freshdesk": ("resolved_date", "Resolved time", "Closed time"),
}
#: What a later candidate holds beside a first one that has a value.
DECOYS = {"zendesk": "decoy@example.com", "freshdesk": "2024-06-30 10:00:00"}

#: Per column: values the contract accepts, and values it refuses or warns about
#: (no profile maps these either: P1, Waiting...). Most rows are valid.
POOLS: dict[str, tuple[list[str], list[str]]] = {
    "ticket_id": (["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", " T9 "], [""]),
    "customer_id": (["C1", "C2", " C3 "], ["", "  "]),
    "subject": (["Login fails", "login  fails", "Refund, please", "Printer"], [""]),
    "description": (["", "It broke.", 'Says "no"', "two\nlines"], []),
    "priority": (["Low", "Medium", "High", "Critical", "high", "CRITICAL"], ["P1", ""]),
    "status": (
        ["Open", "In Progress", "Resolved", "Closed", "in_progress", "closed"],
        ["Waiting", ""],
    ),
    "created_date": (
        ["2024-01-05", "2024-02-29", "2024-03-31", "2024-06-01", " 2024-05-10 "],
        ["2024-02-30", "12/01/2024", "1900-01-01", "2099-12-31", ""],
    ),
    "resolved_date": (
        ["", "2024-01-20", "2024-04-02", "2024-06-29"],
        ["2030-01-01", "2023-12-31", "bad"],
    ),
    "assigned_to": (["Ann", "Bo", "", " Cy "], []),
}
rows_strategy = st.lists(
    st.fixed_dictionaries(
        {c: st.sampled_from(ok * 6 + bad) for c, (ok, bad) in POOLS.items()}
    ),
    max_size=30,
)


def _canonical_value(value: str, allowed: tuple[str, ...]) -> str | None:
    """The canonical value the contract reads ``value`` as, None when invalid."""
    return next((a for a in allowed if enum_key(a) == enum_key(value)), None)


def _stamp(value: str, profile: str, draw: Draw) -> str:
    """A real date as the profile's timestamp; anything else as it was."""
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        return value
    if not 1970 <= day.year <= 2068:  # beyond %y's reach: ISO-8601 is read too
        return value
    moment = datetime.combine(
        day, time(draw(st.integers(0, 23)), draw(st.integers(0, 59)))
    )
    text = moment.strftime(STAMPS[profile])
    if profile == "jira" and draw(st.booleans()):
        text = text.replace(" 0", " ")  # Jira writes 9:05 AM
    return text


def convert(rows: list[dict[str, str]], profile: str, draw: Draw) -> str:
    """Write ``rows`` as ``profile``'s export (see the module docstring)."""
    spec = builtin_profile(profile)
    header = [spec.candidates(c)[0] for c in COLUMNS]
    move = MOVES.get(profile)
    if move:
        header.append(move[2])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        cells = dict(row)
        for name, allowed in (("priority", PRIORITIES), ("status", STATUSES)):
            meant = _canonical_value(row[name], allowed)
            if meant is not None:
                own = [k for k, v in spec.values.get(name, {}).items() if v == meant]
                cells[name] = draw(st.sampled_from([row[name], *own]))
        for name in ("created_date", "resolved_date"):
            cells[name] = _stamp(row[name], profile, draw)
        values = [cells[c] for c in COLUMNS]
        if move:
            at, later = COLUMNS.index(move[0]), ""
            if draw(st.booleans()):  # the first candidate left blank, the later used
                later, values[at] = values[at], draw(st.sampled_from(["", " "]))
            elif values[at].strip() and draw(st.booleans()):
                later = DECOYS[profile]  # never read: the first candidate has a value
            values.append(later)
        writer.writerow(values)
    return out.getvalue()


def _canonical_text(rows: list[dict[str, str]]) -> str:
    """Write ``rows`` as a canonical file."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _run(path: Path) -> tuple[dict[str, Any], list[tuple[int, str]]]:
    """summary.json's data and the (line, code) of every issue but normalisation."""
    run = Settings(input_path=path, weather=WeatherSettings(enabled=False))
    summary, load, _ = analyse(run, now=NOW)
    data: dict[str, Any] = json.loads(summary.to_json())
    issues = [
        (int(line), str(code))
        for line, code in zip(
            load.issues["line_number"], load.issues["code"], strict=True
        )
        if code != "normalized_value"
    ]
    return data, issues


def _comparable(summary: dict[str, Any]) -> dict[str, Any]:
    """The summary without ``source`` and the normalisation warnings."""
    quality = dict(summary["data_quality"])
    quality["issues"] = {
        k: v for k, v in quality["issues"].items() if k != "normalized_value"
    }
    del quality["rows_with_warnings"]
    return {**summary, "source": None, "data_quality": quality}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(rows=rows_strategy, profile=st.sampled_from(sorted(STAMPS)), data=st.data())
def test_a_profile_export_gives_the_canonical_summary(
    rows: list[dict[str, str]], profile: str, data: st.DataObject
) -> None:
    """Same figures, accounting and issue lines as the canonical twin."""
    with tempfile.TemporaryDirectory() as folder:
        canonical, converted = Path(folder, "canonical.csv"), Path(folder, "x.csv")
        canonical.write_text(_canonical_text(rows), encoding="utf-8")
        converted.write_text(convert(rows, profile, data.draw), encoding="utf-8")
        expected, expected_issues = _run(canonical)
        got, got_issues = _run(converted)
    assert expected["source"]["profile"] == "canonical"
    assert got["source"]["profile"] == profile
    assert _comparable(got) == _comparable(expected)
    assert got_issues == expected_issues
