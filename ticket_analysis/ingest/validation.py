"""Check every field of every row, column-wise, and sort rows into valid or rejected.

Implements the contract's sections 1 and 2: trimming, enum normalisation, strict
dates, required fields, duplicate ids and the cross-field warnings, each with its
stable issue code. No loop runs per row: every rule is a vectorised mask over a
column, and messages are built only for the rows a rule hits.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ticket_analysis import domain as d
from ticket_analysis.dates import FIRST_DATE, LAST_DATE, RANGE_TEXT, utc_today
from ticket_analysis.ingest import columns as col
from ticket_analysis.ingest.datetimes import read_dates
from ticket_analysis.ingest.profiles import Profile
from ticket_analysis.ingest.reading import RawRecords
from ticket_analysis.ingest.tables import (
    TEXT_COLUMNS,
    IssueLog,
    rejected_fields,
    rejected_frame,
    tickets_frame,
)

#: Columns validated on every row; the long free-text ones are only carried.
_CHECKED = tuple(c for c in d.COLUMNS if c not in TEXT_COLUMNS)


@dataclass
class Validated:
    """Valid tickets (``docs/dataframe.md``), rejected rows, issues in line order."""

    tickets: pd.DataFrame
    has_warning: col.BoolArray
    rejected: pd.DataFrame
    issues: pd.DataFrame


def validate(
    raw: RawRecords, *, today: date | None = None, consume: bool = False
) -> Validated:
    """Validate parsed records; a resolved_date after ``today`` (UTC) is invalid.

    ``consume`` drops the file's columns from ``raw`` as soon as each is used
    (``raw.columns`` ends empty): the loader's choice, as the parsed file would
    otherwise stay alive beside the tickets (a third of the peak memory).
    """
    today = today or utc_today()
    columns = raw.columns if consume else dict(raw.columns)
    lines = raw.line_numbers
    n = len(lines)
    # Short columns are trimmed whole; long text only on the rows that are kept.
    # The short ones are joined into one array each, once: hashing them and
    # taking the rows a rule hits would otherwise join their chunks every time.
    # The joined values (the untrimmed ones, usually the same array) also give
    # rejected_rows.csv its fields, so the chunks can go at once.
    untrimmed = {name: col.joined(columns.pop(name)) for name in _CHECKED}
    trimmed = {name: col.trim(untrimmed[name]) for name in _CHECKED}
    # Hashing a million ids keeps a core busy for a quarter of a second, and no
    # rule before the duplicate check needs it: it runs beside them.
    pool = ThreadPoolExecutor(1, thread_name_prefix="ticket-ids")
    id_codes = pool.submit(lambda: col.dictionary(trimmed["ticket_id"])[1])
    pool.shutdown(wait=False)  # the thread ends when its one task is done
    empty = {name: col.as_bool(pc.equal(trimmed[name], "")) for name in _CHECKED}
    log = IssueLog(lines)

    profile = raw.profile
    not_a_date = " is not a real YYYY-MM-DD date"
    if not profile.is_canonical:
        forms = ", ".join(
            ["YYYY-MM-DD", "ISO-8601", *(f.name for f in profile.formats)]
        )
        not_a_date = f" is not a real date in a form {profile.label} reads ({forms})"
    for name in d.REQUIRED_FIELDS:
        log.add(d.MISSING_REQUIRED_FIELD, empty[name], f"{name} is empty")
    created, created_real, created_ok = _parse_dates(
        _as_dates(trimmed["created_date"], profile)
    )
    for mask, why in (
        (~empty["created_date"] & ~created_real, not_a_date),
        (created_real & ~created_ok, f" is outside the supported range {RANGE_TEXT}"),
    ):
        message = col.quoted("created_date ", trimmed["created_date"], why)
        log.add(d.INVALID_CREATED_DATE, mask, message)
    priority, priority_fixed, priority_read = _match_enum(
        trimmed["priority"], d.PRIORITIES, profile.values.get("priority", {})
    )
    status, status_fixed, status_read = _match_enum(
        trimmed["status"], d.STATUSES, profile.values.get("status", {})
    )
    for name, codes, allowed, code in (
        ("priority", priority, d.PRIORITIES, d.INVALID_PRIORITY),
        ("status", status, d.STATUSES, d.INVALID_STATUS),
    ):
        why = f" is not one of {', '.join(allowed)}"
        if not profile.is_canonical:
            why += (
                f", and {profile.label} does not map it: add it under "
                f"[values.{name}] in {profile.where_to_add}"
            )
        log.add(
            code, ~empty[name] & (codes < 0), col.quoted(f"{name} ", trimmed[name], why)
        )
    rejected = np.zeros(n, dtype=bool)
    for rows, _code, _ in log.parts:
        rejected[rows] = True
    ids = trimmed["ticket_id"]
    duplicate, first_line = _duplicates(id_codes.result(), ~rejected, lines)
    log.add(d.DUPLICATE_TICKET_ID, duplicate, _duplicate_messages(ids, first_line))
    rejected |= duplicate
    valid = ~rejected
    fields = rejected_fields(raw, {**untrimmed, **columns}, rejected)
    del untrimmed
    if consume:
        raw.export_columns = None

    # Warnings: only on rows that are kept.
    resolved, resolved_real, resolved_in_range = _parse_dates(
        _as_dates(trimmed["resolved_date"], profile)
    )
    future = resolved_in_range & (resolved > np.datetime64(today, "s"))
    resolved_ok = resolved_in_range & ~future
    is_resolved = np.isin(status, [d.STATUSES.index(s) for s in d.RESOLVED_STATUSES])
    is_open = valid & ~is_resolved
    is_resolved &= valid
    before = is_resolved & resolved_ok & (resolved < created)
    fixed = valid & (priority_fixed | status_fixed)
    normalized = _normalized_messages(
        trimmed,
        (priority, priority_fixed, priority_read),
        (status, status_fixed, status_read),
        profile,
    )
    log.add(d.NORMALIZED_VALUE, fixed, normalized)
    for mask, why in (
        (~empty["resolved_date"] & ~resolved_real, not_a_date.lstrip()),
        (
            resolved_real & ~resolved_in_range,
            f"is outside the supported range {RANGE_TEXT}",
        ),
        (future, f"is after the day of the run ({today.isoformat()})"),
    ):
        message = col.quoted(
            "resolved_date ", trimmed["resolved_date"], f" {why}; treated as empty"
        )
        log.add(d.INVALID_RESOLVED_DATE, valid & mask, message)
    log.add(
        d.RESOLVED_BEFORE_CREATED,
        before,
        "resolved_date is before created_date; excluded from resolution times",
    )
    log.add(
        d.MISSING_RESOLVED_DATE,
        is_resolved & ~resolved_ok,
        "resolved ticket without a usable resolved_date; "
        "counted as resolved, no duration",
    )
    log.add(
        d.RESOLVED_DATE_ON_OPEN_TICKET,
        is_open & resolved_ok,
        "open ticket has a resolved_date; the status wins and the date is ignored",
    )
    keep = pa.array(valid)
    for name in TEXT_COLUMNS:
        trimmed[name] = col.trim(pc.filter(columns.pop(name), keep))
    missing_subject = np.zeros(n, dtype=bool)
    missing_subject[valid] = col.as_bool(pc.equal(trimmed["subject"], ""))
    log.add(d.MISSING_SUBJECT, missing_subject, "subject is empty")

    has_warning = np.zeros(n, dtype=bool)
    for rows, code, _ in log.parts:
        if code in d.WARNING_CODES:
            has_warning[rows] = True

    usable_resolved = is_resolved & resolved_ok & ~before
    tickets = tickets_frame(
        trimmed, valid, lines, priority, status, created, resolved, usable_resolved
    )
    issues = log.table(raw.malformed)
    rejected_rows = rejected_frame(fields, lines[rejected], raw.malformed, issues)
    return Validated(tickets, has_warning[valid], rejected_rows, issues)


# --- column rules -------------------------------------------------------------------


def _as_dates(values: col.Strings, profile: Profile) -> col.Strings:
    """Under a profile, turn the timestamps it reads into ``YYYY-MM-DD`` dates."""
    if profile.is_canonical:
        return values
    return read_dates(values, profile.formats)


def _match_enum(
    values: col.Strings, allowed: tuple[str, ...], mapped: dict[str, str]
) -> tuple[npt.NDArray[np.int8], col.BoolArray, col.IntArray]:
    """Match values to ``allowed`` ignoring case and space/hyphen/underscore.

    ``mapped`` adds a profile's values (:func:`profiles.enum_key` -> canonical).

    Returns:
        The index into ``allowed`` (-1 when no match), whether the value had to
        be normalised (or mapped) to match, and the index of the value read among
        the distinct values.
    """
    distinct, codes = col.dictionary(values)
    key = pc.utf8_trim_whitespace(
        pc.replace_substring_regex(pc.utf8_lower(distinct), r"[\s_\-]+", " ")
    )
    keys = [a.lower() for a in allowed] + list(mapped)
    targets = np.array(
        [*range(len(allowed)), *(allowed.index(v) for v in mapped.values())], np.int8
    )
    index = pc.index_in(key, value_set=pa.array(keys, pa.string()))
    found = np.asarray(pc.fill_null(index, -1).to_numpy(zero_copy_only=False), np.intp)
    index_np = np.where(found >= 0, targets[found], -1).astype(np.int8)
    exact = col.as_bool(pc.is_in(distinct, value_set=pa.array(list(allowed))))
    fixed_np = (index_np >= 0) & ~exact
    return index_np[codes], fixed_np[codes], codes


def _parse_dates(
    values: col.Strings,
) -> tuple[npt.NDArray[np.datetime64], col.BoolArray, col.BoolArray]:
    """Parse strict ``YYYY-MM-DD`` dates: (dates, real mask, usable mask).

    A value is real when it has the exact shape and formats back to itself
    (``2024-02-30`` rolls over, so it fails); usable when also in
    ``FIRST_DATE..LAST_DATE``. Dates are ``datetime64[s]``, NaT unless usable.
    """
    distinct, codes = col.dictionary(values)
    parsed = pc.strptime(distinct, format="%Y-%m-%d", unit="s", error_is_null=True)
    shaped = pc.match_substring_regex(distinct, r"^\d{4}-\d{2}-\d{2}$")
    same = pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), distinct)
    real = col.as_bool(pc.and_kleene(shaped, same))
    as_np = parsed.to_numpy(zero_copy_only=False).astype("datetime64[s]")
    as_np[~real] = np.datetime64("NaT")
    usable = (
        real
        & (as_np >= np.datetime64(FIRST_DATE, "s"))
        & (as_np <= np.datetime64(LAST_DATE, "s"))
    )
    as_np[~usable] = np.datetime64("NaT")
    return as_np[codes], real[codes], usable[codes]


def _duplicates(
    codes: col.IntArray, candidates: col.BoolArray, lines: npt.NDArray[np.int64]
) -> tuple[col.BoolArray, npt.NDArray[np.int64]]:
    """Flag candidate rows whose id (``codes``) an earlier candidate has.

    Returns the mask and, per duplicate, the line of the first row with its id.
    """
    rows = np.flatnonzero(candidates)
    _, first = np.unique(codes[rows], return_index=True)
    first_row = np.full(codes.max(initial=-1) + 1, -1, dtype=np.int64)
    first_row[codes[rows[first]]] = rows[first]
    duplicate = np.zeros(len(codes), dtype=bool)
    duplicate[rows] = True
    duplicate[rows[first]] = False
    first_line = np.zeros(len(codes), dtype=np.int64)
    if duplicate.any():
        first_line[duplicate] = lines[first_row[codes[duplicate]]]
    return duplicate, first_line


def _duplicate_messages(
    ids: col.Strings, first_line: npt.NDArray[np.int64]
) -> col.Builder:
    """Return a builder of "already used on line N" messages."""
    quoted = col.quoted("ticket_id ", ids, " already used on line ")

    def build(rows: pa.Array) -> col.Strings:
        lines = pa.array(first_line[rows.to_numpy()].astype(str), pa.large_string())
        return col.join(quoted(rows), lines)

    return build


def _normalized_messages(
    trimmed: dict[str, col.Strings],
    priority_match: tuple[npt.NDArray[np.int8], col.BoolArray, col.IntArray],
    status_match: tuple[npt.NDArray[np.int8], col.BoolArray, col.IntArray],
    profile: Profile,
) -> col.Builder:
    """Return a builder describing which enum values were normalised.

    Under a profile the message also names the value read and the profile.
    A message depends only on the two values read, so it is built once per
    distinct pair and repeated: under a profile nearly every row gets one.
    """
    priority_fixed, status_fixed = priority_match[1], status_match[1]
    read = priority_match[2].astype(np.int64) * (
        int(status_match[2].max(initial=0)) + 1
    )
    read += status_match[2]

    def describe(name: str, allowed: tuple[str, ...], codes: Any) -> col.Builder:
        quoted = col.quoted(f"{name} ", trimmed[name], " was normalised")
        if profile.is_canonical:
            return quoted
        names = pa.array(allowed, pa.large_string())

        def build(rows: pa.Array) -> col.Strings:
            read = names.take(pa.array(codes[rows.to_numpy()]))
            return col.join(quoted(rows), " to ", read, f" ({profile.label})")

        return build

    priority = describe("priority", d.PRIORITIES, priority_match[0])
    status = describe("status", d.STATUSES, status_match[0])

    def build(rows: pa.Array) -> col.Strings:
        pairs = pd.Series(read[rows.to_numpy()])
        which, _ = pd.factorize(pairs)  # numbered in order of first appearance
        shown = rows.take(pa.array(np.flatnonzero(~pairs.duplicated().to_numpy())))
        hit = shown.to_numpy()
        p, s = priority(shown), status(shown)
        messages = pc.if_else(
            pa.array(priority_fixed[hit] & status_fixed[hit]),
            col.join(p, "; ", s),
            pc.if_else(pa.array(priority_fixed[hit]), p, s),
        )
        return pa.DictionaryArray.from_arrays(pa.array(which), messages)

    return build
