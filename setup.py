"""Build step the declarative config cannot express: the notebook goes into the wheel.

``notebooks/ticket_report.ipynb`` is the one source (the design card puts it at the
top level); the build copies it to ``ticket_analysis/notebooks/`` so that an
installed package finds it with ``importlib.resources``. Everything else is in
``pyproject.toml``.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

NOTEBOOK = Path("notebooks", "ticket_report.ipynb")


class BuildPyWithNotebook(build_py):
    """``build_py`` that also copies the report notebook into the package."""

    def run(self) -> None:
        """Build the package, then copy the notebook in."""
        super().run()
        if self.editable_mode:  # reads the checkout's file (ticket_analysis.resources)
            return
        target = Path(self.build_lib, "ticket_analysis", "notebooks", NOTEBOOK.name)
        self.mkpath(str(target.parent))
        self.copy_file(str(NOTEBOOK), str(target))


setup(cmdclass={"build_py": BuildPyWithNotebook})
