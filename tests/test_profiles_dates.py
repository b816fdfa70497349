"""Timestamps under an import profile: their calendar date as written (contract §8).

The reader is column-wise (regexes over pyarrow arrays); these tests hold it to
Python's own ``datetime.strptime`` for the formats, and to the contract's list for
ISO-8601. The canonical form stays strict ``YYYY-MM-DD`` (contract §1).
"""

from __future__ import annotations

import re
import string
from datetime import date, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ticket_analysis.ingest.datetimes import compile_format, read_dates
from ticket_analysis.ingest.loader import load_tickets


def read(values: list[str], *patterns: str) -> list[str]:
    """Run the reader over ``values`` with the given strptime patterns."""
    formats = tuple(compile_format(p) for p in patterns)
    result = read_dates(pa.array(values, pa.large_string()), formats)
    return [str(v) for v in result.to_pylist()]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-15", "2024-01-15"),
        ("2024-01-15 09:32", "2024-01-15"),
        ("2024-01-15T09:32:11Z", "2024-01-15"),
        ("2024-01-15 09:32:11 -0800", "2024-01-15"),
        # The date as written, in its own offset: not converted to UTC.
        ("2024-01-15T23:30:00-08:00", "2024-01-15"),
        ("2024-01-15T00:10:00+14:00", "2024-01-15"),
        ("2024-01-15T09:32:11.123456+01", "2024-01-15"),
        ("2024-01-15 09:32:11,5Z", "2024-01-15"),
        # Not ISO-8601: left as they are, for the strict rule to reject.
        ("2024-01-15 24:00", "2024-01-15 24:00"),
        ("2024-01-15 9:32", "2024-01-15 9:32"),
        ("2024-01-15T09", "2024-01-15T09"),
        ("2024-01-15 09:32 UTC", "2024-01-15 09:32 UTC"),
        ("2024-1-15 09:32", "2024-1-15 09:32"),
        ("15/01/2024 09:32", "15/01/2024 09:32"),
        ("", ""),
        # The shape is read; whether the day is real is the strict rule's job.
        ("2024-02-30 10:00", "2024-02-30"),
    ],
)
def test_iso_8601_timestamps(value: str, expected: str) -> None:
    """Every profile reads ISO-8601 first (the contract's three examples and more)."""
    assert read([value]) == [expected]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("15/Jan/24 9:32 AM", "2024-01-15"),
        ("15/jan/24 09:32 pm", "2024-01-15"),
        ("5/Jan/24 9:32 AM", "2024-01-05"),
        ("15/Jan/24   9:32   AM", "2024-01-15"),
        ("28/Feb/24 11:59 PM", "2024-02-28"),
        ("01/Mar/24 12:01 AM", "2024-03-01"),
        ("15/Jan/69 9:32 AM", "1969-01-15"),
        ("15/Jan/68 9:32 AM", "2068-01-15"),
        ("31/Feb/24 9:32 AM", "2024-02-31"),
        ("15/January/24 9:32 AM", "15/January/24 9:32 AM"),
        ("15/Jan/2024 9:32 AM", "15/Jan/2024 9:32 AM"),
        ("15/Jan/24 13:32 PM", "15/Jan/24 13:32 PM"),
        ("15/Jan/24 9:32AM", "15/Jan/24 9:32AM"),
        ("15/Jan/24", "15/Jan/24"),
    ],
)
def test_jira_format(value: str, expected: str) -> None:
    """Jira's ``%d/%b/%y %I:%M %p``, read as Python's strptime reads it."""
    assert read([value], "%d/%b/%y %I:%M %p") == [expected]


def test_formats_are_tried_in_order_after_iso() -> None:
    """ISO-8601 first, then each format; a column may mix them."""
    values = ["2024-03-04", "03.04.2024", "04/03/2024 10:00", "2024-03-04 10:00"]
    assert read(values, "%d.%m.%Y", "%m/%d/%Y %H:%M") == [
        "2024-03-04",
        "2024-04-03",
        "2024-04-03",
        "2024-03-04",
    ]
    # A format that would read an ISO date differently never gets the chance.
    assert read(["2024-03-04"], "%Y-%d-%m") == ["2024-03-04"]


def test_a_column_keeps_its_unread_values_in_place() -> None:
    """Read dates, repeated unread values and empties keep their rows."""
    values = [
        "next week",
        "2024-03-04 10:00",
        "",
        "03.04.2024",
        "next week",
        "2024-03-04T11:00Z",
        "2024-1-2",
    ]
    assert read(values, "%d.%m.%Y") == [
        "next week",
        "2024-03-04",
        "",
        "2024-04-03",
        "next week",
        "2024-03-04",
        "2024-1-2",
    ]


def test_canonical_dates_stay_strict(tmp_path: Path) -> None:
    """Without a profile a timestamp is an invalid date (contract §1)."""
    path = tmp_path / "canonical.csv"
    path.write_text(
        "ticket_id,customer_id,subject,priority,status,created_date\n"
        "T1,C1,Hello,High,Open,2024-01-15 09:32\n"
        "T2,C1,Hello,High,Open,2024-01-15\n",
        encoding="utf-8",
    )
    result = load_tickets(path, today=date(2024, 2, 1))
    assert result.source.profile == "canonical"
    assert result.tickets["ticket_id"].tolist() == ["T2"]
    assert result.issues["message"].tolist() == [
        "created_date '2024-01-15 09:32' is not a real YYYY-MM-DD date"
    ]


def test_an_unreadable_timestamp_names_the_forms_the_profile_reads(
    tmp_path: Path,
) -> None:
    """Under Jira: an unreal day and an unknown form, each explained."""
    path = tmp_path / "jira.csv"
    path.write_text(
        "Issue key,Summary,Reporter,Priority,Status,Created,Resolved\n"
        "SUP-1,Hi,a,High,Open,31/Feb/24 9:32 AM,\n"
        "SUP-2,Hi,a,High,Done,01/Feb/24 9:32 AM,2024.02.03\n",
        encoding="utf-8",
    )
    issues = load_tickets(path, today=date(2024, 3, 1)).issues
    forms = "(YYYY-MM-DD, ISO-8601, %d/%b/%y %I:%M %p)"
    assert issues[["line_number", "code", "message"]].values.tolist() == [
        [
            2,
            "invalid_created_date",
            f"created_date '31/Feb/24 9:32 AM' is not a real date in a form the "
            f"jira profile reads {forms}",
        ],
        [
            3,
            "normalized_value",
            "status 'Done' was normalised to Resolved (the jira profile)",
        ],
        [
            3,
            "invalid_resolved_date",
            f"resolved_date '2024.02.03' is not a real date in a form the jira "
            f"profile reads {forms}; treated as empty",
        ],
        [
            3,
            "missing_resolved_date",
            "resolved ticket without a usable resolved_date; counted as resolved, "
            "no duration",
        ],
    ]


# --- the formats agree with Python's strptime ---------------------------------------

#: Formats of every kind: separators, none (whole values are parsed), names,
#: runs of whitespace, time first, offsets, fractions.
FORMATS = [
    "%d/%b/%y %I:%M %p",
    "%d.%m.%Y %H:%M",
    "%m/%d/%Y",
    "%Y%m%d",
    "%d %B %Y %H:%M:%S",
    "%a, %d %b %Y %H:%M:%S %z",
    "%H:%M %d-%m-%y",
    "%Y/%m/%d %H:%M:%S.%f",
    "%d%b%Y",
    "%b %d, %Y",
]
_NOISE = string.digits + "/:. -,APMapmJanFebDecMayTuesday+Z"


def _python(value: str, pattern: str) -> str | None:
    """The date Python's strptime gives, or None where it refuses the value."""
    try:
        return datetime.strptime(value, pattern).date().isoformat()
    except ValueError:
        return None


def _ours(value: str, pattern: str) -> str | None:
    """The reader's date, None when it is left for the strict rule to reject."""
    result = read([value], pattern)[0]
    if not re.fullmatch(r"\d{4}-\d\d-\d\d", result):
        return None
    try:
        return date.fromisoformat(result).isoformat()
    except ValueError:
        return None


@st.composite
def stamps(draw: st.DrawFn, pattern: str) -> str:
    """A rendering of a datetime in ``pattern``, maybe unpadded, cased or damaged."""
    moment = datetime(1950, 1, 1) + timedelta(
        seconds=draw(st.integers(0, 150 * 365 * 86400)),
        microseconds=draw(st.integers(0, 999_999)),
    )
    text = moment.strftime(
        pattern.replace(
            "%z",
            draw(
                st.sampled_from(
                    [
                        "+0000",
                        "-08:00",
                        "+0530",
                        "Z",
                        "+23:59",
                        "+24:00",
                        "+01:0030",
                        "z",
                    ]
                )
            ),
        )
    )
    if draw(st.booleans()):
        text = text.replace("/0", "/").replace(" 0", " ")
    if draw(st.booleans()):
        text = text.swapcase()
    if draw(st.booleans()):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 2))
        text = text[:at] + draw(st.text(_NOISE, max_size=2)) + text[at + cut :]
    return text


@settings(max_examples=300, deadline=None)
@given(data=st.data(), pattern=st.sampled_from(FORMATS))
def test_formats_read_dates_as_python_strptime_does(
    data: st.DataObject, pattern: str
) -> None:
    """Any value: the same date as ``datetime.strptime``, or refused by both.

    ISO-8601 is tried first by the reader, so values of that shape are left out.
    """
    value = data.draw(st.one_of(stamps(pattern), st.text(_NOISE, max_size=24)))
    if read([value]) != [value] and value:  # read as ISO-8601 first
        return
    assert _ours(value, pattern) == _python(value, pattern), value
