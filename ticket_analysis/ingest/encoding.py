"""Decide a ticket file's encoding and turn it into UTF-8 bytes without BOM.

Contract §1: UTF-8 with or without BOM; a file whose non-ASCII bytes are not
UTF-8 is an Excel (Windows-1252) export. A UTF-8 file with a few damaged bytes
stays UTF-8: they become U+FFFD and a warning names their lines. The rule: the
file is UTF-8 when its valid multi-byte sequences are at least as many as its
damaged ones (and there is one). In Windows-1252 a valid sequence needs an
accented capital or ``ß`` followed by a byte in 0x80..0xBF (``É”``), so nearly
all its non-ASCII bytes are damaged sequences; a damaged UTF-8 file is the opposite.
"""

from __future__ import annotations

import codecs
import logging
import threading
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from ticket_analysis.exceptions import InputError

logger = logging.getLogger(__name__)

#: How many damaged lines a warning names before "and N more".
LINES_NAMED = 10
_REPLACEMENT = "\ufffd"
_NEWLINE = 10


@dataclass(frozen=True)
class Decoded:
    """A file as UTF-8 bytes (BOM removed), its encoding and damaged lines."""

    data: bytes
    encoding: str
    damaged_lines: list[int] = field(default_factory=list)


def decode(data: bytes, source: str, *, warn: bool = True) -> Decoded:
    """Return the file as UTF-8 bytes without BOM.

    Raises:
        InputError: If the file is empty, UTF-16, binary (NUL bytes) or blank.
    """
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
    if is_utf8(data):  # the common case: one vectorised pass, no copy
        return Decoded(data, encoding)
    packed, origin, runs = _non_ascii_runs(data)
    text = packed.decode("utf-8", errors="replace")
    damaged = text.count(_REPLACEMENT) - packed.count(_REPLACEMENT.encode())
    if len(text) - runs - damaged >= max(damaged, 1):  # valid multi-byte characters
        spans = [(int(origin[a]), int(origin[b])) for a, b in _damaged_spans(packed)]
        lines = damaged_lines(data, [start for start, _ in spans])
        if warn:
            logger.warning(
                "%s is UTF-8 with %d damaged byte sequence(s), replaced by %r on "
                "line(s) %s",
                source,
                damaged,
                _REPLACEMENT,
                name_lines(lines),
            )
        return Decoded(_replace_spans(data, spans), encoding, lines)
    if warn:
        logger.warning(
            "%s is not valid UTF-8; reading it as Windows-1252 (Excel's "
            "default). Save as 'CSV UTF-8' to avoid this.",
            source,
        )
    return Decoded(data.decode("cp1252", errors="replace").encode("utf-8"), "cp1252")


def is_utf8(data: bytes) -> bool:
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


def _non_ascii_runs(data: bytes) -> tuple[bytes, npt.NDArray[np.int64], int]:
    """Pack the runs of non-ASCII bytes, one LF after each.

    A UTF-8 sequence is made of non-ASCII bytes only and an ASCII byte is valid
    alone, so decoding the packed runs finds the file's damaged sequences in a
    fraction of the bytes (an Excel export of 225 MB holds about 0.4 MB).

    Returns:
        The packed bytes, the file offset of each packed byte (an LF stands for
        the byte after its run; one more entry: the file's end), the run count.
    """
    buf = np.frombuffer(data, dtype=np.uint8)
    high = np.flatnonzero(buf >= 0x80)
    first = np.ones(len(high), dtype=bool)
    first[1:] = np.diff(high) != 1
    at = np.arange(len(high)) + np.cumsum(first) - 1  # packed index of each byte
    ends = np.flatnonzero(np.append(first[1:], True))  # last byte of each run
    packed = np.full(len(high) + len(ends), _NEWLINE, dtype=np.uint8)
    packed[at] = buf[high]
    origin = np.empty(len(packed) + 1, dtype=np.int64)
    origin[at] = high
    origin[ends + np.arange(len(ends)) + 1] = high[ends] + 1
    origin[-1] = len(data)
    return packed.tobytes(), origin, len(ends)


def _damaged_spans(packed: bytes) -> list[tuple[int, int]]:
    """Return the (start, end) of each damaged sequence in ``packed``."""
    spans: list[tuple[int, int]] = []
    _found.spans = spans
    try:
        packed.decode("utf-8", errors=_ERRORS)
    finally:
        del _found.spans
    return spans


def _record_damage(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: note a damaged sequence's span, replace it."""
    assert isinstance(exc, UnicodeDecodeError)  # registered for decoding only
    _found.spans.append((exc.start, exc.end))
    return _REPLACEMENT, exc.end


#: Spans found by the current thread's decode (the handler is process-wide).
_found = threading.local()
_ERRORS = "ticket_analysis.record_damage"
codecs.register_error(_ERRORS, _record_damage)


def _replace_spans(data: bytes, spans: list[tuple[int, int]]) -> bytes:
    """Return ``data`` with each span replaced by U+FFFD (as UTF-8)."""
    pieces, previous = [], 0
    for start, end in spans:
        pieces += [data[previous:start], _REPLACEMENT.encode()]
        previous = end
    pieces.append(data[previous:])
    return b"".join(pieces)


def damaged_lines(data: bytes, offsets: list[int]) -> list[int]:
    """Return the distinct physical lines (1-based) holding the sorted ``offsets``.

    Lines end at LF, CRLF or a lone CR; the offsets point at non-ASCII bytes, so
    no CRLF straddles one.
    """
    lines: list[int] = []
    line, previous = 1, 0
    for offset in offsets:
        crlf = data.count(b"\r\n", previous, offset)
        line += data.count(b"\n", previous, offset)
        line += data.count(b"\r", previous, offset) - crlf
        previous = offset
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


def name_lines(lines: list[int], limit: int = LINES_NAMED) -> str:
    """Return ``3, 7, 12`` or ``3, 7, ... and 5 more`` (``limit`` named)."""
    named = ", ".join(str(n) for n in lines[:limit])
    if len(lines) > limit:
        named += f" and {len(lines) - limit} more"
    return named
