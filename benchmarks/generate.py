"""Generate realistic, deterministic support-ticket CSV files of any size.

The output follows the input contract (``/work/shared/design/contract.md`` §1) and
looks like a real helpdesk export rather than uniform noise, because the costs a
benchmark should expose depend on the shape of the data:

- **Customers** are long-tailed: about ``rows / 4`` distinct ids with lognormal
  (Zipf-like) ticket counts, so most customers have one or two tickets, a minority
  have more than five and a few enterprise accounts have hundreds.
- **Agents**: 20–50 named agents (more for bigger files) with a skewed load and
  about 5 % unassigned tickets (mostly tickets still in ``Open``).
- **Subjects** are mostly distinct: they carry order, invoice, case and reference
  numbers, product names and versions, ``Re:``/``Fwd:`` prefixes, some commas and
  quotes (so the field is quoted) and a few non-ASCII names (é, ü, 日本).
- **Descriptions** are 60–200 characters, often with commas, some with quotes and a
  small share (~1.5 %) with newlines embedded in the quoted field.
- **Priorities and statuses** have realistic shares; created dates span 2023-01-01
  to 2024-12-31 with growth and a weekly rhythm; Resolved/Closed tickets have a
  resolved date 0–30 days later, faster for higher priorities; tickets whose
  resolution would fall after the export date are still Open/In Progress.
- **Defects**: a configurable share of rows (default 2 %) each carries exactly one
  defect from :data:`DEFECT_KINDS`, apportioned so that every kind is present as
  soon as there are at least as many defect rows as kinds.

The file is RFC 4180 CSV: CRLF record terminators, fields quoted only when they
contain a comma, a double quote or a line break, quotes doubled. Python's
:mod:`csv` module and ``pyarrow.csv`` (with ``newlines_in_values=True`` and an
``invalid_row_handler`` for the deliberately ragged rows) read the same number of
records.

Everything is decided up front from one seeded :class:`numpy.random.Generator`;
the text of each row is derived from a per-row 64-bit key by hashing, and strings
are assembled column-wise with ``pyarrow.compute`` in chunks, so the same
arguments always give a byte-identical file and a million rows take a few seconds.

Usage::

    python -m benchmarks.generate --rows 1000000 --seed 0 --output tickets.csv
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import string
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from ticket_analysis.domain import COLUMNS, PRIORITIES, STATUSES

IntArray = npt.NDArray[np.int64]
KeyArray = npt.NDArray[np.uint64]

# The header (the contract's canonical column order) and the enum values come
# from the product's own vocabulary, so generated files follow the contract.
_OPEN, _IN_PROGRESS, _RESOLVED, _CLOSED = range(4)

#: Defect kinds and their relative weights. Each defect row carries exactly one.
#: ``priority_case`` (mostly lower-case, some upper-case priorities) and
#: ``status_variant`` (``in-progress``, ``CLOSED``) are fixable warnings;
#: ``unknown_priority`` (``Urgent``, ``P1``), ``unknown_status`` (``Pending``),
#: ``empty_required_field``, ``ragged_row`` (a field too many or too few) and
#: ``duplicate_ticket_id`` (an exact re-exported row or an id collision) are
#: rejections; ``impossible_date`` (``2024-02-30``) and ``non_iso_date``
#: (``12/01/2024``) reject the row when they hit created_date and are a warning on
#: resolved_date; ``resolved_before_created`` and ``status_date_mismatch``
#: (Resolved without a date, Open with one) are warnings.
DEFECT_WEIGHTS: Final[Mapping[str, float]] = {
    "priority_case": 1.5,
    "unknown_priority": 1.0,
    "impossible_date": 1.2,
    "non_iso_date": 1.2,
    "duplicate_ticket_id": 1.2,
    "resolved_before_created": 1.0,
    "ragged_row": 0.8,
    "empty_required_field": 1.0,
    "status_variant": 0.8,
    "unknown_status": 0.6,
    "status_date_mismatch": 0.7,
}
DEFECT_KINDS: Final = tuple(DEFECT_WEIGHTS)

#: First and last created date; the export is taken at the end of the last day.
START_DATE: Final = dt.date(2023, 1, 1)
END_DATE: Final = dt.date(2024, 12, 31)
_N_DAYS: Final = (END_DATE - START_DATE).days + 1
_END_DAY: Final = _N_DAYS - 1
_NO_DATE: Final = -10_000  # sentinel day for "no resolved date"
_FIRST_DATE_DAY: Final = -20  # earliest day a defect can produce (resolved < created)

_CHUNK_ROWS: Final = 200_000  # string assembly granularity; does not affect output
_NEWLINE: Final = "\r\n"

_PRIORITY_SHARES: Final = (0.30, 0.42, 0.20, 0.08)
#: Mean resolution delay in days by priority (Low, Medium, High, Critical).
_DELAY_MEAN_DAYS: Final = (8.0, 4.0, 1.8, 0.7)
_MAX_DELAY_DAYS: Final = 30

_FIRST_NAMES: Final = (
    "Anna", "Ben", "Chloé", "David", "Elena", "Farid", "Grace", "Hiro", "Ingrid",
    "José", "Kara", "Lukas", "Maya", "Nils", "Olga", "Pedro", "Quinn", "Rosa",
    "Sam", "Tomás", "Uma", "Victor", "Wen", "Yusuf", "Zoë",
)  # fmt: skip
_LAST_NAMES: Final = (
    "Adams", "Berg", "Chen", "Dubois", "Evans", "Fischer", "García", "Hansen",
    "Ito", "Jensen", "Kowalski", "Lopez", "Müller", "Novak", "O'Neill", "Patel",
    "Rossi", "Schmidt", "Tanaka", "Urban", "Virtanen", "Weber", "Yilmaz",
)  # fmt: skip
_CONTACT_NAMES: Final = (
    "Renée Dubois", "Jürgen Müller", "José García", "Zoë Clarke", "Søren Nielsen",
    "Ana Lúcia Souza", "山田 太郎", "Priya Sharma", "John Smith", "Maria Rossi",
    "Wei Zhang", "Fatima Khan", "Liam O'Brien", "Chloé Martin", "Emma Johnson",
    "Noah Williams", "Olivia Brown", "Łukasz Nowak", "Aiko Tanaka", "Mehmet Yılmaz",
    "Sarah Miller", "Tom Becker", "Lucía Fernández", "Kevin Wright", "Nina Petrov",
)  # fmt: skip
_PRODUCTS: Final = (
    "Mobile app", "Web portal", "CloudSync", "PayFlow", "Billing portal",
    "Acme Router X200", "SmartHub Mini", "Desktop client", "API v2", "VPN client",
    "Label printer LP-40", "Thermostat T3", "DataVault", "MailPilot", "TimeTrack",
    "Café POS", "Müller Scale Pro", "日本語 keyboard", "Widget Pro 3", "Reports module",
    "Team calendar", "Inventory sync", "Smart lock S2", "Webhooks", "Android app",
    "iOS app", "Analytics dashboard", "Backup agent", "Checkout page", "Gift cards",
    "Loyalty program", "Shipping labels", "SSO connector", "Tablet stand",
    "Barcode scanner BS-7", "Sensor kit", "Voice assistant", "Photo uploader",
    "Customer portal", "Print server",
)  # fmt: skip
_SITES: Final = (
    "Berlin", "München", "São Paulo", "Zürich", "Tokyo (日本)", "Lyon", "Austin",
    "Toronto", "Kraków", "Malmö", "Dublin", "Madrid",
)  # fmt: skip
_FEATURES: Final = (
    "dark mode", "bulk export", "SSO login", "two-factor auth", "CSV import",
    "custom fields", "offline mode", "API rate limits", "audit log", "webhook retries",
    "shared inbox", "saved filters", "multi-currency", "PDF invoices", "Slack alerts",
)  # fmt: skip
_HTTP_CODES: Final = ("400", "401", "403", "404", "408", "429", "500", "502", "503")
_ERROR_NAMES: Final = (
    "TIMEOUT", "SSL_PROTOCOL", "CONNECTION_RESET", "QUOTA_EXCEEDED", "AUTH_FAILED",
)  # fmt: skip

#: Error message templates ({n4}: four digits).
_ERROR_TEMPLATES: Final = ("E{n4}", "HTTP {http}", "ERR_{errname}", "0x8007{n4}")
#: Subject prefixes (reply/forward chains) and their weights.
_SUBJECT_PREFIXES: Final = (
    ("", 0.74), ("Re: ", 0.13), ("RE: ", 0.04), ("Fwd: ", 0.05), ("FW: ", 0.02),
    ("Re: Re: ", 0.02),
)  # fmt: skip
_SUBJECT_SUFFIXES: Final = (
    ("", 0.88), (" (2nd request)", 0.03), (" [URGENT]", 0.03),
    (" - please help", 0.03), ("!!", 0.03),
)  # fmt: skip
#: Subject bodies: most carry a number, so subjects are mostly distinct.
_SUBJECT_BODIES: Final = (
    ("Order {order} not delivered", 6.0),
    ("Where is my order {order_hash}?", 4.0),
    ("Refund request for order {order}", 5.0),
    ("Shipping address change, order {order}", 3.0),
    ("Damaged {product} in order {order}, need replacement", 3.0),
    ("Wrong item in order {order_hash}", 2.0),
    ("Return label for order {order} not working", 2.0),
    ("{product} not working after update to {version}", 5.0),
    ("{product} is very slow since {version}", 2.5),
    ("{product}: error {error} when saving", 5.0),
    ('"{error}" on checkout, order {order_hash}', 2.0),
    ("Cannot log in to {product} ({case})", 4.0),
    ("Invoice {invoice} - wrong amount", 4.0),
    ("Invoice {invoice}, charged twice", 3.0),
    ("Charged €{amount} twice for {product}", 2.0),
    ("Question about {product} subscription, account {case}", 3.0),
    ("Billing issue, ref {ref}", 3.0),
    ("Ticket {ref}: follow-up", 4.0),
    ("Callback request from {name} (case {case})", 3.0),
    ("{site} office cannot reach {product}", 1.5),
    ("{product} – feature request: {feature}", 1.5),
    ("Data export incomplete for account {case}", 2.0),
    ("Upgrade {product} licence for {name}", 1.0),
    ("Password reset not received", 1.5),
    ("Account locked", 1.0),
    ("Cancel my subscription", 1.0),
)
_DESC_OPENINGS: Final = (
    ("", 0.55), ("Hi team, ", 0.1), ("Hello, ", 0.1), ("Hi support, ", 0.07),
    ("Good morning, ", 0.05), ("Dear support team, ", 0.05), ("Hi there, ", 0.05),
    ("Hello again, ", 0.03),
)  # fmt: skip
_DESC_BODIES: Final = (
    ("I placed order {order} on the website but it still shows as processing.", 3.0),
    ("Since the last update {product} crashes as soon as I open the settings.", 3.0),
    ('The app shows "{error}" when I try to save my changes, every single time.', 2),
    ("I was charged twice for invoice {invoice}, please refund one payment.", 2.0),
    ("Our team in {site} cannot connect to {product}; the login page reloads.", 2.0),
    ("The {product} I received is damaged, the box was open and a cable missing.", 2),
    ("I need to change the delivery address for order {order} before it ships.", 2),
    ("Password reset emails never arrive, I checked spam and the address is right.", 2),
    ("Export from {product} stops at 10,000 rows. Is there a limit on our plan?", 1.5),
    ("Reference {ref}: the problem came back after the fix you shipped last week.", 2),
    ("Please cancel my {product} subscription at the end of the billing period.", 1.5),
    ("The API returns {error} when a name contains accents, e.g. Müller or José.", 1),
    ('Your colleague said "it will be fixed tomorrow" but nothing has changed.', 1.5),
    ("We were billed €{amount} for {product} although we downgraded last month.", 1.5),
    ("Order {order_hash} arrived with the wrong item, I ordered the {product}.", 2.0),
    ("{product} is extremely slow since {version}, pages take 20 seconds to load.", 2),
    ("Could you add {feature} to {product}? We need it for our audit in {site}.", 1.0),
    ("Account {case} is locked after three failed logins, I cannot reset it.", 1.5),
    ("The invoice {invoice} lists 12 seats, we only have 9 active users.", 1.0),
    ("Tracking for order {order} has not updated for a week, where is it?", 2.0),
)
_DESC_DETAILS: Final = (
    ("", 0.5), (" This is blocking our whole team.", 0.06),
    (" I already tried restarting and reinstalling, no luck.", 0.07),
    (" Screenshots attached.", 0.07), (" It worked fine until {version}.", 0.06),
    (" Our account number is {case}.", 0.05),
    (" About 40 users are affected, mostly in {site}.", 0.04),
    (' The error says "{error}", nothing else.', 0.04),
    (" Same thing on Chrome and Firefox.", 0.05),
    (" Happened again this morning at 9:15.", 0.06),
)  # fmt: skip
_DESC_CLOSINGS: Final = (
    ("", 0.45), (" Thanks.", 0.12), (" Thanks in advance!", 0.1),
    (" Please advise.", 0.08), (" Regards, {name}", 0.1), (" Cheers", 0.04),
    (" Thank you for your help.", 0.06), (" Please call me back asap.", 0.035),
    # Line breaks inside the quoted field (a small share of all descriptions).
    ("\n\nThanks,\n{name}", 0.008),
    ("\nSteps:\n1. Open {product}\n2. Click Save\n3. Error appears", 0.004),
    ("\n\n--\n{name}\n{site} office", 0.003),
)  # fmt: skip

_PRIORITY_UNKNOWN: Final = ("Urgent", "P1", "P2", "Normal", "Highest", "ASAP", "Med")
_STATUS_UNKNOWN: Final = (
    "Pending", "On Hold", "Waiting on customer", "Reopened", "Escalated", "Done",
)  # fmt: skip
_STATUS_VARIANTS: Final = (
    ("open", "OPEN", "open"),
    ("in-progress", "IN_PROGRESS", "in progress", "In progress", "in_progress"),
    ("resolved", "RESOLVED", "resolved"),
    ("closed", "CLOSED", "closed"),
)
_IMPOSSIBLE_MONTH_DAYS: Final = (
    (2, 30), (2, 31), (4, 31), (6, 31), (9, 31), (11, 31), (13, 5), (0, 12), (7, 0),
    (3, 32),
)  # fmt: skip
_RAGGED_DESCRIPTIONS: Final = (
    "Still broken, see attached",
    "Called twice already, no answer",
    "Works on mobile, not on desktop",
)
_REQUIRED_FIELD_WEIGHTS: Final = (
    ("ticket_id", 0.1), ("customer_id", 0.3), ("priority", 0.2), ("status", 0.15),
    ("created_date", 0.25),
)  # fmt: skip

_GOLDEN: Final = 0x9E3779B97F4A7C15
_MASK64: Final = (1 << 64) - 1
_FORMATTER: Final = string.Formatter()


@dataclass
class GenerationResult:
    """What :func:`write_csv` produced (rows exclude the header; defects per kind)."""

    path: Path
    rows: int
    bytes: int
    seconds: float
    defects: dict[str, int]


@dataclass
class _Plan:
    """Every per-row decision, made up front so that the text is a pure function.

    Attributes:
        created: Created day (days since :data:`START_DATE`).
        resolved: Resolved day, or ``_NO_DATE``.
        ticket_width: Zero-padded width of the ticket number.
        customer: Index into ``customer_num`` per row.
        customer_width: Zero-padded width of the customer number.
        priority: Index into :data:`PRIORITIES`.
        status: Index into :data:`STATUSES`.
        agent: Index into ``agent_names``; ``-1`` when unassigned.
        key: Per-row 64-bit key the subject and description are derived from.
        overrides: Per column, sorted row indices and the raw value to write instead.
        ragged: Sorted row indices of ragged rows and the kind of damage (0–2).
    """

    rows: int
    created: IntArray
    resolved: IntArray
    ticket_num: IntArray
    ticket_width: int
    customer: IntArray
    customer_num: IntArray
    customer_width: int
    priority: IntArray
    status: IntArray
    agent: IntArray
    agent_names: list[str]
    key: KeyArray
    overrides: dict[str, tuple[IntArray, list[str]]] = field(default_factory=dict)
    ragged: tuple[IntArray, IntArray] = field(
        default_factory=lambda: (np.empty(0, np.int64), np.empty(0, np.int64))
    )
    defects: dict[str, int] = field(default_factory=dict)


# --------------------------------------------------------------------------------------
# Hash-derived per-row choices (vectorised)
# --------------------------------------------------------------------------------------


def _mix(key: KeyArray, salt: int) -> KeyArray:
    """Return a well-mixed 64-bit hash per key (splitmix64); ``salt`` separates uses."""
    z = key + np.uint64((salt * _GOLDEN) & _MASK64)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _uniform(key: KeyArray, salt: int) -> npt.NDArray[np.float64]:
    """Return a uniform float in ``[0, 1)`` per key."""
    return (_mix(key, salt) >> np.uint64(11)).astype(np.float64) * 2.0**-53


def _randint(key: KeyArray, salt: int, low: int, high: int) -> IntArray:
    """Return an integer in ``[low, high)`` per key."""
    span = np.uint64(high - low)
    return (_mix(key, salt) % span).astype(np.int64) + low


def _weighted(key: KeyArray, salt: int, weights: Sequence[float]) -> IntArray:
    """Return an index into ``weights`` per key, drawn by relative weight."""
    cdf = np.cumsum(np.asarray(weights, dtype=np.float64))
    cdf /= cdf[-1]
    idx = np.searchsorted(cdf, _uniform(key, salt), side="right")
    return np.minimum(idx, len(weights) - 1).astype(np.int64)


def _zipf_weights(n: int, exponent: float) -> list[float]:
    """Return Zipf-like weights ``1 / rank**exponent``, most popular first."""
    return [1.0 / (rank**exponent) for rank in range(1, n + 1)]


# --------------------------------------------------------------------------------------
# Column-wise string assembly with pyarrow
# --------------------------------------------------------------------------------------


def _strings(values: Sequence[str]) -> Any:
    """Return a pyarrow string array of ``values``."""
    return pa.array(list(values), type=pa.string())


def _numbers(values: IntArray, width: int = 0) -> Any:
    """Format non-negative integers as decimal strings, zero-padded to ``width``."""
    text = pc.cast(pa.array(values, type=pa.int64()), pa.string())
    return pc.utf8_lpad(text, width=width, padding="0") if width else text


def _concat(*parts: Any) -> Any:
    """Concatenate string arrays of one length and ``str`` literals element-wise."""
    return pc.binary_join_element_wise(*parts, "")


def _render(
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
            groups.append(_concat(*pieces))
        else:
            text = "".join(pieces)
            groups.append(_strings([text]).take(pa.array(np.zeros(count, np.int64))))
    if not groups:
        return _strings([])
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.arange(n, dtype=np.int64)
    return pa.concat_arrays(groups).take(pa.array(inverse))


def _pick(values: Sequence[str], index: IntArray) -> Any:
    """Return ``values[index]`` as a pyarrow string array."""
    return _strings(values).take(pa.array(index))


class _Slots(Mapping[str, Callable[[], Any]]):
    """The template fields of one chunk, each computed on first use."""

    def __init__(self, key: KeyArray) -> None:
        self._key = key
        self._cache: dict[str, Any] = {}
        self._makers: dict[str, Callable[[], Any]] = {
            "order": lambda: _concat("ORD-", _numbers(self._int(10, 0, 10**7), 7)),
            "order_hash": lambda: _concat("#", _numbers(self._int(10, 10**6, 10**7))),
            "invoice": lambda: _concat("INV-", _numbers(self._int(11, 0, 10**6), 6)),
            "ref": lambda: _concat("REF-", _numbers(self._int(12, 10**5, 10**6))),
            "case": lambda: _concat("CS", _numbers(self._int(13, 0, 10**8), 8)),
            "product": lambda: _pick(
                _PRODUCTS, _weighted(key, 14, _zipf_weights(len(_PRODUCTS), 0.8))
            ),
            "name": lambda: _pick(
                _CONTACT_NAMES, self._int(15, 0, len(_CONTACT_NAMES))
            ),
            "site": lambda: _pick(_SITES, self._int(16, 0, len(_SITES))),
            "feature": lambda: _pick(_FEATURES, self._int(17, 0, len(_FEATURES))),
            "error": lambda: _render(
                _ERROR_TEMPLATES, self._int(18, 0, len(_ERROR_TEMPLATES)), self
            ),
            "n4": lambda: _numbers(self._int(19, 1000, 10_000)),
            "http": lambda: _pick(_HTTP_CODES, self._int(20, 0, len(_HTTP_CODES))),
            "errname": lambda: _pick(_ERROR_NAMES, self._int(21, 0, len(_ERROR_NAMES))),
            "version": lambda: _concat(
                "v",
                _numbers(self._int(22, 1, 6)),
                ".",
                _numbers(self._int(23, 0, 13)),
                ".",
                _numbers(self._int(24, 0, 10)),
            ),
            "amount": lambda: _concat(
                _numbers(self._int(25, 5, 2000)),
                ".",
                _numbers(self._int(26, 0, 100), 2),
            ),
        }

    def _int(self, salt: int, low: int, high: int) -> IntArray:
        return _randint(self._key, salt, low, high)

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


def _weighted_render(
    table: Sequence[tuple[str, float]], key: KeyArray, salt: int, slots: _Slots
) -> Any:
    """Pick one ``(template, weight)`` per row by weight and render it."""
    templates = [template for template, _ in table]
    weights = [weight for _, weight in table]
    return _render(templates, _weighted(key, salt, weights), slots)


def _subjects(key: KeyArray, slots: _Slots) -> Any:
    """Return one realistic subject per key."""
    return _concat(
        _weighted_render(_SUBJECT_PREFIXES, key, 1, slots),
        _weighted_render(_SUBJECT_BODIES, key, 2, slots),
        _weighted_render(_SUBJECT_SUFFIXES, key, 3, slots),
    )


def _descriptions(key: KeyArray, slots: _Slots) -> Any:
    """Return one realistic description (about 60–200 characters) per key."""
    return _concat(
        _weighted_render(_DESC_OPENINGS, key, 4, slots),
        _weighted_render(_DESC_BODIES, key, 5, slots),
        _weighted_render(_DESC_DETAILS, key, 6, slots),
        _weighted_render(_DESC_CLOSINGS, key, 7, slots),
    )


def _csv_field(column: Any) -> Any:
    """Quote the values that need it (RFC 4180): comma, quote, CR or LF inside."""
    needs_quotes = pc.match_substring_regex(column, '[",\r\n]')
    if not pc.any(needs_quotes).as_py():
        return column
    quoted = _concat('"', pc.replace_substring(column, '"', '""'), '"')
    return pc.if_else(needs_quotes, quoted, column)


# --------------------------------------------------------------------------------------
# The plan: structure of the data set and its defects
# --------------------------------------------------------------------------------------


def _created_days(rng: np.random.Generator, rows: int) -> IntArray:
    """Draw sorted created days with growth, a weekly rhythm and a December dip."""
    days = np.arange(_N_DAYS)
    weekday = (START_DATE.weekday() + days) % 7
    weekday_factor = np.array([1.15, 1.1, 1.05, 1.05, 0.95, 0.35, 0.3])[weekday]
    month = np.array([(START_DATE + dt.timedelta(days=int(day))).month for day in days])
    month_factor = np.where(month == 12, 0.8, 1.0) * np.where(month == 1, 1.1, 1.0)
    weights = (1.0 + 0.6 * days / _N_DAYS) * weekday_factor * month_factor
    created = rng.choice(_N_DAYS, size=rows, p=weights / weights.sum())
    return np.sort(created).astype(np.int64)


def _customers(rng: np.random.Generator, rows: int) -> tuple[IntArray, IntArray]:
    """Assign rows to about ``rows / 4`` customers with long-tailed ticket counts.

    Every customer gets at least one ticket; the rest are shared in proportion to
    lognormal weights, so the counts have a heavy (Zipf-like) tail. Returns the
    customer index per row and the customer number per customer.
    """
    n_customers = max(1, round(rows / 4)) if rows else 0
    weights = rng.lognormal(0.0, 1.5, n_customers)
    share = (rows - n_customers) * weights / max(weights.sum(), 1e-12)
    counts = 1 + np.floor(share).astype(np.int64)
    missing = rows - int(counts.sum())
    if missing > 0:
        counts[np.argsort(np.floor(share) - share, kind="stable")[:missing]] += 1
    per_row = rng.permutation(np.repeat(np.arange(n_customers, dtype=np.int64), counts))
    numbers = 10_000 + np.cumsum(rng.integers(1, 8, n_customers))
    return per_row, rng.permutation(numbers).astype(np.int64)


def _agent_names(rng: np.random.Generator, count: int) -> list[str]:
    """Return ``count`` distinct ``First Last`` agent names."""
    combos = rng.choice(len(_FIRST_NAMES) * len(_LAST_NAMES), count, replace=False)
    return [
        f"{_FIRST_NAMES[c // len(_LAST_NAMES)]} {_LAST_NAMES[c % len(_LAST_NAMES)]}"
        for c in combos.tolist()
    ]


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` by ``weights`` (largest remainder), at least 1 each if possible.

    The counts are non-negative and sum to ``total``.
    """
    k = len(weights)
    floor_each = 1 if total >= k else 0
    rest = total - floor_each * k
    exact = [rest * w / sum(weights) for w in weights]
    counts = [floor_each + int(x) for x in exact]
    by_remainder = sorted(range(k), key=lambda i: (int(exact[i]) - exact[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _plan(rows: int, seed: int, defect_rate: float) -> _Plan:
    """Decide every row: structure first, then the defects."""
    rng = np.random.default_rng(seed)
    created = _created_days(rng, rows)
    gaps = np.where(rng.random(rows) < 0.02, rng.integers(1, 4, rows), 0)
    ticket_num = 100_001 + np.arange(rows, dtype=np.int64) + np.cumsum(gaps)
    customer, customer_num = _customers(rng, rows)
    priority = rng.choice(4, size=rows, p=_PRIORITY_SHARES).astype(np.int64)

    # Resolution: a delay skewed by priority; still open when it would end after the
    # export, plus a small stale backlog that is likelier for recent tickets.
    delay_mean = np.asarray(_DELAY_MEAN_DAYS)[priority]
    delay = np.minimum(np.floor(rng.exponential(delay_mean)), _MAX_DELAY_DAYS)
    done_day = created + delay.astype(np.int64)
    age = _END_DAY - created
    stale = rng.random(rows) < 0.012 + 0.2 * np.exp(-age / 30.0)
    is_open = (done_day > _END_DAY) | stale
    in_progress = rng.random(rows) < 0.45
    closed = (_END_DAY - done_day > 7) & (rng.random(rows) < 0.7)
    status = np.where(
        is_open,
        np.where(in_progress, _IN_PROGRESS, _OPEN),
        np.where(closed, _CLOSED, _RESOLVED),
    ).astype(np.int64)
    resolved = np.where(is_open, _NO_DATE, done_day).astype(np.int64)

    n_agents = int(np.clip(round(10 * np.log10(max(rows, 10)) - 10), 20, 50))
    agent_weights = rng.lognormal(0.0, 0.7, n_agents)
    agent = rng.choice(n_agents, size=rows, p=agent_weights / agent_weights.sum())
    unassigned_p = np.select(
        [status == _OPEN, status == _IN_PROGRESS], [0.35, 0.0], default=0.04
    )
    agent = np.where(rng.random(rows) < unassigned_p, -1, agent).astype(np.int64)
    key = rng.integers(0, np.iinfo(np.uint64).max, rows, dtype=np.uint64, endpoint=True)

    plan = _Plan(
        rows=rows,
        created=created,
        resolved=resolved,
        ticket_num=ticket_num,
        ticket_width=max(6, len(str(int(ticket_num[-1]) if rows else 0))),
        customer=customer,
        customer_num=customer_num,
        customer_width=max(5, len(str(int(customer_num.max()) if rows else 0))),
        priority=priority,
        status=status,
        agent=agent,
        agent_names=_agent_names(rng, n_agents),
        key=key,
    )
    _add_defects(plan, rng, defect_rate)
    return plan


def _date_text(day: int) -> dt.date:
    """Return the calendar date of a day number (days since :data:`START_DATE`)."""
    return START_DATE + dt.timedelta(days=day)


def _impossible_date(day: int, r: float) -> str:
    """Return an ISO-shaped non-date in ``day``'s year (``2024-02-30``)."""
    year = _date_text(day).year
    options = list(_IMPOSSIBLE_MONTH_DAYS)
    if year % 4:  # 29 February only exists in leap years
        options.append((2, 29))
    month, dom = options[int(r * len(options))]
    return f"{year:04d}-{month:02d}-{dom:02d}"


def _non_iso_date(day: int, r: float) -> str:
    """Return a real date in a non-ISO format (``12/01/2024``, ``Jan 5, 2024``)."""
    d = _date_text(day)
    if r < 0.45:
        return f"{d.month:02d}/{d.day:02d}/{d.year}"
    if r < 0.65:
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if r < 0.78:
        return f"{d.year}/{d.month:02d}/{d.day:02d}"
    if r < 0.86:
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if r < 0.94:
        return f"{d:%b} {d.day}, {d.year}"
    return f"{d.year}-{d.month}-{d.day}"


def _add_defects(plan: _Plan, rng: np.random.Generator, defect_rate: float) -> None:
    """Give ``round(rows * defect_rate)`` random rows one defect each, in place."""
    rows = plan.rows
    n_defects = round(rows * defect_rate)
    counts = _apportion(n_defects, list(DEFECT_WEIGHTS.values()))
    plan.defects = dict(zip(DEFECT_KINDS, counts, strict=True))
    if n_defects == 0:
        return
    positions = rng.choice(rows, size=n_defects, replace=False)
    kinds = rng.permutation(np.repeat(np.arange(len(DEFECT_KINDS)), counts))
    order = np.argsort(positions, kind="stable")
    positions, kinds = positions[order], kinds[order]
    clean = np.setdiff1d(np.arange(rows), positions, assume_unique=True)
    draws = rng.random((n_defects, 2)).tolist()

    overrides: dict[str, dict[int, str]] = {name: {} for name in COLUMNS}
    ragged: dict[int, int] = {}
    field_names = [name for name, _ in _REQUIRED_FIELD_WEIGHTS]
    field_cdf = np.cumsum([w for _, w in _REQUIRED_FIELD_WEIGHTS]).tolist()
    per_row: list[npt.NDArray[Any]] = [plan.created, plan.resolved, plan.ticket_num]
    per_row += [plan.customer, plan.priority, plan.status, plan.agent, plan.key]

    for i, kind_index, (r1, r2) in zip(
        positions.tolist(), kinds.tolist(), draws, strict=True
    ):
        kind = DEFECT_KINDS[kind_index]
        has_resolved = int(plan.resolved[i]) != _NO_DATE
        if kind == "priority_case":
            name = PRIORITIES[int(plan.priority[i])]
            overrides["priority"][i] = name.upper() if r1 < 0.2 else name.lower()
        elif kind == "unknown_priority":
            overrides["priority"][i] = _PRIORITY_UNKNOWN[int(r1 * 7)]
        elif kind in ("impossible_date", "non_iso_date"):
            column = "resolved_date" if has_resolved and r2 < 0.3 else "created_date"
            day = int(
                plan.resolved[i] if column == "resolved_date" else plan.created[i]
            )
            text = (_impossible_date if kind == "impossible_date" else _non_iso_date)(
                day, r1
            )
            overrides[column][i] = text
        elif kind == "duplicate_ticket_id":
            if clean.size:
                before = int(np.searchsorted(clean, i))
                lo = max(0, before - 1000)
                j = int(clean[lo + int(r1 * (before - lo))] if before else clean[0])
            else:
                j = (i + 1) % rows
            if r2 < 0.5:  # the same ticket exported twice
                for array in per_row:
                    array[i] = array[j]
            else:  # an id collision between two different tickets
                plan.ticket_num[i] = plan.ticket_num[j]
        elif kind == "resolved_before_created":
            plan.status[i] = _CLOSED if r1 < 0.6 else _RESOLVED
            plan.resolved[i] = plan.created[i] - 1 - int(r2 * 10)
        elif kind == "ragged_row":
            ragged[i] = int(r1 * 3)
        elif kind == "empty_required_field":
            name = field_names[int(np.searchsorted(field_cdf, r1 * field_cdf[-1]))]
            overrides[name][i] = " " if r2 < 0.15 else ""
        elif kind == "status_variant":
            variants = _STATUS_VARIANTS[int(plan.status[i])]
            overrides["status"][i] = variants[int(r1 * len(variants))]
        elif kind == "unknown_status":
            overrides["status"][i] = _STATUS_UNKNOWN[int(r1 * len(_STATUS_UNKNOWN))]
        elif kind == "status_date_mismatch":
            if has_resolved and r1 < 0.5:  # Resolved/Closed without a date
                plan.resolved[i] = _NO_DATE
            elif has_resolved:  # reopened, the old date left behind
                plan.status[i] = _OPEN if r2 < 0.5 else _IN_PROGRESS
            else:  # open ticket with a resolved date
                plan.resolved[i] = min(int(plan.created[i]) + int(r2 * 5), _END_DAY)

    plan.overrides = {
        name: (
            np.fromiter(sorted(values), np.int64, len(values)),
            [values[k] for k in sorted(values)],
        )
        for name, values in overrides.items()
        if values
    }
    ragged_rows = sorted(ragged)
    plan.ragged = (
        np.asarray(ragged_rows, dtype=np.int64),
        np.asarray([ragged[k] for k in ragged_rows], dtype=np.int64),
    )


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------


def _date_lookup() -> Any:
    """Return ISO date strings for every day a plan can use, plus ``""`` last.

    Index ``day - _FIRST_DATE_DAY``, and ``-1`` for no date.
    """
    days = range(_FIRST_DATE_DAY, _END_DAY + 1)
    return _strings([_date_text(day).isoformat() for day in days] + [""])


def _date_column(days: IntArray, lookup: Any) -> Any:
    """Format day numbers as ISO dates (``""`` for ``_NO_DATE``)."""
    index = np.where(days == _NO_DATE, len(lookup) - 1, days - _FIRST_DATE_DAY)
    return lookup.take(pa.array(index))


def _ragged_line(fields: list[str], kind: int, r: int) -> str:
    """Damage one record so that it has a field too many or too few.

    Args:
        fields: The record's nine fields, already CSV-quoted.
        kind: 0 = an unquoted comma in the description, 1 = the last field missing,
            2 = an extra trailing field.
        r: Chooses the replacement description for kind 0.
    """
    if kind == 0:
        fields = [*fields]
        fields[3] = _RAGGED_DESCRIPTIONS[r % len(_RAGGED_DESCRIPTIONS)]
    elif kind == 1:
        fields = fields[:-1]
    else:
        fields = [*fields, "see email"]
    return ",".join(fields)


def _render_chunk(plan: _Plan, lo: int, hi: int, dates: Any) -> Any:
    """Render rows ``lo:hi`` as CSV lines, each ending in CRLF."""
    key = plan.key[lo:hi]
    slots = _Slots(key)
    agents = _strings([*plan.agent_names, ""])
    agent = plan.agent[lo:hi]
    columns: dict[str, Any] = {
        "ticket_id": _concat(
            "TKT-", _numbers(plan.ticket_num[lo:hi], plan.ticket_width)
        ),
        "customer_id": _concat(
            "CUST-",
            _numbers(plan.customer_num[plan.customer[lo:hi]], plan.customer_width),
        ),
        "subject": _subjects(key, slots),
        "description": _descriptions(key, slots),
        "priority": _pick(PRIORITIES, plan.priority[lo:hi]),
        "status": _pick(STATUSES, plan.status[lo:hi]),
        "created_date": _date_column(plan.created[lo:hi], dates),
        "resolved_date": _date_column(plan.resolved[lo:hi], dates),
        "assigned_to": agents.take(
            pa.array(np.where(agent < 0, len(agents) - 1, agent))
        ),
    }
    # Only free text and overridden values can contain a comma, quote or newline.
    may_need_quotes = {"subject", "description", "assigned_to"}
    for name, (rows, values) in plan.overrides.items():
        a, b = np.searchsorted(rows, [lo, hi])
        if a == b:
            continue
        may_need_quotes.add(name)
        mask = np.zeros(hi - lo, dtype=bool)
        mask[rows[a:b] - lo] = True
        columns[name] = pc.replace_with_mask(
            columns[name], pa.array(mask), _strings(values[a:b])
        )
    fields = [
        _csv_field(columns[name]) if name in may_need_quotes else columns[name]
        for name in COLUMNS
    ]
    lines = pc.binary_join_element_wise(*fields, ",")

    ragged_rows, ragged_kinds = plan.ragged
    a, b = np.searchsorted(ragged_rows, [lo, hi])
    if a != b:
        local = ragged_rows[a:b] - lo
        damaged = [
            _ragged_line([f[k].as_py() for f in fields], kind, k)
            for k, kind in zip(local.tolist(), ragged_kinds[a:b].tolist(), strict=True)
        ]
        mask = np.zeros(hi - lo, dtype=bool)
        mask[local] = True
        lines = pc.replace_with_mask(lines, pa.array(mask), _strings(damaged))
    return _concat(lines, _NEWLINE)


def _buffer(lines: Any) -> memoryview:
    """Return the concatenated UTF-8 values of a string array without copying."""
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)
    first, last = int(offsets[lines.offset]), int(offsets[lines.offset + len(lines)])
    return memoryview(lines.buffers()[2])[first:last]


def _write(out: BinaryIO, rows: int, seed: int, defect_rate: float) -> dict[str, int]:
    """Generate the CSV into an open binary stream; return rows per defect kind."""
    plan = _plan(rows, seed, defect_rate)
    out.write((",".join(COLUMNS) + _NEWLINE).encode())
    dates = _date_lookup()
    for lo in range(0, rows, _CHUNK_ROWS):
        out.write(_buffer(_render_chunk(plan, lo, min(lo + _CHUNK_ROWS, rows), dates)))
    return plan.defects


def _check_args(rows: int, defect_rate: float) -> None:
    """Reject arguments the generator cannot honour.

    Raises:
        ValueError: ``rows`` is negative or ``defect_rate`` is outside ``[0, 1]``.
    """
    if rows < 0:
        raise ValueError(f"rows must be >= 0, got {rows}")
    if not 0.0 <= defect_rate <= 1.0:
        raise ValueError(f"defect_rate must be within [0, 1], got {defect_rate}")


def generate_bytes(rows: int, seed: int = 0, defect_rate: float = 0.02) -> bytes:
    """Return a generated CSV file as bytes (for tests and small files).

    The same arguments give the same bytes; ``defect_rate`` is the share of rows
    (0 to 1) that carry exactly one defect.

    Raises:
        ValueError: ``rows`` is negative or ``defect_rate`` is outside ``[0, 1]``.
    """
    _check_args(rows, defect_rate)
    buffer = io.BytesIO()
    _write(buffer, rows, seed, defect_rate)
    return buffer.getvalue()


def write_csv(
    path: Path, rows: int, seed: int = 0, defect_rate: float = 0.02
) -> GenerationResult:
    """Generate a CSV file atomically (temporary file, then rename).

    Parent directories are created; the same arguments give the same bytes.

    Raises:
        ValueError: ``rows`` is negative or ``defect_rate`` is outside ``[0, 1]``.
    """
    _check_args(rows, defect_rate)
    started = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as out:
            defects = _write(out, rows, seed, defect_rate)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return GenerationResult(
        path=path,
        rows=rows,
        bytes=path.stat().st_size,
        seconds=time.perf_counter() - started,
        defects=defects,
    )


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line (``None``: ``sys.argv[1:]``)."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate",
        description="Write a realistic, deterministic support-ticket CSV file.",
    )
    parser.add_argument("--rows", type=int, required=True, help="data records")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--defect-rate",
        type=float,
        default=0.02,
        help="share of rows with one defect each (default 0.02)",
    )
    parser.add_argument("--output", type=Path, required=True, help="CSV file to write")
    parser.add_argument("--quiet", action="store_true", help="print nothing")
    args = parser.parse_args(argv)
    try:
        _check_args(args.rows, args.defect_rate)
    except ValueError as exc:
        parser.error(str(exc))
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command-line interface; return the exit code."""
    args = _parse_args(argv)
    result = write_csv(args.output, args.rows, args.seed, args.defect_rate)
    if not args.quiet:
        defects = ", ".join(f"{k} {v}" for k, v in result.defects.items() if v)
        print(
            f"wrote {result.path}: {result.rows:,} rows, "
            f"{result.bytes / 1e6:,.1f} MB in {result.seconds:.2f} s"
            f" (defect rows {sum(result.defects.values()):,}: {defects or 'none'})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
