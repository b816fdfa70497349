"""The project's analysis written in eager Polars: an untuned reference peer.

``python -m benchmarks.peers.polars_peer --input F --output-dir D`` applies the
contract's rules (§1-§3) and writes ``summary.json``, ``rejected_rows.csv`` and
``overdue_tickets.csv``, the way a competent Polars user would: every rule one
expression over a whole column, no loop per row.

Where it differs from the project (and why):

- Parsing uses ``pyarrow.csv`` (``newlines_in_values=True`` and an
  ``invalid_row_handler``) and ``pl.from_arrow``: Polars' own reader cannot tell a
  record with a missing last field from one whose last field is empty (both read as
  ``""`` or both as null), so it cannot reject ragged rows as the contract requires.
- Line numbers are approximate: ``record index + 2``, off after a quoted line break
  or a ragged row; ragged rows themselves have none (pyarrow does not give one when
  values may hold line breaks).
- UTF-8 only (no cp1252 fallback); no import profiles, filters or ``--as-of``.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv

from benchmarks.peers import common as c
from benchmarks.peers.polars_metrics import metrics

REJECT_RULES = (
    "missing_required_field",
    "invalid_created_date",
    "invalid_priority",
    "invalid_status",
)


def read(path: Path) -> tuple[pl.DataFrame, list[str]]:
    """Read every record as strings; return the frame and the ragged records' text."""
    header = c.read_header(path)
    columns = c.map_header(header)
    ragged: list[str] = []

    def skip(row: Any) -> str:
        ragged.append(row.text)
        return "skip"

    table = pacsv.read_csv(
        path,
        parse_options=pacsv.ParseOptions(
            newlines_in_values=True, invalid_row_handler=skip
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in header},
            include_columns=list(columns.values()),
            strings_can_be_null=False,
        ),
    )
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    frame = frame.rename({v: k for k, v in columns.items()})
    missing = [pl.lit("").alias(n) for n in c.COLUMNS if n not in columns]
    return frame.with_columns(missing).select(c.COLUMNS), ragged


def _enum(name: str, allowed: tuple[str, ...]) -> list[pl.Expr]:
    """Canonical value (null when invalid) and whether it had to be normalised."""
    key = (
        pl.col(name)
        .str.to_lowercase()
        .str.replace_all(c.ENUM_SEPARATORS, " ")
        .str.strip_chars()
    )
    canonical = key.replace_strict(
        [a.lower() for a in allowed],
        list(allowed),
        default=None,
        return_dtype=pl.String,
    )
    return [
        canonical.alias(f"{name}_value"),
        (canonical.is_not_null() & (canonical != pl.col(name))).alias(f"{name}_fixed"),
    ]


def _date(name: str, today: dt.date | None = None) -> list[pl.Expr]:
    """The date when strict ``YYYY-MM-DD``, real and in range; whether it is real."""
    text = pl.col(name)
    parsed = text.str.to_date("%Y-%m-%d", strict=False)
    real = text.str.contains(c.ISO_SHAPE) & parsed.is_not_null()
    ok = real & parsed.is_between(c.FIRST_DATE, c.LAST_DATE)
    if today is not None:
        ok = ok & (parsed <= today)
    return [
        pl.when(ok).then(parsed).alias(f"{name[:-5]}"),
        real.alias(f"{name[:-5]}_real"),
    ]


def validate(raw: pl.DataFrame, today: dt.date) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Apply §1-§2: return (all records with rule columns, the valid rows)."""
    frame = (
        raw.with_row_index("record")
        .with_columns(pl.col(c.COLUMNS).str.strip_chars())
        .with_columns(
            *_enum("priority", c.PRIORITIES),
            *_enum("status", c.STATUSES),
            *_date("created_date"),
            *_date("resolved_date", today),
        )
    )
    empty = {n: pl.col(n) == "" for n in c.REQUIRED}
    missing = [pl.when(e).then(pl.lit(f"{n} is empty")) for n, e in empty.items()]
    checks = {
        "missing_required_field": missing,
        "invalid_created_date": [
            pl.when(~empty["created_date"] & pl.col("created").is_null()).then(
                pl.format("created_date '{}' is not a valid date", "created_date")
            )
        ],
        "invalid_priority": [
            pl.when(~empty["priority"] & pl.col("priority_value").is_null()).then(
                pl.format("priority '{}' is not a valid priority", "priority")
            )
        ],
        "invalid_status": [
            pl.when(~empty["status"] & pl.col("status_value").is_null()).then(
                pl.format("status '{}' is not a valid status", "status")
            )
        ],
    }
    frame = frame.with_columns(
        pl.concat_str(
            [
                m.str.replace(r"^", f"{code}: ")
                for code, ms in checks.items()
                for m in ms
            ],
            separator="; ",
            ignore_nulls=True,
        ).alias("reasons"),
        *[
            pl.sum_horizontal([m.is_not_null() for m in ms]).alias(code)
            for code, ms in checks.items()
        ],
    )
    candidate = pl.col("reasons") == ""
    first = pl.when(candidate).then(pl.col("ticket_id")).is_first_distinct()
    frame = frame.with_columns((candidate & ~first).alias("duplicate_ticket_id"))
    frame = frame.with_columns(
        pl.when(pl.col("duplicate_ticket_id"))
        .then(
            pl.format("duplicate_ticket_id: ticket_id '{}' already used", "ticket_id")
        )
        .otherwise(pl.col("reasons"))
        .alias("reasons")
    )
    valid = frame.filter(pl.col("reasons") == "")
    return frame, valid


def _warnings(valid: pl.DataFrame) -> pl.DataFrame:
    """Add the warning columns of §2 and the usable resolution date (valid rows)."""
    resolved = pl.col("status_value").is_in(c.RESOLVED_STATUSES)
    ok = pl.col("resolved").is_not_null()
    before = resolved & ok & (pl.col("resolved") < pl.col("created"))
    return valid.with_columns(
        (pl.col("priority_fixed") | pl.col("status_fixed")).alias("normalized_value"),
        ((pl.col("resolved_date") != "") & ~ok).alias("invalid_resolved_date"),
        before.alias("resolved_before_created"),
        (resolved & ~ok).alias("missing_resolved_date"),
        (~resolved & ok).alias("resolved_date_on_open_ticket"),
        (pl.col("subject") == "").alias("missing_subject"),
        pl.when(resolved & ok & ~before).then(pl.col("resolved")).alias("usable"),
    )


def analyse(path: Path, out: Path) -> dict[str, Any]:
    """Run the whole analysis on ``path``; write the CSVs into ``out``."""
    today = c.utc_today()
    raw, ragged = read(path)
    frame, valid = validate(raw, today)
    valid = _warnings(valid)
    last = min(today, c.LAST_DATE)
    as_of = max(
        d
        for d in (
            valid.filter(pl.col("created") <= last)["created"].max(),
            valid.filter(pl.col("usable") <= last)["usable"].max(),
            c.FIRST_DATE,
        )
        if d is not None
    )
    assert isinstance(as_of, dt.date)
    valid = valid.with_columns((pl.col("created") > as_of).alias("created_after_as_of"))
    issues = dict.fromkeys(c.ISSUE_CODES, 0)
    issues["malformed_record"] = len(ragged)
    counted = [*REJECT_RULES, "duplicate_ticket_id"]
    issues.update(frame.select(pl.col(counted).cast(pl.Int64).sum()).row(0, named=True))
    issues.update(
        valid.select(pl.col(c.WARNING_CODES).cast(pl.Int64).sum()).row(0, named=True)
    )
    with_warning = valid.select(pl.any_horizontal(c.WARNING_CODES).sum()).item()
    _write_rejected(frame, ragged, out / "rejected_rows.csv")
    records = frame.height + len(ragged)
    result = metrics(_scope(valid, as_of), as_of, out / "overdue_tickets.csv")
    quality = {
        "records_read": records,
        "rows_valid": valid.height,
        "rows_rejected": records - valid.height,
        "rows_with_warnings": with_warning,
        "issues": issues,
        "line_numbers": "approximate",
    }
    return {
        "engine": f"polars {pl.__version__}",
        "as_of": as_of.isoformat(),
        "data_quality": quality,
        **result,
    }


def _scope(valid: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """The tickets as they stood at the end of as_of (contract §3, point in time)."""
    later = pl.col("usable") > as_of
    return (
        valid.filter(~pl.col("created_after_as_of"))
        .with_columns(
            pl.when(later)
            .then(pl.lit("In Progress"))
            .otherwise(pl.col("status_value"))
            .alias("status"),
            pl.when(later).then(None).otherwise(pl.col("usable")).alias("usable"),
            pl.col("priority_value").alias("priority"),
        )
        .select(
            "ticket_id",
            "customer_id",
            "subject",
            "priority",
            "status",
            "created",
            "usable",
            "assigned_to",
        )
    )


def _write_rejected(frame: pl.DataFrame, ragged: list[str], path: Path) -> None:
    """Write rejected_rows.csv: approximate line, reasons, the record's fields."""
    rejected = frame.filter(pl.col("reasons") != "").select(
        (pl.col("record") + 2).cast(pl.String).alias("line_number"),
        "reasons",
        *c.COLUMNS,
        pl.lit("").alias("raw_record"),
    )
    damaged = pl.DataFrame(
        {
            "line_number": [""] * len(ragged),
            "reasons": ["malformed_record: wrong number of fields"] * len(ragged),
            **{name: [""] * len(ragged) for name in c.COLUMNS},
            "raw_record": ragged,
        }
    )
    pl.concat([damaged, rejected]).write_csv(path)


def main(argv: list[str] | None = None) -> int:
    """Run the Polars peer as a command."""
    return c.run("python -m benchmarks.peers.polars_peer", analyse, argv)


if __name__ == "__main__":
    sys.exit(main())
