"""The metrics of contract §3 in eager Polars, for the Polars peer (untuned)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl

from benchmarks.peers import common as c

IS_OPEN = pl.col("status").is_in(c.OPEN_STATUSES)
IS_RESOLVED = pl.col("status").is_in(c.RESOLVED_STATUSES)
DAYS = pl.col("days")


def _stats(days: pl.Expr) -> list[pl.Expr]:
    """count, mean, median, p90, min, max of resolution days."""
    return [
        days.count().alias("count"),
        days.mean().alias("mean"),
        days.median().alias("median"),
        days.quantile(0.9, interpolation="linear").alias("p90"),
        days.min().alias("min"),
        days.max().alias("max"),
    ]


def _round_stats(row: dict[str, Any]) -> dict[str, Any]:
    """Round mean/median/p90 to 2 decimals; all null when count is 0."""
    if not row["count"]:
        return {k: (0 if k == "count" else None) for k in row}
    return {
        k: c.rounded(v) if k in ("mean", "median", "p90") else v for k, v in row.items()
    }


def _by_priority(
    frame: pl.DataFrame, exprs: list[pl.Expr]
) -> dict[str, dict[str, Any]]:
    """Aggregate per priority; every priority present, in contract order."""
    rows = {r["priority"]: r for r in frame.group_by("priority").agg(exprs).to_dicts()}
    empty = frame.head(0).select(exprs).to_dicts()
    blank = empty[0] if empty else {}
    return {
        p: {k: v for k, v in rows.get(p, blank).items() if k != "priority"}
        for p in c.PRIORITIES
    }


def _sla(within: pl.Expr) -> list[pl.Expr]:
    """resolved_with_duration, within_target, open_breaching of a group."""
    return [
        DAYS.count().alias("resolved_with_duration"),
        within.sum().alias("within_target"),
        (IS_OPEN & (pl.col("age") > pl.col("target"))).sum().alias("open_breaching"),
    ]


def _sla_entry(row: dict[str, Any]) -> dict[str, Any]:
    """Add the breach rate to an SLA aggregate."""
    total, within = (
        row.get("resolved_with_duration") or 0,
        row.get("within_target") or 0,
    )
    return {
        "resolved_with_duration": total,
        "within_target": within,
        "breach_rate": c.rate(total - within, total),
        "open_breaching": row.get("open_breaching") or 0,
    }


def _tickets(frame: pl.DataFrame, extra: list[str | pl.Expr]) -> list[dict[str, Any]]:
    """Ticket list entries (assigned_to null when unassigned), at most LIST_LIMIT."""
    rows = frame.head(c.LIST_LIMIT).select(
        "ticket_id",
        "customer_id",
        "priority",
        "status",
        pl.when(pl.col("assigned_to") != "")
        .then(pl.col("assigned_to"))
        .alias("assigned_to"),
        pl.col("created").dt.to_string("%Y-%m-%d").alias("created_date"),
        *extra,
    )
    return rows.to_dicts()


def _agents(t: pl.DataFrame, within: pl.Expr) -> list[dict[str, Any]]:
    """Per-agent counts, resolution times and SLA, in the contract's order."""
    grouped = (
        t.filter(pl.col("assigned_to") != "")
        .group_by("assigned_to")
        .agg(
            IS_RESOLVED.sum().alias("resolved"),
            DAYS.mean().alias("avg"),
            DAYS.median().alias("median"),
            IS_OPEN.sum().alias("open"),
            pl.len().alias("total"),
            *_sla(within),
        )
        .sort(
            ["resolved", "avg", "assigned_to"],
            descending=[True, False, False],
            nulls_last=True,
        )
    )
    return [
        {
            "agent": r["assigned_to"],
            "resolved": r["resolved"],
            "avg_resolution_days": c.rounded(r["avg"]),
            "median_resolution_days": c.rounded(r["median"]),
            "open": r["open"],
            "total": r["total"],
            **{k: v for k, v in _sla_entry(r).items() if k != "resolved_with_duration"},
        }
        for r in grouped.to_dicts()
    ]


def _monthly(t: pl.DataFrame, as_of: dt.date) -> list[dict[str, Any]]:
    """Tickets created and resolved per month, up to as_of's month (zeros filled)."""
    month = "%Y-%m"
    created = dict(t.group_by(pl.col("created").dt.to_string(month)).len().rows())
    resolved = dict(
        t.filter(pl.col("usable").is_not_null())
        .group_by(pl.col("usable").dt.to_string(month))
        .len()
        .rows()
    )
    if not created:
        return []
    first = min([*created, *resolved])
    months = c.month_range(dt.date.fromisoformat(first + "-01"), as_of)
    return [
        {"month": m, "created": created.get(m, 0), "resolved": resolved.get(m, 0)}
        for m in months
    ]


def _weekly(t: pl.DataFrame, as_of: dt.date) -> list[dict[str, Any]]:
    """The 12 ISO weeks ending with as_of's: created, resolved, open at the end."""
    starts = c.week_starts(as_of)
    ends = [min(s + dt.timedelta(days=6), as_of) for s in starts]
    counted = IS_OPEN | pl.col("usable").is_not_null()
    exprs = []
    for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
        exprs += [
            pl.col("created").is_between(start, end).sum().alias(f"c{i}"),
            pl.col("usable").is_between(start, end).sum().alias(f"r{i}"),
            (
                (pl.col("created") <= end)
                & counted
                & (IS_OPEN | (pl.col("usable") > end))
            )
            .sum()
            .alias(f"o{i}"),
        ]
    row = t.select(exprs).row(0, named=True)
    return [
        {
            "week_start": start.isoformat(),
            "created": row[f"c{i}"],
            "resolved": row[f"r{i}"],
            "open_at_end": row[f"o{i}"],
            "partial": i == c.WEEKS - 1 and as_of.weekday() != 6,
        }
        for i, start in enumerate(starts)
    ]


def _words(t: pl.DataFrame) -> list[dict[str, Any]]:
    """The most common subject words (letters/digits runs, no stop words)."""
    words = (
        t.select(
            pl.col("subject")
            .str.to_lowercase()
            .str.extract_all(r"[\p{L}\p{N}]+")
            .alias("word")
        )
        .explode("word")
        .filter(
            (pl.col("word").str.len_chars() > 1)
            & ~pl.col("word").str.contains(r"^\p{Nd}+$")
            & ~pl.col("word").is_in(c.stop_words())
        )
        .group_by("word")
        .len("count")
        .sort(["count", "word"], descending=[True, False])
        .head(c.TOP_WORDS)
    )
    return words.to_dicts()


def _customers(t: pl.DataFrame) -> dict[str, Any]:
    """Customers with more than the escalation threshold of tickets."""
    customers = (
        t.group_by("customer_id")
        .agg(
            pl.len().alias("tickets"),
            IS_OPEN.sum().alias("open"),
            pl.col("priority")
            .is_in(["High", "Critical"])
            .sum()
            .alias("high_or_critical"),
        )
        .filter(pl.col("tickets") > c.ESCALATION_THRESHOLD)
        .sort(["tickets", "customer_id"], descending=[True, False])
    )
    return {
        "threshold": c.ESCALATION_THRESHOLD,
        "count": customers.height,
        "customers": customers.head(c.LIST_LIMIT).to_dicts(),
    }


def metrics(t: pl.DataFrame, as_of: dt.date, overdue_csv: Path) -> dict[str, Any]:
    """Every metric of the peer's summary over the tickets in scope ``t``."""
    t = t.with_columns(
        (pl.col("usable") - pl.col("created")).dt.total_days().alias("days"),
        (pl.lit(as_of) - pl.col("created")).dt.total_days().alias("age"),
        pl.col("priority")
        .replace_strict(c.SLA_TARGETS, return_dtype=pl.Int64)
        .alias("target"),
    )
    within = pl.col("target") >= DAYS
    head = t.select(
        pl.len().alias("total_tickets"),
        IS_OPEN.sum().alias("open_tickets"),
        IS_RESOLVED.sum().alias("resolved_tickets"),
        (pl.col("assigned_to") == "").sum().alias("unassigned_tickets"),
        DAYS.mean().alias("avg_resolution_days"),
        DAYS.median().alias("median_resolution_days"),
    ).row(0, named=True)
    for key in ("avg_resolution_days", "median_resolution_days"):
        head[key] = c.rounded(head[key])
    grid = {(p, s): n for p, s, n in t.group_by("priority", "status").len().rows()}
    status_by_priority = {
        p: {s: grid.get((p, s), 0) for s in c.STATUSES} for p in c.PRIORITIES
    }
    over = t.filter(IS_OPEN & (pl.col("age") > c.OPEN_DAYS)).sort(
        ["age", "ticket_id"], descending=[True, False]
    )
    overdue = (
        t.filter(IS_OPEN & (pl.col("age") > pl.col("target")))
        .with_columns((pl.col("age") - pl.col("target")).alias("overdue_days"))
        .sort(
            [
                pl.col("priority").replace_strict(c.PRIORITIES, [3, 2, 1, 0]),
                "overdue_days",
                "ticket_id",
            ],
            descending=[False, True, False],
        )
    )
    overdue_list = _tickets(
        overdue,
        [
            pl.col("age").alias("age_days"),
            pl.col("target").alias("target_days"),
            "overdue_days",
        ],
    )
    overdue.select(
        "ticket_id",
        "customer_id",
        "priority",
        "status",
        "assigned_to",
        pl.col("created").dt.to_string("%Y-%m-%d").alias("created_date"),
        pl.col("age").alias("age_days"),
        pl.col("target").alias("target_days"),
        "overdue_days",
    ).write_csv(overdue_csv)
    ages = t.filter(IS_OPEN)["age"].clip(lower_bound=0)
    aging = [
        {"bucket": label, "count": int(((ages > lo) & (ages <= hi)).sum())}
        for label, lo, hi in zip(
            [b for b, _ in c.BUCKETS],
            [-1, 1, 3, 7, 14],
            [h for _, h in c.BUCKETS],
            strict=True,
        )
    ]
    aging.append({"bucket": c.LAST_BUCKET, "count": int((ages > 30).sum())})
    agents = _agents(t, within)
    sla_rows = _by_priority(t, _sla(within))
    overall = t.select(_sla(within)).row(0, named=True)
    counts = dict(t.group_by("priority").len().rows())
    return {
        "summary": head,
        "status_counts": {
            s: sum(status_by_priority[p][s] for p in c.PRIORITIES) for s in c.STATUSES
        },
        "priority_counts": {p: counts.get(p, 0) for p in c.PRIORITIES},
        "status_by_priority": status_by_priority,
        "resolution_time_days": {
            "overall": _round_stats(t.select(_stats(DAYS)).row(0, named=True)),
            "by_priority": {
                p: _round_stats(r) for p, r in _by_priority(t, _stats(DAYS)).items()
            },
        },
        "open_over_threshold": {
            "threshold_days": c.OPEN_DAYS,
            "count": over.height,
            "by_priority": {
                p: over.filter(pl.col("priority") == p).height for p in c.PRIORITIES
            },
            "tickets": _tickets(over, [pl.col("age").alias("age_days")]),
        },
        "backlog_aging": aging,
        "agents": agents,
        "top_agents": [a for a in agents if a["resolved"] > 0][:3],
        "monthly_volume": _monthly(t, as_of),
        "weekly_volume": _weekly(t, as_of),
        "overdue_open": {
            "count": overdue.height,
            "unassigned": overdue.filter(pl.col("assigned_to") == "").height,
            "by_priority": {
                p: overdue.filter(pl.col("priority") == p).height for p in c.PRIORITIES
            },
            "tickets": overdue_list,
        },
        "top_subject_words": _words(t),
        "escalation_candidates": _customers(t),
        "sla": {
            "targets_days": c.SLA_TARGETS,
            "overall": _sla_entry(overall),
            "by_priority": {p: _sla_entry(r) for p, r in sla_rows.items()},
        },
    }
