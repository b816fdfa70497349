"""The project's analysis in DuckDB SQL: an untuned reference peer.

``python -m benchmarks.peers.duckdb_peer --input F --output-dir D`` applies the
contract's rules (§1-§3) and writes ``summary.json``, ``rejected_rows.csv`` and
``overdue_tickets.csv``, the way a competent DuckDB user would: the file read by
``read_csv``, every rule and metric a SQL query.

Where it differs from the project (and why):

- The read declares one column more than the header and pads short records with
  NULL (``null_padding``) while empty fields stay ``''`` (``nullstr`` is a byte that
  never occurs), so a record with too few or too many fields is seen and rejected.
  DuckDB's strict reader alone accepts a record whose extra last field is empty, and
  ``null_padding`` with quoted line breaks needs ``parallel=false``.
- Line numbers are approximate (``record index + 2``, off after a quoted line break).
- UTF-8 only (no cp1252 fallback); ``trim`` removes spaces only; no import
  profiles, filters or ``--as-of``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import duckdb

from benchmarks.peers import common as c
from benchmarks.peers.duckdb_metrics import metrics

EXTRA = "__extra_field__"


def _key(column: str) -> str:
    """SQL of an enum value's matching key (lower-case, separators as one space)."""
    return f"trim(regexp_replace(lower({column}), '{c.ENUM_SEPARATORS}', ' ', 'g'))"


def _enum(column: str, allowed: tuple[str, ...]) -> str:
    """SQL of the canonical enum value, NULL when invalid."""
    cases = " ".join(f"WHEN '{a.lower()}' THEN '{a}'" for a in allowed)
    return f"CASE {_key(column)} {cases} END"


def _date(column: str) -> str:
    """SQL of a strict, real YYYY-MM-DD date in the supported range, else NULL."""
    parsed = f"try_strptime({column}, '%Y-%m-%d')::DATE"
    return (
        f"CASE WHEN regexp_full_match({column}, '\\d{{4}}-\\d{{2}}-\\d{{2}}') "
        f"AND {parsed} BETWEEN DATE '{c.FIRST_DATE}' AND DATE '{c.LAST_DATE}' "
        f"THEN {parsed} END"
    )


def load(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Create ``raw``: every record trimmed, its index, whether it is ragged."""
    header = c.read_header(path)
    columns = c.map_header(header)
    declared = dict.fromkeys([*header, EXTRA], "VARCHAR")
    con.execute(
        "CREATE TABLE file AS SELECT * FROM read_csv(?, header=false, skip=1, "
        f"columns={declared}, delim=',', quote='\"', escape='\"', "
        "null_padding=true, parallel=false, nullstr='\x01', auto_detect=false, "
        "ignore_errors=true, store_rejects=true)",
        [str(path)],
    )
    fields = ", ".join(
        f'trim("{columns[n]}") AS {n}' if n in columns else f"'' AS {n}"
        for n in c.COLUMNS
    )
    con.execute(
        f"CREATE TABLE raw AS SELECT rowid AS record, {fields}, "
        f'("{header[-1]}" IS NULL OR "{EXTRA}" IS NOT NULL) AS ragged FROM file'
    )


def validate(con: duckdb.DuckDBPyConnection, today: str) -> None:
    """Create ``checked`` (every record with its reasons) and ``valid``."""
    reasons = [
        *(
            f"CASE WHEN {n} = '' THEN 'missing_required_field: {n} is empty' END"
            for n in c.REQUIRED
        ),
        "CASE WHEN created_date <> '' AND created IS NULL THEN "
        "'invalid_created_date: created_date ''' || created_date "
        "|| ''' is not a valid date' END",
        "CASE WHEN priority <> '' AND priority_value IS NULL THEN "
        "'invalid_priority: priority ''' || priority "
        "|| ''' is not a valid priority' END",
        "CASE WHEN status <> '' AND status_value IS NULL THEN "
        "'invalid_status: status ''' || status || ''' is not a valid status' END",
    ]
    con.execute(f"""
        CREATE TABLE checked AS
        WITH parsed AS (
            SELECT *, {_enum("priority", c.PRIORITIES)} AS priority_value,
                   {_enum("status", c.STATUSES)} AS status_value,
                   {_date("created_date")} AS created,
                   {_date("resolved_date")} AS resolved_parsed
            FROM raw WHERE NOT ragged
        ), reasoned AS (
            SELECT *, concat_ws('; ', {", ".join(reasons)}) AS rule_reasons FROM parsed
        )
        SELECT *, CASE WHEN rule_reasons = '' AND row_number() OVER (
                      PARTITION BY rule_reasons = '', ticket_id ORDER BY record) > 1
                  THEN 'duplicate_ticket_id: ticket_id ''' || ticket_id
                       || ''' already used'
                  ELSE rule_reasons END AS reasons
        FROM reasoned""")
    con.execute(f"""
        CREATE TABLE valid AS
        WITH base AS (
            SELECT *, status_value IN {c.RESOLVED_STATUSES} AS is_resolved,
                   CASE WHEN resolved_parsed <= DATE '{today}' THEN resolved_parsed
                   END AS resolved
            FROM checked WHERE reasons = ''
        )
        SELECT *, priority_value <> priority OR status_value <> status
                      AS normalized_value,
               resolved_date <> '' AND resolved IS NULL AS invalid_resolved_date,
               is_resolved AND resolved < created AS resolved_before_created,
               is_resolved AND resolved IS NULL AS missing_resolved_date,
               NOT is_resolved AND resolved IS NOT NULL
                   AS resolved_date_on_open_ticket,
               subject = '' AS missing_subject,
               CASE WHEN is_resolved AND resolved >= created THEN resolved END AS usable
        FROM base""")


def _issues(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Occurrences of every issue code (contract §2)."""
    checks = {
        "missing_required_field": " + ".join(f"count_if({n} = '')" for n in c.REQUIRED),
        "invalid_created_date": "count_if(created_date <> '' AND created IS NULL)",
        "invalid_priority": "count_if(priority <> '' AND priority_value IS NULL)",
        "invalid_status": "count_if(status <> '' AND status_value IS NULL)",
        "duplicate_ticket_id": "count_if(reasons LIKE 'duplicate_ticket_id%')",
    }
    select = ", ".join(f"{sql} AS {code}" for code, sql in checks.items())
    counts = con.execute(f"SELECT {select} FROM checked").fetchone() or ()
    found = dict(zip(checks, counts, strict=False))
    warnings = ", ".join(f"count_if({code})" for code in c.WARNING_CODES)
    row = con.execute(f"SELECT {warnings} FROM valid").fetchone() or ()
    found.update(zip(c.WARNING_CODES, row, strict=False))
    ragged = con.execute("SELECT count(*) FROM raw WHERE ragged").fetchone()
    rejects = con.execute("SELECT count(DISTINCT line) FROM reject_errors").fetchone()
    found["malformed_record"] = (ragged or (0,))[0] + (rejects or (0,))[0]
    return {code: int(found.get(code) or 0) for code in c.ISSUE_CODES}


def analyse(path: Path, out: Path) -> dict[str, Any]:
    """Run the whole analysis on ``path``; write the CSVs into ``out``."""
    today = c.utc_today().isoformat()
    con = duckdb.connect()
    load(con, path)
    validate(con, today)
    last = min(c.utc_today(), c.LAST_DATE).isoformat()
    (as_of,) = con.execute(f"""
        SELECT greatest(
            (SELECT max(created) FROM valid WHERE created <= DATE '{last}'),
            (SELECT max(usable) FROM valid WHERE usable <= DATE '{last}'),
            DATE '{c.FIRST_DATE}')""").fetchone() or (c.FIRST_DATE,)
    con.execute(
        f"ALTER TABLE valid ADD COLUMN created_after_as_of BOOLEAN;"
        f"UPDATE valid SET created_after_as_of = created > DATE '{as_of}'"
    )
    issues = _issues(con)
    (with_warning,) = con.execute(
        f"SELECT count_if({' OR '.join(c.WARNING_CODES)}) FROM valid"
    ).fetchone() or (0,)
    _write_rejected(con, out / "rejected_rows.csv")
    records, valid = con.execute(
        "SELECT (SELECT count(*) FROM file) + (SELECT count(DISTINCT line) "
        "FROM reject_errors), (SELECT count(*) FROM valid)"
    ).fetchone() or (0, 0)
    con.execute(f"""
        CREATE TABLE t AS SELECT ticket_id, customer_id, subject,
            priority_value AS priority,
            CASE WHEN usable > DATE '{as_of}' THEN 'In Progress' ELSE status_value
            END AS status, created,
            CASE WHEN usable <= DATE '{as_of}' THEN usable END AS usable, assigned_to
        FROM valid WHERE NOT created_after_as_of""")
    result = metrics(con, as_of, out / "overdue_tickets.csv")
    quality = {
        "records_read": records,
        "rows_valid": valid,
        "rows_rejected": records - valid,
        "rows_with_warnings": with_warning,
        "issues": issues,
        "line_numbers": "approximate",
    }
    return {
        "engine": f"duckdb {duckdb.__version__}",
        "as_of": as_of.isoformat(),
        "data_quality": quality,
        **result,
    }


def _write_rejected(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Write rejected_rows.csv: approximate line, reasons, the record's fields."""
    fields = ", ".join(c.COLUMNS)
    con.execute(
        f"""COPY (
            SELECT record + 2 AS line_number,
                   'malformed_record: wrong number of fields' AS reasons, {fields}
            FROM raw WHERE ragged
            UNION ALL
            SELECT record + 2, reasons, {fields} FROM checked WHERE reasons <> ''
            ORDER BY line_number) TO '{path}' (HEADER, DELIMITER ',')"""
    )


def main(argv: list[str] | None = None) -> int:
    """Run the DuckDB peer as a command."""
    return c.run("python -m benchmarks.peers.duckdb_peer", analyse, argv)


if __name__ == "__main__":
    sys.exit(main())
