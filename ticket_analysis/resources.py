"""Files the package ships beside its code, found in a checkout or an installed wheel.

``notebooks/ticket_report.ipynb`` at the top of the repository is the one source
of the report notebook; the wheel's build copies it to
``ticket_analysis/notebooks/ticket_report.ipynb`` (see ``setup.py``), so git never
holds two copies.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Final

from ticket_analysis.exceptions import TicketAnalysisError

NOTEBOOK_NAME: Final = "ticket_report.ipynb"
#: The repository holding this package when it runs from a checkout (editable
#: install, tests); in an installed wheel this is site-packages.
_CHECKOUT: Final = Path(__file__).resolve().parents[1]


def checkout_notebook() -> Path | None:
    """Return the repository's report notebook, or None outside a checkout."""
    path = _CHECKOUT / "notebooks" / NOTEBOOK_NAME
    # pyproject.toml tells a checkout from site-packages that happens to hold a
    # notebooks/ folder of another distribution.
    if path.is_file() and (_CHECKOUT / "pyproject.toml").is_file():
        return path
    return None


def report_notebook() -> Path:
    """Return the report notebook: the checkout's, else the installed package's copy.

    The checkout comes first so that an edit to ``notebooks/ticket_report.ipynb``
    takes effect at once in an editable install, without a rebuild.

    Raises:
        TicketAnalysisError: If neither exists (a broken installation, exit 1).
    """
    found = checkout_notebook()
    if found is not None:
        return found
    packaged = resources.files("ticket_analysis") / "notebooks" / NOTEBOOK_NAME
    # A wheel installs as plain files, so the traversable is a real path.
    path = Path(str(packaged))
    if not path.is_file():
        raise TicketAnalysisError(
            f"the report notebook {NOTEBOOK_NAME} is missing from this installation "
            f"({path}); reinstall ticket-analysis from a wheel built by "
            "`pip wheel .`, or run from a checkout"
        )
    return path
