"""Temporary: ``config.py`` still imports FindingThresholds from here.

Findings live in :mod:`ticket_analysis.report.findings`; delete this module once
``config.py`` imports from there.
"""

from ticket_analysis.report.findings import FindingThresholds

__all__ = ["FindingThresholds"]
