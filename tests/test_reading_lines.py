"""Issue 10, defects 4 and 7: every rejected row is reported on the line it starts.

Defect 4: an unquoted inch mark (``27"``) before a quoted multi-line field made
the fast reader's quote-parity scan disagree with the parsers. Defect 7: blank
lines before the header were a fatal "missing required columns". The property
test at the end checks the line-number guarantee against an oracle that knows
where each record starts because it wrote the file.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ticket_analysis import cli
from ticket_analysis.domain import COLUMNS
from ticket_analysis.exceptions import InputError
from ticket_analysis.ingest import linescan, reading
from ticket_analysis.ingest.reading import check_start, read_records
from ticket_analysis.ingest.validation import validate

HEADER = ",".join(COLUMNS)


def run_cli(tmp_path: Path, data: bytes) -> tuple[list[dict[str, str]], dict[str, Any]]:
    """Run ``python -m ticket_analysis`` in-process; return rejected rows, summary."""
    source = tmp_path / "in.csv"
    source.write_bytes(data)
    out = tmp_path / "out"
    code = cli.main(["--input", str(source), "--output-dir", str(out), "--no-weather"])
    assert code == 0
    text = (out / "rejected_rows.csv").read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    return rows, json.loads((out / "summary.json").read_text("utf-8"))


# --- defect 4 --------------------------------------------------------------------


DEFECT_4 = (
    HEADER + "\n"
    'T1,C1,27" monitor flickers,d,High,Open,2024-03-01,,A\n'
    'T2,C1,s,"l1\nl2\nl3",High,Open,2024-03-01,,A\n'
    'T3,C1,5" screen,d,Bogus,Open,2024-03-01,,A\n'
).encode()


@pytest.mark.usefixtures("clean_environment")
def test_inch_mark_before_multiline_field_keeps_line_numbers(tmp_path: Path) -> None:
    """T3 starts on line 6 (T2 spans 3-5): rejected_rows.csv says 6, not 5."""
    rows, summary = run_cli(tmp_path, DEFECT_4)
    assert [(r["line_number"], r["ticket_id"], r["subject"]) for r in rows] == [
        ("6", "T3", '5" screen')
    ]
    quality = summary["data_quality"]
    assert (quality["records_read"], quality["rows_valid"]) == (3, 2)


def test_both_readers_give_the_physical_start_lines() -> None:
    """Header 1, T1 2, T2 3 (to 5), T3 6, from both readers."""
    for exact in (False, True):
        raw = read_records(DEFECT_4, "f.csv", exact=exact)
        assert raw.line_numbers.tolist() == [2, 3, 6]
        assert raw.columns["subject"].to_pylist() == [
            '27" monitor flickers',
            "s",
            '5" screen',
        ]


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ('a,27" x\n', [4]),  # inch mark: literal
        ('a,x"""y\n', [3, 4, 5]),  # a run of three: all literal
        ('a, "b,c"\n', [3, 7]),  # space before the quote: literal, and the comma splits
        ('"ab"c"d,e\n', [5]),  # after a closing quote the field goes on unquoted
        ('"a""b",c\n', []),  # doubled quote inside a quoted field
        ('a,"x\n"\n', []),  # a quoted line break
        ('a\r"b",c\n', []),  # a quote after a lone CR opens a field
        ('27",x\n"y\nz",w\n', [2]),  # the stray quote ends at the comma
        ('a,b"\r"c\n', [3]),  # the CR ends the unquoted field; "c opens on line 2
    ],
)
def test_field_quotes_drop_exactly_the_literal_quotes(
    text: str, literal: list[int]
) -> None:
    """The quotes the parsers read as text (offsets given by hand) are dropped."""
    data = text.encode()
    quotes = linescan.positions(np.frombuffer(data, dtype=np.uint8), ord('"'))
    kept = linescan.field_quotes(data, quotes).tolist()
    assert sorted(set(quotes.tolist()) - set(kept)) == literal


def test_large_file_split_is_never_inside_a_record(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An odd number of stray quotes before the middle: halves still cut right.

    Counting every quote, the first line feed after the middle with an even
    count lies inside T3's quoted description; the reader must cut elsewhere.
    """
    rows = [
        f'T{i},C1,{i}" screen,d,High,Open,2024-03-01,,A'
        if i == 1
        else f'T{i},C1,s,"x\ny",High,Open,2024-03-01,,A'
        for i in range(1, 40)
    ]
    data = HEADER + "\n" + "\n".join(rows) + "\nT99,C1,s,d,Bad,Open,2024-03-01,,A\n"
    raw_data = data.encode()
    monkeypatch.setattr(reading, "_SPLIT_MIN_BYTES", 0)
    guess = linescan.guess_split_point(raw_data)
    quotes = linescan.field_quotes(
        raw_data, linescan.positions(np.frombuffer(raw_data, np.uint8), ord('"'))
    )
    assert guess is not None and not linescan.is_record_start(raw_data, quotes, guess)
    fast = read_records(raw_data, "f.csv")
    assert fast.line_numbers.tolist() == [2, *range(3, 3 + 2 * 38, 2), 79]
    exact = read_records(raw_data, "f.csv", exact=True)
    assert fast.line_numbers.tolist() == exact.line_numbers.tolist()


# --- defect 7 --------------------------------------------------------------------


DEFECT_7 = (
    "\n   \n\t\n" + HEADER + "\n"
    "T1,C1,s,d,High,Open,2024-03-01,,A\n"
    "\n"
    "T2,C1,s,d,Bogus,Open,2024-03-01,,A\n"
).encode()


@pytest.mark.usefixtures("clean_environment")
def test_blank_lines_before_the_header_are_skipped(tmp_path: Path) -> None:
    """Header on line 4, T1 on 5, blank 6, rejected T2 on 7; blank lines not counted."""
    rows, summary = run_cli(tmp_path, DEFECT_7)
    assert [(r["line_number"], r["ticket_id"]) for r in rows] == [("7", "T2")]
    quality = summary["data_quality"]
    assert (quality["records_read"], quality["rows_valid"]) == (2, 1)


@pytest.mark.parametrize(
    ("prefix", "header_line"),
    [
        (b"\xef\xbb\xbf\n\r\n", 3),  # a BOM, then blank lines
        (b"\r", 2),  # a lone CR
        (b",,,,\n", 2),  # a spreadsheet's empty row
        (b'""\n  ,  \n', 3),  # an empty quoted cell, blank cells
        (b"\xc2\xa0\n", 2),  # a no-break space only
    ],
)
def test_lines_before_the_header_that_are_blank(
    prefix: bytes, header_line: int
) -> None:
    """Each kind of blank line before the header is skipped and still numbered."""
    data = prefix + (HEADER + "\nT1,C1,s,d,High,Open,2024-03-01,,A\n").encode()
    for exact in (False, True):
        raw = read_records(data, "f.csv", exact=exact)
        assert raw.line_numbers.tolist() == [header_line + 1]
    check_start(data, "f.csv", whole=True)
    check_start(data[:-5], "f.csv", whole=False)


def test_only_blank_lines_and_empty_rows_are_refused() -> None:
    """A file of blank lines and empty rows has no header: one clear error."""
    with pytest.raises(InputError, match="contains only blank lines"):
        read_records(b"\n,,,\n  \n", "f.csv")
    with pytest.raises(InputError, match="contains only blank lines"):
        check_start(b"\n,,,\n  \n", "f.csv", whole=True)
    check_start(b"\n,,,\n  \n", "f.csv", whole=False)  # more may follow


def test_check_start_judges_a_header_after_blank_lines() -> None:
    """run_report's pre-check accepts a good header and refuses a bad one."""
    check_start(b"\n\n" + HEADER.encode() + b"\nT1,C", "f.csv", whole=False)
    with pytest.raises(InputError, match="missing required column"):
        check_start(b"\n\nticket_id,subject\nT1,C", "f.csv", whole=False)


# --- the property: every record on its physical start line ----------------------

plain = st.sampled_from(["s", "order 12", "", " x ", "é€", "a''b"])
# Unquoted text with quotes that are not at its start: read as literal quotes.
stray = st.builds(
    lambda head, tail: head + '"' + tail,
    st.sampled_from(["27", "5", "x", " ", "a b", 'q"']),
    st.sampled_from(["", " monitor", '"', '""', 'x"y', " wide"]),
)
quoted_text = st.lists(
    st.sampled_from(["l1", "a,b", '"', "\n", "\r\n", "\r", " ", "x"]), max_size=6
).map("".join)
line_end = st.sampled_from(["\n", "\r\n", "\r"])
blank = st.sampled_from(["", "  ", "\t"])


@dataclass
class Record:
    """A record as written: its fields, and what is wrong with it."""

    fields: list[str]
    fault: str | None  # None, "priority" (a row, rejected), "short"/"long" (malformed)


@st.composite
def records(draw: st.DrawFn, number: int) -> Record:
    """One record: free text in subject/description, maybe an invalid value."""
    fields = [f"T{number}", "C1", "", "", "High", "Open", "2024-03-01", "", "A"]
    for index in (2, 3):
        kind = draw(st.sampled_from(["plain", "stray", "quoted"]))
        if kind == "plain":
            fields[index] = draw(plain)
        elif kind == "stray":
            fields[index] = draw(stray)
        else:
            fields[index] = '"' + draw(quoted_text).replace('"', '""') + '"'
    fault = draw(st.sampled_from([None, None, None, "priority", "short", "long"]))
    if fault == "priority":
        fields[4] = "Bogus"
    elif fault == "short":
        fields = fields[:-1]
    elif fault == "long":
        fields = [*fields, "extra"]
    return Record(fields, fault)


@st.composite
def files(draw: st.DrawFn) -> tuple[bytes, list[tuple[int, Record]]]:
    """A file and, from the writing itself, each record's start line.

    The oracle: a record's start line is 1 + the line breaks (LF, CRLF, lone CR)
    in the text written before it; it knows where the record starts because it
    put it there (a lone CR followed by a blank line's LF is one CRLF break,
    which counting over the text written so far gets right).
    """
    parts: list[str] = []
    starts: list[tuple[int, Record]] = []

    def write(text: str, record: Record | None = None) -> None:
        if record is not None:
            before = "".join(parts)
            line = 1 + len(re.findall(r"\r\n|\r|\n", before))
            starts.append((line, record))
        parts.append(text)

    for _ in range(draw(st.integers(0, 2))):
        write(draw(blank) + draw(line_end))
    write(HEADER + draw(line_end))
    count = draw(st.integers(1, 8))
    for number in range(count):
        for _ in range(draw(st.integers(0, 1))):
            write(draw(blank) + draw(line_end))
        record = draw(records(number))
        last = number == count - 1 and draw(st.booleans())
        write(",".join(record.fields) + ("" if last else draw(line_end)), record)
    text = "".join(parts)
    return text.encode("utf-8"), starts


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated=files(), split=st.booleans())
def test_every_record_is_reported_on_the_line_where_it_starts(
    generated: tuple[bytes, list[tuple[int, Record]]], split: bool
) -> None:
    """Rows, malformed and rejected records carry the oracle's start line.

    Both readers, the fast one also cut in two halves (as for large files).
    """
    data, starts = generated
    rows = [line for line, r in starts if r.fault in (None, "priority")]
    malformed = [line for line, r in starts if r.fault in ("short", "long")]
    rejected = [line for line, r in starts if r.fault is not None]
    with mock.patch.object(reading, "_SPLIT_MIN_BYTES", 0 if split else 1 << 23):
        fast = read_records(data, "gen.csv")
    exact = read_records(data, "gen.csv", exact=True)
    for raw in (fast, exact):
        assert raw.line_numbers.tolist() == rows
        assert [m.line_number for m in raw.malformed] == malformed
    assert sorted(validate(fast).rejected["line_number"].tolist()) == rejected
    for name in COLUMNS:
        assert fast.columns[name].to_pylist() == exact.columns[name].to_pylist()
