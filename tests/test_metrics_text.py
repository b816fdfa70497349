"""Top subject words: tokenising rules, stop words, and the Python reference."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from importlib import resources

import pandas as pd
import pytest
from factories import make_tickets
from hypothesis import given, settings
from hypothesis import strategies as st

from ticket_analysis.metrics import text, top_subject_words
from ticket_analysis.metrics.text import load_stop_words, word_counts
from ticket_analysis.summary_parts import WordCount


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
