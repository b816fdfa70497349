"""Issue 10, defect 6: a UTF-8 file with a few damaged bytes stays UTF-8.

Contract v1.1 §1: the file is UTF-8 when its non-ASCII bytes form valid UTF-8
sequences (here: at least as many valid multi-byte sequences as damaged ones);
damaged bytes become U+FFFD and a warning names their lines. An Excel cp1252
export (no valid multi-byte sequence) is still read as cp1252.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from pathlib import Path

import pytest

from ticket_analysis import cli
from ticket_analysis.domain import COLUMNS
from ticket_analysis.exceptions import InputError
from ticket_analysis.ingest.encoding import decode, name_lines
from ticket_analysis.ingest.reading import read_records

HEADER = ",".join(COLUMNS).encode()


def row(ticket: bytes, customer: bytes, priority: bytes = b"High") -> bytes:
    """One record (no line ending) with the given id, customer and priority."""
    return b",".join(
        [ticket, customer, b"s", b"d", priority, b"Open", b"2024-03-01", b"", b"A"]
    )


@pytest.mark.usefixtures("clean_environment")
def test_one_damaged_byte_keeps_the_file_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``CÜ`` stays ``CÜ``; the damaged ``0xFF`` on line 3 is U+FFFD and named."""
    data = b"\n".join(
        [
            HEADER,
            row(b"T1", b"C\xc3\x9c", b"Bogus"),  # line 2: CÜ, rejected
            row(b"T2", b"C\xff2", b"Bogus"),  # line 3: one damaged byte, rejected
            row(b"T3", b"M\xc3\xbcller"),  # line 4: Müller, valid
        ]
    )
    source, out = tmp_path / "in.csv", tmp_path / "out"
    source.write_bytes(data + b"\n")
    code = cli.main(["--input", str(source), "--output-dir", str(out), "--no-weather"])
    assert code == 0
    text = (out / "rejected_rows.csv").read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [(r["line_number"], r["customer_id"]) for r in rows] == [
        ("2", "CÜ"),
        ("3", "C\ufffd2"),
    ]
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["source"]["encoding"] == "utf-8"
    assert summary["data_quality"]["rows_valid"] == 1
    stderr = capsys.readouterr().err
    assert "UTF-8 with 1 damaged byte sequence(s)" in stderr
    assert "on line(s) 3" in stderr
    assert "Windows-1252" not in stderr


def test_excel_cp1252_export_is_still_cp1252() -> None:
    """No valid multi-byte sequence: 0xDC is Ü, 0xE9 é, in cp1252."""
    data = (
        HEADER + b"\n" + row(b"T1", b"C\xdc") + b"\n" + row(b"T2", b"Ren\xe9") + b"\n"
    )
    raw = read_records(data, "f.csv")
    assert raw.encoding == "cp1252"
    assert raw.columns["customer_id"].to_pylist() == ["CÜ", "René"]
    assert raw.damaged_lines == []


def test_cp1252_with_one_accidental_utf8_pair_is_still_cp1252() -> None:
    """``CAFÉ”`` is bytes C9 94, a valid UTF-8 pair; 3 other bytes are not: cp1252."""
    customer = "CAFÉ” crème brûlée".encode("cp1252")
    raw = read_records(HEADER + b"\n" + row(b"T1", customer) + b"\n", "f.csv")
    assert raw.encoding == "cp1252"
    assert raw.columns["customer_id"].to_pylist() == ["CAFÉ” crème brûlée"]


def test_damaged_bytes_with_bom_crlf_and_a_quoted_line_break() -> None:
    """Physical lines: the quoted break counts; BOM kept as ``utf-8-sig``.

    Line 2 is T1 (``Zoë`` twice, valid), its description spans lines 2-3; line 4
    has a truncated ``é`` (0xC3 then a comma); line 5 a lone continuation byte:
    2 valid sequences, 2 damaged, so UTF-8.
    """
    data = b"\xef\xbb\xbf" + b"\r\n".join(
        [
            HEADER,
            b'T1,Zo\xc3\xab,Zo\xc3\xab,"two\r\nlines",High,Open,2024-03-01,,A',
            row(b"T2", b"Caf\xc3"),
            row(b"T3", b"\x80C3"),
        ]
    )
    decoded = decode(data, "f.csv", warn=False)
    assert (decoded.encoding, decoded.damaged_lines) == ("utf-8-sig", [4, 5])
    for exact in (False, True):
        raw = read_records(data, "f.csv", exact=exact)
        assert raw.columns["customer_id"].to_pylist() == [
            "Zoë",
            "Caf\ufffd",
            "\ufffdC3",
        ]
        assert raw.line_numbers.tolist() == [2, 4, 5]


def test_the_warning_names_ten_lines_and_counts_the_rest(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """12 damaged lines (3..14) among valid ``Ü`` ones: 10 named, "and 2 more"."""
    lines = [HEADER, row(b"T0", b"C\xc3\x9c")]
    lines += [row(b"T%d" % n, b"C\xc3\x9c\xff") for n in range(1, 13)]
    with caplog.at_level(logging.WARNING, logger="ticket_analysis"):
        raw = read_records(b"\n".join(lines), "f.csv")
    assert raw.encoding == "utf-8"
    assert raw.damaged_lines == list(range(3, 15))
    assert "12 damaged byte sequence(s)" in caplog.text
    assert "line(s) 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 and 2 more" in caplog.text


def test_name_lines() -> None:
    """Up to the limit every line is named; beyond it, a count."""
    assert name_lines([4]) == "4"
    assert name_lines([1, 2, 3], limit=2) == "1, 2 and 1 more"


def test_one_valid_and_one_damaged_sequence_is_utf8() -> None:
    """The tie goes to UTF-8: the reproduction's ``CÜ`` plus one bad byte."""
    data = HEADER + b"\n" + row(b"T1", b"C\xc3\x9c") + b"\n" + row(b"T2", b"\xfe")
    assert decode(data, "f.csv", warn=False).encoding == "utf-8"


def test_damaged_bytes_in_the_header_are_named_in_the_error() -> None:
    """A damaged header name cannot be matched; the message says why."""
    data = (
        HEADER.replace(b"ticket_id", b"ticket\xffid") + b"\n" + row(b"T", b"\xc3\x9c")
    )
    with pytest.raises(InputError, match=r"missing required column.*damaged bytes"):
        read_records(data, "f.csv")


def test_valid_utf8_is_not_rescanned(caplog: pytest.LogCaptureFixture) -> None:
    """Valid UTF-8 (with a literal U+FFFD): no warning, no damaged lines."""
    data = HEADER + b"\n" + row(b"T1", "C\ufffdÜ".encode()) + b"\n"
    with caplog.at_level(logging.WARNING, logger="ticket_analysis"):
        raw = read_records(data, "f.csv")
    assert (raw.encoding, raw.damaged_lines, caplog.text) == ("utf-8", [], "")


@pytest.mark.usefixtures("clean_environment")
def test_damaged_lines_reach_the_notices_run_report_repeats(tmp_path: Path) -> None:
    """The kernel's log is not shown: the run's notices name the damaged lines."""
    from ticket_analysis import config, pipeline

    source = tmp_path / "in.csv"
    source.write_bytes(
        b"\n".join([HEADER, row(b"T1", b"C\xc3\x9c"), row(b"T2", b"C\xff2")]) + b"\n"
    )
    settings = config.load_settings(
        {"input_path": source, "output_dir": tmp_path / "out", "weather_enabled": False}
    )
    result = pipeline.run(settings)
    assert result.load.damaged_lines == (3,)
    assert result.notices == [
        f"{source} is UTF-8 with damaged bytes, shown as '\ufffd' on line(s) 3"
    ]
