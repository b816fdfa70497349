"""Which header of the file feeds which canonical column, under a profile."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ticket_analysis.domain import COLUMNS, REQUIRED_FIELDS
from ticket_analysis.exceptions import InputError
from ticket_analysis.ingest import profiles
from ticket_analysis.ingest.header import map_header, normalize_header
from ticket_analysis.ingest.profiles import Profile

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ColumnPlan:
    """The columns to read and what they mean.

    Attributes:
        profile: The profile used (canonical when the file is in the contract's
            own form).
        columns: Canonical column -> the file's headers for it, in the order
            they are tried (one for the canonical form; none when absent).
        extra: Headers nothing maps (each name once, in file order).
    """

    profile: Profile
    columns: dict[str, tuple[str, ...]]
    extra: list[str]

    @property
    def names(self) -> list[str]:
        """Every header read, each once."""
        return list(dict.fromkeys(h for names in self.columns.values() for h in names))

    @property
    def missing_optional(self) -> list[str]:
        """Canonical columns the file lacks (optional ones: required are checked)."""
        return [c for c in COLUMNS if not self.columns.get(c)]


def plan_columns(
    header: list[str], source: str, chosen: Profile | None, *, quiet: bool = False
) -> ColumnPlan:
    """Map a header onto the canonical columns with ``chosen`` (None: detect it).

    ``quiet`` skips the log line naming the profile (for a check of the start).

    Raises:
        InputError: A required column is missing, or a header the profile maps
            appears twice.
        UsageError: More than one built-in profile fits the header.
    """
    profile = chosen or profiles.detect(header)
    if profile.is_canonical:
        mapping = map_header(header, source)
        extra = [h for h in header if normalize_header(h) not in COLUMNS]
        return ColumnPlan(profile, {c: (h,) for c, h in mapping.items()}, extra)
    if not quiet:
        how = "--mapping" if not profile.builtin else "--source"
        how = how if chosen else "detected from the header"
        logger.info("%s: reading with %s (%s)", source, profile.label, how)
    where: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        where.setdefault(normalize_header(name), []).append(index)
    columns: dict[str, tuple[str, ...]] = {}
    for column in COLUMNS:
        found = []
        for candidate in profile.candidates(column):
            at = where.get(normalize_header(candidate), [])
            if len(at) > 1:
                places = " and ".join(str(i + 1) for i in at)
                raise InputError(
                    f"{source}: the header {header[at[0]]!r} appears {len(at)} times "
                    f"(columns {places}) and {profile.label} reads {column} from "
                    "it: keep one of them and run again"
                )
            found += [header[i] for i in at]
        columns[column] = tuple(found)
    missing = [c for c in REQUIRED_FIELDS if not columns[c]]
    if missing:
        wanted = "; ".join(
            f"{c} ({' or '.join(profile.candidates(c))})" for c in missing
        )
        shown = ", ".join(repr(h[:40]) for h in header[:20]) or "none"
        raise InputError(
            f"{source} is missing required column(s) for {profile.label}: {wanted}. "
            f"Columns found: {shown}."
        )
    used = {h for names in columns.values() for h in names}
    extra = list(dict.fromkeys(h for h in header if h not in used))
    return ColumnPlan(profile, columns, extra)
