"""Find where each CSV record starts, vectorised, exactly as a CSV parser would.

pyarrow and the :mod:`csv` module parse with one state machine (``doublequote``,
no escape character): a quote at the start of a field opens a quoted field;
elsewhere outside one (``27" monitor``, ``x"y``) it is literal; inside one,
``""`` is a quote and a single quote closes it, and what follows up to the next
delimiter is unquoted text again (``"ab"c"d`` is ``abc"d``); a line break (LF,
CRLF or lone CR) outside a quoted field ends the record. The scan keeps only the
quotes that open, close or double (the *field quotes*, :func:`field_quotes`): a
line break then ends a record exactly when an even number of them precede it.
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt

SCAN_CHUNK = 1 << 24  # bytes scanned per numpy pass (bounded temporaries)
_NEWLINE, _CR, _QUOTE, _COMMA = 10, 13, 34, 44
_FIELD_END = re.compile(rb"[,\r\n]")
#: Bytes after which, outside a quoted field, a quote opens one (or, after a
#: closing quote, is the second half of ``""``).
_OPENS_AFTER = np.zeros(256, dtype=bool)
_OPENS_AFTER[[_COMMA, _NEWLINE, _CR, _QUOTE]] = True


def positions(buf: npt.NDArray[np.uint8], byte: int) -> npt.NDArray[np.int64]:
    """Return the offsets of ``byte`` in ``buf``, scanning in bounded chunks."""
    scratch = np.empty(min(len(buf), SCAN_CHUNK), dtype=bool)
    parts = [np.empty(0, np.int64)]
    for offset in range(0, len(buf), SCAN_CHUNK):
        chunk = buf[offset : offset + SCAN_CHUNK]
        mask = scratch[: len(chunk)]
        np.equal(chunk, byte, out=mask)
        parts.append(np.flatnonzero(mask) + offset)
    return np.concatenate(parts)


def field_quotes(data: bytes, quotes: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Return the quote offsets without the literal quotes of unquoted fields.

    Exact, by induction over the quotes in file order, with ``k`` kept quotes
    before the next one (at ``p``): ``k`` odd, the parser is inside a quoted
    field, so it is a field quote (it closes, or starts a ``""``); ``k`` even
    and ``p`` is 0 or follows ``,``, CR or LF, it opens a field; ``k`` even and
    ``p`` follows a quote, that is the ``k``-th kept one (dropped quotes never
    sit right before a later quote), which closed a field or started a ``""``,
    so this one completes the ``""``; ``k`` even after any other byte, it sits
    in an unquoted field, so it and every quote up to the field's end (the next
    ``,``, CR or LF) are literal and dropped. Only that last case costs Python
    steps, one per such field; a file without stray quotes costs one gather.
    """
    if not len(quotes):
        return quotes
    buf = np.frombuffer(data, dtype=np.uint8)
    # The byte before each quote (a quote at offset 0 looks at itself, a quote,
    # which the table accepts: it opens the first field).
    if _OPENS_AFTER[buf[np.maximum(quotes[0::2] - 1, 0)]].all():
        return quotes  # the common case: no quote with an even index is suspect
    suspects = np.flatnonzero(~_OPENS_AFTER[buf[np.maximum(quotes - 1, 0)]])
    # A suspect is literal when an even number of kept quotes precede it: with
    # ``dropped`` quotes dropped before index j, that is (j - dropped) even.
    by_parity = (suspects[suspects % 2 == 0], suspects[suspects % 2 == 1])
    keep = np.ones(len(quotes), dtype=bool)
    dropped = 0
    index = 0
    while True:
        candidates = by_parity[dropped % 2]
        at = int(np.searchsorted(candidates, index))
        if at == len(candidates):
            break
        first = int(candidates[at])
        end = _FIELD_END.search(data, int(quotes[first]) + 1)
        stop = len(quotes) if end is None else int(np.searchsorted(quotes, end.start()))
        keep[first:stop] = False
        dropped += stop - first
        index = stop
    return quotes[keep]


def line_breaks(buf: npt.NDArray[np.uint8], data: bytes) -> npt.NDArray[np.int64]:
    """Return the offset of every line end: each LF, and each CR not before an LF."""
    newlines = positions(buf, _NEWLINE)
    if b"\r" not in data:
        return newlines
    cr = positions(buf, _CR)
    nxt = np.minimum(cr + 1, len(buf) - 1)
    lone = cr[(cr + 1 >= len(buf)) | (buf[nxt] != _NEWLINE)]
    return np.union1d(newlines, lone) if len(lone) else newlines


def record_start_lines(
    data: bytes, quotes: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Return the 1-based physical start line of every non-empty record.

    ``quotes`` are the field quotes; the header counts. A record holding only a
    line break is skipped, as both parsers skip it; a blank but not empty one
    (spaces) is kept: the readers drop it later by content.
    """
    buf = np.frombuffer(data, dtype=np.uint8)
    breaks = line_breaks(buf, data)
    ends = breaks[(np.searchsorted(quotes, breaks) & 1) == 0]
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [len(buf)]))
    length = stops - starts
    last = np.maximum(stops - 1, 0)
    has_cr = (length > 0) & (buf[last] == _CR) if len(buf) else length > 0
    nonempty = (length - has_cr) > 0
    return (np.searchsorted(breaks, starts[nonempty]) + 1).astype(np.int64)


def guess_split_point(data: bytes) -> int | None:
    """Return the offset after the first LF past the middle with even quotes before.

    Cheap (no offsets); a record start unless literal quotes precede it, which
    :func:`is_record_start` tells once the field quotes are known.
    """
    buf = np.frombuffer(data, dtype=np.uint8)
    position = len(data) // 2
    quotes = sum(
        int(np.count_nonzero(buf[start : min(start + SCAN_CHUNK, position)] == _QUOTE))
        for start in range(0, position, SCAN_CHUNK)
    )
    while (newline := data.find(b"\n", position)) >= 0:
        quotes += data.count(b'"', position, newline)
        position = newline + 1
        if quotes % 2 == 0:
            return position if position < len(data) else None
    return None


def split_point(data: bytes, quotes: npt.NDArray[np.int64]) -> int | None:
    """Return the first record start after the middle of ``data``, after a LF.

    None when there is none (lone-CR lines, one huge quoted field...).
    """
    position = len(data) // 2
    while (newline := data.find(b"\n", position)) >= 0:
        position = newline + 1
        if is_record_start(data, quotes, position):
            return position if position < len(data) else None
    return None


def is_record_start(data: bytes, quotes: npt.NDArray[np.int64], offset: int) -> bool:
    """Tell whether a record starts at ``offset``, just after a line feed."""
    return (
        0 < offset <= len(data)
        and data[offset - 1] == _NEWLINE
        and int(np.searchsorted(quotes, offset - 1)) % 2 == 0
    )
