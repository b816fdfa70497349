r"""The most frequent words and whole subjects in ticket subjects (contract §3).

A subject is lower-cased (Python's ``str.lower``) and split on every character
that is not a Unicode letter or digit (general category ``L*`` or ``N*``); tokens
of one character, tokens made only of decimal digits (``Nd``) and stop words are
dropped. The stop words are the shipped English list (``stopwords.txt``) plus any
extra words from the configuration.

This is the expensive metric at a million rows: subjects are mostly distinct
(order numbers, names), and a per-row regular expression costs seconds. The
subjects are therefore tokenised in bulk on their UTF-8 bytes: pyarrow lower-cases
the column, NumPy marks the bytes of letters and digits (ASCII by arithmetic, other
characters by decoding them and classifying each distinct code point once), every
other byte becomes a space, and pyarrow splits on spaces and counts. Chunks of
rows run on a small thread pool (NumPy and pyarrow release the GIL) and their
counts are merged.

The result is the same as the straightforward per-subject
``re.findall(r"[^\W_]+", subject.lower())`` (tests hold this). Two characters need
care: pyarrow lower-cases ``İ`` and a final ``Σ`` differently from Python, so the
rare subjects holding them are lower-cased by Python.

Whole subjects (:func:`top_subjects`) are normalised like Python's
``" ".join(subject.split()).lower()``: trimmed, every run of whitespace made one
space, lower-cased; pyarrow does it on the whole column, then counts.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ticket_analysis.metrics.columns import Tickets, derived, string_chunks
from ticket_analysis.summary_parts import SubjectCount, WordCount

logger = logging.getLogger(__name__)

#: Rows tokenised per task; small enough to stay in cache, large enough to
#: amortise the per-call overhead of pyarrow.
CHUNK_ROWS = 65_536
#: A character that belongs to a word (RE2 syntax, as used by pyarrow).
WORD_CHARACTER_RE2 = r"^[\p{L}\p{N}]$"
#: A token made only of decimal digits (RE2 syntax).
DIGITS_ONLY_RE2 = r"^\p{Nd}+$"
#: A run of whitespace as Python's ``str.isspace`` defines it (RE2 syntax).
WHITESPACE_RE2 = r"[\t-\r\x{1c}-\x{1f}\x{85}\p{Z}]+"
#: How often a whole subject must occur to be listed.
MIN_SUBJECT_COUNT = 2
#: UTF-8 of the characters that pyarrow lower-cases unlike Python: ``İ`` (Python
#: gives ``i`` + U+0307) and ``Σ`` (Python gives the final form ``ς`` at a word end).
_PYTHON_LOWER_ONLY = ((0xC4, 0xB0), (0xCE, 0xA3))
_SPACE = np.uint8(0x20)

Bytes = npt.NDArray[np.uint8]
Offsets = npt.NDArray[np.int64]


@cache
def load_stop_words() -> frozenset[str]:
    """Return the shipped English stop words (``ticket_analysis/stopwords.txt``).

    Lines starting with ``#`` and blank lines are ignored; words are lower-cased.
    """
    text = resources.files("ticket_analysis").joinpath("stopwords.txt")
    lines = text.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower()
        for line in lines
        if line.strip() and not line.lstrip().startswith("#")
    )


def top_subject_words(
    tickets: Tickets, *, top_n: int = 10, extra_stop_words: Iterable[str] = ()
) -> list[WordCount]:
    """Return at most ``top_n`` subject words by count descending, then word.

    ``extra_stop_words`` (any case) are ignored on top of the shipped list.

    Raises:
        ValueError: If ``top_n`` is negative.
    """
    if top_n < 0:
        raise ValueError(f"top_n must be >= 0, got {top_n}")
    if top_n == 0:
        return []
    stop_words = load_stop_words() | {w.strip().lower() for w in extra_stop_words}
    counts = word_counts(derived(tickets).frame["subject"], stop_words=stop_words)
    if counts.num_rows == 0:
        return []
    order = pc.select_k_unstable(
        counts, k=top_n, sort_keys=[("count", "descending"), ("word", "ascending")]
    )
    top = counts.take(order)
    return [
        WordCount(word=word, count=count)
        for word, count in zip(
            top.column("word").to_pylist(), top.column("count").to_pylist(), strict=True
        )
    ]


def top_subjects(tickets: Tickets, top_n: int = 10) -> list[SubjectCount]:
    """Return at most ``top_n`` repeated whole subjects by count desc, then subject.

    Subjects are normalised (:func:`subject_counts`); only those occurring at
    least twice are listed, never the empty one. Subjects compare by code point.

    Raises:
        ValueError: If ``top_n`` is negative.
    """
    if top_n < 0:
        raise ValueError(f"top_n must be >= 0, got {top_n}")
    if top_n == 0:
        return []
    counts = subject_counts(derived(tickets).frame["subject"])
    repeated = counts.filter(pc.greater_equal(counts["count"], MIN_SUBJECT_COUNT))
    order = pc.select_k_unstable(
        repeated,
        k=top_n,
        sort_keys=[("count", "descending"), ("subject", "ascending")],
    )
    top = repeated.take(order)
    return [
        SubjectCount(subject=subject, count=count)
        for subject, count in zip(
            top.column("subject").to_pylist(),
            top.column("count").to_pylist(),
            strict=True,
        )
    ]


def subject_counts(subjects: pd.Series) -> pa.Table:
    """Count the normalised whole subjects (missing and empty ones left out).

    Returns a ``subject``/``count`` table, one row per distinct subject, in no
    particular order.
    """
    # Normalised chunk by chunk, and counted in one pass over the chunks: the
    # column is never joined, and only the normalised subjects are kept whole.
    normalised = []
    for chunk in string_chunks(subjects, CHUNK_ROWS):
        lowered = _lower(_collapse_whitespace(pc.fill_null(chunk, "")))
        normalised.append(lowered.filter(pc.greater(pc.binary_length(lowered), 0)))
    counted = pc.value_counts(pa.chunked_array(normalised, pa.large_string()))
    return pa.table(
        {
            "subject": counted.field("values"),
            "count": counted.field("counts").cast(pa.int64()),
        }
    )


def word_counts(
    subjects: pd.Series, *, stop_words: Iterable[str] = frozenset()
) -> pa.Table:
    """Count every word of the subjects (the rules of the module docstring).

    Missing subjects count as empty; ``stop_words`` must be lower-case. Returns
    a ``word``/``count`` table, one row per distinct word, in no particular order.
    """
    stop = pa.array(sorted(set(stop_words)), pa.large_string())
    chunks = string_chunks(subjects, CHUNK_ROWS)
    workers = min(len(chunks), _worker_count())
    if workers > 1:
        with ThreadPoolExecutor(workers, thread_name_prefix="word-count") as pool:
            parts = list(pool.map(lambda c: _chunk_counts(c, stop), chunks))
    else:
        parts = [_chunk_counts(chunk, stop) for chunk in chunks]
    empty = pa.table(
        {"word": pa.array([], pa.large_string()), "count": pa.array([], pa.int64())}
    )
    if not parts:
        return empty
    if len(parts) == 1:
        return parts[0]
    logger.debug(
        "counted subject words of %d rows in %d chunks on %d threads",
        len(subjects),
        len(chunks),
        workers,
    )
    return _merge_counts(parts)


def _collapse_whitespace(subjects: pa.Array) -> pa.Array:
    """Trim and make every whitespace run one space, like ``" ".join(s.split())``.

    A regular expression over every row costs most of a second at a million
    rows, so it runs only on the rows that may need it, found on the bytes: a
    control byte, a lead byte of a non-ASCII space (0xC2 for U+0085 and U+00A0,
    0xE1..0xE3 for U+1680, U+2000..U+205F and U+3000), two spaces in a row, or
    a space at either end.
    """
    offsets, data = _buffers(subjects)
    # Byte arithmetic wraps: ``data - 0xE1 < 3`` is 0xE1..0xE3 (cheaper than isin).
    suspect = (data < _SPACE) | (data == 0xC2) | ((data - np.uint8(0xE1)) < 3)
    suspect[:-1] |= (data[:-1] == _SPACE) & (data[1:] == _SPACE)
    rows = np.searchsorted(offsets, np.flatnonzero(suspect), side="right") - 1
    starts, ends = offsets[:-1], offsets[1:]
    filled = np.flatnonzero(ends > starts)
    at_edge = (data[starts[filled]] == _SPACE) | (data[ends[filled] - 1] == _SPACE)
    rows = np.union1d(rows, filled[at_edge])
    if rows.size == 0:
        return subjects
    fixed = pc.utf8_trim(
        pc.replace_substring_regex(subjects.take(pa.array(rows)), WHITESPACE_RE2, " "),
        " ",
    )
    mask = np.zeros(len(subjects), dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(subjects, pa.array(mask), fixed)


def _merge_counts(parts: list[pa.Table]) -> pa.Table:
    """Add up the counts of the same word across chunks.

    Encoding the words and summing with ``np.bincount`` is several times
    cheaper than ``Table.group_by`` (whose execution engine costs about 0.15 s
    at a million rows, on the critical path, since it runs after all chunks).
    """
    merged = pa.concat_tables(parts)
    encoded = pc.dictionary_encode(merged.column("word").combine_chunks())
    totals = np.bincount(
        encoded.indices.to_numpy(),
        weights=merged.column("count").to_numpy(),
        minlength=len(encoded.dictionary),
    )
    # Counts are far below 2**53: the float sums are exact.
    return pa.table(
        {"word": encoded.dictionary, "count": pa.array(totals.astype(np.int64))}
    )


def _worker_count() -> int:
    """Return how many CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _chunk_counts(subjects: pa.Array, stop: pa.Array) -> pa.Table:
    """Return the word counts of one chunk of subjects (stop words removed)."""
    tokens = _split_words(_lower(pc.fill_null(subjects, "")))
    # Cheap pre-filter on bytes before hashing: most dropped tokens are
    # one ASCII character or ASCII digits (order numbers). The exact rules run
    # on the distinct words below.
    maybe = pc.and_(
        pc.greater(pc.binary_length(tokens), 1), pc.invert(pc.ascii_is_decimal(tokens))
    )
    counted = pc.value_counts(tokens.filter(maybe))
    words, counts = counted.field("values"), counted.field("counts")
    keep = pc.and_(
        pc.and_(
            pc.greater(pc.utf8_length(words), 1),
            pc.invert(pc.match_substring_regex(words, DIGITS_ONLY_RE2)),
        ),
        pc.invert(pc.is_in(words, value_set=stop)),
    )
    return pa.table({"word": words, "count": counts}).filter(keep)


def _buffers(strings: pa.Array) -> tuple[Offsets, Bytes]:
    """Return the offsets (from 0) and UTF-8 bytes of a ``large_string`` array."""
    _, offsets_buffer, data_buffer = strings.buffers()
    if offsets_buffer is None or data_buffer is None:
        return np.zeros(len(strings) + 1, dtype=np.int64), np.zeros(0, dtype=np.uint8)
    start = strings.offset
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[
        start : start + len(strings) + 1
    ]
    data = np.frombuffer(data_buffer, dtype=np.uint8)[offsets[0] : offsets[-1]]
    return offsets - offsets[0], data


def _lower(subjects: pa.Array) -> pa.Array:
    """Lower-case like Python's ``str.lower`` (pyarrow, with Python for ``İ``/``Σ``)."""
    offsets, data = _buffers(subjects)
    if data.size == 0 or data.max() < 0x80:
        return pc.ascii_lower(subjects)
    lowered = pc.utf8_lower(subjects)
    if data.max() < min(first for first, _ in _PYTHON_LOWER_ONLY):
        return lowered
    head = data[:-1]
    hits = np.concatenate(
        [
            starts[data[starts + 1] == second]
            for first, second in _PYTHON_LOWER_ONLY
            for starts in [np.flatnonzero(head == first)]
        ]
    )
    if hits.size == 0:
        return lowered
    rows = np.unique(np.searchsorted(offsets, hits, side="right") - 1)
    fixed = [text.lower() for text in subjects.take(pa.array(rows)).to_pylist()]
    mask = np.zeros(len(subjects), dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(
        lowered, pa.array(mask), pa.array(fixed, pa.large_string())
    )


def _split_words(lowered: pa.Array) -> pa.Array:
    """Return every run of letters and digits of the lower-cased subjects."""
    offsets, data = _buffers(lowered)
    spaced = np.where(_word_bytes(data), data, _SPACE)
    blanked = pa.LargeStringArray.from_buffers(
        len(lowered), pa.py_buffer(offsets), pa.py_buffer(spaced)
    )
    return pc.list_flatten(pc.ascii_split_whitespace(blanked))


def _word_bytes(data: Bytes) -> npt.NDArray[np.bool_]:
    """Mark the UTF-8 bytes that belong to a letter or digit (lower-case input).

    ASCII bytes are classified by arithmetic. For other characters the code point
    is decoded at each lead byte, each distinct code point is classified once with
    RE2's Unicode tables, and the class is copied to the character's bytes.
    """
    word = (data - np.uint8(ord("a"))) < 26
    word |= (data - np.uint8(ord("0"))) < 10
    if data.size == 0 or data.max() < 0x80:
        return word
    lead = np.flatnonzero(data >= 0xC0)
    first = data[lead].astype(np.int32)
    cont = [_continuation(data, lead + k) for k in (1, 2, 3)]
    two = first < 0xE0
    three = (first >= 0xE0) & (first < 0xF0)
    four = first >= 0xF0
    code = ((first & 0x07) << 18) | (cont[0] << 12) | (cont[1] << 6) | cont[2]
    code[three] = ((first[three] & 0x0F) << 12) | (cont[0][three] << 6) | cont[1][three]
    code[two] = ((first[two] & 0x1F) << 6) | cont[0][two]
    # Only malformed UTF-8 decodes to these; keep them out of the lookup table.
    code[(code > 0x10FFFF) | ((code >= 0xD800) & (code <= 0xDFFF))] = 0xFFFF
    is_word = _classify(code)
    word[lead] = is_word
    word[lead + 1] = is_word
    word[lead[~two] + 2] = is_word[~two]
    word[lead[four] + 3] = is_word[four]
    return word


def _continuation(data: Bytes, positions: Offsets) -> npt.NDArray[np.int32]:
    """Return the 6 payload bits of the bytes at ``positions`` (0 past the end)."""
    inside = positions < data.size
    values = np.zeros(positions.size, dtype=np.int32)
    values[inside] = data[positions[inside]] & 0x3F
    return values


def _classify(code_points: npt.NDArray[np.int32]) -> npt.NDArray[np.bool_]:
    """Return whether each code point is a letter or digit (``L*``/``N*``)."""
    table = np.zeros(0x110000, dtype=bool)
    table[code_points] = True
    present = np.flatnonzero(table)
    chars = pa.array([chr(c) for c in present.tolist()], pa.string())
    table[present] = pc.match_substring_regex(chars, WORD_CHARACTER_RE2).to_numpy(
        zero_copy_only=False
    )
    result: npt.NDArray[np.bool_] = table[code_points]
    return result
