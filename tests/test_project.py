"""Project hygiene: pins in step, notebooks committed clean, Makefile targets."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pins(lines: list[str]) -> dict[str, str]:
    """Return name -> version of every `name==version` in the lines."""
    found = (re.search(r"([A-Za-z0-9_.\-]+)==([^\s#]+)", line) for line in lines)
    return {m.group(1).lower(): m.group(2) for m in found if m}


def test_requirements_are_exact_pins() -> None:
    """Every requirement is pinned with ==."""
    lines = [
        line.strip()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines and all("==" in line for line in lines)
    names = set(_pins(lines))
    assert {
        "pandas",
        "pyarrow",
        "ipykernel",
        "papermill",
        "nbconvert",
        "pytest",
    } <= names


def test_environment_yml_matches_requirements() -> None:
    """environment.yml lists exactly the same pins as requirements.txt."""
    req = _pins((ROOT / "requirements.txt").read_text().splitlines())
    env_text = (ROOT / "environment.yml").read_text()
    env = _pins(env_text.splitlines())
    assert env == req
    assert "python=3.11" in env_text


def test_committed_notebooks_have_no_outputs() -> None:
    """Notebooks are committed without outputs or execution counts."""
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks, "the report notebook is missing"
    for path in notebooks:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        dirty = [
            i
            for i, cell in enumerate(cells)
            if cell["cell_type"] == "code"
            and (cell.get("outputs") or cell.get("execution_count"))
        ]
        assert dirty == [], f"{path.name}: cells {dirty} carry outputs"


def test_makefile_help_lists_required_targets() -> None:
    """`make help` (the default goal) lists every target the team relies on."""
    out = subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for target in ("help", "setup", "report", "test", "lint", "bench", "lab", "clean"):
        assert re.search(rf"make {target}\s", out), target
