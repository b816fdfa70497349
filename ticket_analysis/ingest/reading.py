"""Turn the bytes of a CSV export into string columns and physical line numbers.

Two parsers produce the same :class:`RawRecords`. The fast path takes the fields
from pyarrow's CSV reader (single-threaded, so that it numbers the records it
rejects; a large file is read as two halves at once) and the line numbers from a
vectorised scan of the bytes (:mod:`linescan`, exact even with stray quotes like
``27"``). When the two disagree on the record count, or pyarrow refuses the
file, the exact path, the :mod:`csv` module, runs. Either way every record is a
row or a malformed record; blank lines (also before the header) are skipped
uncounted; line numbers are physical lines of the file, blank ones included.
"""

from __future__ import annotations

import csv
import io
import logging
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ticket_analysis.domain import COLUMNS
from ticket_analysis.exceptions import InputError
from ticket_analysis.ingest import linescan, profiles
from ticket_analysis.ingest.encoding import decode
from ticket_analysis.ingest.header import find_header, is_blank
from ticket_analysis.ingest.plan import ColumnPlan, plan_columns
from ticket_analysis.ingest.profiles import CANONICAL_PROFILE, Profile

logger = logging.getLogger(__name__)

#: Files at least this large are parsed as two halves at once.
_SPLIT_MIN_BYTES = 1 << 23
_QUOTE = 34


@dataclass(frozen=True)
class MalformedRecord:
    """A record that is not a row: its first physical line, text and why."""

    line_number: int
    text: str
    reason: str


@dataclass
class RawRecords:
    """The parsed, still unvalidated content of a ticket file.

    Attributes:
        columns: Canonical column name -> untrimmed ``large_string`` values, one
            per row ("" in optional columns the file lacks): pandas' ``str``
            dtype then shares the buffers instead of copying every column.
        encoding: ``utf-8``, ``utf-8-sig`` (with BOM) or ``cp1252``.
        extra_columns: Header names that are not part of the contract (ignored).
        damaged_lines: Lines of a UTF-8 file whose damaged bytes became U+FFFD.
        profile: The import profile the columns were mapped with.
        export_columns: Under a profile, the file's own columns that feed the
            canonical ones (header -> untrimmed values), for rejected_rows.csv.
    """

    columns: dict[str, pa.Array | pa.ChunkedArray]
    line_numbers: npt.NDArray[np.int64]
    malformed: list[MalformedRecord]
    encoding: str
    extra_columns: list[str]
    missing_optional_columns: list[str]
    damaged_lines: list[int]
    profile: Profile = CANONICAL_PROFILE
    export_columns: dict[str, pa.Array | pa.ChunkedArray] | None = None

    @property
    def records_read(self) -> int:
        """Number of data records in the file (rows plus malformed records)."""
        return len(self.line_numbers) + len(self.malformed)


def read_records(
    data: bytes, source: str, *, exact: bool = False, profile: Profile | None = None
) -> RawRecords:
    """Parse a ticket export (``source``: its name for messages).

    ``exact`` skips the fast path (tests check that both paths agree);
    ``profile`` maps the export's columns (None: detected from the header).

    Raises:
        InputError: If the file is empty, blank, binary, UTF-16, or lacks a
            required column.
        UsageError: If the header fits more than one built-in profile.
    """
    decoded = decode(data, source)
    data = decoded.data
    offset, skipped, header = find_header(data, source)
    plan = plan_columns(header, source, profile)
    if skipped:
        logger.info("%s: skipped %d blank line(s) before the header", source, skipped)
        data = data[offset:]  # rare: a copy is fine
    records = None
    names = plan.names
    if not exact:
        try:
            records = _fast_read(data, header, names)
        except pa.ArrowInvalid as exc:
            logger.debug("pyarrow could not parse %s (%s); using csv", source, exc)
    by_name, lines, malformed = records or _exact_read(data, header, names)
    if skipped:  # the parsers numbered the lines from the header
        lines = lines + skipped
        malformed = [
            MalformedRecord(m.line_number + skipped, m.text, m.reason)
            for m in malformed
        ]
    if plan.extra:
        logger.info("ignoring extra columns in %s: %s", source, ", ".join(plan.extra))
    return RawRecords(
        _canonical_columns(plan, by_name, len(lines)),
        lines,
        malformed,
        decoded.encoding,
        plan.extra,
        plan.missing_optional,
        decoded.damaged_lines,
        plan.profile,
        None if plan.profile.is_canonical else _in_file_order(header, by_name),
    )


def _canonical_columns(
    plan: ColumnPlan, by_name: dict[str, pa.Array | pa.ChunkedArray], rows: int
) -> dict[str, pa.Array | pa.ChunkedArray]:
    """Build each canonical column from the file's columns the plan names.

    Several headers for one column: per row, the first non-empty (trimmed) value.
    """
    blank = pa.chunked_array([pa.repeat(pa.scalar("", pa.large_string()), rows)])
    columns = {}
    for column in COLUMNS:
        names = plan.columns.get(column, ())
        if not names:
            columns[column] = blank
            continue
        values = by_name[names[-1]]
        for name in reversed(names[:-1]):
            first = by_name[name]
            empty = pc.equal(pc.utf8_trim_whitespace(first), "")
            values = pc.if_else(empty, values, first)
        columns[column] = values
    return columns


def _in_file_order(
    header: list[str], by_name: dict[str, pa.Array | pa.ChunkedArray]
) -> dict[str, pa.Array | pa.ChunkedArray]:
    """Return the columns read, in the order of the file's header."""
    return {name: by_name[name] for name in header if name in by_name}


def check_start(
    head: bytes,
    source: str,
    *,
    whole: bool,
    profile: str | None = None,
    mapping: Path | str | None = None,
) -> None:
    """Raise the fatal error :func:`read_records` would raise, from the file's start.

    A cheap check for callers that want to fail before expensive work (starting a
    Jupyter kernel). ``head`` is the first bytes of the file; ``whole`` says it is
    all of it; ``profile`` and ``mapping`` are ``--source`` and ``--mapping``.

    Raises:
        InputError: The file cannot be used.
        UsageError: A bad ``--source`` or mapping file, or an ambiguous header.
    """
    chosen = profiles.resolve(profile, mapping)
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
    plan_columns(header, source, chosen, quiet=True)


# --- fast path: pyarrow + vectorised line numbers --------------------------------

_Parsed = tuple[
    dict[str, pa.Array | pa.ChunkedArray], npt.NDArray[np.int64], list[MalformedRecord]
]
#: Per record of the wrong width: record number (header = 1), text, field count.
_Invalid = list[tuple[int | None, str, int]]


def _fast_read(data: bytes, header: list[str], names: list[str]) -> _Parsed | None:
    """Parse with pyarrow; None when the line numbers cannot be trusted.

    The line scan runs in a second thread while pyarrow parses (both release the
    GIL), so on two cores it costs next to nothing.
    """
    with ThreadPoolExecutor(max_workers=2) as pool:
        scan = pool.submit(_scan, data)  # first: it then overlaps all the parsing
        big = len(data) >= _SPLIT_MIN_BYTES
        split = linescan.guess_split_point(data) if big else None
        table, invalid = _parse_in_parts(data, split, header, names, pool)
        quotes, starts = scan.result()
        if split is not None and not linescan.is_record_start(data, quotes, split):
            # Literal quotes before the middle misled the guess: the halves were
            # cut inside a record. Parse again, cut at a real record start.
            logger.debug("split inside a record; parsing again")
            split = linescan.split_point(data, quotes)
            table, invalid = _parse_in_parts(data, split, header, names, pool)
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
            reason = _field_count_reason(actual, len(header))
            malformed.append(MalformedRecord(int(starts[number - 1]), text, reason))
    columns = {name: table.column(name) for name in names}
    return columns, starts[is_row], malformed


def _parse_in_parts(
    data: bytes,
    split: int | None,
    header: list[str],
    names: list[str],
    pool: ThreadPoolExecutor,
) -> tuple[pa.Table, _Invalid]:
    """Parse a large file as two halves at once (cut at ``split``); a small one whole.

    The second half is read with the header's names, and its record numbers are
    shifted by the first half's records, as if read in one go.
    """
    invalid: _Invalid = []
    if split is None:
        return _pyarrow_read(pa.py_buffer(data), header, names, invalid), invalid
    whole = pa.py_buffer(data)
    tail_invalid: _Invalid = []
    tail = pool.submit(
        _pyarrow_read, whole.slice(split), header, names, tail_invalid, named=True
    )
    head = _pyarrow_read(whole.slice(0, split), header, names, invalid)
    rest = tail.result()
    shift = 1 + head.num_rows + len(invalid)
    invalid += [
        (None if number is None else number + shift, text, actual)
        for number, text, actual in tail_invalid
    ]
    return pa.concat_tables([head, rest]), invalid


def _scan(data: bytes) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Return the field quotes and the start line of every record (linescan)."""
    quotes = _field_quotes(data)
    return quotes, linescan.record_start_lines(data, quotes)


def _split_point(data: bytes) -> int | None:
    """Return the start of the first record after the middle (see linescan)."""
    return linescan.split_point(data, _field_quotes(data))


def _field_quotes(data: bytes) -> npt.NDArray[np.int64]:
    """Return the offsets of the field quotes (see linescan.field_quotes)."""
    buf = np.frombuffer(data, dtype=np.uint8)
    return linescan.field_quotes(data, linescan.positions(buf, _QUOTE))


def _pyarrow_read(
    data: pa.Buffer,
    header: list[str],
    names: list[str],
    invalid: _Invalid,
    *,
    named: bool = False,
) -> pa.Table:
    """Read the named columns as strings, appending wrong-width records to ``invalid``.

    ``named``: ``data`` is the rest of a file, without a header line.
    """

    def on_invalid(row: pacsv.InvalidRow) -> str:
        invalid.append((row.number, row.text, row.actual_columns))
        return "skip"

    return pacsv.read_csv(
        pa.BufferReader(data),
        read_options=pacsv.ReadOptions(
            use_threads=False,  # so that each invalid record comes with its number
            block_size=1 << 24,
            column_names=header if named else None,
        ),
        parse_options=pacsv.ParseOptions(
            newlines_in_values=True, invalid_row_handler=on_invalid
        ),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(header, pa.large_string()),
            include_columns=names,
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            # decode() already made the whole file valid UTF-8 (one fast pass);
            # checking each value again costs about 0.1 s per million rows.
            check_utf8=False,
        ),
    )


def _field_count_reason(actual: int, expected: int) -> str:
    """Explain a wrong number of fields."""
    return f"has {actual} field{'s' if actual != 1 else ''}, expected {expected}"


# --- exact path: the csv module ---------------------------------------------------


def _exact_read(data: bytes, header: list[str], names: list[str]) -> _Parsed:
    """Parse record by record with the csv module (slow, but never wrong)."""
    old_limit = csv.field_size_limit(sys.maxsize)
    try:
        reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
        wanted = [header.index(name) for name in names]
        values: list[list[str]] = [[] for _ in names]
        lines: list[int] = []
        malformed: list[MalformedRecord] = []
        next(reader)  # the header
        previous_end = reader.line_num
        for row in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if is_blank(row):
                continue
            if len(row) != len(header):
                reason = _field_count_reason(len(row), len(header))
                malformed.append(MalformedRecord(start, _unparse(row), reason))
                continue
            lines.append(start)
            for out, index in zip(values, wanted, strict=True):
                out.append(row[index])
    finally:
        csv.field_size_limit(old_limit)
    columns = {
        name: pa.array(v, pa.large_string())
        for name, v in zip(names, values, strict=True)
    }
    return columns, np.asarray(lines, dtype=np.int64), malformed


def _unparse(row: list[str]) -> str:
    """Write a parsed record back as one CSV record (without line ending)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(row)
    return out.getvalue()
