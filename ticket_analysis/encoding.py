"""Decide a ticket file's encoding and turn it into UTF-8 bytes without BOM.

Contract §1: UTF-8 with or without BOM; a file whose non-ASCII bytes are not
UTF-8 is an Excel (Windows-1252) export. A UTF-8 file with a few damaged bytes
(a truncated character, one line pasted from another program) stays UTF-8: its
damaged bytes become U+FFFD and a warning names their lines. The rule that tells
the two apart: the file is UTF-8 when its valid multi-byte UTF-8 sequences are
at least as many as its damaged sequences (and there is at least one). In a
Windows-1252 file a valid sequence needs an accented capital or ``ß`` followed
by a byte in 0x80..0xBF (``É”``), so its non-ASCII bytes are nearly all damaged
sequences; a damaged UTF-8 file is the opposite.
"""

from __future__ import annotations

import codecs
import logging
import threading
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from ticket_analysis.exceptions import InputError
from ticket_analysis.linescan import line_breaks

logger = logging.getLogger(__name__)

#: How many damaged lines a warning names before "and N more".
LINES_NAMED = 10
_REPLACEMENT = "\ufffd"


@dataclass(frozen=True)
class Decoded:
    """A file as UTF-8 bytes (BOM removed), with the encoding found.

    Attributes:
        data: The text as UTF-8 bytes.
        encoding: ``utf-8``, ``utf-8-sig`` (with BOM) or ``cp1252``.
        damaged_lines: Physical lines (1-based) where bytes that are not UTF-8
            were replaced by U+FFFD (UTF-8 files only).
    """

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
    text, damaged = _decode_replacing(data)
    valid_multibyte = _count_non_ascii_chars(data, text) - len(damaged)
    if valid_multibyte >= max(len(damaged), 1):
        lines = damaged_lines(data, damaged)
        if warn:
            logger.warning(
                "%s is UTF-8 with %d damaged byte sequence(s), replaced by %r on "
                "line(s) %s",
                source,
                len(damaged),
                _REPLACEMENT,
                name_lines(lines),
            )
        return Decoded(text.encode("utf-8"), encoding, lines)
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


def _decode_replacing(data: bytes) -> tuple[str, list[int]]:
    """Decode as UTF-8, each damaged sequence as U+FFFD; return their byte offsets.

    A damaged sequence is what Python's decoder replaces by one U+FFFD (a stray
    continuation byte, a truncated character...).
    """
    offsets: list[int] = []
    _found.offsets = offsets
    try:
        return data.decode("utf-8", errors=_ERRORS), offsets
    finally:
        del _found.offsets


def _record_damage(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: note where a damaged sequence starts, replace it."""
    if not isinstance(exc, UnicodeDecodeError):  # pragma: no cover - decode only
        raise exc
    _found.offsets.append(exc.start)
    return _REPLACEMENT, exc.end


#: Offsets found by the current thread's decode (the handler is process-wide).
_found = threading.local()
_ERRORS = "ticket_analysis.record_damage"
codecs.register_error(_ERRORS, _record_damage)


def _count_non_ascii_chars(data: bytes, text: str) -> int:
    """Return how many characters of ``text`` (``data`` decoded) are not ASCII.

    Each ASCII byte decodes to one ASCII character and nothing else does.
    """
    buf = np.frombuffer(data, dtype=np.uint8)
    ascii_bytes = int(np.count_nonzero(buf < 0x80))
    return len(text) - ascii_bytes


def damaged_lines(data: bytes, offsets: list[int]) -> list[int]:
    """Return the distinct physical lines (1-based) holding the given byte offsets."""
    if not offsets:
        return []
    breaks = line_breaks(np.frombuffer(data, dtype=np.uint8), data)
    lines = np.searchsorted(breaks, np.asarray(offsets, dtype=np.int64)) + 1
    return [int(n) for n in np.unique(lines)]


def name_lines(lines: list[int], limit: int = LINES_NAMED) -> str:
    """Return ``3, 7, 12`` or ``3, 7, ... (first 10) and 5 more``."""
    named = ", ".join(str(n) for n in lines[:limit])
    if len(lines) > limit:
        named += f" and {len(lines) - limit} more"
    return named
