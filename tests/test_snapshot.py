"""The parsed snapshot a batch writes once and every slice reads (parse once).

Reading a snapshot gives back the LoadResult the loader made, dtype for dtype,
and a report made from it is the report made from the CSV.
"""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ticket_analysis import pipeline, snapshot
from ticket_analysis.config import Settings
from ticket_analysis.exceptions import InputError
from ticket_analysis.ingest.loader import LoadResult, load_tickets

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "tickets_sample.csv"
HEADER = (
    "ticket_id,customer_id,subject,description,priority,status,created_date,"
    "resolved_date,assigned_to\n"
)
#: Damaged UTF-8 on line 3 (a lone 0xff), a valid "é" on line 2, a rejected row
#: (line 4: priority Urgent) and a warning (line 2: lower-case priority).
DAMAGED = (
    HEADER.encode()
    + "T1,C1,Caf\u00e9 down,d,high,Open,2024-03-01,,Ann\n".encode()
    + b"T2,C1,Bad \xff byte,d,Low,Resolved,2024-03-02,2024-03-04,Bob\n"
    + b"T3,C2,Urgent one,d,Urgent,Open,2024-03-03,,\n"
)


def assert_same_load(a: LoadResult, b: LoadResult) -> None:
    """Every field of two LoadResults is equal, frame dtypes included."""
    for name in snapshot.FRAMES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert a.quality == b.quality
    assert a.source == b.source
    assert a.has_warning.dtype == b.has_warning.dtype == np.bool_
    assert a.has_warning.tolist() == b.has_warning.tolist()
    assert a.damaged_lines == b.damaged_lines


def test_snapshot_stores_every_field_of_a_load_result() -> None:
    """A field added to LoadResult must get its place in the snapshot."""
    stored = {*snapshot.FRAMES, *snapshot.META_FIELDS}
    assert {f.name for f in fields(LoadResult)} == stored


def test_the_sample_reads_back_exactly(tmp_path: Path) -> None:
    load = load_tickets(SAMPLE, today=date(2026, 12, 1))
    folder = snapshot.write_snapshot(load, tmp_path / "snap")
    assert sorted(p.name for p in folder.iterdir()) == [
        "issues.parquet",
        "load.json",
        "rejected.parquet",
        "tickets.parquet",
    ]
    back = snapshot.read_snapshot(folder)
    assert_same_load(load, back)
    # Parquet has no datetime64[s]: the unit is restored, not left at ms.
    assert str(back.tickets["created_date"].dtype) == "datetime64[s]"
    assert back.quality.rows_valid == 58 and back.quality.rows_rejected == 2
    assert back.has_warning.sum() == 2


def test_damaged_bytes_rejections_and_warnings_read_back(tmp_path: Path) -> None:
    path = tmp_path / "damaged.csv"
    path.write_bytes(DAMAGED)
    load = load_tickets(path, today=date(2024, 4, 1))
    assert load.damaged_lines == (3,)
    assert load.has_warning.tolist() == [True, False]
    assert len(load.rejected) == 1
    back = snapshot.read_snapshot(snapshot.write_snapshot(load, tmp_path / "s"))
    assert_same_load(load, back)
    assert back.tickets["subject"].tolist() == ["Caf\u00e9 down", "Bad \ufffd byte"]


def test_a_report_from_the_snapshot_equals_the_report_from_the_csv(
    tmp_path: Path,
) -> None:
    """Whole summary, with a filter and a past as_of, apart from generated_at."""
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    folder = snapshot.write_snapshot(
        load_tickets(SAMPLE, today=now.date()), tmp_path / "snap"
    )
    for update in (
        {},
        {"agent": "Agent_Mike"},
        {"as_of": date(2026, 10, 31), "priority": "High"},
    ):
        settings = Settings(input_path=SAMPLE, **update)
        direct, _, overdue = pipeline.analyse(settings, now=now)
        from_snapshot, _, overdue_snap = pipeline.analyse(
            settings.model_copy(update={"snapshot": folder}), now=now
        )
        assert from_snapshot == direct, update
        pd.testing.assert_frame_equal(overdue_snap, overdue)


def test_the_snapshot_is_read_instead_of_the_input(tmp_path: Path) -> None:
    """With a snapshot set, the CSV is not read again (here: it is gone)."""
    copy = tmp_path / "tickets.csv"
    copy.write_bytes(SAMPLE.read_bytes())
    folder = snapshot.write_snapshot(load_tickets(copy), tmp_path / "snap")
    copy.unlink()
    summary, load, _ = pipeline.analyse(Settings(input_path=copy, snapshot=folder))
    assert summary.data_quality.records_read == 60
    assert load.source.path == str(copy)


@pytest.mark.parametrize("damage", ["missing", "not json", "other format", "cut"])
def test_an_unusable_snapshot_is_an_input_error(tmp_path: Path, damage: str) -> None:
    folder = snapshot.write_snapshot(load_tickets(SAMPLE), tmp_path / "snap")
    meta = folder / snapshot.META_FILE
    if damage == "missing":
        (folder / "tickets.parquet").unlink()
    elif damage == "not json":
        meta.write_text("{", encoding="utf-8")
    elif damage == "other format":
        meta.write_text(json.dumps({"format": "x", "version": 1}), encoding="utf-8")
    else:  # a row count that does not match the frame
        data = json.loads(meta.read_text(encoding="utf-8"))
        data["rows"]["tickets"] = 59
        meta.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match="cannot read the parsed snapshot"):
        snapshot.read_snapshot(folder)
