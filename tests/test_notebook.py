"""The report notebook: committed clean, thin, escaped, and equal to the CLI.

The slow tests (marked ``notebook``) execute the real notebook with papermill
through ``run_report.py``; the others check the committed notebook and the HTML
export without starting a kernel. The notebook's parameters are tested in
test_notebook_parameters.py, its sections in test_report_html.py.
"""

from __future__ import annotations

import ast
import csv
import importlib.util
import json
import logging
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from typing import Any

import nbformat
import pandas as pd
import papermill
import pytest
from expected_files import NOTEBOOK_SET
from jsonschema import Draft202012Validator

from ticket_analysis import cli
from ticket_analysis.config import ENV_VARS
from ticket_analysis.notebook.export import export_html
from ticket_analysis.notebook.runner import report_title
from ticket_analysis.notebook.status import RUN_STATUS_MIME
from ticket_analysis.report.html import table_html
from ticket_analysis.summary import Filters

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "ticket_report.ipynb"
SCHEMA = json.loads((ROOT / "schemas" / "summary.schema.json").read_text())

HOSTILE_SUBJECT = "<script>alert(1)</script>"
HOSTILE_AGENT = "<img src=x onerror=alert(1)>"
HOSTILE_CUSTOMER = '"><svg onload=alert(2)>'
HOSTILE = (HOSTILE_SUBJECT, HOSTILE_AGENT, HOSTILE_CUSTOMER)

EXPECTED_PARAMETERS = {
    "input_path": ("str", '""'),
    "source": ("str", '""'),
    "mapping": ("str", '""'),
    "snapshot": ("str", '""'),
    "output_dir": ("str", '""'),
    "as_of": ("str", '""'),
    "agent": ("str", '""'),
    "customer": ("str", '""'),
    "priority": ("str", '""'),
    "period_days": ("int", "28"),
    "open_days": ("int", "7"),
    "escalation_threshold": ("int", "5"),
    "top_words": ("int", "10"),
    "list_limit": ("int", "100"),
    "sla_targets_days": ("dict", "{}"),
    "finding_thresholds": ("dict", "{}"),
    "extra_stop_words": ("str", '""'),
    "max_reject_rate": ("str", '""'),
    "weather_enabled": ("bool", "True"),
}


# --- helpers and fixtures -----------------------------------------------------


def load_run_report() -> ModuleType:
    """Import the top-level run_report.py (it is a script, not in the package)."""
    spec = importlib.util.spec_from_file_location("run_report", ROOT / "run_report.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def isolate(mp: pytest.MonkeyPatch, home: Path) -> None:
    """Keep Jupyter, IPython, matplotlib and the settings away from the real home.

    Every settings variable is set empty (which also masks a developer's .env),
    the weather is off (no network), and the working folder is ``home``. The
    venv's kernelspec is still found: it lives under ``sys.prefix``.
    """
    for var in ENV_VARS:
        mp.setenv(var, "")
    mp.setenv("WEATHER_ENABLED", "false")
    for var, sub in (
        ("JUPYTER_CONFIG_DIR", "jupyter-config"),
        ("JUPYTER_DATA_DIR", "jupyter-data"),
        ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"),
        ("IPYTHONDIR", "ipython"),
        ("MPLCONFIGDIR", "matplotlib"),
    ):
        mp.setenv(var, str(home / sub))
    mp.chdir(home)


def write_hostile_csv(path: Path) -> Path:
    """Write six tickets whose text fields try to inject HTML, one rejected row.

    As of 2024-03-21 (the newest date): T002 is open 19 days (over the 7-day
    threshold), the hostile customer has 2 tickets, the hostile agent 2; T006
    has the invalid priority "Urgent" and is rejected.
    """
    rows = [
        ["T001", "C1", "Login fails", "d", "High", "Resolved", "2024-03-01",
         "2024-03-03", "Agent_A"],
        ["T002", HOSTILE_CUSTOMER, HOSTILE_SUBJECT, "d", "Critical", "Open",
         "2024-03-02", "", HOSTILE_AGENT],
        ["T003", HOSTILE_CUSTOMER, "Invoice wrong", "d", "Medium", "Closed",
         "2024-03-05", "2024-03-12", HOSTILE_AGENT],
        ["T004", "C2", "Export broken", "d", "Low", "In Progress", "2024-03-10",
         "", "Agent_A"],
        ["T005", "C1", "Password reset", "d", "Medium", "Resolved", "2024-03-20",
         "2024-03-21", "Agent_B"],
        ["T006", "C3", "Bad priority", "d", "Urgent", "Open", "2024-03-21", "",
         "Agent_B"],
    ]  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["ticket_id", "customer_id", "subject", "description", "priority",
             "status", "created_date", "resolved_date", "assigned_to"]
        )  # fmt: skip
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def report_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Run run_report.py (papermill) and the CLI on the hostile CSV, once.

    Yields:
        exit codes, output folders and the captured log of the notebook run.
    """
    home = tmp_path_factory.mktemp("home")
    tickets = write_hostile_csv(home / "tickets.csv")
    flags = ["--input", str(tickets), "--escalation-threshold", "1", "--no-weather"]
    root = logging.getLogger()
    saved = list(root.handlers), root.level
    with pytest.MonkeyPatch.context() as mp:
        isolate(mp, home)
        notebook_code = load_run_report().main(
            [*flags, "--output-dir", str(home / "notebook")]
        )
        cli_code = cli.main([*flags, "--output-dir", str(home / "cli")])
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    logging.getLogger("ticket_analysis").setLevel(logging.NOTSET)
    yield {
        "notebook_code": notebook_code,
        "cli_code": cli_code,
        "out": home / "notebook",
        "cli_out": home / "cli",
    }


# --- the committed notebook ---------------------------------------------------


def committed() -> nbformat.NotebookNode:
    """Read the committed notebook."""
    return nbformat.read(NOTEBOOK, as_version=4)


def test_committed_notebook_is_clean_and_declares_its_kernel() -> None:
    """The notebook is committed without outputs or counts, for kernel python3."""
    nb = committed()
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_notebook_has_exactly_the_expected_parameters() -> None:
    """One cell is tagged parameters and papermill reads exactly our parameters."""
    nb = committed()
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    found = papermill.inspect_notebook(str(NOTEBOOK))
    assert {
        name: (p["inferred_type_name"], p["default"]) for name, p in found.items()
    } == EXPECTED_PARAMETERS
    assert all(p["help"] for p in found.values()), "each parameter has a comment"
    # only plain typed assignments of literals (an empty dict at most), nothing derived
    tree = ast.parse(tagged[0].source)
    assert all(isinstance(node, ast.AnnAssign) for node in tree.body)
    values = [node.value for node in tree.body if isinstance(node, ast.AnnAssign)]
    assert all(
        isinstance(v, ast.Constant) or (isinstance(v, ast.Dict) and not v.keys)
        for v in values
    )


def test_explore_cells_come_last_and_charts_pair_up() -> None:
    """The Explore section closes the notebook; chart cells come in pairs."""
    cells = committed().cells
    tags = [set(cell.metadata.get("tags", [])) for cell in cells]
    explore = [i for i, t in enumerate(tags) if "explore" in t]
    assert explore[0] == 1  # the pointer under the title
    assert explore[1:] == list(range(explore[1], len(cells)))
    assert cells[explore[1]].source.startswith("## Explore")
    half = [i for i, t in enumerate(tags) if "half" in t]
    assert len(half) == 10 and all(
        b == a + 1 for a, b in zip(half[::2], half[1::2], strict=True)
    )


def test_notebook_cells_hold_no_logic_and_markdown_no_data() -> None:
    """Code cells only call the package and display: no loop, if or def.

    Markdown cells are fixed prose: no template placeholders, no HTML.
    """
    for cell in committed().cells:
        if cell.cell_type == "code":
            tree = ast.parse(cell.source)
            banned = (ast.For, ast.While, ast.If, ast.IfExp, ast.FunctionDef,
                      ast.ListComp, ast.DictComp, ast.GeneratorExp, ast.Try)  # fmt: skip
            assert not [n for n in ast.walk(tree) if isinstance(n, banned)], cell.source
        else:
            assert not re.search(r"[{}<>]", cell.source), cell.source


def test_notebook_calls_the_cli_pipeline() -> None:
    """The cell after the parameters derives settings and calls pipeline.run."""
    nb = committed()
    index = next(
        i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])
    )
    source = nb.cells[index + 1].source
    assert "load_settings(" in source and "run(settings)" in source
    assert "show_run_status(result)" in source
    shown = " ".join(c.source for c in nb.cells if c.cell_type == "code")
    assert shown.count("nd.show_figure(charts.plot_") == 9


# --- HTML export (no kernel) ---------------------------------------------------


def synthetic_executed_notebook() -> nbformat.NotebookNode:
    """An executed-looking notebook: parameter cells, a status cell, hostile output."""
    v4 = nbformat.v4
    params = v4.new_code_cell("input_path = ''", metadata={"tags": ["parameters"]})
    injected = v4.new_code_cell(
        "input_path = 'x.csv'", metadata={"tags": ["injected-parameters"]}
    )
    injected.outputs = [v4.new_output("stream", name="stdout", text="INJECTED-OUT")]
    status = v4.new_code_cell(
        "load_settings(...)", metadata={"tags": ["remove-output"]}
    )
    status.outputs = [
        v4.new_output(
            "display_data",
            data={RUN_STATUS_MIME: {}, "text/plain": "STATUS-TEXT"},
        ),
        v4.new_output("stream", name="stderr", text="WARNING: noise"),
    ]
    table = v4.new_code_cell("nd.agents(summary)")
    table.outputs = [
        v4.new_output(
            "display_data",
            data={"text/html": table_html(pd.DataFrame({"Agent": [HOSTILE_AGENT]}))},
        ),
        v4.new_output("stream", name="stderr", text="STDERR-LINE"),
    ]
    return v4.new_notebook(
        cells=[v4.new_markdown_cell("# Title"), params, injected, status, table]
    )


def test_export_html_is_offline_and_leaves_out_code_and_parameters(
    tmp_path: Path,
) -> None:
    """No script, no external link, a CSP, the title; code and parameters gone."""
    path = export_html(
        synthetic_executed_notebook(), tmp_path / "r.html", title="T <1> & 2"
    )
    html = path.read_text(encoding="utf-8")
    assert_offline_report(html)
    assert "<title>T &lt;1&gt; &amp; 2</title>" in html
    for gone in ("INJECTED-OUT", "input_path", "STATUS-TEXT", "STDERR-LINE",
                 "load_settings(", "nd.agents", "noise"):  # fmt: skip
        assert gone not in html, gone
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert not list(tmp_path.glob(".*")), "no temporary file left"


@pytest.mark.parametrize(
    ("as_of", "filters", "title"),
    [
        (None, Filters(), "Support ticket report"),
        ("2026-11-20", Filters(), "Support ticket report — as of 2026-11-20"),
        (
            "2026-11-20",
            Filters(agent="Ann", customer="K1", priority="High"),
            "Support ticket report — agent Ann — customer K1 — priority High"
            " — as of 2026-11-20",
        ),
        (None, Filters(customer="<b>"), "Support ticket report — customer <b>"),
    ],
)
def test_the_page_title_names_the_slice_and_the_report_date(
    as_of: str | None, filters: Filters, title: str
) -> None:
    """A batch's reports, open in a browser's tabs, tell which slice each is.

    The title is plain text: export_html escapes it (test above).
    """
    assert report_title(as_of, filters) == title


class TagCollector(HTMLParser):
    """Collect every start tag of an HTML document with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parse_tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """Return the start tags of ``html`` (escaped text is not a tag)."""
    collector = TagCollector()
    collector.feed(html)
    collector.close()
    return collector.tags


def assert_offline_report(html: str) -> None:
    """The HTML has no script, no external reference, and the CSP meta."""
    tags = parse_tags(html)
    assert not [tag for tag, _ in tags if tag in {"script", "iframe", "object"}]
    for tag, attrs in tags:
        for name in ("src", "href", "srcset", "action", "formaction", "poster"):
            value = (attrs.get(name) or "").strip()
            if name in attrs:
                assert value.startswith(("data:", "#")), f"<{tag} {name}={value}>"
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
    csp = [
        attrs.get("content")
        for tag, attrs in tags
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp == [
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:"
    ]
    for host in ("cdnjs", "jsdelivr", "unpkg", "googleapis"):
        assert host not in html, host
    assert not re.search(r"@import|url\(\s*['\"]?https?:", html)


# --- a real papermill run -----------------------------------------------------


@pytest.mark.notebook
def test_notebook_run_writes_every_report(report_run: dict[str, Any]) -> None:
    """run_report.py exits 0 and writes every file of the notebook's set."""
    assert report_run["notebook_code"] == 0
    names = sorted(p.name for p in report_run["out"].iterdir())
    assert names == NOTEBOOK_SET


@pytest.mark.notebook
def test_notebook_summary_equals_the_cli_summary(report_run: dict[str, Any]) -> None:
    """Both entry points produce the same summary.json apart from generated_at."""
    assert report_run["cli_code"] == 0
    from_notebook = json.loads((report_run["out"] / "summary.json").read_text())
    from_cli = json.loads((report_run["cli_out"] / "summary.json").read_text())
    Draft202012Validator(SCHEMA).validate(from_notebook)
    from_notebook.pop("generated_at")
    from_cli.pop("generated_at")
    assert from_notebook == from_cli
    assert from_notebook["escalation_candidates"]["customers"][0]["customer_id"] == (
        HOSTILE_CUSTOMER
    )
    for name in ("executive_report.txt", "rejected_rows.csv"):
        notebook_text = (report_run["out"] / name).read_text()
        cli_text = (report_run["cli_out"] / name).read_text()
        if name == "executive_report.txt":
            notebook_text = re.sub(r"\d{4}-\d\d-\d\dT\S+", "", notebook_text)
            cli_text = re.sub(r"\d{4}-\d\d-\d\dT\S+", "", cli_text)
        assert notebook_text == cli_text, name


@pytest.mark.notebook
def test_notebook_html_is_offline_escaped_and_without_code(
    report_run: dict[str, Any],
) -> None:
    """The HTML report is self-contained, has no code, and escapes ticket text."""
    html = (report_run["out"] / "report.html").read_text(encoding="utf-8")
    assert_offline_report(html)
    assert "<title>Support ticket report — as of 2024-03-21</title>" in html
    for code in (
        "load_settings(",
        "show_run_status",
        "input_path",
        "nd.agents(",
        "charts.plot_",
    ):
        assert code not in html, code
    for text in HOSTILE:
        assert text not in html, text
    assert html.count("&lt;img src=x onerror=alert(1)&gt;") >= 2  # oldest + agents
    assert html.count("&gt;&lt;svg onload=alert(2)&gt;") >= 2  # oldest + customers
    charts = [
        attrs
        for tag, attrs in parse_tags(html)
        if tag == "img"
        and (attrs.get("src") or "").startswith("data:image/svg+xml;base64,")
    ]
    assert len(charts) == 9
    assert all(attrs.get("alt") for attrs in charts), "every chart has a text"
    assert "Key findings" in html and "Data quality" in html


@pytest.mark.notebook
def test_executed_notebook_keeps_parameters_not_secrets(
    report_run: dict[str, Any],
) -> None:
    """The executed notebook records the resolved parameters and no temp path."""
    nb = nbformat.read(report_run["out"] / "ticket_report.ipynb", as_version=4)
    params = nb.metadata["papermill"]["parameters"]
    assert set(params) == set(EXPECTED_PARAMETERS)
    assert params["escalation_threshold"] == 1
    assert params["weather_enabled"] is False
    assert nb.metadata["papermill"]["output_path"] == str(
        report_run["out"] / "ticket_report.ipynb"
    )
    assert "API_KEY" not in json.dumps(nb.metadata)
    assert not [p for p in report_run["out"].iterdir() if p.name.startswith(".")]
