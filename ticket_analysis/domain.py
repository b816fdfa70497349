"""Vocabulary of a support ticket export: columns, enums and issue codes.

Everything the loader validates and the metrics rely on is named here once.
"""

from __future__ import annotations

from typing import Final

#: Canonical column names, in the order the contract lists them.
COLUMNS: Final = (
    "ticket_id",
    "customer_id",
    "subject",
    "description",
    "priority",
    "status",
    "created_date",
    "resolved_date",
    "assigned_to",
)
#: Columns that must be present and non-empty on every usable row.
REQUIRED_FIELDS: Final = (
    "ticket_id",
    "customer_id",
    "priority",
    "status",
    "created_date",
)

#: Priorities from lowest to highest; the order of every per-priority listing.
PRIORITIES: Final = ("Low", "Medium", "High", "Critical")
#: Statuses in workflow order.
STATUSES: Final = ("Open", "In Progress", "Resolved", "Closed")
OPEN_STATUSES: Final = ("Open", "In Progress")
RESOLVED_STATUSES: Final = ("Resolved", "Closed")
HIGH_PRIORITIES: Final = ("High", "Critical")

#: Default SLA resolution targets in days per priority.
DEFAULT_SLA_TARGETS_DAYS: Final = {"Low": 14, "Medium": 7, "High": 3, "Critical": 1}

# Issue codes (contract section 2). Rejections remove the row from the analysis.
MALFORMED_RECORD: Final = "malformed_record"
MISSING_REQUIRED_FIELD: Final = "missing_required_field"
INVALID_CREATED_DATE: Final = "invalid_created_date"
INVALID_PRIORITY: Final = "invalid_priority"
INVALID_STATUS: Final = "invalid_status"
DUPLICATE_TICKET_ID: Final = "duplicate_ticket_id"
# Warnings keep the row.
NORMALIZED_VALUE: Final = "normalized_value"
INVALID_RESOLVED_DATE: Final = "invalid_resolved_date"
RESOLVED_BEFORE_CREATED: Final = "resolved_before_created"
MISSING_RESOLVED_DATE: Final = "missing_resolved_date"
RESOLVED_DATE_ON_OPEN_TICKET: Final = "resolved_date_on_open_ticket"
MISSING_SUBJECT: Final = "missing_subject"
CREATED_AFTER_AS_OF: Final = "created_after_as_of"

REJECT_CODES: Final = (
    MALFORMED_RECORD,
    MISSING_REQUIRED_FIELD,
    INVALID_CREATED_DATE,
    INVALID_PRIORITY,
    INVALID_STATUS,
    DUPLICATE_TICKET_ID,
)
WARNING_CODES: Final = (
    NORMALIZED_VALUE,
    INVALID_RESOLVED_DATE,
    RESOLVED_BEFORE_CREATED,
    MISSING_RESOLVED_DATE,
    RESOLVED_DATE_ON_OPEN_TICKET,
    MISSING_SUBJECT,
    CREATED_AFTER_AS_OF,
)
ISSUE_CODES: Final = REJECT_CODES + WARNING_CODES
