"""The supported date range and the day of the run (contract section 1, v1.1).

Every date the product accepts (created_date, resolved_date, ``--as-of``) lies in
:data:`FIRST_DATE`..:data:`LAST_DATE`. The range keeps placeholder dates
(``9999-12-31``, ``1900-01-01``, ``0000-01-01``) out of the analysis, and with them
every calendar computation that could overflow (a month after December 9999, a
year 0 that Python's ``date`` cannot hold, pandas' 1677..2262 ``Timestamp``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Final

FIRST_DATE: Final = date(1970, 1, 1)
LAST_DATE: Final = date(2099, 12, 31)
#: The range as messages name it.
RANGE_TEXT: Final = f"{FIRST_DATE.isoformat()}..{LAST_DATE.isoformat()}"


def utc_today() -> date:
    """Return the day of the run: today's date in UTC."""
    return datetime.now(UTC).date()


def in_range(day: date) -> bool:
    """Tell whether a date lies in the supported range."""
    return FIRST_DATE <= day <= LAST_DATE
