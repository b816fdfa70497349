"""A batch whose slices fail, whose names are hostile, or that is interrupted.

These runs use test-only notebooks made from the real one: its parameters and
pipeline cells (every report file but the charts), plus a cell that fails, kills
the kernel or sleeps for some slices, passed through ``run_report.main(...,
notebook=...)``.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import nbformat
import psutil
import pytest
from test_interrupts import leftover

from ticket_analysis.report_set import STAGING_PREFIX

pytestmark = [pytest.mark.slow, pytest.mark.notebook]

ROOT = Path(__file__).resolve().parents[1]
REAL_NOTEBOOK = ROOT / "notebooks" / "ticket_report.ipynb"
FIELDS = [
    "ticket_id", "customer_id", "subject", "description", "priority", "status",
    "created_date", "resolved_date", "assigned_to",
]  # fmt: skip
INTERRUPTED = (
    "ERROR: interrupted; report files already written are complete, others unchanged"
)
_RUN = (
    "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); "
    "import run_report; "
    "raise SystemExit(run_report.main(sys.argv[3:], notebook=Path(sys.argv[2])))"
)


def export(rows: list[tuple[str, str, str]]) -> str:
    """A CSV export of (ticket_id, customer_id, agent) rows, one open High each."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(FIELDS)
    for number, (ticket, customer, agent) in enumerate(rows):
        day = f"2026-11-{number + 1:02d}"
        writer.writerow([ticket, customer, "s", "d", "High", "Open", day, "", agent])
    return text.getvalue()


def light_notebook(folder: Path, extra: str = "") -> Path:
    """The real notebook's parameters and pipeline cells, then ``extra``."""
    nb = nbformat.read(REAL_NOTEBOOK, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    pipeline = [c for c in nb.cells if "nd.show_run_status(" in c.source]
    assert len(params) == 1 and len(pipeline) == 1
    nb.cells = [params[0], pipeline[0]]
    if extra:
        nb.cells.append(nbformat.v4.new_code_cell(extra))
    path = folder / "batch_test.ipynb"
    nbformat.write(nb, path)
    return path


def run_batch(box: Any, notebook: Path, *args: str, **popen: Any) -> Any:
    """Start run_report.py --batch with a test notebook (a Popen)."""
    return subprocess.Popen(
        [sys.executable, "-c", _RUN, str(ROOT), str(notebook), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=box.home,
        env=box.env(TMPDIR=str(box.home / "tmp")),
        **popen,
    )


def kernels(parent: psutil.Process) -> int:
    """Count the kernel processes below ``parent``."""
    count = 0
    for child in parent.children(recursive=True):
        with contextlib.suppress(psutil.Error):  # it may just have ended
            count += "ipykernel" in " ".join(child.cmdline())
    return count


def whole(folder: Path) -> bool:
    """Whether the folder holds exactly the files its manifest names, unchanged."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {e["name"]: e["sha256"] for e in manifest["files"]}
    present = {p.name for p in folder.iterdir()} - {"manifest.json"}
    return present == set(listed) and all(
        hashlib.sha256((folder / n).read_bytes()).hexdigest() == h
        for n, h in listed.items()
    )


def test_failing_slices_are_recorded_and_the_others_finish(sandbox: Any) -> None:
    """Bob's cell raises, Cy's kernel dies; Ann, Dee and Eve are written; exit 1."""
    (sandbox.home / "tmp").mkdir()
    csv_path = sandbox.home / "tickets.csv"
    rows = [("T1", "K1", "Ann"), ("T2", "K1", "Bob"), ("T3", "K2", "Cy"),
            ("T4", "K2", "Dee"), ("T5", "K3", "Eve")]  # fmt: skip
    csv_path.write_text(export(rows), encoding="utf-8")
    notebook = light_notebook(
        sandbox.home,
        'import os\nif agent == "Bob":\n    raise ValueError("no report for Bob")\n'
        'if agent == "Cy":\n    os._exit(1)\n',
    )
    out = sandbox.home / "out"
    process = run_batch(
        sandbox, notebook, "--input", str(csv_path), "--output-dir", str(out),
        "--batch", "agent", "--jobs", "2",
    )  # fmt: skip
    _, stderr = process.communicate(timeout=240)
    assert process.returncode == 1, stderr
    assert "ERROR: 2 of 5 report(s) failed: Bob, Cy" in stderr
    folder = out / "batch-agent"
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    by_name = {e["name"]: e for e in index["slices"]}
    assert [e["name"] for e in index["slices"][:2]] == ["Bob", "Cy"]  # failed first
    assert index["failed"] == ["Bob", "Cy"]
    assert by_name["Bob"]["status"] == "failed"
    assert "ValueError: no report for Bob" in by_name["Bob"]["reason"]
    assert "kernel died" in by_name["Cy"]["reason"]
    for name in ("Bob", "Cy"):
        assert by_name[name]["figures"] is None
        assert (
            by_name[name]["diagnostic"] == f"{name.lower()}/ticket_report.failed.ipynb"
        )
        assert sorted(p.name for p in (folder / name.lower()).iterdir()) == [
            "ticket_report.failed.ipynb"
        ]
    for name in ("Ann", "Dee", "Eve"):
        assert by_name[name]["status"] == "ok"
        assert by_name[name]["figures"]["tickets"] == 1
        assert whole(folder / name.lower())
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "failed: notebook cell" in page and "no report for Bob" in page
    assert list((sandbox.home / "tmp").iterdir()) == []  # the snapshot is gone


HOSTILE_AGENTS = [
    "../../escape",
    "a/b",
    "<script>alert(1)</script>",
    "!!!",
    "Zoë",
    "Zoe",
    "..",
    'Agent "One"',
    "agent-one",
]
HOSTILE_CUSTOMERS = ["../c", "<b>c</b>", "C 1", "c-1"]


def test_hostile_agent_and_customer_names(sandbox: Any) -> None:
    (sandbox.home / "tmp").mkdir()
    csv_path = sandbox.home / "tickets.csv"
    rows = [
        (f"T{n}", HOSTILE_CUSTOMERS[n % 4], agent)
        for n, agent in enumerate(HOSTILE_AGENTS)
    ]
    csv_path.write_text(export(rows), encoding="utf-8")
    notebook = light_notebook(sandbox.home)
    out = sandbox.home / "reports" / "out"
    for dimension, names in (
        ("agent", HOSTILE_AGENTS),
        ("customer", HOSTILE_CUSTOMERS),
    ):
        every = ("--batch-all",) if dimension == "customer" else ()
        process = run_batch(
            sandbox, notebook, "--input", str(csv_path), "--output-dir", str(out),
            "--batch", dimension, *every, "--jobs", "2", "--no-html",
        )  # fmt: skip
        _, stderr = process.communicate(timeout=240)
        assert process.returncode == 0, stderr
        folder = out / f"batch-{dimension}"
        index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
        entries = {e["name"]: e for e in index["slices"]}
        assert sorted(entries) == sorted(names)
        folders = [e["folder"] for e in entries.values()]
        assert len(set(folders)) == len(names)
        for name, entry in entries.items():
            slice_dir = folder / entry["folder"]
            assert slice_dir.parent == folder and slice_dir.is_dir()
            summary = json.loads((slice_dir / "summary.json").read_text("utf-8"))
            assert summary["scope"]["filters"][dimension] == name
            assert summary["scope"]["tickets_in_scope"] >= 1
        page = (folder / "index.html").read_text(encoding="utf-8")
        assert "<script>alert" not in page and "<b>c</b>" not in page
        escaped = "&lt;script&gt;" if dimension == "agent" else "&lt;b&gt;c&lt;/b&gt;"
        assert escaped in page
    # Nothing outside the output folder: the sandbox holds only its own files.
    own = {"tickets.csv", "batch_test.ipynb", "tmp", "reports", "cache", "xdg-cache",
           "matplotlib", "ipython", "jupyter-config", "jupyter-data",
           "jupyter-runtime"}  # fmt: skip
    assert {p.name for p in sandbox.home.iterdir()} <= own
    assert [p.name for p in sandbox.home.parent.iterdir()] == ["home"]
    assert sorted(p.name for p in (sandbox.home / "reports").iterdir()) == ["out"]
    assert sorted(p.name for p in out.iterdir()) == ["batch-agent", "batch-customer"]


@pytest.mark.parametrize("target", ["process group", "parent only"])
def test_ctrl_c_stops_every_kernel_and_keeps_finished_slices_whole(
    sandbox: Any, target: str
) -> None:
    """Ann's report is written; Bob's and Cy's kernels sleep when Ctrl-C comes."""
    (sandbox.home / "tmp").mkdir()
    csv_path = sandbox.home / "tickets.csv"
    rows = [("T1", "K1", "Ann"), ("T2", "K1", "Bob"), ("T3", "K2", "Cy"),
            ("T4", "K2", "Dee")]  # fmt: skip
    csv_path.write_text(export(rows), encoding="utf-8")
    notebook = light_notebook(
        sandbox.home, 'import time\nif agent != "Ann":\n    time.sleep(120)\n'
    )
    out = sandbox.home / "out"
    folder = out / "batch-agent"
    started = time.monotonic()
    process = run_batch(
        sandbox, notebook, "--input", str(csv_path), "--output-dir", str(out),
        "--batch", "agent", "--jobs", "2", start_new_session=True,
    )  # fmt: skip
    parent = psutil.Process(process.pid)
    seen: set[tuple[int, float]] = set()
    signalled = None
    try:
        while process.poll() is None:
            with contextlib.suppress(psutil.Error):
                seen |= {(c.pid, c.create_time()) for c in parent.children(True)}
            ann_done = (folder / "ann" / "manifest.json").is_file()
            if signalled is None and ann_done and kernels(parent) == 2:
                time.sleep(1.0)  # both sleeping cells are running
                if target == "process group":
                    os.killpg(process.pid, signal.SIGINT)
                else:
                    os.kill(process.pid, signal.SIGINT)
                signalled = time.monotonic()
            assert time.monotonic() - started < 180, "the batch hangs"
            time.sleep(0.05)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    stderr = process.stderr.read() if process.stderr else ""
    assert signalled is not None, stderr
    assert process.wait() == 130, stderr
    assert time.monotonic() - signalled < 30, "stopping took too long"
    assert "Traceback" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("ERROR")]
    assert errors == [INTERRUPTED], stderr
    assert len(seen) >= 4  # two workers and their kernels were seen
    assert leftover(seen) == [], "a worker or kernel survived"
    assert whole(folder / "ann")
    for name in ("bob", "cy", "dee"):  # interrupted or never started: nothing
        assert not (folder / name).exists() or list((folder / name).iterdir()) == []
    leftovers = [p for p in folder.rglob("*") if p.name.startswith(STAGING_PREFIX)]
    assert leftovers == []
    assert not (folder / "index.json").exists()  # the index is only made whole
    assert list((sandbox.home / "tmp").iterdir()) == []  # the snapshot is gone
