"""Export an executed report notebook to one offline HTML file (nbconvert)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:  # nbformat takes over a second to import: only when exporting
    from nbformat import NotebookNode

#: Holds ``offline_report``: the lab template without scripts or external links.
TEMPLATES_DIR: Final = Path(__file__).resolve().parent / "templates"
#: Cells with one of these tags are not part of the stakeholders' HTML.
REMOVED_TAGS: Final = ("parameters", "injected-parameters", "explore", "remove-cell")


def export_html(nb: NotebookNode, dest: Path, *, title: str) -> Path:
    """Export an executed notebook to a self-contained HTML file; return ``dest``.

    Code, prompts, parameter cells, the analyst's cells (tagged
    :data:`REMOVED_TAGS`: the Explore section), the outputs of cells tagged
    ``remove-output`` and stderr streams (log lines: they stay in the notebook
    for analysts) are left out; the ``offline_report`` template has no script
    or external link and carries a Content-Security-Policy.
    """
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter: Any = HTMLExporter(  # type: ignore[no-untyped-call]
        template_name="offline_report",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    remove = TagRemovePreprocessor(  # type: ignore[no-untyped-call]
        remove_cell_tags=set(REMOVED_TAGS), remove_all_outputs_tags={"remove-output"}
    )
    exporter.register_preprocessor(remove, enabled=True)
    report = copy.deepcopy(nb)
    report.metadata["title"] = title
    for cell in report.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if o.get("name") != "stderr"]
    body, _ = exporter.from_notebook_node(
        report, resources={"metadata": {"name": title}}
    )
    dest.write_text(str(body), encoding="utf-8")
    return dest
