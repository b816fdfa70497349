"""Top subjects and words: normalising and tokenising rules, Python references."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from importlib import resources

import pandas as pd
import pyarrow as pa
import pytest
from factories import make_tickets
from hypothesis import given, settings
from hypothesis import strategies as st

from ticket_analysis.metrics import text, top_subject_words
from ticket_analysis.metrics.columns import string_chunks
from ticket_analysis.metrics.text import (
    load_stop_words,
    subject_counts,
    top_subjects,
    word_counts,
)
from ticket_analysis.summary_parts import SubjectCount, WordCount


def reference_counts(
    subjects: Iterable[str], stop_words: Iterable[str]
) -> Counter[str]:
    """The straightforward per-subject implementation of the contract's rule."""
    stop = set(stop_words)
    counts: Counter[str] = Counter()
    for subject in subjects:
        for token in re.findall(r"[^\W_]+", subject.lower()):
            if len(token) > 1 and not token.isdecimal() and token not in stop:
                counts[token] += 1
    return counts


def reference_top(
    subjects: Iterable[str], top_n: int, extra: Iterable[str] = ()
) -> list[WordCount]:
    counts = reference_counts(subjects, load_stop_words() | set(extra))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top_n]
    return [WordCount(word=word, count=count) for word, count in ranked]


def _tickets(subjects: Iterable[str]) -> pd.DataFrame:
    return make_tickets([{"subject": s} for s in subjects])


NASTY = [
    "Café crème: ß-Straße 日本語 🙂 ok",
    "Re: Re: FW: Login!!!",
    "Order #12345 / order_12345 – ORDER№7",
    "x y z 42 ٤٢",
    "ΟΔΟΣ ΟΔΟΣ.",
    "v2 2fa",
    "İstanbul",
]


def test_unicode_and_punctuation_heavy_subjects() -> None:
    """Letters of any script count, emoji and symbols separate, digits drop."""
    # café, crème, straße, 日本語, ok (ß alone is one character, 🙂 not a letter);
    # re/fw are stop words; order x3 (#, _, – and № separate; 12345 and 7 drop);
    # x, y, z are one character, 42 and ٤٢ (Arabic-Indic) are only digits;
    # ΟΔΟΣ lower-cases to οδος (final sigma) twice; v2 and 2fa mix letters and
    # digits; İstanbul lower-cases to "i̇stanbul", whose combining dot separates.
    assert top_subject_words(_tickets(NASTY), top_n=20) == [
        WordCount(word="order", count=3),
        WordCount(word="οδος", count=2),
        WordCount(word="2fa", count=1),
        WordCount(word="café", count=1),
        WordCount(word="crème", count=1),
        WordCount(word="login", count=1),
        WordCount(word="ok", count=1),
        WordCount(word="stanbul", count=1),
        WordCount(word="straße", count=1),
        WordCount(word="v2", count=1),
        WordCount(word="日本語", count=1),
    ]
    assert top_subject_words(_tickets(NASTY), top_n=20) == reference_top(NASTY, 20)


def test_stop_words_and_extra_stop_words() -> None:
    """Shipped stop words always drop; extra ones drop in any case."""
    subjects = ["The printer is not working", "Printer jam", "printer"]
    assert top_subject_words(_tickets(subjects)) == [
        WordCount(word="printer", count=3),
        WordCount(word="jam", count=1),
        WordCount(word="working", count=1),
    ]
    assert top_subject_words(_tickets(subjects), extra_stop_words=[" PRINTER "]) == [
        WordCount(word="jam", count=1),
        WordCount(word="working", count=1),
    ]


def test_top_n_cuts_ties_by_word() -> None:
    """Equal counts are ordered by word, and only top_n are kept."""
    subjects = ["delta beta", "alpha gamma", "zeta zeta"]
    assert top_subject_words(_tickets(subjects), top_n=3) == [
        WordCount(word="zeta", count=2),
        WordCount(word="alpha", count=1),
        WordCount(word="beta", count=1),
    ]
    assert top_subject_words(_tickets(subjects), top_n=0) == []
    with pytest.raises(ValueError, match="top_n"):
        top_subject_words(_tickets(subjects), top_n=-1)


def test_no_words() -> None:
    """No tickets, empty subjects or only stop words: an empty list."""
    assert top_subject_words(make_tickets([])) == []
    assert top_subject_words(_tickets(["", "", "the of a 1 22"])) == []


def test_chunks_and_threads_give_the_same_counts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Tiny chunks on two threads merge to the single-pass result."""
    subjects = [f"{s} ticket {i}" for i, s in enumerate(NASTY * 5)]
    expected = top_subject_words(_tickets(subjects), top_n=50)
    monkeypatch.setattr(text, "CHUNK_ROWS", 3)
    monkeypatch.setattr(text, "_worker_count", lambda: 2)
    assert top_subject_words(_tickets(subjects), top_n=50) == expected
    assert expected == reference_top(subjects, 50)
    assert expected[0] == WordCount(word="ticket", count=35)


_WORDS = ["login", "Σίσυφος", "ΟΔΟΣ", "İzmir", "straße", "日本", "re", "the", "v2"]
_SEPARATORS = [" ", "-", "_", ".", ":", "\u00a0", "\u0301", "🙂", "'", "#", "/"]
_ANY_ASSIGNED = st.characters(exclude_categories=("Cs", "Cn"))
_TOKEN = st.one_of(
    st.sampled_from(_WORDS),
    st.text(alphabet=_ANY_ASSIGNED, max_size=6),
    st.integers(min_value=0, max_value=999).map(str),
)
_SUBJECT = st.lists(st.tuples(_TOKEN, st.sampled_from(_SEPARATORS)), max_size=6).map(
    lambda parts: "".join(token + sep for token, sep in parts)
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_SUBJECT, max_size=12))
def test_counts_match_the_python_reference(subjects: list[str]) -> None:
    """Any assigned Unicode text gives exactly the per-subject ``re`` counts."""
    counts = word_counts(_tickets(subjects)["subject"], stop_words=load_stop_words())
    got = dict(
        zip(
            counts.column("word").to_pylist(),
            counts.column("count").to_pylist(),
            strict=True,
        )
    )
    assert got == dict(reference_counts(subjects, load_stop_words()))


def test_shipped_stop_word_list() -> None:
    """A standard English list of at least 150 lower-case words, with a header."""
    path = resources.files("ticket_analysis").joinpath("stopwords.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#")
    words = load_stop_words()
    assert len(words) >= 150
    assert {"the", "and", "not", "re", "was", "shouldn"} <= words
    assert all(w == w.lower() and w.strip() == w and w for w in words)


def reference_subjects(subjects: Iterable[str]) -> Counter[str]:
    """The straightforward per-subject normalisation of whole subjects."""
    return Counter(
        normal for subject in subjects if (normal := " ".join(subject.split()).lower())
    )


def _counted(subjects: list[str]) -> dict[str, int]:
    counts = subject_counts(pd.Series(subjects, dtype="str"))
    return dict(
        zip(
            counts.column("subject").to_pylist(),
            counts.column("count").to_pylist(),
            strict=True,
        )
    )


def test_whole_subjects_are_normalised_before_counting() -> None:
    r"""Trimmed, inner whitespace collapsed, lower-cased: one subject.

    "  Login   Fails ", "login fails", "LOGIN\tFAILS" and "Login\u00a0fails" are
    all "login fails" (x4); "" and "   " are empty and never counted.
    """
    subjects = [
        "  Login   Fails ",
        "login fails",
        "LOGIN\tFAILS",
        "Login\u00a0fails",
        "",
        "   ",
        "Printer jam",
    ]
    assert _counted(subjects) == {"login fails": 4, "printer jam": 1}


def test_top_subjects_order_and_single_occurrences() -> None:
    """Count desc, then subject asc; subjects seen once are dropped.

    login fails x3; printer jam, refund, zeta x2 (ties: p < r < z); billing x1
    (dropped); the empty subjects x2 (never counted).
    """
    tickets = _tickets(
        [
            "Zeta",
            "Login  Fails",
            "refund",
            "zeta",
            "Printer jam",
            "login fails",
            "",
            "Billing",
            "REFUND",
            "printer   JAM",
            "LOGIN FAILS",
            "",
        ]
    )
    assert top_subjects(tickets, 10) == [
        SubjectCount(subject="login fails", count=3),
        SubjectCount(subject="printer jam", count=2),
        SubjectCount(subject="refund", count=2),
        SubjectCount(subject="zeta", count=2),
    ]
    assert top_subjects(tickets, 2) == [
        SubjectCount(subject="login fails", count=3),
        SubjectCount(subject="printer jam", count=2),
    ]
    assert top_subjects(tickets, 0) == []
    with pytest.raises(ValueError, match="top_n"):
        top_subjects(tickets, -1)


def test_no_repeated_subjects() -> None:
    """No tickets, only empty subjects, or every subject once: an empty list."""
    assert top_subjects(make_tickets([]), 10) == []
    assert top_subjects(_tickets(["", "", ""]), 10) == []
    assert top_subjects(_tickets(["a", "b", "c"]), 10) == []


_SPACES = [" ", "  ", "\t", "\n", "\x0b", "\x1c", "\x85", "\u00a0", "\u2003"]
_SPACES += ["\u2028", "\u3000", "\u1680", "\u205f"]
#: Not whitespace, but sharing lead bytes with it (0xC2, 0xE1..0xE3) or control.
_LOOKALIKES = ["©", "\u200b", "€", "\u3001", "\x00", "\x7f", "\u00ad"]
_PIECE = st.one_of(
    st.sampled_from(["Login", "ΟΔΟΣ", "İzmir", "Σ", "fails", "x"]),
    st.sampled_from(_SPACES + _LOOKALIKES),
    st.text(alphabet=_ANY_ASSIGNED, max_size=3),
)
_WHOLE_SUBJECT = st.lists(_PIECE, max_size=6).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["login fails", "  LOGIN FAILS"]) | _WHOLE_SUBJECT))
def test_subject_counts_match_the_python_reference(subjects: list[str]) -> None:
    """Any assigned Unicode text gives exactly ``" ".join(s.split()).lower()``."""
    assert _counted(subjects) == dict(reference_subjects(subjects))


def _chunked(subjects: list[str], cuts: list[int]) -> pd.Series:
    """A ``str`` column held as several Arrow chunks, cut at ``cuts``."""
    bounds = sorted({0, len(subjects), *(c % (len(subjects) + 1) for c in cuts)})
    chunks = [
        pa.array(subjects[a:b], pa.large_string())
        for a, b in itertools.pairwise(bounds)
    ]
    return pa.chunked_array(chunks or [[]], pa.large_string()).to_pandas()


@settings(max_examples=150, deadline=None)
@given(
    subjects=st.lists(_WHOLE_SUBJECT | _SUBJECT, max_size=12),
    cuts=st.lists(st.integers(min_value=0, max_value=12), max_size=3),
    rows=st.integers(min_value=1, max_value=4),
)
def test_chunked_columns_count_like_the_python_reference(
    subjects: list[str], cuts: list[int], rows: int
) -> None:
    """Columns of several chunks, counted in slices of ``rows``: the same counts."""
    column = _chunked(subjects, cuts)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(text, "CHUNK_ROWS", rows)
        whole = subject_counts(column)
        words = word_counts(column, stop_words=load_stop_words())
    got = dict(_pairs(whole))
    assert got == dict(reference_subjects(subjects))
    assert dict(_pairs(words)) == dict(reference_counts(subjects, load_stop_words()))


def _pairs(counts: pa.Table) -> list[tuple[str, int]]:
    """The (value, count) rows of a two-column count table."""
    values, numbers = (counts.column(i).to_pylist() for i in (0, 1))
    return list(zip(values, numbers, strict=True))


def test_string_chunks_are_slices_of_the_column() -> None:
    """At most ``rows`` rows each, ``large_string``, no row lost or copied."""
    column = _chunked(["a", "bb", "ccc", "dddd", "e"], [2])
    chunks = string_chunks(column, 2)
    assert [c.to_pylist() for c in chunks] == [["a", "bb"], ["ccc", "dddd"], ["e"]]
    assert all(c.type == pa.large_string() for c in chunks)
    source = pa.array(column, from_pandas=True).chunks[1]
    assert chunks[1].buffers()[2].address == source.buffers()[2].address
