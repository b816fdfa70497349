"""The metrics of contract §3 in DuckDB SQL, for the DuckDB peer (untuned)."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import duckdb

from benchmarks.peers import common as c

Con = duckdb.DuckDBPyConnection
STATS = ("count", "mean", "median", "p90", "min", "max")
DERIVED = """
CREATE TABLE d AS SELECT *, status IN ('Open', 'In Progress') AS is_open,
    status IN ('Resolved', 'Closed') AS is_resolved,
    date_diff('day', created, usable) AS days,
    date_diff('day', created, DATE '{as_of}') AS age,
    CASE priority {targets} END AS target
FROM t"""
STATS_SQL = (
    "count(days), avg(days), median(days), quantile_cont(days, 0.9), "
    "min(days), max(days)"
)
SLA_SQL = "count(days), count_if(days <= target), count_if(is_open AND age > target)"
TICKET_SQL = """ticket_id, customer_id, priority, status, nullif(assigned_to, ''),
    strftime(created, '%Y-%m-%d'), age"""
TICKET_KEYS = (
    "ticket_id",
    "customer_id",
    "priority",
    "status",
    "assigned_to",
    "created_date",
    "age_days",
)
RANK = (
    "CASE priority WHEN 'Critical' THEN 0 WHEN 'High' THEN 1 "
    "WHEN 'Medium' THEN 2 ELSE 3 END"
)


def _rows(con: Con, sql: str) -> list[tuple[Any, ...]]:
    """Run a query; return its rows."""
    return con.execute(sql).fetchall()


def _stats(row: tuple[Any, ...]) -> dict[str, Any]:
    """STATS from (count, mean, median, p90, min, max); all null when count is 0."""
    if not row[0]:
        return {k: (0 if k == "count" else None) for k in STATS}
    values = dict(zip(STATS, row, strict=True))
    return {
        k: c.rounded(v) if k in ("mean", "median", "p90") else v
        for k, v in values.items()
    }


def _sla(row: tuple[Any, ...]) -> dict[str, Any]:
    """SLA entry from (resolved_with_duration, within_target, open_breaching)."""
    total, within, breaching = (int(x or 0) for x in row)
    return {
        "resolved_with_duration": total,
        "within_target": within,
        "breach_rate": c.rate(total - within, total),
        "open_breaching": breaching,
    }


def _per_priority(con: Con, select: str) -> dict[str, tuple[Any, ...]]:
    """One aggregate row per priority (missing priorities absent)."""
    rows = _rows(con, f"SELECT priority, {select} FROM d GROUP BY priority")
    return {r[0]: r[1:] for r in rows}


def _agents(con: Con) -> list[dict[str, Any]]:
    """Per-agent counts, resolution times and SLA, in the contract's order."""
    rows = _rows(
        con,
        f"""
        SELECT assigned_to, count_if(is_resolved), avg(days), median(days),
               count_if(is_open), count(*), {SLA_SQL}
        FROM d WHERE assigned_to <> '' GROUP BY assigned_to
        ORDER BY 2 DESC, 3 ASC NULLS LAST, 1""",
    )
    agents = []
    for name, resolved, avg, median, n_open, total, *sla in rows:
        entry = _sla(tuple(sla))
        del entry["resolved_with_duration"]
        agents.append(
            {
                "agent": name,
                "resolved": resolved,
                "avg_resolution_days": c.rounded(avg),
                "median_resolution_days": c.rounded(median),
                "open": n_open,
                "total": total,
                **entry,
            }
        )
    return agents


def _monthly(con: Con, as_of: dt.date) -> list[dict[str, Any]]:
    """Tickets created and resolved per month, up to as_of's month (zeros filled)."""
    created = dict(
        _rows(con, "SELECT strftime(created, '%Y-%m'), count(*) FROM d GROUP BY 1")
    )
    resolved = dict(
        _rows(
            con,
            "SELECT strftime(usable, '%Y-%m'), count(*) FROM d "
            "WHERE usable IS NOT NULL GROUP BY 1",
        )
    )
    if not created:
        return []
    first = dt.date.fromisoformat(min([*created, *resolved]) + "-01")
    return [
        {"month": m, "created": created.get(m, 0), "resolved": resolved.get(m, 0)}
        for m in c.month_range(first, as_of)
    ]


def _weekly(con: Con, as_of: dt.date) -> list[dict[str, Any]]:
    """The 12 ISO weeks ending with as_of's: created, resolved, open at the end."""
    starts = c.week_starts(as_of)
    weeks = ", ".join(
        f"(DATE '{s}', DATE '{min(s + dt.timedelta(days=6), as_of)}')" for s in starts
    )
    rows = _rows(
        con,
        f"""
        WITH w(start, stop) AS (VALUES {weeks})
        SELECT w.start,
            (SELECT count(*) FROM d WHERE created BETWEEN w.start AND w.stop),
            (SELECT count(*) FROM d WHERE usable BETWEEN w.start AND w.stop),
            (SELECT count(*) FROM d WHERE created <= w.stop
                AND (is_open OR usable > w.stop))
        FROM w ORDER BY w.start""",
    )
    return [
        {
            "week_start": start.isoformat(),
            "created": n_created,
            "resolved": n_resolved,
            "open_at_end": n_open,
            "partial": i == c.WEEKS - 1 and as_of.weekday() != 6,
        }
        for i, (start, n_created, n_resolved, n_open) in enumerate(rows)
    ]


def _words(con: Con) -> list[dict[str, Any]]:
    """The most common subject words (letters/digits runs, no stop words)."""
    con.execute("CREATE TABLE stop_words (word VARCHAR)")
    con.executemany("INSERT INTO stop_words VALUES (?)", [[w] for w in c.stop_words()])
    rows = _rows(
        con,
        f"""
        WITH words AS (
            SELECT unnest(regexp_extract_all(
                lower(subject), '[\\p{{L}}\\p{{N}}]+')) AS word
            FROM d)
        SELECT word, count(*) AS n FROM words
        WHERE length(word) > 1 AND NOT regexp_full_match(word, '\\p{{Nd}}+')
          AND word NOT IN (SELECT word FROM stop_words)
        GROUP BY word ORDER BY n DESC, word LIMIT {c.TOP_WORDS}""",
    )
    return [{"word": w, "count": n} for w, n in rows]


def _customers(con: Con) -> dict[str, Any]:
    """Customers with more than the escalation threshold of tickets."""
    rows = _rows(
        con,
        f"""
        SELECT customer_id, count(*), count_if(is_open),
               count_if(priority IN ('High', 'Critical')), count(*) OVER ()
        FROM d GROUP BY customer_id HAVING count(*) > {c.ESCALATION_THRESHOLD}
        ORDER BY 2 DESC, 1""",
    )
    keys = ("customer_id", "tickets", "open", "high_or_critical")
    return {
        "threshold": c.ESCALATION_THRESHOLD,
        "count": rows[0][4] if rows else 0,
        "customers": [
            dict(zip(keys, r[:4], strict=True)) for r in rows[: c.LIST_LIMIT]
        ],
    }


def _counted(con: Con, where: str) -> tuple[int, dict[str, int]]:
    """How many tickets match ``where``, in total and per priority."""
    found = dict(
        _rows(con, f"SELECT priority, count(*) FROM d WHERE {where} GROUP BY 1")
    )
    return sum(found.values()), {p: found.get(p, 0) for p in c.PRIORITIES}


def metrics(con: Con, as_of: dt.date, overdue_csv: Path) -> dict[str, Any]:
    """Every metric of the peer's summary over the tickets in scope (table ``t``)."""
    targets = " ".join(f"WHEN '{p}' THEN {n}" for p, n in c.SLA_TARGETS.items())
    con.execute(DERIVED.format(as_of=as_of, targets=targets))
    (total, n_open, n_resolved, unassigned, avg, median) = _rows(
        con,
        """
        SELECT count(*), count_if(is_open), count_if(is_resolved),
               count_if(assigned_to = ''), avg(days), median(days) FROM d""",
    )[0]
    grid = {
        (p, s): n
        for p, s, n in _rows(
            con, "SELECT priority, status, count(*) FROM d GROUP BY ALL"
        )
    }
    by_priority = {
        p: {s: grid.get((p, s), 0) for s in c.STATUSES} for p in c.PRIORITIES
    }
    stats = _per_priority(con, STATS_SQL)
    sla = _per_priority(con, SLA_SQL)
    over_count, over_by = _counted(con, f"is_open AND age > {c.OPEN_DAYS}")
    over = _rows(
        con,
        f"SELECT {TICKET_SQL} FROM d WHERE is_open AND age > {c.OPEN_DAYS} "
        f"ORDER BY age DESC, ticket_id LIMIT {c.LIST_LIMIT}",
    )
    overdue_count, overdue_by = _counted(con, "is_open AND age > target")
    overdue_sql = (
        f"SELECT {TICKET_SQL} AS age_days, target AS target_days, age - target "
        f"AS overdue_days FROM d WHERE is_open AND age > target "
        f"ORDER BY {RANK}, overdue_days DESC, ticket_id"
    )
    overdue = _rows(con, f"{overdue_sql} LIMIT {c.LIST_LIMIT}")
    con.execute(f"COPY ({overdue_sql}) TO '{overdue_csv}' (HEADER, DELIMITER ',')")
    (overdue_unassigned,) = _rows(
        con,
        "SELECT count(*) FROM d WHERE is_open AND age > target AND assigned_to = ''",
    )[0]
    bounds = [0, *(hi for _, hi in c.BUCKETS)]
    aging_sql = ", ".join(
        f"count_if(greatest(age, 0) > {lo} AND greatest(age, 0) <= {hi})"
        if i
        else f"count_if(greatest(age, 0) <= {hi})"
        for i, (lo, hi) in enumerate(itertools.pairwise(bounds))
    )
    aging = _rows(con, f"SELECT {aging_sql}, count_if(age > 30) FROM d WHERE is_open")[
        0
    ]
    agents = _agents(con)
    overdue_keys = (*TICKET_KEYS, "target_days", "overdue_days")
    return {
        "summary": {
            "total_tickets": total,
            "open_tickets": n_open,
            "resolved_tickets": n_resolved,
            "unassigned_tickets": unassigned,
            "avg_resolution_days": c.rounded(avg),
            "median_resolution_days": c.rounded(median),
        },
        "status_counts": {
            s: sum(by_priority[p][s] for p in c.PRIORITIES) for s in c.STATUSES
        },
        "priority_counts": {p: sum(by_priority[p].values()) for p in c.PRIORITIES},
        "status_by_priority": by_priority,
        "resolution_time_days": {
            "overall": _stats(_rows(con, f"SELECT {STATS_SQL} FROM d")[0]),
            "by_priority": {p: _stats(stats.get(p, (0,) * 6)) for p in c.PRIORITIES},
        },
        "open_over_threshold": {
            "threshold_days": c.OPEN_DAYS,
            "count": over_count,
            "by_priority": over_by,
            "tickets": [dict(zip(TICKET_KEYS, r, strict=True)) for r in over],
        },
        "backlog_aging": [
            {"bucket": b, "count": n}
            for b, n in zip(
                [*(b for b, _ in c.BUCKETS), c.LAST_BUCKET], aging, strict=True
            )
        ],
        "agents": agents,
        "top_agents": [a for a in agents if a["resolved"] > 0][:3],
        "monthly_volume": _monthly(con, as_of),
        "weekly_volume": _weekly(con, as_of),
        "overdue_open": {
            "count": overdue_count,
            "unassigned": overdue_unassigned,
            "by_priority": overdue_by,
            "tickets": [dict(zip(overdue_keys, r, strict=True)) for r in overdue],
        },
        "top_subject_words": _words(con),
        "escalation_candidates": _customers(con),
        "sla": {
            "targets_days": c.SLA_TARGETS,
            "overall": _sla(_rows(con, f"SELECT {SLA_SQL} FROM d")[0]),
            "by_priority": {p: _sla(sla.get(p, (0, 0, 0))) for p in c.PRIORITIES},
        },
    }
