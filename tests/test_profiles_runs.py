"""Import profiles as a user runs them: the notebook report, batches, the reports.

A helpdesk export goes through ``ticket-analysis report`` (the notebook's
``source`` and ``mapping`` parameters reach the load in the kernel) and through
``--batch`` (the input is parsed once, with its profile, into the snapshot every
slice reads): each summary.json equals the direct run's with the same flags,
apart from ``generated_at``. executive_report.txt, report.html and the batch
index name the profile; the canonical form is not named. An unknown ``--source``
and a ``--mapping`` file that does not exist are one-line usage errors (exit 2)
that write nothing, in every command.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from expected_files import NOTEBOOK_SET

from ticket_analysis.batch.index import render_index
from ticket_analysis.config import Settings, WeatherSettings
from ticket_analysis.pipeline import analyse
from ticket_analysis.report.text import render_text_report
from ticket_analysis.summary import Summary

FIXTURES = Path(__file__).parent / "fixtures" / "profiles"
ZENDESK = FIXTURES / "zendesk_export.csv"
PRACTICE = FIXTURES / "practice_dataset.csv"
PRACTICE_MAPPING = FIXTURES / "practice.toml"
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "tickets_sample.csv"
#: Zendesk's and Jira's required headers at once: only --source settles it.
AMBIGUOUS = (
    "Id,Requester id,Priority,Status,Created at,Issue key,Reporter,Created\n"
    "1,5,high,open,2024-01-02 09:00,SUP-1,cust-a,02/Jan/24 9:00 AM\n"
    "2,6,urgent,pending,2024-01-03 10:30,SUP-2,cust-b,03/Jan/24 10:30 AM\n"
    "3,5,low,new,2024-01-04 11:00,SUP-3,cust-a,04/Jan/24 11:00 AM\n"
)
UNKNOWN_SOURCE = (
    "ERROR: unknown import profile 'foo' (--source or TICKETS_SOURCE): "
    "choose one of canonical, zendesk, freshdesk, jira"
)
#: The Zendesk fixture's priorities after the profile's value map (test_profiles).
PRIORITY_SLICES = [
    ("Critical", "critical"),
    ("High", "high"),
    ("Medium", "medium"),
    ("Low", "low"),
]


def load(path: Path) -> dict[str, Any]:
    """Read a JSON file."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def without_time(path: Path) -> dict[str, Any]:
    """summary.json without ``generated_at`` (the one field two runs differ in)."""
    data = load(path)
    data.pop("generated_at")
    return data


def errors(stderr: str) -> list[str]:
    """The ERROR lines of a run's log."""
    return [line for line in stderr.splitlines() if line.startswith("ERROR")]


@pytest.fixture(scope="module")
def runs(module_sandbox: Any) -> dict[str, Any]:
    """The notebook and batch runs of this module, each once, and their direct twins.

    ``report``: the Zendesk export, detected (no --source), HTML included.
    ``mapped``: the practice dataset with the README's --mapping file.
    ``chosen``: a header two profiles fit, with --source zendesk.
    ``batch``: --batch priority over the Zendesk export with --source zendesk.
    ``batch-mapped``: --batch month over the practice dataset with its mapping.
    """
    box = module_sandbox
    ambiguous = box.home / "ambiguous.csv"
    ambiguous.write_text(AMBIGUOUS, encoding="utf-8")
    out = box.home / "out"
    flags = {
        "report": ("--input", str(ZENDESK)),
        "mapped": ("--input", str(PRACTICE), "--mapping", str(PRACTICE_MAPPING)),
        "chosen": ("--input", str(ambiguous), "--source", "zendesk"),
    }
    results: dict[str, Any] = {"out": out, "box": box}
    for name, args in flags.items():
        html = () if name == "report" else ("--no-html",)
        results[name] = box.report(*args, "--output-dir", str(out / name), *html)
        direct = box.cli(*args, "--output-dir", str(out / f"{name}-direct"))
        assert direct.returncode == 0, direct.stderr
    results["batch-mapped"] = box.report(
        *flags["mapped"], "--output-dir", str(out / "bm"), "--batch", "month",
        "--no-html",
    )  # fmt: skip
    results["batch"] = box.report(
        "--input", str(ZENDESK), "--source", "zendesk", "--output-dir",
        str(out / "b"), "--batch", "priority", "--jobs", "2", "--no-html",
    )  # fmt: skip
    for priority, _ in PRIORITY_SLICES:
        direct = box.cli(
            "--input", str(ZENDESK), "--source", "zendesk", "--priority", priority,
            "--output-dir", str(out / f"priority-{priority}"),
        )  # fmt: skip
        assert direct.returncode == 0, direct.stderr
    return results


# --- the notebook report --------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.notebook
@pytest.mark.parametrize("name", ["report", "mapped", "chosen"])
def test_a_notebook_run_equals_the_direct_run(runs: dict[str, Any], name: str) -> None:
    """The notebook report equals the direct run: detected, mapped, chosen profile.

    ``mapped`` reads nothing without its mapping file and ``chosen`` is refused
    without --source (two profiles fit): their notebook parameters reached the
    load in the kernel.
    """
    result = runs[name]
    assert result.returncode == 0, result.stderr
    out = runs["out"]
    summary = without_time(out / name / "summary.json")
    assert summary == without_time(out / f"{name}-direct" / "summary.json")
    profile = {"report": "zendesk", "mapped": "practice.toml", "chosen": "zendesk"}
    assert summary["source"]["profile"] == profile[name]
    if name == "chosen":  # three rows, each value changed by the profile
        quality = summary["data_quality"]
        assert (quality["records_read"], quality["rows_valid"]) == (3, 3)
        assert quality["issues"]["normalized_value"] == 3
        assert quality["extra_columns"] == ["Issue key", "Reporter", "Created"]


@pytest.mark.slow
@pytest.mark.notebook
def test_the_notebook_reports_name_the_profile(runs: dict[str, Any]) -> None:
    """executive_report.txt and report.html (header and appendix) say zendesk."""
    folder = runs["out"] / "report"
    assert sorted(p.name for p in folder.iterdir()) == NOTEBOOK_SET
    text = (folder / "executive_report.txt").read_text(encoding="utf-8")
    quality = text.split("=== Data Quality ===\n")[1]
    assert quality.startswith("Import profile:     zendesk\nRecords read:       12\n")
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert (
        "<div><dt>Source</dt><dd>zendesk_export.csv</dd></div>\n"
        "<div><dt>Import profile</dt><dd>zendesk</dd></div>\n"
    ) in page
    assert (
        '<td class="ta-txt">Import profile</td><td class="ta-txt">zendesk</td>'
    ) in page


# --- batch runs -----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.notebook
def test_a_batch_over_an_export_equals_direct_runs(runs: dict[str, Any]) -> None:
    """--batch priority --source zendesk: slices of the mapped priorities.

    The slices are the canonical priorities the profile mapped (urgent ->
    Critical, normal -> Medium), and each slice's summary.json equals the direct
    run with --priority; the index names the profile.
    """
    result = runs["batch"]
    assert result.returncode == 0, result.stderr
    folder = runs["out"] / "b" / "batch-priority"
    index = load(folder / "index.json")
    assert sorted((e["name"], e["folder"]) for e in index["slices"]) == sorted(
        PRIORITY_SLICES
    )
    assert index["source"]["profile"] == "zendesk"
    for priority, slug in PRIORITY_SLICES:
        from_batch = without_time(folder / slug / "summary.json")
        direct = without_time(runs["out"] / f"priority-{priority}" / "summary.json")
        assert from_batch == direct, priority
        assert from_batch["source"]["profile"] == "zendesk"
        # the whole file's data quality: 10 values changed by the profile
        assert from_batch["data_quality"]["issues"]["normalized_value"] == 10
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert (
        "<strong>Source:</strong> zendesk_export.csv &middot; "
        "<strong>Import profile:</strong> zendesk &middot;"
    ) in page


@pytest.mark.slow
@pytest.mark.notebook
def test_a_batch_with_a_mapping_file_equals_the_direct_run(
    runs: dict[str, Any],
) -> None:
    """--batch month --mapping: the practice dataset's one month (June 2023).

    The month's slice is as of the newest date, so it equals the direct run.
    """
    result = runs["batch-mapped"]
    assert result.returncode == 0, result.stderr
    folder = runs["out"] / "bm" / "batch-month"
    index = load(folder / "index.json")
    assert [e["folder"] for e in index["slices"]] == ["2023-06"]
    from_batch = without_time(folder / "2023-06" / "summary.json")
    assert from_batch == without_time(runs["out"] / "mapped-direct" / "summary.json")
    assert from_batch["source"]["profile"] == "practice.toml"


# --- what the reports say, in-process -------------------------------------------------


def summary_of(path: Path, **settings: Any) -> Summary:
    """Analyse ``path`` in-process, weather off, on a fixed day."""
    run = Settings(input_path=path, weather=WeatherSettings(enabled=False), **settings)
    now = datetime(2024, 4, 30, 12, 0, tzinfo=UTC)
    return analyse(run, now=now)[0]


def test_the_text_report_names_a_profile_and_not_the_canonical_form() -> None:
    """The Data Quality section opens with the profile; the sample's has none."""
    text = render_text_report(summary_of(ZENDESK))
    assert "\n=== Data Quality ===\nImport profile:     zendesk\n" in text
    assert text.count("Import profile") == 1
    mapped = render_text_report(summary_of(PRACTICE, mapping=PRACTICE_MAPPING))
    assert "\n=== Data Quality ===\nImport profile:     practice.toml\n" in mapped
    sample = render_text_report(summary_of(SAMPLE))
    assert "Import profile" not in sample
    assert "\n=== Data Quality ===\nRecords read:" in sample


def test_the_html_header_names_a_profile_and_not_the_canonical_form() -> None:
    """report.html's header facts: an Import profile row for an export only."""
    from ticket_analysis.notebook import display as nd

    header = nd.header(summary_of(ZENDESK)).data
    assert "<div><dt>Import profile</dt><dd>zendesk</dd></div>" in header
    assert "Import profile" not in nd.header(summary_of(SAMPLE)).data


def test_the_batch_index_names_a_profile_and_not_the_canonical_form() -> None:
    """index.html's line under the title: the profile beside the source's name."""
    index: dict[str, Any] = {
        "dimension": "agent",
        "generated_at": "2024-04-30T12:00:00+00:00",
        "as_of": "2024-03-28",
        "period_days": 28,
        "filters": {"agent": None, "customer": None, "priority": None},
        "source": {"path": str(ZENDESK), "profile": "zendesk"},
        "failed": [],
        "slices": [],
    }
    meta = re.compile(r'<p class="ta-meta">.*?</p>')
    found = meta.search(render_index(index))
    assert found is not None
    assert found.group(0).startswith(
        '<p class="ta-meta"><strong>Source:</strong> zendesk_export.csv &middot; '
        "<strong>Import profile:</strong> zendesk &middot; <strong>Reports:"
    )
    index["source"]["profile"] = "canonical"
    found = meta.search(render_index(index))
    assert found is not None and "Import profile" not in found.group(0)


# --- usage errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (("--source", "foo"), UNKNOWN_SOURCE),
        (
            ("--mapping", "nope.toml"),
            "ERROR: mapping file not found: nope.toml (--mapping or TICKETS_MAPPING)",
        ),
    ],
)
def test_a_bad_source_or_mapping_is_one_line_and_exit_2(
    sandbox: Any, flags: tuple[str, ...], message: str
) -> None:
    """The direct run and a batch: exit 2, one error line, nothing written."""
    out = sandbox.home / "out"
    for command in ((), ("report", "--batch", "agent")):
        result = sandbox.cli(
            *command, "--input", str(ZENDESK), *flags, "--output-dir", str(out)
        )
        assert result.returncode == 2, (command, result.stderr)
        assert errors(result.stderr) == [message], command
        assert not out.exists()


@pytest.fixture(scope="module")
def report_with_bad_source(module_sandbox: Any) -> Any:
    """``ticket-analysis report --source foo`` (the notebook report, no batch)."""
    out = module_sandbox.home / "bad-source"
    result = module_sandbox.report(
        "--input", str(ZENDESK), "--source", "foo", "--output-dir", str(out)
    )
    return result, out


@pytest.mark.slow
def test_the_notebook_report_refuses_an_unknown_source(
    report_with_bad_source: Any,
) -> None:
    """The notebook report with --source foo: exit 2, one line, no file."""
    result, out = report_with_bad_source
    assert result.returncode == 2, result.stderr
    assert errors(result.stderr) == [UNKNOWN_SOURCE]
    assert not out.exists()


@pytest.mark.slow
def test_the_notebook_report_refuses_an_unknown_source_before_the_kernel(
    report_with_bad_source: Any,
) -> None:
    """No kernel is started for a --source that names no profile."""
    result, _ = report_with_bad_source
    assert "executing" not in result.stderr
