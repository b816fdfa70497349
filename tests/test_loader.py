"""The loader: every record accounted for, every issue code on the right line."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from ticket_analysis import domain as d
from ticket_analysis.exceptions import InputError
from ticket_analysis.ingest.loader import LoadResult, flag_created_after, load_tickets

HEADER = "ticket_id,customer_id,subject,description,priority,status,created_date,resolved_date,assigned_to\n"


def write(tmp_path: Path, content: str | bytes, name: str = "t.csv") -> Path:
    """Write a fixture file and return its path."""
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def load(tmp_path: Path, body: str, header: str = HEADER) -> LoadResult:
    """Load a CSV made of ``header`` + ``body``."""
    return load_tickets(write(tmp_path, header + body))


def lines_with(result: LoadResult, code: str) -> list[int]:
    """Line numbers carrying ``code``."""
    issues = result.issues
    return issues.loc[issues["code"] == code, "line_number"].tolist()


def assert_accounted(result: LoadResult) -> None:
    """records_read == rows_valid + rows_rejected, and the frames agree."""
    q = result.quality
    assert q.records_read == q.rows_valid + q.rows_rejected
    assert len(result.tickets) == q.rows_valid
    assert len(result.rejected) == q.rows_rejected


# --- one focused test per issue code ---------------------------------------------


def test_malformed_record_too_few_and_too_many_fields(tmp_path: Path) -> None:
    """Rows with the wrong number of fields are rejected with their line."""
    r = load(
        tmp_path,
        "T1,C1,s,d,Low,Open,2024-01-01,,A\n"
        "T2,C1,s,d,Low,Open\n"  # line 3: 6 fields
        "T3,C1,s,d,Low,Open,2024-01-01,,A,extra\n",  # line 4: 10 fields
    )
    assert lines_with(r, d.MALFORMED_RECORD) == [3, 4]
    assert r.quality.issues[d.MALFORMED_RECORD] == 2
    assert r.rejected["reasons"].tolist() == [
        "malformed_record: has 6 fields, expected 9",
        "malformed_record: has 10 fields, expected 9",
    ]
    assert r.rejected["raw_record"].tolist() == [
        "T2,C1,s,d,Low,Open",
        "T3,C1,s,d,Low,Open,2024-01-01,,A,extra",
    ]
    assert_accounted(r)


def test_missing_required_field_names_each_field(tmp_path: Path) -> None:
    """Each empty required field is its own occurrence, named in the message."""
    r = load(
        tmp_path,
        "T1,  ,s,d,Low,Open,2024-01-01,,A\n"  # line 2: customer_id blank
        ",C1,s,d,,Open,2024-01-01,,A\n",  # line 3: ticket_id and priority
    )
    assert lines_with(r, d.MISSING_REQUIRED_FIELD) == [2, 3, 3]
    assert r.quality.issues[d.MISSING_REQUIRED_FIELD] == 3
    assert r.rejected["reasons"].tolist() == [
        "missing_required_field: customer_id is empty",
        "missing_required_field: ticket_id is empty; "
        "missing_required_field: priority is empty",
    ]
    assert r.quality.rows_valid == 0


def test_invalid_created_date(tmp_path: Path) -> None:
    """Impossible, non-ISO and unpadded dates are rejected; empty is 'missing'."""
    r = load(
        tmp_path,
        "T1,C,s,d,Low,Open,2024-02-30,,A\n"
        "T2,C,s,d,Low,Open,12/01/2024,,A\n"
        "T3,C,s,d,Low,Open,2024-1-05,,A\n"
        "T4,C,s,d,Low,Open,2024-02-29,,A\n"  # leap day: valid
        "T5,C,s,d,Low,Open,2023-02-29,,A\n"
        "T6,C,s,d,Low,Open,,,A\n",
    )
    assert lines_with(r, d.INVALID_CREATED_DATE) == [2, 3, 4, 6]
    assert lines_with(r, d.MISSING_REQUIRED_FIELD) == [7]
    assert r.tickets["ticket_id"].tolist() == ["T4"]
    assert r.tickets["created_date"].tolist() == [pd.Timestamp("2024-02-29")]


def test_invalid_priority_and_status(tmp_path: Path) -> None:
    """Unknown enum values are rejected, not guessed."""
    r = load(
        tmp_path,
        "T1,C,s,d,Urgent,Open,2024-01-01,,A\n"
        "T2,C,s,d,P1,Pending,2024-01-01,,A\n"
        "T3,C,s,d,Low,Open,2024-01-01,,A\n",
    )
    assert lines_with(r, d.INVALID_PRIORITY) == [2, 3]
    assert lines_with(r, d.INVALID_STATUS) == [3]
    assert (
        "invalid_status: status 'Pending' is not one of Open, In Progress, Resolved, Closed"
        in (r.rejected["reasons"].iloc[1])
    )


def test_duplicate_ticket_id_keeps_first_valid(tmp_path: Path) -> None:
    """A duplicate of an earlier valid row is rejected; invalid rows don't count."""
    r = load(
        tmp_path,
        "T1,C,s,d,Urgent,Open,2024-01-01,,A\n"  # line 2: invalid, not a 'first'
        "T1,C,s,d,Low,Open,2024-01-02,,A\n"  # line 3: first valid T1
        "T1,C,s,d,Low,Open,2024-01-03,,A\n"  # line 4: duplicate
        "T2,C,s,d,Low,Open,2024-01-03,,A\n",
    )
    assert lines_with(r, d.DUPLICATE_TICKET_ID) == [4]
    assert r.tickets["line_number"].tolist() == [3, 5]
    reasons = r.rejected.set_index("line_number")["reasons"]
    assert reasons[4] == "duplicate_ticket_id: ticket_id 'T1' already used on line 3"


def test_normalized_value_is_a_warning(tmp_path: Path) -> None:
    """Case and separator variants are fixed and counted once per row."""
    r = load(
        tmp_path,
        "T1,C,s,d,high,in-progress,2024-01-01,,A\n"
        "T2,C,s,d, CRITICAL ,IN_PROGRESS,2024-01-01,,A\n"
        "T3,C,s,d,Medium,Open,2024-01-01,,A\n",
    )
    assert lines_with(r, d.NORMALIZED_VALUE) == [2, 3]
    assert r.tickets["priority"].tolist() == ["High", "Critical", "Medium"]
    assert r.tickets["status"].tolist() == ["In Progress", "In Progress", "Open"]
    assert r.quality.rows_with_warnings == 2


def test_invalid_resolved_date_also_missing_on_resolved(tmp_path: Path) -> None:
    """A bad resolved date is ignored; on a resolved ticket it is also 'missing'."""
    r = load(
        tmp_path,
        "T1,C,s,d,Low,Resolved,2024-01-01,2024-13-01,A\n"
        "T2,C,s,d,Low,Open,2024-01-01,soon,A\n",
    )
    assert lines_with(r, d.INVALID_RESOLVED_DATE) == [2, 3]
    assert lines_with(r, d.MISSING_RESOLVED_DATE) == [2]
    assert lines_with(r, d.RESOLVED_DATE_ON_OPEN_TICKET) == []
    assert r.tickets["resolved_date"].isna().all()


def test_resolved_before_created(tmp_path: Path) -> None:
    """The ticket stays, its resolution date is not used."""
    r = load(tmp_path, "T1,C,s,d,Low,Closed,2024-01-05,2024-01-04,A\n")
    assert lines_with(r, d.RESOLVED_BEFORE_CREATED) == [2]
    assert r.tickets["resolved_date"].isna().tolist() == [True]
    assert r.tickets["status"].tolist() == ["Closed"]


def test_missing_resolved_date(tmp_path: Path) -> None:
    """Resolved or Closed without a date: counted as resolved, no duration."""
    r = load(
        tmp_path,
        "T1,C,s,d,Low,Closed,2024-01-05,,A\n"
        "T2,C,s,d,Low,Resolved,2024-01-05,2024-01-05,A\n",
    )
    assert lines_with(r, d.MISSING_RESOLVED_DATE) == [2]
    assert r.tickets["resolved_date"].tolist()[1] == pd.Timestamp("2024-01-05")


def test_resolved_date_on_open_ticket(tmp_path: Path) -> None:
    """The status wins and the date is dropped."""
    r = load(tmp_path, "T1,C,s,d,Low,In Progress,2024-01-05,2024-01-06,A\n")
    assert lines_with(r, d.RESOLVED_DATE_ON_OPEN_TICKET) == [2]
    assert r.tickets["resolved_date"].isna().all()


def test_missing_subject(tmp_path: Path) -> None:
    """An empty subject is a warning and becomes ''."""
    r = load(tmp_path, 'T1,C,"   ",d,Low,Open,2024-01-05,,\n')
    assert lines_with(r, d.MISSING_SUBJECT) == [2]
    assert r.tickets["subject"].tolist() == [""]
    assert r.tickets["assigned_to"].isna().tolist() == [True]


def test_created_after_as_of(tmp_path: Path) -> None:
    """Tickets newer than an explicit report date get a warning."""
    r = load(
        tmp_path,
        "T1,C,s,d,Low,Open,2024-01-05,,A\nT2,C,s,d,Low,Open,2024-01-09,,A\n",
    )
    flagged = flag_created_after(r, pd.Timestamp("2024-01-06").date())
    assert lines_with(flagged, d.CREATED_AFTER_AS_OF) == [3]
    assert flagged.quality.issues[d.CREATED_AFTER_AS_OF] == 1
    assert flagged.quality.rows_with_warnings == 1
    assert flag_created_after(r, pd.Timestamp("2024-01-09").date()) is r


def test_issue_table_rows_in_line_order_with_repeated_texts_stored_once(
    tmp_path: Path,
) -> None:
    """Each text column is categorical, also after the as_of warnings join it."""
    r = load(
        tmp_path,
        "T1,C,s,d,high,Open,2024-01-05,,A\n"  # line 2: normalised
        "T2,C,s,d,Low,Open,2024-01-09,,A\n"  # line 3: created after as_of
        "T3,C,s,d,high,Open,2024-01-05,,A\n"  # line 4: normalised
        "T1,C,s,d,Low,Open,2024-01-05,,A\n",  # line 5: duplicate id
    )
    flagged = flag_created_after(r, pd.Timestamp("2024-01-06").date())
    issues = flagged.issues
    normalised = "priority 'high' was normalised"
    assert issues["line_number"].tolist() == [2, 3, 4, 5]
    assert issues["code"].tolist() == [
        d.NORMALIZED_VALUE,
        d.CREATED_AFTER_AS_OF,
        d.NORMALIZED_VALUE,
        d.DUPLICATE_TICKET_ID,
    ]
    assert issues["severity"].tolist() == ["warning", "warning", "warning", "reject"]
    assert issues["message"].tolist() == [
        normalised,
        "created after the report date 2024-01-06",
        normalised,
        "ticket_id 'T1' already used on line 2",
    ]
    for frame in (r.issues, issues):
        assert all(frame[c].dtype == "category" for c in ("code", "severity"))
        assert frame["message"].dtype == "category"
    assert sorted(r.issues["message"].cat.categories) == [
        normalised,
        "ticket_id 'T1' already used on line 2",
    ]


# --- files as helpdesks export them ---------------------------------------------------


def test_bom_crlf_renamed_reordered_and_extra_headers(tmp_path: Path) -> None:
    """Header matching ignores case/spaces/hyphens; extra columns are named."""
    content = (
        "\ufeffStatus,Ticket ID,Customer-ID,Priority,Created Date,Notes,Subject,"
        "Description,Resolved Date,Assigned To\r\n"
        "Open,T1,C1,Low,2024-01-01,n,s,d,,A\r\n"
        "Closed,T2,C1,High,2024-01-01,n,s,d,2024-01-03,\r\n"
    )
    r = load_tickets(write(tmp_path, content))
    assert r.source.encoding == "utf-8-sig"
    assert r.quality.extra_columns == ["Notes"]
    assert r.tickets["ticket_id"].tolist() == ["T1", "T2"]
    assert r.tickets["line_number"].tolist() == [2, 3]
    assert r.tickets["resolved_date"].tolist()[1] == pd.Timestamp("2024-01-03")


def test_cp1252_file_is_read_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Excel's Windows-1252 export is decoded, and the user is told."""
    content = (
        HEADER
        + "T1,C1,Caf\u00e9 \u2013 r\u00e9sum\u00e9,d,Low,Open,2024-01-01,,Ren\u00e9e\n"
    ).encode("cp1252")
    r = load_tickets(write(tmp_path, content))
    assert r.source.encoding == "cp1252"
    assert r.tickets["subject"].tolist() == ["Caf\u00e9 \u2013 r\u00e9sum\u00e9"]
    assert r.tickets["assigned_to"].tolist() == ["Ren\u00e9e"]
    assert "Windows-1252" in caplog.text


def test_quoted_commas_newlines_and_blank_lines(tmp_path: Path) -> None:
    """Line numbers are physical lines, right after quoted newlines and blanks."""
    r = load(
        tmp_path,
        'T1,C1,"a, b","line one\nline two\nline three",Low,Open,2024-01-01,,A\n'  # 2-4
        "\n"  # 5 blank
        "   \n"  # 6 whitespace-only
        'T2,C1,"say ""hi""",d,Low,Open,2024-01-01,,A\n'  # 7
        "T3,C1,s,d,Low,Open\n",  # 8 malformed
    )
    assert r.tickets["line_number"].tolist() == [2, 7]
    assert r.tickets["subject"].tolist() == ["a, b", 'say "hi"']
    assert r.tickets["description"].tolist()[0] == "line one\nline two\nline three"
    assert lines_with(r, d.MALFORMED_RECORD) == [8]
    assert r.quality.records_read == 3
    assert_accounted(r)


def test_unbalanced_quote_swallows_to_end_but_is_accounted(tmp_path: Path) -> None:
    """An unterminated quote makes one malformed record starting on its line."""
    r = load(
        tmp_path,
        "T1,C1,s,d,Low,Open,2024-01-01,,A\n"
        'T2,C1,"broken,d,Low,Open,2024-01-01,,A\n'
        "T3,C1,s,d,Low,Open,2024-01-01,,A\n",
    )
    assert r.tickets["ticket_id"].tolist() == ["T1"]
    assert lines_with(r, d.MALFORMED_RECORD) == [3]
    assert_accounted(r)


def test_header_only_is_valid_and_empty(tmp_path: Path) -> None:
    """A header without rows loads as zero tickets, nothing rejected."""
    r = load(tmp_path, "")
    assert (r.quality.records_read, r.quality.rows_valid, r.quality.rows_rejected) == (
        0,
        0,
        0,
    )
    assert list(r.tickets.columns) == ["line_number", *d.COLUMNS]
    assert str(r.tickets["priority"].dtype) == "category"
    assert list(r.rejected.columns)[:2] == ["line_number", "reasons"]


def test_missing_optional_columns_are_treated_as_empty(tmp_path: Path) -> None:
    """Without description/assigned_to columns the rows are still used."""
    r = load(
        tmp_path,
        "T1,C1,s,Low,Resolved,2024-01-01,2024-01-02\n",
        header="ticket_id,customer_id,subject,priority,status,created_date,resolved_date\n",
    )
    assert r.quality.missing_optional_columns == ["description", "assigned_to"]
    assert r.tickets["assigned_to"].isna().tolist() == [True]
    assert r.tickets["description"].tolist() == [""]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is empty (0 bytes)"),
        (b"  \n\r\n\t\n", "contains only blank lines"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "is not a text CSV file: it contains NUL bytes",
        ),
        ("ticket_id,customer_id\n".encode("utf-16"), "is UTF-16 text"),
        (
            b"ticket_id,subject,priority\nT1,s,Low\n",
            "missing required column(s): customer_id, status, created_date",
        ),
        (
            b"ticket_id;customer_id;priority;status;created_date\n",
            "looks delimited by ';'",
        ),
        (
            b"Ticket ID,ticket_id,customer_id,priority,status,created_date\n",
            "both mean ticket_id",
        ),
    ],
)
def test_fatal_input_errors_say_what_and_where(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    """Unusable files raise InputError naming the file and the problem."""
    path = write(tmp_path, content)
    with pytest.raises(InputError) as info:
        load_tickets(path)
    assert expected in str(info.value)
    assert str(path) in str(info.value)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    """A missing path or a folder are input errors, not OSErrors."""
    with pytest.raises(InputError, match="input file not found"):
        load_tickets(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="is a folder"):
        load_tickets(tmp_path)


def test_missing_column_message_lists_found_columns(tmp_path: Path) -> None:
    """The message names the missing columns and the ones found."""
    path = write(tmp_path, "id,customer_id,priority,status,created_date\n")
    with pytest.raises(InputError) as info:
        load_tickets(path)
    assert "missing required column(s): ticket_id" in str(info.value)
    assert "Columns found: 'id', 'customer_id'" in str(info.value)


def test_rejected_rows_keep_original_untrimmed_fields(tmp_path: Path) -> None:
    """rejected_rows keeps the fields as they were in the file."""
    r = load(tmp_path, " T1 ,C1,s,d,Urgent,Open,2024-01-01,,A\n")
    assert r.rejected.loc[0, "ticket_id"] == " T1 "
    assert r.rejected.loc[0, "priority"] == "Urgent"


def test_source_checksum_and_size(tmp_path: Path) -> None:
    """Source carries the SHA-256 and byte size of the file as read."""
    import hashlib

    content = (HEADER + "T1,C1,s,d,Low,Open,2024-01-01,,A\n").encode()
    r = load_tickets(write(tmp_path, content))
    assert r.source.sha256 == hashlib.sha256(content).hexdigest()
    assert r.source.bytes == len(content)


def test_bundled_sample_accounting() -> None:
    """The sample's four defects show up exactly as documented in the README."""
    sample = Path(__file__).resolve().parents[1] / "data" / "tickets_sample.csv"
    r = load_tickets(sample)
    q = r.quality
    assert (q.records_read, q.rows_valid, q.rows_rejected) == (60, 58, 2)
    assert lines_with(r, d.INVALID_CREATED_DATE) == [24]
    assert lines_with(r, d.DUPLICATE_TICKET_ID) == [62]
    assert lines_with(r, d.NORMALIZED_VALUE) == [54]
    assert lines_with(r, d.RESOLVED_BEFORE_CREATED) == [59]


@pytest.mark.parametrize(
    ("head", "whole", "expected"),
    [
        (b"", True, "is empty (0 bytes)"),
        (b"ticket_id,subject\nT1,s\n", True, "missing required column(s): customer_id"),
        (b"\x00\x01binary", True, "contains NUL bytes"),
        ("ticket_id\n".encode("utf-16"), False, "is UTF-16 text"),
        (
            b"ticket_id;customer_id;priority;status;created_date\nT1;C",
            False,
            "delimited by ';'",
        ),
    ],
)
def test_check_start_refuses_what_the_loader_refuses(
    head: bytes, whole: bool, expected: str
) -> None:
    """The cheap pre-check raises the loader's own message from the file's start."""
    from ticket_analysis.ingest.reading import check_start

    with pytest.raises(InputError, match=re.escape(expected)):
        check_start(head, "f.csv", whole=whole)


def test_check_start_accepts_a_good_header_and_partial_views() -> None:
    """A good header passes; a view without a complete first line is not judged."""
    from ticket_analysis.ingest.reading import check_start

    check_start(
        HEADER.encode() + b"T1,C1,s,d,Low,Open,2024-01-01,,A\nT2,C",
        "f.csv",
        whole=False,
    )
    check_start(
        b"ticket_id,customer_id,prio", "f.csv", whole=False
    )  # header cut: no verdict
    check_start(b"   \n  ", "f.csv", whole=False)  # blank so far: the full read decides
