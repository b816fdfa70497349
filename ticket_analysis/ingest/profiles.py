"""Import profiles: how a helpdesk's export maps onto the canonical columns.

A profile is a small TOML file (contract section 8)::

    datetime_formats = ["%d/%b/%y %I:%M %p"]   # tried after ISO-8601
    [columns]                                  # canonical = header, or a list
    ticket_id = "Issue key"
    customer_id = ["Reporter", "Reporter email"]
    [values.status]                            # export value = canonical value
    Done = "Resolved"

The built-in ones (``ticket_analysis/profiles/*.toml``) are picked with
``--source NAME`` or detected from the header; ``--mapping FILE`` reads any other.
A column a mapping file does not list is found by its canonical name. A bad
file is a :class:`UsageError` naming the file and the key.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Final

from ticket_analysis import domain as d
from ticket_analysis.exceptions import UsageError
from ticket_analysis.ingest.datetimes import DateFormat, compile_format
from ticket_analysis.ingest.header import normalize_header

#: The name of the canonical form (no profile).
CANONICAL: Final = "canonical"
#: The built-in profiles, as ``--source`` names them.
BUILTIN: Final = ("zendesk", "freshdesk", "jira")
#: The enums a profile may map, with their canonical values.
ENUMS: Final = {"priority": d.PRIORITIES, "status": d.STATUSES}


def enum_key(value: str) -> str:
    """Return the form values are matched in: case, spaces, ``-`` and ``_`` forgiven."""
    return re.sub(r"[\s_\-]+", " ", value.lower()).strip()


@dataclass(frozen=True)
class Profile:
    """An import profile (``name`` is ``canonical`` for the contract's own form).

    Attributes:
        columns: Canonical column -> the export headers tried in order (as
            written; headers match like the canonical ones: case, spaces and
            hyphens forgiven).
        values: ``priority``/``status`` -> {:func:`enum_key` of an export value:
            canonical value}.
        formats: Datetime formats tried after ISO-8601.
        builtin: Whether it ships with the package (else a ``--mapping`` file).
    """

    name: str
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    formats: tuple[DateFormat, ...] = ()
    builtin: bool = True

    @property
    def is_canonical(self) -> bool:
        """Whether this is the canonical form (no mapping at all)."""
        return self.name == CANONICAL

    @property
    def label(self) -> str:
        """How messages name it: ``the jira profile``, ``the mapping m.toml``."""
        kind = "the {} profile" if self.builtin else "the mapping {}"
        return kind.format(self.name)

    @property
    def where_to_add(self) -> str:
        """Where a user adds a value this profile does not map."""
        return "a --mapping file" if self.builtin else self.name

    def candidates(self, column: str) -> tuple[str, ...]:
        """Return the headers tried for ``column``, in order."""
        return self.columns.get(column, (column,))


CANONICAL_PROFILE: Final = Profile(CANONICAL)


@functools.cache
def _builtin(key: str) -> Profile:
    """Read a built-in profile's TOML (once per process)."""
    text = (resources.files("ticket_analysis") / "profiles" / f"{key}.toml").read_text(
        encoding="utf-8"
    )
    return parse_profile(tomllib.loads(text), key, builtin=True)


def builtin_profile(name: str) -> Profile:
    """Return a built-in profile by its ``--source`` name (``canonical`` too).

    Raises:
        UsageError: If no profile has that name (the message lists them).
    """
    key = name.strip().lower()
    if key == CANONICAL:
        return CANONICAL_PROFILE
    if key not in BUILTIN:
        choices = ", ".join((CANONICAL, *BUILTIN))
        raise UsageError(
            f"unknown import profile {name!r} (--source or TICKETS_SOURCE): "
            f"choose one of {choices}"
        )
    return _builtin(key)


def load_mapping(path: Path) -> Profile:
    """Read a ``--mapping`` TOML file.

    Raises:
        UsageError: If it cannot be read, is not TOML, or maps anything outside
            the contract (one line naming the file and the key).
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(
            f"mapping file not found: {path} (--mapping or TICKETS_MAPPING)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise UsageError(f"cannot read mapping file {path}: {reason}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(
            f"mapping file {path} is not valid TOML: {exc}{_quote_line(path, exc)}"
        ) from None
    return parse_profile(data, path.name, builtin=False, where=str(path))


def _quote_line(path: Path, exc: tomllib.TOMLDecodeError) -> str:
    """Return ``: <the line the error is on>``, so the message names the key."""
    found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
    if found is None:
        return ""
    lines = path.read_text(encoding="utf-8").splitlines()
    number = int(found.group(1))
    text = lines[number - 1].strip() if 0 < number <= len(lines) else ""
    return f": {text[:60]}" if text else ""


def resolve(source: str | None, mapping: Path | str | None) -> Profile | None:
    """Return the profile asked for, or None to detect it from the header.

    Raises:
        UsageError: For an unknown ``--source``, both flags at once, or a bad
            mapping file.
    """
    if source and mapping:
        raise UsageError(
            "--source and --mapping both given: use --source for a built-in "
            "profile or --mapping for your own file, not both"
        )
    if mapping:
        return load_mapping(Path(mapping))
    if source and source.strip():
        return builtin_profile(source)
    return None


def detect(header: list[str]) -> Profile:
    """Pick the profile of a header: canonical, else the one built-in that fits.

    A built-in fits when the first candidate of each required column is present.
    Returns the canonical profile when nothing fits (its error then names the
    missing columns).

    Raises:
        UsageError: If more than one built-in profile fits.
    """
    names = {normalize_header(h) for h in header}
    if all(c in names for c in d.REQUIRED_FIELDS):
        return CANONICAL_PROFILE
    fits = [
        profile
        for profile in map(builtin_profile, BUILTIN)
        if all(
            normalize_header(profile.candidates(c)[0]) in names
            for c in d.REQUIRED_FIELDS
        )
    ]
    if len(fits) > 1:
        choices = " or ".join(f"--source {p.name}" for p in fits)
        raise UsageError(
            f"the header fits more than one import profile "
            f"({', '.join(p.name for p in fits)}): pass {choices}"
        )
    return fits[0] if fits else CANONICAL_PROFILE


# --- reading and checking a profile's TOML ------------------------------------------


def parse_profile(
    data: dict[str, Any], name: str, *, builtin: bool, where: str | None = None
) -> Profile:
    """Check a profile's parsed TOML and build the :class:`Profile`.

    Raises:
        UsageError: Naming ``where`` (default ``name``) and the offending key.
    """
    where = where or name

    def fail(key: str, problem: str) -> UsageError:
        return UsageError(f"mapping file {where}: {key}: {problem}")

    unknown = sorted(set(data) - {"columns", "values", "datetime_formats"})
    if unknown:
        raise fail(
            unknown[0], "unknown key (expected [columns], [values], datetime_formats)"
        )
    columns = _columns(_table(data.get("columns", {}), "[columns]", fail), fail)
    values_table = _table(data.get("values", {}), "[values]", fail)
    values: dict[str, dict[str, str]] = {}
    for enum, table in values_table.items():
        if enum not in ENUMS:
            raise fail(f"[values.{enum}]", "unknown table (expected priority, status)")
        values[enum] = _values(enum, _table(table, f"[values.{enum}]", fail), fail)
    listed = data.get("datetime_formats", [])
    formats = _strings(listed, "datetime_formats", fail) if listed != [] else []
    compiled = []
    for pattern in formats:
        try:
            compiled.append(compile_format(pattern))
        except ValueError as exc:
            raise fail("datetime_formats", str(exc)) from None
    return Profile(name, columns, values, tuple(compiled), builtin)


def _table(value: object, key: str, fail: Any) -> dict[str, Any]:
    """Return a TOML table, or fail naming ``key``."""
    if not isinstance(value, dict):
        raise fail(key, "expected a table")
    return value


def _strings(value: object, key: str, fail: Any) -> list[str]:
    """Return a string or a list of strings as a list; each non-empty."""
    items = [value] if isinstance(value, str) else value
    if (
        not isinstance(items, list)
        or not items
        or not all(isinstance(item, str) and item.strip() for item in items)
    ):
        raise fail(key, "expected a non-empty text or a list of them")
    return items


def _columns(table: dict[str, Any], fail: Any) -> dict[str, tuple[str, ...]]:
    """Check ``[columns]``: canonical names, each once, headers used once."""
    columns: dict[str, tuple[str, ...]] = {}
    owner: dict[str, str] = {}
    for key, value in table.items():
        column = normalize_header(key)
        if column not in d.COLUMNS:
            raise fail(
                f"[columns] {key}",
                f"not a canonical column (expected one of {', '.join(d.COLUMNS)})",
            )
        if column in columns:
            raise fail(f"[columns] {key}", f"{column} is mapped twice")
        headers = tuple(_strings(value, f"[columns] {key}", fail))
        for header in headers:
            norm = normalize_header(header)
            if owner.get(norm, column) != column:
                raise fail(
                    f"[columns] {key}",
                    f"header {header!r} is also mapped to {owner[norm]}",
                )
            owner[norm] = column
        columns[column] = headers
    # A column left out keeps its canonical name, which no other column may take.
    for column in d.COLUMNS:
        if column not in columns and owner.get(column, column) != column:
            raise fail(
                f"[columns] {owner[column]}",
                f"header {column!r} is the canonical name of {column}; "
                f"map {column} too",
            )
    return columns


def _values(enum: str, table: dict[str, Any], fail: Any) -> dict[str, str]:
    """Check ``[values.<enum>]``: every target a canonical value, keys unambiguous."""
    allowed = ENUMS[enum]
    mapped: dict[str, str] = {}
    for value, target in table.items():
        key = f"[values.{enum}] {value!r}"
        if not isinstance(target, str) or target not in allowed:
            expected = ", ".join(allowed)
            raise fail(key, f"{target!r} is not a {enum} (expected one of {expected})")
        norm = enum_key(value)
        if not norm:
            raise fail(key, "an empty value cannot be mapped")
        canonical = next((a for a in allowed if enum_key(a) == norm), target)
        if canonical != target or mapped.get(norm, target) != target:
            raise fail(key, f"means {mapped.get(norm, canonical)!r} already")
        mapped[norm] = target
    return mapped
