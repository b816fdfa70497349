"""Read timestamps as calendar dates: ISO-8601 and a profile's strptime formats.

A value contributes its calendar date as written, in its own offset
(``2024-01-15 23:30 -0800`` is 2024-01-15). Formats follow Python's
``datetime.strptime`` in the C locale: the same directives, the same regex per
directive (``%d`` takes ``5`` or `` 5``, ``%b`` ``Jan`` but not ``January``),
case-insensitive, whitespace matching any run of whitespace, ``%y`` 69-99 as
1969-1999; digits are ASCII. Column-wise: the start of each value, up to its last
date field, has few distinct values (the dates of the file), so it is parsed
once per distinct start; the whole value is then checked by one vectorised regex.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from ticket_analysis.ingest import columns as col

_MONTHS: Final = [
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
]  # fmt: skip
_DAYS: Final = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
]


def _names(words: list[str]) -> str:
    """Alternatives for names, longest first (as _strptime orders them)."""
    return "|".join(sorted(words, key=len, reverse=True))


#: Directive -> (regex of Python's _strptime, longest text it matches). %S stops
#: at 59: Python's regex takes 60 and 61 but datetime then refuses them.
#: Weekday names are read, not checked against the date (as Python does).
_DIRECTIVES: Final[dict[str, tuple[str, int]]] = {
    "d": (r"3[01]|[12]\d|0[1-9]|[1-9]| [1-9]", 2),
    "m": (r"1[0-2]|0[1-9]|[1-9]", 2),
    "y": (r"\d\d", 2),
    "Y": (r"\d\d\d\d", 4),
    "b": (_names([m[:3] for m in _MONTHS]), 3),
    "B": (_names(_MONTHS), 9),
    "a": (_names([d[:3] for d in _DAYS]), 3),
    "A": (_names(_DAYS), 9),
    "H": (r"2[0-3]|[01]\d|\d", 2),
    "I": (r"1[0-2]|0[1-9]|[1-9]", 2),
    "M": (r"[0-5]\d|\d", 2),
    "S": (r"[0-5]\d|\d", 2),
    "f": (r"[0-9]{1,6}", 6),
    "p": (r"am|pm", 2),
    # Python's own regex, narrowed to what it then accepts (colons used
    # consistently, under 24 hours).
    "z": (
        r"(?-i:Z)|[+-](?:[01]\d|2[0-3])(?:[0-5]\d(?:[0-5]\d(?:\.\d{1,6})?)?"
        r"|:[0-5]\d(?::[0-5]\d(?:\.\d{1,6})?)?)",
        16,
    ),
}
#: The directives that make the date: a year, a month and a day.
_DATE_FIELDS: Final = ("Yy", "mbB", "d")
SUPPORTED: Final = " ".join(f"%{d}" for d in _DIRECTIVES) + " %%"


@dataclass(frozen=True)
class DateFormat:
    """One accepted form of a date: the whole value's regex and its date part.

    Attributes:
        name: How messages name it (``ISO-8601``, or the strptime pattern).
        full: Regex of a whole value (RE2 and Python alike).
        head: Python regex of a value's start through its last date field,
            with the groups Y/y, m/b/B and d.
        width: The longest start ``head`` needs (None: the whole value).
    """

    name: str
    full: str
    head: re.Pattern[str]
    width: int | None


#: ISO-8601: a date, or a date and time with ``T`` or a space, seconds and
#: fractions optional, then ``Z`` or an offset, with or without a space before.
ISO: Final = DateFormat(
    "ISO-8601",
    r"^\d{4}-\d\d-\d\d(?:[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:[.,]\d{1,9})?)?"
    r"(?: ?(?:Z|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?))?)?$",
    re.compile(r"(?P<Y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)(?=[T ]|$)", re.ASCII),
    11,
)


def _tokens(pattern: str) -> Iterator[tuple[str, str]]:
    """Split a strptime pattern into ("%", directive), (" ", space) and ("", text)."""
    at = 0
    while at < len(pattern):
        char = pattern[at]
        if char == "%":
            if at + 1 == len(pattern):
                raise ValueError(f"{pattern!r} ends with a lone %")
            yield "%", pattern[at + 1]
            at += 2
        elif char.isspace():
            end = at
            while end < len(pattern) and pattern[end].isspace():
                end += 1
            yield " ", pattern[at:end]
            at = end
        else:
            yield "", char
            at += 1


def compile_format(pattern: str) -> DateFormat:
    """Compile a strptime pattern the way Python reads it.

    Raises:
        ValueError: If it uses a directive Python's strptime does not (or this
            module does not: week numbers, locale forms), repeats one, or lacks
            a year, a month or a day.
    """
    parts: list[tuple[str, str, int, bool]] = []  # (kind, regex, width, is_date)
    seen: set[str] = set()
    for kind, text in _tokens(pattern):
        if kind == "%" and text == "%":
            parts.append(("", "%", 1, False))
        elif kind == "%":
            if text not in _DIRECTIVES:
                raise ValueError(
                    f"{pattern!r}: %{text} is not supported (use {SUPPORTED})"
                )
            if text in seen:
                raise ValueError(f"{pattern!r} uses %{text} twice")
            seen.add(text)
            regex, width = _DIRECTIVES[text]
            is_date = any(text in group for group in _DATE_FIELDS)
            parts.append(
                (
                    "%",
                    f"(?P<{text}>{regex})" if is_date else f"(?:{regex})",
                    width,
                    is_date,
                )
            )
        elif kind == " ":
            parts.append((" ", r"\s+", 1, False))
        else:
            parts.append(("", re.escape(text), 1, False))
    for group in _DATE_FIELDS:
        found = [d for d in group if d in seen]
        if len(found) != 1:
            names = " or ".join(f"%{d}" for d in group)
            problem = "needs" if not found else "takes only one of"
            raise ValueError(f"{pattern!r} {problem} {names}")
    last = max(i for i, part in enumerate(parts) if part[3])
    full = "".join(p[1] for p in parts)
    flags = re.IGNORECASE | re.ASCII
    head = parts[: last + 2]  # through the part after the last date field
    adjacent = any(a[0] == b[0] == "%" for a, b in itertools.pairwise(head))
    if adjacent or any(p[0] == " " for p in head[: last + 1]):
        # Fields that run into each other, or a run of whitespace, have no
        # bounded start: parse whole values.
        return DateFormat(pattern, f"(?i)^{full}$", re.compile(f"{full}$", flags), None)
    regex = "".join(p[1] for p in head[: last + 1])
    width = sum(p[2] for p in head[: last + 1])
    if len(head) > last + 1:  # the next part must follow (one character of it)
        regex, width = regex + f"(?={head[-1][1]})", width + 1
    return DateFormat(pattern, f"(?i)^{full}$", re.compile(regex, flags), width)


def _date_of(found: re.Match[str]) -> str:
    """Return the ``YYYY-MM-DD`` text of a head match (not checked as a date)."""
    fields = found.groupdict()
    if fields.get("Y") is not None:
        year = int(fields["Y"])
    else:
        short = int(fields["y"])
        year = short + (2000 if short <= 68 else 1900)
    if fields.get("m") is not None:
        month = int(fields["m"])
    else:
        name = (fields.get("b") or fields["B"]).lower()
        month = next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(name))
    return f"{year:04d}-{month:02d}-{int(fields['d']):02d}"


def read_dates(values: col.Strings, formats: tuple[DateFormat, ...]) -> col.Strings:
    """Replace each value a format reads by its date as ``YYYY-MM-DD``.

    ``values`` (trimmed, joined) are tried against ISO-8601 first, then
    ``formats`` in order; a value none reads is returned as it was, for the
    strict date rule to reject. The date is not checked for being real:
    ``31/Feb/24`` becomes ``2024-02-31``, which the strict rule refuses.

    Returns:
        A ``DictionaryArray`` when any value was read (a million timestamps
        hold a few thousand dates), else ``values`` itself.
    """
    # Per row, the index of its date in ``texts`` (-1: not read yet).
    date_of = np.full(len(values), -1, dtype=np.int64)
    texts: list[str] = []
    pending = col.as_bool(pc.not_equal(values, ""))
    for form in (ISO, *formats):
        rows = np.flatnonzero(pending)
        if not len(rows):
            break
        subset = values if len(rows) == len(values) else values.take(pa.array(rows))
        read = _read_form(subset, form, texts)
        hit = read >= 0
        date_of[rows[hit]] = read[hit]
        pending[rows[hit]] = False
    unread = date_of < 0
    if unread.all():
        return values
    # A dictionary array: the dates, then the values left as they were.
    left = pc.dictionary_encode(values.filter(pa.array(unread)))
    date_of[unread] = len(texts) + left.indices.to_numpy(zero_copy_only=False)
    dictionary = pa.concat_arrays(
        [pa.array(texts, pa.large_string()), left.dictionary.cast(pa.large_string())]
    )
    return pa.DictionaryArray.from_arrays(pa.array(date_of), dictionary)


def _read_form(
    values: col.Strings, form: DateFormat, texts: list[str]
) -> npt.NDArray[np.int64]:
    """Return, per value ``form`` reads, the index of its date text (else -1).

    The date texts of the values read are appended to ``texts``.
    """
    starts = (
        values if form.width is None else pc.utf8_slice_codeunits(values, 0, form.width)
    )
    distinct, codes = col.dictionary(starts)
    index = np.full(len(distinct), -1, dtype=np.int64)
    for i, start in enumerate(distinct.to_pylist()):
        found = form.head.match(start)
        if found is not None:
            index[i] = len(texts)
            texts.append(_date_of(found))
    read = index[codes]
    hit = read >= 0
    if hit.all():
        read[~col.as_bool(pc.match_substring_regex(values, form.full))] = -1
    elif hit.any():
        rows = np.flatnonzero(hit)
        whole = col.as_bool(
            pc.match_substring_regex(values.filter(pa.array(hit)), form.full)
        )
        read[rows[~whole]] = -1
    return read
