"""Turn the bytes of a CSV export into string columns and physical line numbers.

The parsing half of ingest (:mod:`~ticket_analysis.ingest.validation` checks the
values). Two parsers produce the same :class:`RawRecords`:

- the fast path: pyarrow's CSV reader for the fields (single-threaded, so that
  it numbers the records it rejects; a large file is read as two halves at
  once), plus a vectorised scan of the bytes for the line numbers (:mod:`linescan`
  follows the parsers' quoting rules exactly, stray quotes like ``27"`` included);
- the exact path: the standard library's :mod:`csv` module, record by record.

The fast path also checks itself (its record count must agree with pyarrow's);
when it cannot vouch for its line numbers, or pyarrow refuses the file, the exact
path runs. Either way every record is either a row of the table or a malformed
record, and blank lines (also before the header) are skipped without being
counted; line numbers are physical lines of the file, blank ones included.
"""

from __future__ import annotations

import csv
import io
import logging
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pacsv

from ticket_analysis.domain import COLUMNS
from ticket_analysis.exceptions import InputError
from ticket_analysis.ingest import linescan
from ticket_analysis.ingest.encoding import decode
from ticket_analysis.ingest.header import (
    find_header,
    is_blank,
    map_header,
    normalize_header,
)

logger = logging.getLogger(__name__)

#: Files at least this large are parsed as two halves at once.
_SPLIT_MIN_BYTES = 1 << 23
_QUOTE = 34


@dataclass(frozen=True)
class MalformedRecord:
    """A record whose fields could not be used as a row.

    Attributes:
        line_number: Physical line (1-based) where the record starts.
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
            ("" in optional columns the file lacks), as pyarrow ``large_string``:
            pandas' ``str`` dtype holds that type, so the tickets frame shares
            the buffers instead of copying every column.
        line_numbers: Physical start line of each row.
        malformed: Records that are not rows (wrong field count, bad quoting).
        encoding: ``utf-8``, ``utf-8-sig`` (with BOM) or ``cp1252``.
        extra_columns: Header names that are not part of the contract (ignored).
        damaged_lines: Physical lines of a UTF-8 file where damaged bytes were
            replaced by U+FFFD (already logged as a warning).
    """

    columns: dict[str, pa.Array | pa.ChunkedArray]
    line_numbers: npt.NDArray[np.int64]
    malformed: list[MalformedRecord]
    encoding: str
    extra_columns: list[str] = field(default_factory=list)
    missing_optional_columns: list[str] = field(default_factory=list)
    damaged_lines: list[int] = field(default_factory=list)

    @property
    def records_read(self) -> int:
        """Number of data records in the file (rows plus malformed records)."""
        return len(self.line_numbers) + len(self.malformed)


def read_records(data: bytes, source: str, *, exact: bool = False) -> RawRecords:
    """Parse the bytes of a ticket export into string columns and line numbers.

    Args:
        data: The whole file.
        source: The file's name, for error messages.
        exact: Skip the fast path and parse with the csv module (used by tests to
            check that both paths agree).

    Raises:
        InputError: If the file is empty, blank, binary, UTF-16, or lacks a
            required column.
    """
    decoded = decode(data, source)
    data = decoded.data
    offset, skipped, header = find_header(data, source)
    mapping = map_header(header, source)
    extra = [h for h in header if normalize_header(h) not in COLUMNS]
    missing_optional = [c for c in COLUMNS if c not in mapping]
    if skipped:
        logger.info("%s: skipped %d blank line(s) before the header", source, skipped)
        data = data[offset:]  # rare: a copy is fine
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
    if skipped:  # the parsers numbered the lines from the header
        lines = lines + skipped
        malformed = [
            MalformedRecord(m.line_number + skipped, m.text, m.reason)
            for m in malformed
        ]
    if extra:
        logger.info("ignoring extra columns in %s: %s", source, ", ".join(extra))
    return RawRecords(
        columns,
        lines,
        malformed,
        decoded.encoding,
        extra,
        missing_optional,
        decoded.damaged_lines,
    )


def check_start(head: bytes, source: str, *, whole: bool) -> None:
    """Raise the fatal error :func:`read_records` would raise, from the file's start.

    A cheap check (empty, blank, binary, UTF-16, required columns) for callers
    that want to fail before expensive work, such as starting a Jupyter kernel.
    ``head`` is the first bytes of the file (say 64 KiB); ``whole`` says it is
    all of it.

    Raises:
        InputError: If the file cannot be used at all.
    """
    if not whole:
        end = max(head.rfind(b"\n"), head.rfind(b"\r"))
        if end < 0 or head[: end + 1].isspace():
            return  # no complete header line in view: leave it to the full read
        head = head[: end + 1]
    data = decode(head, source, warn=False).data
    try:
        header = find_header(data, source)[2]
    except InputError:
        if whole:
            raise
        return  # only blank lines in view: leave it to the full read
    map_header(header, source)


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
        scan = pool.submit(_scan, data)  # first: it then overlaps all the parsing
        big = len(data) >= _SPLIT_MIN_BYTES
        split = linescan.guess_split_point(data) if big else None
        table, invalid = _parse_in_parts(data, split, header, mapping, pool)
        quotes, starts = scan.result()
        if split is not None and not linescan.is_record_start(data, quotes, split):
            # Literal quotes before the middle misled the guess: the halves were
            # cut inside a record. Parse again, cut at a real record start.
            logger.debug("split inside a record; parsing again")
            split = linescan.split_point(data, quotes)
            table, invalid = _parse_in_parts(data, split, header, mapping, pool)
        del quotes  # 8 bytes per quote: free them before the columns are built
    # The scan is exact by construction (see linescan.field_quotes); this count
    # check guards against pyarrow reading the records differently.
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
        if not is_blank(next(csv.reader([text]), [])):
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
    data: bytes,
    split: int | None,
    header: list[str],
    mapping: dict[str, str],
    pool: ThreadPoolExecutor,
) -> tuple[pa.Table, list[tuple[int | None, str, int]]]:
    """Parse a large file as two halves at once; a small one in one go.

    pyarrow's multi-threaded reader does not number the records it rejects; two
    single-threaded readers do. The second half starts at a record boundary
    (``split``) and is read with the header's names; its record numbers are
    shifted by the first half's records (header included), as if read in one go.

    Returns:
        The table and, per record of the wrong width, (record number, text,
        field count); numbers count non-blank records from 1 (the header).
    """
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


def _scan(data: bytes) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Return the field quotes and the start line of every record (linescan)."""
    buf = np.frombuffer(data, dtype=np.uint8)
    quotes = linescan.field_quotes(data, linescan.positions(buf, _QUOTE))
    return quotes, linescan.record_start_lines(data, quotes)


def _split_point(data: bytes) -> int | None:
    """Return the start of the first record after the middle (see linescan)."""
    buf = np.frombuffer(data, dtype=np.uint8)
    quotes = linescan.field_quotes(data, linescan.positions(buf, _QUOTE))
    return linescan.split_point(data, quotes)


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
            # decode() already made the whole file valid UTF-8 (one fast pass);
            # checking each value again costs about 0.1 s per million rows.
            check_utf8=False,
        ),
    )


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
            if is_blank(row):
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
