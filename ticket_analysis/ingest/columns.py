"""Column helpers of validation: trimming, codes, numpy masks, messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int32]
#: A pyarrow string Array or ChunkedArray (pyarrow ships no type stubs).
Strings: TypeAlias = Any
#: Builds the messages of the hit rows from their indices.
Builder: TypeAlias = Callable[[Any], Strings]
#: A message for every hit row: fixed text, or built from the hit rows' indices.
Message: TypeAlias = str | Builder


def trim(values: Strings) -> Strings:
    """Trim whitespace as ``pc.utf8_trim_whitespace``, copying only if needed.

    Exported values are almost always trimmed already, and copying a column
    (over 100 MB of descriptions at a million rows) costs far more than looking
    at the first and last byte of each value: only values starting or ending with
    a control, space or non-ASCII byte are trimmed to check, and ``values``
    (``large_string``, no nulls) is returned itself when none changes.
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


def joined(values: Strings) -> Strings:
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


def as_bool(array: pa.Array | pa.ChunkedArray) -> BoolArray:
    """Return a boolean pyarrow array as numpy (nulls as False)."""
    return np.asarray(
        pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool
    )


def join(*parts: str | Strings) -> Strings:
    """Concatenate string arrays and fixed texts element-wise (``large_string``)."""
    return pc.binary_join_element_wise(
        *(pa.scalar(p, pa.large_string()) if isinstance(p, str) else p for p in parts),
        pa.scalar("", pa.large_string()),
    )


def quoted(prefix: str, values: Strings, suffix: str = "") -> Builder:
    """Return a builder of ``prefix'value'suffix`` messages for the hit rows."""

    def build(rows: pa.Array) -> Strings:
        shown = pc.utf8_slice_codeunits(values.take(rows), 0, 60)
        return join(prefix + "'", shown, "'" + suffix)

    return build


def dictionary(values: Strings) -> tuple[Strings, IntArray]:
    """Return the distinct values and, per row, the index of its value.

    For short values (ids, enums, dates): joining the chunks first is cheaper
    than unifying per-chunk dictionaries.
    """
    encoded = pc.dictionary_encode(joined(values))
    return encoded.dictionary, encoded.indices.to_numpy(zero_copy_only=False)
