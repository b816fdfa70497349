"""Turn the bytes of a CSV export into string columns and physical line numbers.

This is the parsing half of the loader; :mod:`ticket_analysis.validation` checks
the values. Two parsers produce the same :class:`RawRecords`:

- the fast path: pyarrow's CSV reader for the fields (single-threaded, so that
  it numbers the records it rejects; a large file is read as two halves at
  once), plus a vectorised scan of the bytes (newlines outside quotes) for the
  line numbers;
- the exact path: the standard library's :mod:`csv` module, record by record.

The fast path checks itself (its record count must agree with pyarrow's); when it
cannot vouch for its line numbers, or pyarrow refuses the file, the exact path runs.
Either way every record is either a row of the table or a malformed record, and
blank lines are skipped without being counted.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pacsv

from ticket_analysis.domain import COLUMNS, REQUIRED_FIELDS
from ticket_analysis.exceptions import InputError

logger = logging.getLogger(__name__)

_SCAN_CHUNK = 1 << 24  # bytes scanned per numpy pass (bounded temporaries)
#: Files at least this large are parsed as two halves at once.
_SPLIT_MIN_BYTES = 1 << 23
_NEWLINE, _CR, _QUOTE = 10, 13, 34


@dataclass(frozen=True)
class MalformedRecord:
    """A record whose fields could not be used as a row.

    Attributes:
        line_number: Physical line (1-based) where the record starts.
        text: The record's original text.
        reason: Human explanation, e.g. ``has 7 fields, expected 9``.
    """

    line_number: int
    text: str
    reason: str


@dataclass
class RawRecords:
    """The parsed, still unvalidated content of a ticket file.

    Attributes:
        columns: Canonical column name -> untrimmed string values, one per row
            (a pyarrow ``large_string`` Array or ChunkedArray: the type pandas'
            ``str`` dtype holds, so the tickets frame shares the buffers instead
            of copying every column).
            Optional columns absent from the file are filled with empty strings.
        line_numbers: Physical start line of each row (int64).
        malformed: Records that are not rows (wrong field count, bad quoting).
        encoding: ``utf-8``, ``utf-8-sig`` (with BOM) or ``cp1252``.
        extra_columns: Header names that are not part of the contract (ignored).
        missing_optional_columns: Optional contract columns the file lacks.
    """

    columns: dict[str, pa.Array | pa.ChunkedArray]
    line_numbers: npt.NDArray[np.int64]
    malformed: list[MalformedRecord]
    encoding: str
    extra_columns: list[str] = field(default_factory=list)
    missing_optional_columns: list[str] = field(default_factory=list)

    @property
    def records_read(self) -> int:
        """Number of data records in the file (rows plus malformed records)."""
        return len(self.line_numbers) + len(self.malformed)


def normalize_header(name: str) -> str:
    """Return the canonical form of a header name (``Ticket ID`` -> ``ticket_id``).

    Args:
        name: A header cell as found in the file.

    Returns:
        Lower case, trimmed, with runs of spaces and hyphens turned into ``_``.
    """
    return re.sub(r"[\s\-]+", "_", name.strip().lstrip("\ufeff").strip().lower())


def read_records(data: bytes, source: str, *, exact: bool = False) -> RawRecords:
    """Parse the bytes of a ticket export.

    Args:
        data: The whole file.
        source: The file's name, for error messages.
        exact: Skip the fast path and parse with the csv module (used by tests to
            check that both paths agree).

    Returns:
        The rows as string columns, their line numbers and the malformed records.

    Raises:
        InputError: If the file is empty, blank, binary, UTF-16, or lacks a
            required column.
    """
    data, encoding = _decode(data, source)
    header = _parse_header(data)
    mapping = _map_header(header, source)
    extra = [h for h in header if normalize_header(h) not in COLUMNS]
    missing_optional = [c for c in COLUMNS if c not in mapping]
    records = None
    try:
        if not exact:
            records = _fast_read(data, header, mapping)
    except pa.ArrowInvalid as exc:
        logger.debug(
            "pyarrow could not parse %s (%s); using the csv module", source, exc
        )
        records = None
    if records is None:
        records = _exact_read(data, header, mapping)
    columns, lines, malformed = records
    if extra:
        logger.info("ignoring extra columns in %s: %s", source, ", ".join(extra))
    return RawRecords(columns, lines, malformed, encoding, extra, missing_optional)


# --- encoding -----------------------------------------------------------------


def check_start(head: bytes, source: str, *, whole: bool) -> None:
    """Raise the fatal error :func:`read_records` would raise, from the file's start.

    A cheap check (empty, blank, binary, UTF-16, required columns) for callers
    that want to fail before expensive work, such as starting a Jupyter kernel.

    Args:
        head: The first bytes of the file (for example 64 KiB).
        source: The file's name, for error messages.
        whole: ``head`` is the whole file.

    Raises:
        InputError: If the file cannot be used at all.
    """
    if not whole:
        end = max(head.rfind(b"\n"), head.rfind(b"\r"))
        if end < 0 or head[: end + 1].isspace():
            return  # no complete header line in view: leave it to the full read
        head = head[: end + 1]
    data, _ = _decode(head, source, warn=False)
    _map_header(_parse_header(data), source)


def _decode(data: bytes, source: str, *, warn: bool = True) -> tuple[bytes, str]:
    """Return the file as UTF-8 bytes without BOM, and the encoding found."""
    if not data:
        raise InputError(
            f"{source} is empty (0 bytes): export the tickets again, with a header row"
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(
            f"{source} is UTF-16 text: save it as 'CSV UTF-8 (comma delimited)' "
            "and run again"
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise InputError(
            f"{source} is not a text CSV file: it contains NUL bytes (first on line "
            f"{line}, byte {nul}); export the tickets as CSV UTF-8 and run again"
        )
    if data.isspace():
        raise InputError(
            f"{source} contains only blank lines: export the tickets again, "
            "with a header row"
        )
    encoding = "utf-8"
    if data.startswith(codecs.BOM_UTF8):
        data, encoding = data[len(codecs.BOM_UTF8) :], "utf-8-sig"
    if not _is_utf8(data):
        if warn:
            logger.warning(
                "%s is not valid UTF-8; reading it as Windows-1252 (Excel's "
                "default). Save as 'CSV UTF-8' to avoid this.",
                source,
            )
        data, encoding = (
            data.decode("cp1252", errors="replace").encode("utf-8"),
            "cp1252",
        )
    return data, encoding


def _is_utf8(data: bytes) -> bool:
    """Tell whether the bytes are valid UTF-8 (vectorised, no copy)."""
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    blob = pa.Array.from_buffers(
        pa.large_string(), 1, [None, offsets, pa.py_buffer(data)]
    )
    try:
        blob.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


# --- header ---------------------------------------------------------------------


def _parse_header(data: bytes) -> list[str]:
    """Return the header record's cells (the header ends at LF, CRLF or CR)."""
    end = re.search(rb"[\r\n]", data)
    first = data if end is None else data[: end.start()]
    return next(csv.reader([first.decode("utf-8")]), [])


def _is_blank(fields: list[str]) -> bool:
    """Tell whether a parsed record is a blank line (nothing, or one blank cell).

    Both parsers use this rule, so a line holding only spaces, ``""`` or
    ``"   "`` is skipped (not counted) whichever parser reads the file.
    """
    return not fields or (len(fields) == 1 and not fields[0].strip())


def _map_header(header: list[str], source: str) -> dict[str, str]:
    """Map each contract column found to its header name; check required ones.

    Raises:
        InputError: If a required column is missing or a column appears twice.
    """
    mapping: dict[str, str] = {}
    for name in header:
        canonical = normalize_header(name)
        if canonical not in COLUMNS:
            continue
        if canonical in mapping:
            raise InputError(
                f"{source}: columns {mapping[canonical]!r} and {name!r} both mean "
                f"{canonical}; keep one of them and run again"
            )
        mapping[canonical] = name
    missing = [c for c in REQUIRED_FIELDS if c not in mapping]
    if missing:
        found = ", ".join(repr(h[:40]) for h in header[:20]) or "none"
        hint = ""
        if len(header) == 1 and re.search(r"[;\t|]", header[0]):
            hint = " The header looks delimited by ';', tab or '|': export with commas."
        raise InputError(
            f"{source} is missing required column(s): {', '.join(missing)}. "
            f"Columns found: {found}.{hint} Required: {', '.join(REQUIRED_FIELDS)}."
        )
    return mapping


# --- fast path: pyarrow + vectorised line numbers --------------------------------

_Parsed = tuple[
    dict[str, pa.Array | pa.ChunkedArray], npt.NDArray[np.int64], list[MalformedRecord]
]


def _fast_read(
    data: bytes, header: list[str], mapping: dict[str, str]
) -> _Parsed | None:
    """Parse with pyarrow; None when the line numbers cannot be trusted.

    The line-number scan runs in a second thread while pyarrow parses (both
    release the GIL), so on two cores it costs next to nothing.
    """
    with ThreadPoolExecutor(max_workers=2) as pool:
        scan = pool.submit(_record_start_lines, data)
        table, invalid = _parse_in_parts(data, header, mapping, pool)
        starts = scan.result()
    if len(starts) != 1 + table.num_rows + len(invalid) or any(
        n is None for n, _, _ in invalid
    ):
        logger.debug("record count check failed; falling back to the csv module")
        return None
    is_row = np.ones(len(starts), dtype=bool)
    is_row[0] = False  # the header
    malformed = []
    for number, text, actual in invalid:
        assert number is not None
        is_row[number - 1] = False
        if not _is_blank(next(csv.reader([text]), [])):
            malformed.append(
                MalformedRecord(
                    int(starts[number - 1]),
                    text,
                    _field_count_reason(actual, len(header)),
                )
            )
    columns = _columns_from_table(table, mapping)
    return columns, starts[is_row], malformed


def _parse_in_parts(
    data: bytes, header: list[str], mapping: dict[str, str], pool: ThreadPoolExecutor
) -> tuple[pa.Table, list[tuple[int | None, str, int]]]:
    """Parse a large file as two halves at once; a small one in one go.

    pyarrow's multi-threaded reader does not number the records it rejects; two
    single-threaded readers do. The second half starts at a record boundary and
    is read with the header's names; its record numbers are shifted by the
    records of the first half (header included), as if read in one go.

    Returns:
        The table and, per record of the wrong width, (record number, text,
        field count); numbers count non-blank records from 1 (the header).
    """
    split = _split_point(data) if len(data) >= _SPLIT_MIN_BYTES else None
    invalid: list[tuple[int | None, str, int]] = []
    if split is None:
        return _pyarrow_read(pa.py_buffer(data), header, mapping, invalid), invalid
    whole = pa.py_buffer(data)
    tail_invalid: list[tuple[int | None, str, int]] = []
    tail = pool.submit(
        _pyarrow_read, whole.slice(split), header, mapping, tail_invalid, named=True
    )
    head = _pyarrow_read(whole.slice(0, split), header, mapping, invalid)
    rest = tail.result()
    shift = 1 + head.num_rows + len(invalid)
    invalid += [
        (None if number is None else number + shift, text, actual)
        for number, text, actual in tail_invalid
    ]
    return pa.concat_tables([head, rest]), invalid


def _split_point(data: bytes) -> int | None:
    """Return the start of the first record after the middle of the file.

    A line feed ends a record when an even number of quotes precede it (see
    :func:`_record_start_lines`). None when there is no such record (a file
    of lone-CR lines, one huge quoted field...).
    """
    buf = np.frombuffer(data, dtype=np.uint8)
    position = len(data) // 2
    quotes = sum(
        int(np.count_nonzero(buf[start : min(start + _SCAN_CHUNK, position)] == _QUOTE))
        for start in range(0, position, _SCAN_CHUNK)
    )
    while (newline := data.find(b"\n", position)) >= 0:
        quotes += data.count(b'"', position, newline)
        position = newline + 1
        if quotes % 2 == 0:
            return position if position < len(data) else None
    return None


def _pyarrow_read(
    data: pa.Buffer,
    header: list[str],
    mapping: dict[str, str],
    invalid: list[tuple[int | None, str, int]],
    *,
    named: bool = False,
) -> pa.Table:
    """Read the contract's columns as strings; collect records of the wrong width.

    Single-threaded, so that each invalid record comes with its record number.

    Args:
        data: CSV text.
        header: The file's column names.
        mapping: Contract column -> header name, for the columns to keep.
        invalid: Receives (record number, text, field count) of each record of
            the wrong width.
        named: ``data`` has no header line (it is the rest of a file): use
            ``header`` as the column names.
    """

    def on_invalid(row: pacsv.InvalidRow) -> str:
        invalid.append((row.number, row.text, row.actual_columns))
        return "skip"

    return pacsv.read_csv(
        pa.BufferReader(data),
        read_options=pacsv.ReadOptions(
            use_threads=False,
            block_size=1 << 24,
            column_names=header if named else None,
        ),
        parse_options=pacsv.ParseOptions(
            newlines_in_values=True, invalid_row_handler=on_invalid
        ),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(header, pa.large_string()),
            include_columns=list(mapping.values()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            # _decode already made the whole file valid UTF-8 (one fast pass);
            # checking each value again costs about 0.1 s per million rows.
            check_utf8=False,
        ),
    )


def _record_start_lines(data: bytes) -> npt.NDArray[np.int64]:
    """Return the physical start line of every non-empty record (header included).

    Lines end at LF, CRLF or a lone CR (as for the csv module). A line
    break ends a record when an even number of quote characters precede it
    (quoted fields double their inner quotes, so parity tracks "inside quotes").
    """
    buf = np.frombuffer(data, dtype=np.uint8)
    newlines = _positions(buf, _NEWLINE)
    quotes = _positions(buf, _QUOTE)
    breaks = newlines
    if b"\r" in data:
        cr = _positions(buf, _CR)
        nxt = np.minimum(cr + 1, len(buf) - 1)
        lone = cr[(cr + 1 >= len(buf)) | (buf[nxt] != _NEWLINE)]
        if len(lone):
            breaks = np.union1d(newlines, lone)
    ends = breaks[(np.searchsorted(quotes, breaks) & 1) == 0]
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [len(buf)]))
    length = stops - starts
    last = np.maximum(stops - 1, 0)
    has_cr = (length > 0) & (buf[last] == _CR) if len(buf) else length > 0
    nonempty = (length - has_cr) > 0
    return (np.searchsorted(breaks, starts[nonempty]) + 1).astype(np.int64)


def _positions(buf: npt.NDArray[np.uint8], byte: int) -> npt.NDArray[np.int64]:
    """Return the offsets of ``byte`` in ``buf``, scanning in bounded chunks."""
    scratch = np.empty(min(len(buf), _SCAN_CHUNK), dtype=bool)
    parts = [np.empty(0, np.int64)]
    for offset in range(0, len(buf), _SCAN_CHUNK):
        chunk = buf[offset : offset + _SCAN_CHUNK]
        mask = scratch[: len(chunk)]
        np.equal(chunk, byte, out=mask)
        parts.append(np.flatnonzero(mask) + offset)
    return np.concatenate(parts)


def _columns_from_table(
    table: pa.Table, mapping: dict[str, str]
) -> dict[str, pa.ChunkedArray]:
    """Return one string column per contract column ("" for absent columns)."""
    blank = pa.chunked_array(
        [pa.repeat(pa.scalar("", pa.large_string()), table.num_rows)]
    )
    return {
        name: table.column(mapping[name]) if name in mapping else blank
        for name in COLUMNS
    }


def _field_count_reason(actual: int, expected: int) -> str:
    """Explain a wrong number of fields."""
    return f"has {actual} field{'s' if actual != 1 else ''}, expected {expected}"


# --- exact path: the csv module ---------------------------------------------------


def _exact_read(data: bytes, header: list[str], mapping: dict[str, str]) -> _Parsed:
    """Parse record by record with the csv module (slow, but never wrong)."""
    text = data.decode("utf-8")
    old_limit = csv.field_size_limit(sys.maxsize)
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        wanted = [header.index(mapping[c]) if c in mapping else -1 for c in COLUMNS]
        values: list[list[str]] = [[] for _ in COLUMNS]
        lines: list[int] = []
        malformed: list[MalformedRecord] = []
        previous_end = 0
        first = True
        for row in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if first:
                first = False
                continue
            if _is_blank(row):
                continue
            if len(row) != len(header):
                malformed.append(
                    MalformedRecord(
                        start,
                        _unparse(row),
                        _field_count_reason(len(row), len(header)),
                    )
                )
                continue
            lines.append(start)
            for out, index in zip(values, wanted, strict=True):
                out.append(row[index] if index >= 0 else "")
    except csv.Error as exc:  # pragma: no cover - csv is lenient with strict=False
        raise InputError(f"the file cannot be parsed as CSV: {exc}") from exc
    finally:
        csv.field_size_limit(old_limit)
    columns = {
        c: pa.array(v, pa.large_string()) for c, v in zip(COLUMNS, values, strict=True)
    }
    return columns, np.asarray(lines, dtype=np.int64), malformed


def _unparse(row: list[str]) -> str:
    """Write a parsed record back as one CSV record (without line ending)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(row)
    return out.getvalue()
