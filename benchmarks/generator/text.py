"""Per-row text derived from a 64-bit key: hashing, and column-wise string assembly.

Every choice is a hash of the row's key (splitmix64, a salt per use), so the text
is a pure function of the plan; strings are assembled with ``pyarrow.compute``
(template concatenation, CSV quoting) rather than per row in Python.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from benchmarks.generator.vocabulary import (
    CONTACT_NAMES,
    DESC_BODIES,
    DESC_CLOSINGS,
    DESC_DETAILS,
    DESC_OPENINGS,
    ERROR_NAMES,
    ERROR_TEMPLATES,
    FEATURES,
    HTTP_CODES,
    PRODUCTS,
    SITES,
    SUBJECT_BODIES,
    SUBJECT_PREFIXES,
    SUBJECT_SUFFIXES,
)

IntArray = npt.NDArray[np.int64]
KeyArray = npt.NDArray[np.uint64]

_GOLDEN: Final = 0x9E3779B97F4A7C15
_MASK64: Final = (1 << 64) - 1
_FORMATTER: Final = string.Formatter()


# --------------------------------------------------------------------------------------
# Hash-derived per-row choices (vectorised)
# --------------------------------------------------------------------------------------


def mix(key: KeyArray, salt: int) -> KeyArray:
    """Return a well-mixed 64-bit hash per key (splitmix64); ``salt`` separates uses."""
    z = key + np.uint64((salt * _GOLDEN) & _MASK64)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def uniform(key: KeyArray, salt: int) -> npt.NDArray[np.float64]:
    """Return a uniform float in ``[0, 1)`` per key."""
    return (mix(key, salt) >> np.uint64(11)).astype(np.float64) * 2.0**-53


def randint(key: KeyArray, salt: int, low: int, high: int) -> IntArray:
    """Return an integer in ``[low, high)`` per key."""
    span = np.uint64(high - low)
    return (mix(key, salt) % span).astype(np.int64) + low


def weighted(key: KeyArray, salt: int, weights: Sequence[float]) -> IntArray:
    """Return an index into ``weights`` per key, drawn by relative weight."""
    cdf = np.cumsum(np.asarray(weights, dtype=np.float64))
    cdf /= cdf[-1]
    idx = np.searchsorted(cdf, uniform(key, salt), side="right")
    return np.minimum(idx, len(weights) - 1).astype(np.int64)


def zipf_weights(n: int, exponent: float) -> list[float]:
    """Return Zipf-like weights ``1 / rank**exponent``, most popular first."""
    return [1.0 / (rank**exponent) for rank in range(1, n + 1)]


# --------------------------------------------------------------------------------------
# Column-wise string assembly with pyarrow
# --------------------------------------------------------------------------------------


def strings(values: Sequence[str]) -> Any:
    """Return a pyarrow string array of ``values``."""
    return pa.array(list(values), type=pa.string())


def digits(values: IntArray, width: int = 0) -> Any:
    """Format non-negative integers as decimal strings, zero-padded to ``width``."""
    text = pc.cast(pa.array(values, type=pa.int64()), pa.string())
    return pc.utf8_lpad(text, width=width, padding="0") if width else text


def concat(*parts: Any) -> Any:
    """Concatenate string arrays of one length and ``str`` literals element-wise."""
    return pc.binary_join_element_wise(*parts, "")


def render(
    templates: Sequence[str],
    choice: IntArray,
    slots: Mapping[str, Callable[[], Any]],
) -> Any:
    """Fill ``str.format``-style templates column-wise, one per row by ``choice``.

    Rows are grouped by template; each group is assembled with one vectorised
    concatenation of literals and slot values, then the groups are put back in row
    order. ``slots`` computes each field's values lazily, one per row.
    """
    n = len(choice)
    order = np.argsort(choice, kind="stable")
    counts = np.bincount(choice, minlength=len(templates))
    groups = []
    start = 0
    for template, count in zip(templates, counts.tolist(), strict=True):
        if count == 0:
            continue
        rows = order[start : start + count]
        start += count
        pieces: list[Any] = []
        for literal, name, _spec, _conv in _FORMATTER.parse(template):
            if literal:
                pieces.append(literal)
            if name is not None:
                pieces.append(slots[name]().take(pa.array(rows)))
        if any(not isinstance(piece, str) for piece in pieces):
            groups.append(concat(*pieces))
        else:
            text = "".join(pieces)
            groups.append(strings([text]).take(pa.array(np.zeros(count, np.int64))))
    if not groups:
        return strings([])
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.arange(n, dtype=np.int64)
    return pa.concat_arrays(groups).take(pa.array(inverse))


def pick(values: Sequence[str], index: IntArray) -> Any:
    """Return ``values[index]`` as a pyarrow string array."""
    return strings(values).take(pa.array(index))


class Slots(Mapping[str, Callable[[], Any]]):
    """The template fields of one chunk, each computed on first use."""

    def __init__(self, key: KeyArray) -> None:
        self._key = key
        self._cache: dict[str, Any] = {}
        self._makers: dict[str, Callable[[], Any]] = {
            "order": lambda: concat("ORD-", digits(self._int(10, 0, 10**7), 7)),
            "order_hash": lambda: concat("#", digits(self._int(10, 10**6, 10**7))),
            "invoice": lambda: concat("INV-", digits(self._int(11, 0, 10**6), 6)),
            "ref": lambda: concat("REF-", digits(self._int(12, 10**5, 10**6))),
            "case": lambda: concat("CS", digits(self._int(13, 0, 10**8), 8)),
            "product": lambda: pick(
                PRODUCTS, weighted(key, 14, zipf_weights(len(PRODUCTS), 0.8))
            ),
            "name": lambda: pick(CONTACT_NAMES, self._int(15, 0, len(CONTACT_NAMES))),
            "site": lambda: pick(SITES, self._int(16, 0, len(SITES))),
            "feature": lambda: pick(FEATURES, self._int(17, 0, len(FEATURES))),
            "error": lambda: render(
                ERROR_TEMPLATES, self._int(18, 0, len(ERROR_TEMPLATES)), self
            ),
            "n4": lambda: digits(self._int(19, 1000, 10_000)),
            "http": lambda: pick(HTTP_CODES, self._int(20, 0, len(HTTP_CODES))),
            "errname": lambda: pick(ERROR_NAMES, self._int(21, 0, len(ERROR_NAMES))),
            "version": lambda: concat(
                "v",
                digits(self._int(22, 1, 6)),
                ".",
                digits(self._int(23, 0, 13)),
                ".",
                digits(self._int(24, 0, 10)),
            ),
            "amount": lambda: concat(
                digits(self._int(25, 5, 2000)),
                ".",
                digits(self._int(26, 0, 100), 2),
            ),
        }

    def _int(self, salt: int, low: int, high: int) -> IntArray:
        return randint(self._key, salt, low, high)

    def __getitem__(self, name: str) -> Callable[[], Any]:
        def get() -> Any:
            if name not in self._cache:
                self._cache[name] = self._makers[name]()
            return self._cache[name]

        if name not in self._makers:
            raise KeyError(name)
        return get

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)


def weighted_render(
    table: Sequence[tuple[str, float]], key: KeyArray, salt: int, slots: Slots
) -> Any:
    """Pick one ``(template, weight)`` per row by weight and render it."""
    templates = [template for template, _ in table]
    weights = [weight for _, weight in table]
    return render(templates, weighted(key, salt, weights), slots)


def subjects(key: KeyArray, slots: Slots) -> Any:
    """Return one realistic subject per key."""
    return concat(
        weighted_render(SUBJECT_PREFIXES, key, 1, slots),
        weighted_render(SUBJECT_BODIES, key, 2, slots),
        weighted_render(SUBJECT_SUFFIXES, key, 3, slots),
    )


def descriptions(key: KeyArray, slots: Slots) -> Any:
    """Return one realistic description (about 60–200 characters) per key."""
    return concat(
        weighted_render(DESC_OPENINGS, key, 4, slots),
        weighted_render(DESC_BODIES, key, 5, slots),
        weighted_render(DESC_DETAILS, key, 6, slots),
        weighted_render(DESC_CLOSINGS, key, 7, slots),
    )


def csv_field(column: Any) -> Any:
    """Quote the values that need it (RFC 4180): comma, quote, CR or LF inside."""
    needs_quotes = pc.match_substring_regex(column, '[",\r\n]')
    if not pc.any(needs_quotes).as_py():
        return column
    quoted = concat('"', pc.replace_substring(column, '"', '""'), '"')
    return pc.if_else(needs_quotes, quoted, column)
