"""The notebook as an analyst meets it: run as JupyterLab runs it, no papermill.

nbclient executes the committed notebook unchanged (no parameters injected) in
a scratch working folder, with ``TICKETS_INPUT`` naming the hostile fixture and
``REPORTS_DIR`` a temporary folder, the way ``make lab`` sets them. The run
writes only into ``REPORTS_DIR/interactive``, the Explore cells run and hand
over escaped DataFrames, a warning is plain output (no stderr box), and the
stored kernel spec and language info equal what the venv's kernel reports.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient
from test_notebook import (
    HOSTILE_AGENT,
    NOTEBOOK,
    isolate,
    parse_tags,
    write_hostile_csv,
)

from ticket_analysis.notebook.export import export_html

pytestmark = pytest.mark.notebook

#: The files of a run's set (manifest.json is the commit marker).
SET = [
    "executive_report.txt",
    "manifest.json",
    "overdue_tickets.csv",
    "rejected_rows.csv",
    "summary.json",
]


@pytest.fixture(scope="module")
def lab_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Execute the committed notebook with nbclient, as JupyterLab's "Run all" does."""
    home = tmp_path_factory.mktemp("lab")
    work, reports, state = home / "notebooks", home / "reports", home / "state"
    work.mkdir()
    state.mkdir()
    tickets = write_hostile_csv(home / "tickets.csv")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    with pytest.MonkeyPatch.context() as mp:
        isolate(mp, state)  # Jupyter and matplotlib state, not the notebook's folder
        mp.setenv("TICKETS_INPUT", str(tickets))
        mp.setenv("REPORTS_DIR", str(reports))
        mp.setenv("OPEN_DAYS", "9")  # differs from the parameter: one warning
        client = NotebookClient(
            nb,
            kernel_name="python3",
            timeout=120,
            resources={"metadata": {"path": str(work)}},
        )
        client.execute()
    yield {"nb": nb, "home": home, "work": work, "reports": reports}


def by_id(nb: nbformat.NotebookNode, cell_id: str) -> nbformat.NotebookNode:
    """Return the cell with this id."""
    return next(cell for cell in nb.cells if cell.get("id") == cell_id)


def test_a_run_by_hand_writes_only_into_the_scratch_folder(
    lab_run: dict[str, Any],
) -> None:
    """REPORTS_DIR holds only interactive/ with the set; the working folder stays empty."""
    reports = lab_run["reports"]
    assert [p.name for p in reports.iterdir()] == ["interactive"]
    assert sorted(p.name for p in (reports / "interactive").iterdir()) == SET
    assert sorted(p.name for p in lab_run["home"].iterdir()) == [
        "notebooks", "reports", "state", "tickets.csv"
    ]  # fmt: skip
    assert list(lab_run["work"].iterdir()) == []


def test_the_explore_cells_run_and_show_escaped_dataframes(
    lab_run: dict[str, Any],
) -> None:
    """Tickets (5 valid, T006 rejected), the pivot, the filter and the chart."""
    nb = lab_run["nb"]
    explore = [c for c in nb.cells if "explore" in c.metadata.get("tags", [])]
    assert len(explore) >= 8
    frames = by_id(nb, "explore-frames")
    rejected_html, tickets_html = (o["data"]["text/html"] for o in frames.outputs)
    assert "T006" in rejected_html and "Urgent" in rejected_html
    assert "<tr>" in tickets_html and tickets_html.count("T00") == 5
    assert "&lt;img src=x onerror=alert(1)&gt;" in tickets_html
    assert HOSTILE_AGENT not in tickets_html
    assert not [t for t, _ in parse_tags(tickets_html) if t in {"script", "img"}]
    pivot = by_id(nb, "explore-pivot").outputs[0]["data"]["text/html"]
    for priority in ("Low", "Medium", "High", "Critical"):
        assert f"<th>{priority}</th>" in pivot
    summary = by_id(nb, "explore-summary").outputs[0]["data"]["text/plain"]
    assert summary.startswith("PeriodComparison(period_days=28")
    chart = by_id(nb, "explore-chart").outputs[0]["data"]["text/html"]
    assert 'src="data:image/svg+xml;base64,' in chart


def test_warnings_are_plain_output_never_stderr(lab_run: dict[str, Any]) -> None:
    """The OPEN_DAYS warning shows under the run cell on stdout; no cell has stderr."""
    nb = lab_run["nb"]
    streams = [
        (cell.get("id"), output["name"], output["text"])
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output["output_type"] == "stream"
    ]
    assert [s for s in streams if s[1] == "stderr"] == []
    run_text = "".join(text for cell_id, _, text in streams if cell_id == "run")
    assert (
        "WARNING: notebook parameter open_days=7 is used instead of OPEN_DAYS=9"
        in run_text
    )


def test_the_stakeholder_html_leaves_the_explore_section_out(
    lab_run: dict[str, Any], tmp_path: Path
) -> None:
    """The exported report has no Explore heading, DataFrame or pointer."""
    html = export_html(lab_run["nb"], tmp_path / "r.html", title="T").read_text()
    assert "Support ticket report" in html and "About this report" in html
    for gone in ('id="Explore"', "explore_frames", "Analysts:", "pivot_table"):
        assert gone not in html, gone
    assert "A custom chart" not in html


def test_the_stored_kernel_spec_and_language_equal_the_installed_ones(
    lab_run: dict[str, Any],
) -> None:
    """JupyterLab rewrites neither: the notebook opens unmodified.

    The kernel spec is the venv's (``make setup`` writes it); the language info
    is what the kernel reported when nbclient ran it.
    """
    stored = nbformat.read(NOTEBOOK, as_version=4).metadata
    spec = KernelSpecManager().get_kernel_spec("python3")
    assert stored["kernelspec"] == {
        "display_name": spec.display_name,
        "language": spec.language,
        "name": "python3",
    }
    # The patch version is the one machine's Python; the floor is 3.11, so only
    # major.minor is held (another 3.11.x only updates that one string).
    reported = dict(lab_run["nb"].metadata["language_info"])
    stored_info = dict(stored["language_info"])
    assert (
        stored_info.pop("version").split(".")[:2]
        == (reported.pop("version").split(".")[:2])
    )
    assert stored_info == reported
