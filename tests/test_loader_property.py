"""Property-based: any file is either refused clearly or fully accounted for."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ticket_analysis.domain import COLUMNS
from ticket_analysis.exceptions import InputError
from ticket_analysis.ingest.reading import read_records
from ticket_analysis.ingest.validation import validate

HEADER = ",".join(COLUMNS)

# Field values: plausible ones, variants, and junk with quotes, commas, newlines.
plausible = st.sampled_from(
    [
        "T1",
        "T2",
        "C1",
        "Low",
        "high",
        "IN-PROGRESS",
        "Closed",
        "Urgent",
        "2024-01-05",
        "2024-02-30",
        "12/01/2024",
        "",
        " ",
        "Agent A",
        "Re: order #12, please",
    ]
)
junk = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=12,
)
field_value = st.one_of(plausible, plausible, junk)
row = st.lists(field_value, min_size=7, max_size=11)


def to_csv(rows: list[list[str]], crlf: bool) -> bytes:
    """Write rows as CSV with the csv module (valid quoting)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n" if crlf else "\n").writerows(rows)
    return (HEADER + ("\r\n" if crlf else "\n") + out.getvalue()).encode("utf-8")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(row, max_size=12), crlf=st.booleans())
def test_fast_and_exact_parsers_agree_on_valid_csv(
    rows: list[list[str]], crlf: bool
) -> None:
    """Both parsers give the same rows, line numbers and malformed records."""
    data = to_csv(rows, crlf)
    fast = read_records(data, "gen.csv")
    exact = read_records(data, "gen.csv", exact=True)
    assert fast.records_read == exact.records_read
    np.testing.assert_array_equal(fast.line_numbers, exact.line_numbers)
    assert [m.line_number for m in fast.malformed] == [
        m.line_number for m in exact.malformed
    ]
    for name in COLUMNS:
        assert fast.columns[name].to_pylist() == exact.columns[name].to_pylist()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(row, max_size=10),
    noise=st.binary(max_size=40),
    where=st.integers(min_value=0, max_value=10_000),
)
def test_any_bytes_are_refused_or_accounted(
    rows: list[list[str]], noise: bytes, where: int
) -> None:
    """Random bytes spliced into a CSV: InputError, or records_read = valid + rejected."""
    data = to_csv(rows, crlf=False)
    cut = len(HEADER) + 1 + where % (len(data) - len(HEADER))
    data = data[:cut] + noise + data[cut:]
    try:
        raw = read_records(data, "gen.csv")
    except InputError:
        return
    checked = validate(raw)
    assert raw.records_read == len(checked.tickets) + len(checked.rejected)
    assert checked.tickets["ticket_id"].is_unique
    assert (checked.tickets["ticket_id"] != "").all()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(row, max_size=12), crlf=st.booleans())
def test_consuming_the_columns_gives_the_same_tables(
    rows: list[list[str]], crlf: bool
) -> None:
    """``validate(consume=True)`` (the loader's) equals the non-consuming one."""
    data = to_csv(rows, crlf)
    kept = read_records(data, "gen.csv")
    consumed = read_records(data, "gen.csv")
    expected = validate(kept)
    got = validate(consumed, consume=True)
    assert consumed.columns == {}
    assert set(kept.columns) == set(COLUMNS)
    for name in ("tickets", "rejected", "issues"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(expected, name))
    np.testing.assert_array_equal(got.has_warning, expected.has_warning)
