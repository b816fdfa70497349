"""Tests of the benchmark data generator (small files, no timing assertions)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from benchmarks.generate import (
    COLUMNS,
    DEFECT_KINDS,
    PRIORITIES,
    STATUSES,
    generate_bytes,
    write_csv,
)

ROOT = Path(__file__).resolve().parents[1]

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
REQUIRED = ("ticket_id", "customer_id", "priority", "status", "created_date")
OPEN = {"Open", "In Progress"}
RESOLVED = {"Resolved", "Closed"}


def records(data: bytes) -> list[list[str]]:
    """All records of a generated file, header first, read with the csv module."""
    with io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="") as text:
        return list(csv.reader(text))


def pyarrow_count(data: bytes) -> tuple[pa.Table, int]:
    """Read with pyarrow; return the table and the number of invalid rows skipped."""
    invalid: list[object] = []

    def skip(row: object) -> str:
        invalid.append(row)
        return "skip"

    options = pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=skip)
    table = pacsv.read_csv(pa.BufferReader(data), parse_options=options)
    return table, len(invalid)


def canonical(value: str, allowed: tuple[str, ...]) -> str | None:
    """The canonical enum value a raw value normalises to (contract §1), or None."""
    key = re.sub(r"[\s_-]+", " ", value.strip()).lower()
    return next((name for name in allowed if name.lower() == key), None)


def parse_date(text: str) -> dt.date | str:
    """A real date, or "empty" / "non_iso" / "impossible"."""
    if not text.strip():
        return "empty"
    if not ISO_DATE.fullmatch(text):
        return "non_iso"
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return "impossible"


def classify(data_records: list[list[str]]) -> list[set[str]]:
    """Detect each defect kind from the file content alone, one set per record."""
    found: list[set[str]] = []
    seen_ids: set[str] = set()
    for record in data_records:
        kinds: set[str] = set()
        found.append(kinds)
        if len(record) != len(COLUMNS):
            kinds.add("ragged_row")
            continue
        row = dict(zip(COLUMNS, record, strict=True))
        if any(not row[name].strip() for name in REQUIRED):
            kinds.add("empty_required_field")
        priority = canonical(row["priority"], PRIORITIES)
        if row["priority"].strip() and row["priority"] not in PRIORITIES:
            kinds.add("priority_case" if priority else "unknown_priority")
        status = canonical(row["status"], STATUSES)
        if row["status"].strip() and row["status"] not in STATUSES:
            kinds.add("status_variant" if status else "unknown_status")
        created = parse_date(row["created_date"])
        resolved = parse_date(row["resolved_date"])
        for value in (created, resolved):
            if value == "impossible":
                kinds.add("impossible_date")
            elif value == "non_iso":
                kinds.add("non_iso_date")
        if (
            isinstance(created, dt.date)
            and isinstance(resolved, dt.date)
            and resolved < created
        ):
            kinds.add("resolved_before_created")
        if (status in RESOLVED and resolved == "empty") or (
            status in OPEN and resolved != "empty"
        ):
            kinds.add("status_date_mismatch")
        ticket_id = row["ticket_id"].strip()
        if ticket_id in seen_ids:
            kinds.add("duplicate_ticket_id")
        elif ticket_id:
            seen_ids.add(ticket_id)
    return found


@pytest.fixture(scope="module")
def file_2000(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, dict[str, int]]:
    path = tmp_path_factory.mktemp("gen") / "tickets_2000.csv"
    result = write_csv(path, rows=2000, seed=7, defect_rate=0.02)
    return path.read_bytes(), result.defects


@pytest.fixture(scope="module")
def file_500() -> bytes:
    return generate_bytes(500, seed=1)


def test_same_seed_gives_identical_bytes(tmp_path: Path, file_500: bytes) -> None:
    assert generate_bytes(500, seed=1) == file_500
    write_csv(tmp_path / "a.csv", rows=500, seed=1)
    assert (tmp_path / "a.csv").read_bytes() == file_500


def test_different_seed_gives_different_file(file_500: bytes) -> None:
    assert generate_bytes(500, seed=2) != file_500


def test_header_and_exact_record_count(file_500: bytes) -> None:
    all_records = records(file_500)
    assert tuple(all_records[0]) == COLUMNS
    assert len(all_records) == 500 + 1
    assert file_500.startswith(b"ticket_id,customer_id,subject,description,priority,")


@pytest.mark.parametrize("rows", [0, 1, 7])
def test_tiny_files_have_exact_record_count(rows: int) -> None:
    assert len(records(generate_bytes(rows, seed=3))) == rows + 1


def test_rfc4180_line_endings_and_quoting(
    file_2000: tuple[bytes, dict[str, int]],
) -> None:
    data, _ = file_2000
    assert data.endswith(b"\r\n")
    data_records = records(data)[1:]
    descriptions = [r[3] for r in data_records if len(r) == len(COLUMNS)]
    subjects = [r[2] for r in data_records if len(r) == len(COLUMNS)]
    assert any("\n" in text for text in descriptions)  # embedded line breaks
    assert any('"' in text for text in descriptions)  # doubled quotes
    assert any("," in text for text in subjects)
    assert any(not text.isascii() for text in subjects)
    # Embedded line breaks are bare LF, so CRLF only ever terminates a record.
    assert data.count(b"\r\n") == len(data_records) + 1


def test_csv_module_and_pyarrow_read_the_same_records(
    file_2000: tuple[bytes, dict[str, int]],
) -> None:
    data, defects = file_2000
    table, invalid = pyarrow_count(data)
    assert tuple(table.column_names) == COLUMNS
    assert table.num_rows + invalid == len(records(data)) - 1 == 2000
    assert invalid == defects["ragged_row"]


def test_clean_file_reads_identically_and_has_no_defects() -> None:
    data = generate_bytes(1500, seed=5, defect_rate=0.0)
    table, invalid = pyarrow_count(data)
    data_records = records(data)[1:]
    assert (table.num_rows, invalid, len(data_records)) == (1500, 0, 1500)
    assert not any(classify(data_records))
    assert table.column("ticket_id").to_pylist() == [r[0] for r in data_records]


def test_defect_share_and_every_kind_present(
    file_2000: tuple[bytes, dict[str, int]],
) -> None:
    data, defects = file_2000
    found = classify(records(data)[1:])
    defective = sum(1 for kinds in found if kinds)
    assert 0.015 * 2000 <= defective <= 0.025 * 2000
    counts = Counter(kind for kinds in found for kind in kinds)
    assert set(counts) == set(DEFECT_KINDS)
    assert dict(counts) == {kind: n for kind, n in defects.items() if n}
    assert all(len(kinds) <= 1 for kinds in found)  # one defect per row


def test_defect_rate_is_configurable() -> None:
    found = classify(records(generate_bytes(2000, seed=9, defect_rate=0.1))[1:])
    assert sum(1 for kinds in found if kinds) == 200


def test_customers_long_tailed(file_2000: tuple[bytes, dict[str, int]]) -> None:
    data, _ = file_2000
    per_customer = Counter(r[1] for r in records(data)[1:] if len(r) == len(COLUMNS))
    assert 0.8 * 500 <= len(per_customer) <= 1.1 * 500
    heavy = sum(1 for n in per_customer.values() if n > 5)
    assert 0 < heavy < 0.5 * len(per_customer)


def test_subjects_mostly_distinct(file_500: bytes) -> None:
    subjects = [r[2] for r in records(file_500)[1:] if len(r) == len(COLUMNS)]
    assert len(set(subjects)) > 0.8 * len(subjects)


def test_agents_skewed_with_some_unassigned(
    file_2000: tuple[bytes, dict[str, int]],
) -> None:
    data, _ = file_2000
    agents = Counter(r[8] for r in records(data)[1:] if len(r) == len(COLUMNS))
    unassigned = agents.pop("", 0)
    assert 20 <= len(agents) <= 50
    assert 0.01 <= unassigned / 2000 <= 0.1
    loads = sorted(agents.values())
    assert loads[-1] > 3 * loads[0]


def test_clean_rows_are_consistent() -> None:
    data_records = records(generate_bytes(2000, seed=11, defect_rate=0.0))[1:]
    priorities = Counter(r[4] for r in data_records)
    assert set(priorities) == set(PRIORITIES)
    assert set(Counter(r[5] for r in data_records)) == set(STATUSES)
    lengths = sorted(len(r[3]) for r in data_records)
    assert lengths[len(lengths) // 20] >= 60 and lengths[-len(lengths) // 20] <= 200
    for r in data_records:
        created = dt.date.fromisoformat(r[6])
        assert dt.date(2023, 1, 1) <= created <= dt.date(2024, 12, 31)
        if r[5] in RESOLVED:
            assert 0 <= (dt.date.fromisoformat(r[7]) - created).days <= 30
        else:
            assert r[7] == ""


def test_cli_writes_file_and_rejects_bad_arguments(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "t.csv"
    command = [sys.executable, "-m", "benchmarks.generate", "--rows", "50"]
    done = subprocess.run(
        [*command, "--seed", "4", "--output", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == generate_bytes(50, seed=4)
    bad = subprocess.run(
        [*command, "--defect-rate", "1.5", "--output", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert "defect_rate" in bad.stderr


def test_invalid_arguments_raise() -> None:
    with pytest.raises(ValueError, match="rows"):
        generate_bytes(-1)
    with pytest.raises(ValueError, match="defect_rate"):
        generate_bytes(10, defect_rate=-0.1)
