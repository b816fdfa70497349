"""Project hygiene: pins in step, notebooks committed clean, Makefile targets."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def _pins(lines: list[str]) -> dict[str, str]:
    """Return name -> version of every `name==version` in the lines."""
    found = (re.search(r"([A-Za-z0-9_.\-]+)==([^\s#]+)", line) for line in lines)
    return {m.group(1).lower(): m.group(2) for m in found if m}


def _lines(name: str) -> list[str]:
    """Return the requirement lines of a file, without comments and blanks."""
    text = (ROOT / name).read_text(encoding="utf-8")
    return [
        s for s in (line.strip() for line in text.splitlines()) if s and s[0] != "#"
    ]


def _declared() -> dict[str, Requirement]:
    """Return pyproject.toml's runtime dependencies by normalised name."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    reqs = (Requirement(text) for text in project["project"]["dependencies"])
    return {r.name.lower(): r for r in reqs}


def test_requirements_are_exact_pins() -> None:
    """Every runtime requirement is pinned with ==; test tools are not among them."""
    lines = _lines("requirements.txt")
    assert lines and all("==" in line for line in lines)
    names = set(_pins(lines))
    assert {"pandas", "pyarrow", "ipykernel", "papermill", "nbconvert"} <= names
    assert not {"pytest", "ruff", "mypy", "jupyterlab"} & names


def test_dev_requirements_add_tools_on_top_of_the_runtime_pins() -> None:
    """requirements-dev.txt starts from requirements.txt and pins only extra tools."""
    lines = _lines("requirements-dev.txt")
    assert lines[0] == "-r requirements.txt"
    assert all("==" in line for line in lines[1:])
    dev = set(_pins(lines[1:]))
    assert {"pytest", "ruff", "mypy"} <= dev
    assert not dev & set(_pins(_lines("requirements.txt")))


def test_pyproject_ranges_admit_exactly_the_runtime_pins() -> None:
    """pyproject.toml declares each pinned runtime package, with a range its pin meets."""
    pins = _pins(_lines("requirements.txt"))
    declared = _declared()
    assert set(declared) == set(pins)
    for name, version in pins.items():
        assert declared[name].specifier.contains(version), (name, version)
        assert not declared[name].specifier.contains("99"), f"{name}: no upper bound"


def test_environment_yml_refers_to_the_requirement_files() -> None:
    """environment.yml installs both requirement files (pins are not repeated)."""
    env_text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert _pins(env_text.splitlines()) == {}
    for line in ("- -r requirements-dev.txt", "- -c requirements.txt", "- -e ."):
        assert line in env_text
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
    targets = ("help", "setup", "report", "test", "install-check", "lint", "bench")
    for target in (*targets, "lab", "clean", "kernel-loop"):
        assert re.search(rf"make {target}\s", out), target


def test_setup_installs_editable_with_the_pins_as_constraint() -> None:
    """`make setup` runs pip with -c requirements.txt, the dev file and -e ."""
    out = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "-C",
            str(ROOT),
            "-n",
            "-B",
            ".venv/.installed",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "-c requirements.txt -r requirements-dev.txt -e ." in out
    assert ".pth" not in out.replace("ticket_analysis.pth", "")


def test_ci_runs_the_install_check_after_the_tests() -> None:
    """.ci/run runs `make install-check` after `make test`."""
    steps = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.startswith("make ")
    ]
    assert steps.index("make install-check") > steps.index("make test")
