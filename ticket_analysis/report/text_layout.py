"""Plain-text layout: safe one-line values, aligned tables, label pairs, wrapped prose.

Whatever the tickets contain, a line built here is at most :data:`LINE_WIDTH`
characters: ticket-derived values (ids, agent names, words, weather text) have
control, format and line-separator characters replaced by spaces and are cut
with an ellipsis when too long, so one hostile ticket cannot add lines or break
a table. A null number prints as :data:`NA`.
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Sequence
from typing import Final

from ticket_analysis.report.formatting import (
    format_count,
    format_day_figure,
    format_days,
    format_percent,
)

#: Longest line of the report, in characters.
LINE_WIDTH: Final = 80
ELLIPSIS: Final = "…"
NA: Final = "n/a"
NONE: Final = "none"

_GAP: Final = "  "  # between table columns
_MAX_CELL: Final = 32  # widest ticket-derived table cell before shrinking to fit
_MIN_CELL: Final = 6  # narrowest a shrinking column gets
_LONG_WORD: Final = 40  # longest unbroken word kept whole in findings
#: Unicode categories replaced by a space: control, format (bidi overrides,
#: zero-width), surrogates (unencodable), line and paragraph separators.
_UNSAFE_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def clean(value: object) -> str:
    """Make a value safe for one line of plain text (None gives ``""``).

    Control characters (newlines, tabs, escape sequences), format characters
    (bidi overrides, zero-width marks), lone surrogates and line separators
    become spaces; runs of whitespace collapse to one space; ends are trimmed.
    """
    text = "" if value is None else str(value)
    safe = "".join(
        " " if unicodedata.category(char) in _UNSAFE_CATEGORIES else char
        for char in text
    )
    return " ".join(safe.split())


def truncate(text: str, width: int) -> str:
    """Cut text to ``width`` characters, the last one an ellipsis when it was cut."""
    if len(text) <= width:
        return text
    if width <= 0:
        return ""
    return text[: width - 1] + ELLIPSIS


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    align: str,
    shrinkable: Sequence[int] = (),
) -> list[str]:
    """Lay out an aligned table with a dashed rule under the header.

    ``align`` holds ``"l"`` or ``"r"`` per column. Cells are cleaned; a column
    with an empty title gets no rule. The ``shrinkable`` columns (indexes of
    ticket-derived text) are capped at ``_MAX_CELL`` and then narrowed, widest
    first, until the table fits :data:`LINE_WIDTH`; cut cells end with an
    ellipsis.
    """
    cells = [[clean(value) for value in row] for row in rows]
    widths = [
        max([len(header), *(len(row[index]) for row in cells)])
        for index, header in enumerate(headers)
    ]
    for index in shrinkable:
        widths[index] = min(widths[index], max(_MAX_CELL, len(headers[index])))
    excess = sum(widths) + len(_GAP) * (len(widths) - 1) - LINE_WIDTH
    while excess > 0:
        candidates = [
            index
            for index in shrinkable
            if widths[index] > max(_MIN_CELL, len(headers[index]))
        ]
        if not candidates:
            break
        widest = max(candidates, key=lambda index: widths[index])
        widths[widest] -= 1
        excess -= 1

    def line(values: Sequence[str]) -> str:
        parts = [
            truncate(value, width).ljust(width)
            if side == "l"
            else truncate(value, width).rjust(width)
            for value, width, side in zip(values, widths, align, strict=True)
        ]
        return _GAP.join(parts).rstrip()

    return [
        line(headers),
        line(
            ["-" * w if title else "" for title, w in zip(headers, widths, strict=True)]
        ),
        *(line(row) for row in cells),
    ]


def pairs(items: Sequence[tuple[str, str]]) -> list[str]:
    """Lay out ``Label: value`` lines with the values aligned."""
    width = max(len(label) for label, _ in items) + 2
    return [
        f"{label + ':':<{width}}{truncate(value, LINE_WIDTH - width)}"
        for label, value in items
    ]


def wrap(text: object, first: str, rest: str) -> list[str]:
    """Wrap prose to the line width; overlong words are cut with an ellipsis."""
    words = [truncate(word, _LONG_WORD) for word in clean(text).split(" ")]
    return textwrap.wrap(
        " ".join(words),
        width=LINE_WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
    ) or [first.rstrip()]


# --- values: null prints as n/a ---


def cut(value: object, width: int) -> str:
    """Clean a ticket-derived value and cut it to a width."""
    return truncate(clean(value) or NA, width)


def count(value: int | None) -> str:
    """Format a count with thousands separators; ``n/a`` when null."""
    return NA if value is None else format_count(value)


def fixed(value: float | None) -> str:
    """Format a number of days for a table (one decimal, as everywhere); or ``n/a``."""
    return format_day_figure(value)


def days(value: float | None) -> str:
    """Format a number of days with the unit (``"2.5 days"``); ``n/a`` when null."""
    return NA if value is None else format_days(value)


def percent(value: float | None) -> str:
    """Format a fraction as a percentage; ``n/a`` when null."""
    return NA if value is None else format_percent(value)


def measure(value: float | None, unit: str, spec: str = ".1f") -> str:
    """Format a measurement with its unit; ``n/a`` when null."""
    return NA if value is None else f"{value:{spec}}{unit}"
