"""Check every field of every row, column-wise, and sort rows into valid or rejected.

Implements the contract's sections 1 and 2: trimming, enum normalisation, strict
dates, required fields, duplicate ids and the cross-field warnings, each with its
stable issue code. No loop runs per row: every rule is a vectorised mask over a
column, and messages are built only for the rows a rule hits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ticket_analysis import domain as d
from ticket_analysis.dates import FIRST_DATE, LAST_DATE, RANGE_TEXT, utc_today
from ticket_analysis.reading import MalformedRecord, RawRecords

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int32]
#: A pyarrow string Array or ChunkedArray (pyarrow ships no type stubs).
Strings: TypeAlias = Any
#: Builds the messages of the hit rows from their indices.
Builder: TypeAlias = Callable[[Any], Strings]
#: A message for every hit row: fixed text, or built from the hit rows' indices.
Message: TypeAlias = str | Builder

#: Columns of the rejected-rows table, in file order.
REJECTED_COLUMNS = ("line_number", "reasons", *d.COLUMNS, "raw_record")
#: Columns validated on every row; the long free-text ones are only carried.
_TEXT = ("subject", "description", "assigned_to")
_CHECKED = tuple(c for c in d.COLUMNS if c not in _TEXT)
#: Columns of the issue-details table.
ISSUE_COLUMNS = ("line_number", "code", "severity", "message")


@dataclass
class Validated:
    """Outcome of validating the parsed records.

    Attributes:
        tickets: Valid rows, typed as described in ``docs/dataframe.md``.
        has_warning: One flag per ticket: True when the row carries a warning.
        rejected: One row per rejected record (see :data:`REJECTED_COLUMNS`).
        issues: Every issue found, one row per (record, code), in line order.
    """

    tickets: pd.DataFrame
    has_warning: BoolArray
    rejected: pd.DataFrame
    issues: pd.DataFrame


class _IssueLog:
    """Collects (line, code, message) columns per rule, then builds the tables."""

    def __init__(self, lines: npt.NDArray[np.int64]) -> None:
        self.lines = lines
        self.parts: list[tuple[npt.NDArray[np.int64], str, Strings]] = []

    def add(self, code: str, mask: BoolArray, message: Message) -> None:
        """Record ``code`` on the rows of ``mask`` with one message per row.

        Messages are built for the hit rows only, so a rule that hits nothing
        costs nothing however large the file.

        Args:
            code: The issue code.
            mask: Which rows (of the whole table) carry the issue.
            message: One text for all, or a function of the hit rows' indices.
        """
        rows = np.flatnonzero(mask)
        if not len(rows):
            return
        if isinstance(message, str):
            texts: Strings = pa.repeat(pa.scalar(message, pa.string()), len(rows))
        else:
            texts = message(pa.array(rows))
        self.parts.append((rows, code, texts))

    def table(self, malformed: list[MalformedRecord]) -> pd.DataFrame:
        """Return every issue, malformed records included, by line then code."""
        order_of_code = {code: i for i, code in enumerate(d.ISSUE_CODES)}
        frames = [
            pd.DataFrame(
                {
                    "line_number": self.lines[rows],
                    "code": code,
                    "message": texts.to_pandas(),
                    "_rank": order_of_code[code],
                }
            )
            for rows, code, texts in self.parts
        ]
        frames.append(
            pd.DataFrame(
                {
                    "line_number": np.array(
                        [m.line_number for m in malformed], np.int64
                    ),
                    "code": d.MALFORMED_RECORD,
                    "message": pd.Series([m.reason for m in malformed], dtype="str"),
                    "_rank": order_of_code[d.MALFORMED_RECORD],
                }
            )
        )
        frame = pd.concat(frames, ignore_index=True)
        frame = frame.astype({"line_number": "int64", "code": "str", "message": "str"})
        frame["severity"] = np.where(
            frame["code"].isin(d.REJECT_CODES), "reject", "warning"
        )
        frame = frame.sort_values(["line_number", "_rank"], kind="stable")
        return frame[list(ISSUE_COLUMNS)].reset_index(drop=True)


def validate(raw: RawRecords, *, today: date | None = None) -> Validated:
    """Validate parsed records into valid tickets, rejected rows and issues.

    Args:
        raw: The parsed records.
        today: The day of the run (UTC today when None): a later resolved_date
            is invalid.

    Returns:
        The tickets, the rejected rows and every issue with its line number.
    """
    today = today or utc_today()
    lines = raw.line_numbers
    n = len(lines)
    # Short columns are trimmed whole; long text only on the rows that are kept.
    # The short ones are joined into one array each, once: hashing them and
    # taking the rows a rule hits would otherwise join their chunks every time.
    trimmed = {name: _joined(_trim(raw.columns[name])) for name in _CHECKED}
    empty = {name: _np(pc.equal(trimmed[name], "")) for name in _CHECKED}
    log = _IssueLog(lines)

    for name in d.REQUIRED_FIELDS:
        log.add(d.MISSING_REQUIRED_FIELD, empty[name], f"{name} is empty")
    created, created_real, created_ok = _parse_dates(trimmed["created_date"])
    log.add(
        d.INVALID_CREATED_DATE,
        ~empty["created_date"] & ~created_real,
        _quoted(
            "created_date ", trimmed["created_date"], " is not a real YYYY-MM-DD date"
        ),
    )
    log.add(
        d.INVALID_CREATED_DATE,
        created_real & ~created_ok,
        _quoted(
            "created_date ",
            trimmed["created_date"],
            f" is outside the supported range {RANGE_TEXT}",
        ),
    )
    priority, priority_fixed = _match_enum(trimmed["priority"], d.PRIORITIES)
    status, status_fixed = _match_enum(trimmed["status"], d.STATUSES)
    for name, codes, allowed, code in (
        ("priority", priority, d.PRIORITIES, d.INVALID_PRIORITY),
        ("status", status, d.STATUSES, d.INVALID_STATUS),
    ):
        log.add(
            code,
            ~empty[name] & (codes < 0),
            _quoted(f"{name} ", trimmed[name], f" is not one of {', '.join(allowed)}"),
        )
    rejected = np.zeros(n, dtype=bool)
    for rows, _code, _ in log.parts:
        rejected[rows] = True
    duplicate, first_line = _duplicates(_codes(trimmed["ticket_id"]), ~rejected, lines)
    log.add(
        d.DUPLICATE_TICKET_ID,
        duplicate,
        _duplicate_messages(trimmed["ticket_id"], first_line),
    )
    rejected |= duplicate
    valid = ~rejected

    # Warnings: only on rows that are kept.
    resolved, resolved_real, resolved_in_range = _parse_dates(trimmed["resolved_date"])
    future = resolved_in_range & (resolved > np.datetime64(today, "s"))
    resolved_ok = resolved_in_range & ~future
    is_resolved = np.isin(status, [d.STATUSES.index(s) for s in d.RESOLVED_STATUSES])
    is_open = valid & ~is_resolved
    is_resolved &= valid
    before = is_resolved & resolved_ok & (resolved < created)
    fixed = valid & (priority_fixed | status_fixed)
    log.add(
        d.NORMALIZED_VALUE,
        fixed,
        _normalized_messages(trimmed, priority_fixed, status_fixed),
    )
    log.add(
        d.INVALID_RESOLVED_DATE,
        valid & ~empty["resolved_date"] & ~resolved_real,
        _quoted(
            "resolved_date ",
            trimmed["resolved_date"],
            " is not a real YYYY-MM-DD date; treated as empty",
        ),
    )
    log.add(
        d.INVALID_RESOLVED_DATE,
        valid & resolved_real & ~resolved_in_range,
        _quoted(
            "resolved_date ",
            trimmed["resolved_date"],
            f" is outside the supported range {RANGE_TEXT}; treated as empty",
        ),
    )
    log.add(
        d.INVALID_RESOLVED_DATE,
        valid & future,
        _quoted(
            "resolved_date ",
            trimmed["resolved_date"],
            f" is after the day of the run ({today.isoformat()}); treated as empty",
        ),
    )
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
    for name in _TEXT:
        trimmed[name] = _trim(pc.filter(raw.columns[name], keep))
    missing_subject = np.zeros(n, dtype=bool)
    missing_subject[valid] = _np(pc.equal(trimmed["subject"], ""))
    log.add(d.MISSING_SUBJECT, missing_subject, "subject is empty")

    has_warning = np.zeros(n, dtype=bool)
    for rows, code, _ in log.parts:
        if code in d.WARNING_CODES:
            has_warning[rows] = True

    usable_resolved = is_resolved & resolved_ok & ~before
    tickets = _tickets_frame(
        trimmed, valid, lines, priority, status, created, resolved, usable_resolved
    )
    issues = log.table(raw.malformed)
    rejected_rows = _rejected_frame(raw, rejected, issues)
    return Validated(tickets, has_warning[valid], rejected_rows, issues)


# --- column rules -------------------------------------------------------------------


def _trim(values: Strings) -> Strings:
    """Trim leading and trailing whitespace (as ``pc.utf8_trim_whitespace``).

    Exported values are almost always trimmed already, and copying a column
    (over 100 MB of descriptions at a million rows) costs far more than looking
    at the first and last byte of each value. Only values that start or end with
    an ASCII control or space character, or with a non-ASCII character (which may
    be Unicode whitespace), are trimmed to check; the column is trimmed in full
    only when one of them changes.

    Args:
        values: A ``large_string`` Array or ChunkedArray without nulls.

    Returns:
        The trimmed values (``values`` itself when none changes).
    """
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    for chunk in chunks:
        suspects = _maybe_untrimmed(chunk)
        if suspects.size:
            sample = chunk.take(pa.array(suspects))
            trimmed = pc.utf8_trim_whitespace(sample)
            if (
                not pc.equal(pc.binary_length(trimmed), pc.binary_length(sample))
                .to_numpy(zero_copy_only=False)
                .all()
            ):
                return pc.utf8_trim_whitespace(values)
    return values


def _joined(values: Strings) -> Strings:
    """Return the values as one contiguous array (a copy only if chunked)."""
    if isinstance(values, pa.ChunkedArray):
        return values.combine_chunks()
    return values


def _maybe_untrimmed(strings: pa.Array) -> npt.NDArray[np.intp]:
    """Return the rows whose first or last byte may be whitespace."""
    _, offsets_buffer, data_buffer = strings.buffers()
    if offsets_buffer is None or data_buffer is None or not len(strings):
        return np.zeros(0, dtype=np.intp)
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[
        strings.offset : strings.offset + len(strings) + 1
    ]
    data = np.frombuffer(data_buffer, dtype=np.uint8)
    starts, stops = offsets[:-1], offsets[1:]
    rows = np.flatnonzero(stops > starts)
    first, last = data[starts[rows]], data[stops[rows] - 1]
    suspect = (first <= 0x20) | (first >= 0x7F) | (last <= 0x20) | (last >= 0x7F)
    return rows[suspect]


def _np(array: pa.Array | pa.ChunkedArray) -> BoolArray:
    """Return a boolean pyarrow array as numpy (nulls as False)."""
    return np.asarray(
        pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool
    )


def _join(*parts: str | Strings) -> Strings:
    """Concatenate string arrays and fixed texts element-wise (``large_string``).

    The parsed columns are ``large_string``; pyarrow wants every part of one type.
    """
    return pc.binary_join_element_wise(
        *(pa.scalar(p, pa.large_string()) if isinstance(p, str) else p for p in parts),
        pa.scalar("", pa.large_string()),
    )


def _quoted(prefix: str, values: Strings, suffix: str = "") -> Builder:
    """Return a builder of ``prefix'value'suffix`` messages for the hit rows."""

    def build(rows: pa.Array) -> Strings:
        shown = pc.utf8_slice_codeunits(values.take(rows), 0, 60)
        return _join(prefix + "'", shown, "'" + suffix)

    return build


def _dictionary(values: Strings) -> tuple[Strings, npt.NDArray[np.int32]]:
    """Return the distinct values and, per row, the index of its value.

    Columns given to it hold short values (ids, enums, dates): joining their
    chunks first is cheaper than unifying per-chunk dictionaries.
    """
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    encoded = pc.dictionary_encode(values)
    return encoded.dictionary, encoded.indices.to_numpy(zero_copy_only=False)


def _codes(values: Strings) -> IntArray:
    """Return, per row, the index of its value among the distinct values."""
    return _dictionary(values)[1]


def _match_enum(
    values: Strings, allowed: tuple[str, ...]
) -> tuple[npt.NDArray[np.int8], BoolArray]:
    """Match values to ``allowed`` ignoring case and space/hyphen/underscore.

    Works on the distinct values only (an export has a handful), then maps back.

    Returns:
        The index into ``allowed`` (-1 when no match) and whether the value had to
        be normalised to match.
    """
    distinct, codes = _dictionary(values)
    key = pc.utf8_trim_whitespace(
        pc.replace_substring_regex(pc.utf8_lower(distinct), r"[\s_\-]+", " ")
    )
    index = pc.index_in(key, value_set=pa.array([a.lower() for a in allowed]))
    index_np = np.asarray(
        pc.fill_null(index, -1).to_numpy(zero_copy_only=False), np.int8
    )
    exact = np.asarray(
        pc.is_in(distinct, value_set=pa.array(list(allowed))).to_numpy(
            zero_copy_only=False
        ),
        dtype=bool,
    )
    fixed_np = (index_np >= 0) & ~exact
    return index_np[codes], fixed_np[codes]


def _parse_dates(
    values: Strings,
) -> tuple[npt.NDArray[np.datetime64], BoolArray, BoolArray]:
    """Parse strict ``YYYY-MM-DD`` calendar dates in the supported range.

    Distinct values are parsed once. A value is a real date when it has the
    exact shape and formats back to itself (``2024-02-30`` rolls over, so it
    fails); it is usable when it also lies in ``FIRST_DATE..LAST_DATE``.

    Returns:
        Dates as ``datetime64[s]`` (NaT unless usable), the real-date mask and
        the usable mask (real and in range).
    """
    distinct, codes = _dictionary(values)
    parsed = pc.strptime(distinct, format="%Y-%m-%d", unit="s", error_is_null=True)
    shaped = pc.match_substring_regex(distinct, r"^\d{4}-\d{2}-\d{2}$")
    same = pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), distinct)
    real = _np(pc.and_kleene(shaped, same))
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
    codes: IntArray, candidates: BoolArray, lines: npt.NDArray[np.int64]
) -> tuple[BoolArray, npt.NDArray[np.int64]]:
    """Flag rows whose id an earlier candidate row already has.

    Args:
        codes: Per row, the index of its (trimmed) id among the distinct ids.
        candidates: Rows that may keep their id (not rejected for other reasons).
        lines: The rows' line numbers.

    Returns:
        The duplicate mask and, for every row, the line of the first row with the
        same id (meaningful on duplicates only).
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


def _duplicate_messages(ids: Strings, first_line: npt.NDArray[np.int64]) -> Builder:
    """Return a builder of "already used on line N" messages."""
    quoted = _quoted("ticket_id ", ids, " already used on line ")

    def build(rows: pa.Array) -> Strings:
        lines = pa.array(first_line[rows.to_numpy()].astype(str), pa.large_string())
        return _join(quoted(rows), lines)

    return build


def _normalized_messages(
    trimmed: dict[str, Strings], priority_fixed: BoolArray, status_fixed: BoolArray
) -> Builder:
    """Return a builder describing which enum values were normalised."""
    priority = _quoted("priority ", trimmed["priority"], " was normalised")
    status = _quoted("status ", trimmed["status"], " was normalised")

    def build(rows: pa.Array) -> Strings:
        hit = rows.to_numpy()
        p, s = priority(rows), status(rows)
        return pc.if_else(
            pa.array(priority_fixed[hit] & status_fixed[hit]),
            _join(p, "; ", s),
            pc.if_else(pa.array(priority_fixed[hit]), p, s),
        )

    return build


# --- output tables ---------------------------------------------------------


def _tickets_frame(
    trimmed: dict[str, Strings],
    valid: BoolArray,
    lines: npt.NDArray[np.int64],
    priority: npt.NDArray[np.int8],
    status: npt.NDArray[np.int8],
    created: npt.NDArray[np.datetime64],
    resolved: npt.NDArray[np.datetime64],
    usable_resolved: BoolArray,
) -> pd.DataFrame:
    """Build the typed DataFrame of valid tickets (see ``docs/dataframe.md``).

    The long text columns (:data:`_TEXT`) arrive already filtered to valid rows.
    """
    keep = pa.array(valid)

    def text(name: str) -> pd.Series:
        kept = trimmed[name] if name in _TEXT else trimmed[name].filter(keep)
        return pd.Series(kept.to_pandas(), dtype="str")

    assigned = text("assigned_to")
    resolved_kept = resolved.copy()
    resolved_kept[~usable_resolved] = np.datetime64("NaT")
    return pd.DataFrame(
        {
            "line_number": lines[valid],
            "ticket_id": text("ticket_id"),
            "customer_id": text("customer_id"),
            "subject": text("subject"),
            "description": text("description"),
            "priority": pd.Categorical.from_codes(
                priority[valid],
                dtype=pd.CategoricalDtype(list(d.PRIORITIES), ordered=True),
            ),
            "status": pd.Categorical.from_codes(
                status[valid], dtype=pd.CategoricalDtype(list(d.STATUSES))
            ),
            "created_date": created[valid],
            "resolved_date": resolved_kept[valid],
            "assigned_to": assigned.where(assigned != ""),
        }
    )


def _joined_reasons(rejects: pd.DataFrame) -> pd.Series:
    """Join each line's ``code: message`` texts with "; " (vectorised).

    ``rejects`` is in line order; a line's n-th reason is appended in round n, so
    the work is one vectorised step per reason a row has, not one per row.
    """
    texts = (rejects["code"] + ": " + rejects["message"]).to_numpy(dtype=object)
    lines = rejects["line_number"].to_numpy()
    nth = rejects.groupby("line_number", sort=False).cumcount().to_numpy()
    reasons = pd.Series(texts[nth == 0], index=lines[nth == 0], dtype="str")
    for n in range(1, int(nth.max(initial=0)) + 1):
        more = nth == n
        at = lines[more]
        reasons.loc[at] = reasons.loc[at].to_numpy(dtype=object) + "; " + texts[more]
    return reasons.rename("reasons")


def _rejected_frame(
    raw: RawRecords, rejected: BoolArray, issues: pd.DataFrame
) -> pd.DataFrame:
    """One row per rejected record: line, every reason, the original fields."""
    mask = pa.array(rejected)
    fields = pd.DataFrame(
        {
            "line_number": raw.line_numbers[rejected],
            **{c: pc.filter(raw.columns[c], mask).to_pandas() for c in d.COLUMNS},
            "raw_record": "",
        }
    )
    malformed = pd.DataFrame(
        {
            "line_number": [m.line_number for m in raw.malformed],
            **dict.fromkeys(d.COLUMNS, ""),
            "raw_record": [m.text for m in raw.malformed],
        }
    )
    reasons = _joined_reasons(issues[issues["severity"] == "reject"])
    frame = pd.concat([fields, malformed], ignore_index=True)
    frame = frame.astype(dict.fromkeys((*d.COLUMNS, "raw_record"), "str"))
    frame["line_number"] = frame["line_number"].astype("int64")
    frame = frame.join(reasons, on="line_number")
    return frame.sort_values("line_number", kind="stable").reset_index(drop=True)[
        list(REJECTED_COLUMNS)
    ]
