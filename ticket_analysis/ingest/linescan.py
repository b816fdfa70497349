"""Find where each CSV record starts, vectorised, exactly as a CSV parser would.

The fast reader takes its fields from pyarrow and its physical line numbers from
this scan. Both pyarrow and the :mod:`csv` module (the exact reader) parse with
the same state machine (``doublequote``, no escape character):

- at the start of a field, a quote opens a quoted field;
- anywhere else outside a quoted field (``27" monitor``, ``x"y``, `` "a"``) a
  quote is a literal character;
- inside a quoted field, ``""`` is a quote and a single quote closes the field;
  whatever follows the closing quote up to the next delimiter is read as
  unquoted text, in which quotes are literal again (``"ab"c"d`` is ``abc"d``);
- a line break (LF, CRLF or a lone CR) ends the record unless it is inside a
  quoted field.

The scan keeps only the quotes that open, close or double inside a quoted field
(the *field quotes*, :func:`field_quotes`); with them, "inside a quoted field"
is "an odd number of field quotes before", so a line break ends a record exactly
when an even number of field quotes precede it (:func:`record_start_lines`).
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

    Why this is exact (by induction over the quotes, in file order). Suppose every
    quote kept so far is a field quote and every quote dropped so far is literal.
    Take the next quote, at offset ``p``, with ``k`` kept quotes before it:

    - ``k`` odd: the last kept quote opened a quoted field or was the second half
      of a ``""``; only a quote leaves a quoted field, so the parser is inside
      one and this quote is a field quote (it closes, or starts a ``""``).
    - ``k`` even and ``p`` is 0 or follows ``,``, CR or LF: outside a quoted
      field that byte starts a field or a record, so this quote opens a field.
    - ``k`` even and ``p`` follows a quote: that quote is the ``k``-th kept one
      (dropped quotes never sit right before a later quote, see below), with
      ``k - 1`` (odd) kept quotes before it, so it closed a quoted field or
      started a ``""``; this quote completes the ``""``: a field quote.
    - ``k`` even and ``p`` follows any other byte: outside a quoted field that
      byte is part of an unquoted field (after a closing quote too), so this
      quote is literal, and so is every quote up to the field's end, the next
      ``,``, CR or LF (which the parser honours in an unquoted field). They are
      dropped; the quote after them follows that end byte or later bytes, not
      a dropped quote.

    So the kept quotes are exactly the field quotes, and the parser is inside a
    quoted field at a byte exactly when an odd number of them precede it.
    Only the last case needs work: a file without stray quotes costs one gather
    over its quote offsets, one with ``m`` such fields ``m`` short Python steps.
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

    ``quotes`` are the field quotes (:func:`field_quotes`); the header counts.
    Lines end at LF, CRLF or a lone CR, as for the csv module. A record holding
    only a line break (or nothing) is skipped, as both parsers skip it; a blank
    but not empty one (spaces) is kept, the readers drop it later by content.
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
    """Return the first line feed after the middle preceded by an even number of quotes.

    Counting every quote is cheap (no offsets); the result is a record start
    unless literal quotes (:func:`field_quotes`) precede it, which
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
    """Return the first record start after the middle of ``data``, after a line feed.

    None when no record starts there at a line feed (lone-CR lines, one huge
    quoted field...). ``quotes`` are the field quotes (:func:`field_quotes`).
    """
    position = len(data) // 2
    while (newline := data.find(b"\n", position)) >= 0:
        position = newline + 1
        if is_record_start(data, quotes, position):
            return position if position < len(data) else None
    return None


def is_record_start(data: bytes, quotes: npt.NDArray[np.int64], offset: int) -> bool:
    """Tell whether a record starts at ``offset``, just after a line feed.

    ``quotes`` are the field quotes of ``data`` (:func:`field_quotes`).
    """
    return (
        0 < offset <= len(data)
        and data[offset - 1] == _NEWLINE
        and int(np.searchsorted(quotes, offset - 1)) % 2 == 0
    )
