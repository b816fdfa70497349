"""Which reports a batch makes, and the folder each one is written to.

A slice is the same report narrowed by one filter (``agent``, ``customer``,
``priority``) or made at an earlier date (``month``: a month end as ``as_of``),
contract v1.1 section 3. Agent names and customer ids are customer-written:
folder names are slugs of them (lower-case ASCII letters, digits, ``-`` and
``_``), never empty, never ``.``-led, never a path, unique among the batch's
folders even on a case-insensitive file system.
"""

from __future__ import annotations

import calendar
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Final

from ticket_analysis.domain import PRIORITIES
from ticket_analysis.exceptions import UsageError

if TYPE_CHECKING:
    import pandas as pd

    from ticket_analysis.config import Settings

DIMENSIONS: Final = ("agent", "customer", "priority", "month")
#: Month ends a ``month`` batch makes unless ``--batch-limit`` says otherwise.
DEFAULT_MONTHS: Final = 12
#: Longest slug kept from a name before a hash suffix may be added.
MAX_SLUG: Final = 40
_HASH_CHARS: Final = 8
_NOT_SLUG: Final = re.compile(r"[^a-z0-9_]+")
#: Names Windows refuses as file names, whatever the extension.
_RESERVED: Final = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"{kind}{n}" for kind in ("com", "lpt") for n in range(10)}
)


@dataclass(frozen=True)
class Slice:
    """One report of a batch.

    Attributes:
        name: What the index shows: the agent, customer id, priority or as_of.
        folder: Its folder inside the batch folder (a safe name).
        update: The settings it changes (``{"agent": name}``, ``{"as_of": d}``).
    """

    dimension: str
    name: str
    folder: str
    update: Mapping[str, Any]


def slug(name: str) -> str:
    """Return ``name`` as lower-case ASCII letters, digits, ``-`` and ``_`` (maybe "").

    Accents are dropped (``Zoë`` -> ``zoe``), every other run of characters
    becomes one ``-``, and the result is cut to :data:`MAX_SLUG` characters.
    """
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore")
    text = _NOT_SLUG.sub("-", ascii_text.decode("ascii").lower()).strip("-_")
    return text[:MAX_SLUG].rstrip("-_")


def folder_names(names: Iterable[str], *, fallback: str) -> dict[str, str]:
    """Map each distinct name to a folder name no other name gets.

    A name keeps its plain slug when no other name has the same one; names
    whose slugs collide, or whose slug is empty or reserved, get
    ``<slug or fallback>-<hash of the name>``: the same folder whatever else the
    batch holds, except that a collision always suffixes every name involved.
    """
    slugs = {name: slug(name) for name in dict.fromkeys(names)}
    counts = Counter(slugs.values())

    def plain(text: str) -> bool:
        return bool(text) and counts[text] == 1 and text not in _RESERVED

    for length in range(_HASH_CHARS, 65, 8):  # longer only if a suffix collides
        folders = {
            name: text if plain(text) else f"{text or fallback}-{_digest(name, length)}"
            for name, text in slugs.items()
        }
        if len(set(folders.values())) == len(folders):
            return folders
    raise AssertionError("distinct names with one SHA-256")  # pragma: no cover


def printable(text: str) -> str:
    """Return a name safe for a terminal line: control characters escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _digest(name: str, length: int) -> str:
    """Return the first ``length`` hex digits of the name's SHA-256."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:length]


def month_ends(first: date | None, as_of: date, count: int) -> list[date]:
    """Return as_of and the last days of the months before it, oldest first.

    At most ``count`` dates, none in a month before ``first`` (the first month
    of data; None: only as_of).
    """
    dates = [as_of]
    year, month = as_of.year, as_of.month
    while len(dates) < count:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        if first is None or (year, month) < (first.year, first.month):
            break
        dates.append(date(year, month, calendar.monthrange(year, month)[1]))
    return dates[::-1]


def check_dimension(dimension: str, settings: Settings) -> None:
    """Refuse an unknown dimension, or one whose own filter is already set.

    Raises:
        UsageError: Saying which flag or variable to leave out.
    """
    if dimension not in DIMENSIONS:
        raise UsageError(
            f"--batch {dimension!r}: choose one of {', '.join(DIMENSIONS)}"
        )
    if dimension != "month" and getattr(settings, dimension) is not None:
        raise UsageError(
            f"--batch {dimension} makes one report per {dimension}: leave out "
            f"--{dimension} (and REPORT_{dimension.upper()})"
        )


def plan_slices(
    dimension: str,
    tickets: pd.DataFrame,
    settings: Settings,
    as_of: date,
    *,
    include_all: bool = False,
    limit: int | None = None,
) -> list[Slice]:
    """Return the slices of a batch over the validated ``tickets``.

    The tickets in scope at ``as_of`` under the settings' own filters decide:
    ``agent``, every agent with a ticket; ``customer``, the escalation
    candidates (more tickets than the threshold), or every customer with
    ``include_all``; ``priority``, the four; ``month``, as_of and the month ends
    before it back to the first month with a ticket. ``limit`` keeps the first
    slices: the agents and customers with the most tickets, the most recent
    months (default 12).

    Raises:
        UsageError: An unknown dimension, or the dimension's own filter is set.
    """
    check_dimension(dimension, settings)
    from ticket_analysis.scope import select_scope  # pandas: not for --help

    in_scope, _ = select_scope(tickets, as_of, settings.filters)
    if dimension == "month":
        created = in_scope["created_date"]
        first = created.min().date() if len(created) else None
        ends = month_ends(first, as_of, limit or DEFAULT_MONTHS)
        return [
            Slice(dimension, day.isoformat(), day.strftime("%Y-%m"), {"as_of": day})
            for day in ends
        ]
    if dimension == "priority":
        names: Sequence[str] = list(reversed(PRIORITIES))
    else:
        column = "assigned_to" if dimension == "agent" else "customer_id"
        counts = in_scope[column].dropna().value_counts()
        if dimension == "customer" and not include_all:
            counts = counts[counts > settings.escalation_threshold]
        ranked = sorted(zip(counts.index, counts.tolist(), strict=True), key=_busiest)
        names = [str(name) for name, _ in ranked]
    names = names[:limit] if limit else names
    folders = folder_names(names, fallback=dimension)
    return [Slice(dimension, n, folders[n], {dimension: n}) for n in names]


def _busiest(item: tuple[Any, int]) -> tuple[int, str]:
    """Sort key: most tickets first, then the name."""
    return -item[1], str(item[0])
