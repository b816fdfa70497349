"""ticket-analysis: turn a helpdesk CSV export into support analytics reports.

The package is cut by pipeline step:

- :mod:`ticket_analysis.config` — settings from defaults, ``.env``, environment, CLI.
- :mod:`ticket_analysis.ingest` — read and validate the CSV, account for every row.
- :mod:`ticket_analysis.metrics` — pure functions from tickets to the summary's
  pydantic parts (:mod:`ticket_analysis.summary_parts`).
- :mod:`ticket_analysis.weather` — current weather at the team's location.
- :mod:`ticket_analysis.report` — findings, the text report, HTML blocks, charts.
- :mod:`ticket_analysis.pipeline` — the one function both entry points call.
"""

__version__ = "0.1.0"
SCHEMA_VERSION = "1.1"

__all__ = ["SCHEMA_VERSION", "__version__"]
