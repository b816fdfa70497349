"""The files of a report set (contract section 5), as every test expects them."""

from __future__ import annotations

#: A direct run's set, sorted; manifest.json (written last) names the others.
DIRECT_SET = sorted(
    [
        "executive_report.txt",
        "manifest.json",
        "overdue_tickets.csv",
        "rejected_rows.csv",
        "summary.json",
    ]
)
#: The notebook run's set, sorted.
NOTEBOOK_SET = sorted([*DIRECT_SET, "report.html", "ticket_report.ipynb"])
#: The files manifest.json lists for a direct run.
DIRECT_FILES = [name for name in DIRECT_SET if name != "manifest.json"]
