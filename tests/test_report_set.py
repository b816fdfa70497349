"""ReportSet: one run's files replace the previous run's set as a whole."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import signal
from pathlib import Path

import pytest

from ticket_analysis.exceptions import OutputError
from ticket_analysis.report_set import MANIFEST_FILE, ReportSet

NAMES = ("summary.json", "executive_report.txt")


def commit_set(out: Path, files: dict[str, str]) -> list[Path]:
    """Stage ``files`` (name -> text) as one set in ``out`` and commit it."""
    with ReportSet(out, list(files)) as reports:
        for name, text in files.items():
            reports.path(name).write_text(text, encoding="utf-8")
        return reports.commit()


def listing(folder: Path) -> dict[str, bytes]:
    """Every entry of a folder: files with their bytes, folders as b'<dir>'."""
    return {
        p.name: p.read_bytes() if p.is_file() else b"<dir>"
        for p in sorted(folder.iterdir())
    }


def manifest(out: Path) -> dict[str, object]:
    """Read the manifest of a folder."""
    data: dict[str, object] = json.loads((out / MANIFEST_FILE).read_text("utf-8"))
    return data


def test_commit_writes_the_set_and_a_manifest_naming_it(tmp_path: Path) -> None:
    """The files land under their names; the manifest lists name, bytes, sha256.

    "abc" is 3 bytes with the well-known SHA-256 ba7816bf...; "hello" + LF is 6.
    """
    out = tmp_path / "new" / "reports"
    paths = commit_set(out, {"summary.json": "abc", "executive_report.txt": "hello\n"})
    assert paths == [out.resolve() / "summary.json", out / "executive_report.txt"]
    assert sorted(listing(out)) == [
        "executive_report.txt",
        MANIFEST_FILE,
        "summary.json",
    ]
    m = manifest(out)
    assert m["format"] == "ticket-analysis-report-set" and m["version"] == 1
    assert m["files"] == [
        {
            "name": "summary.json",
            "bytes": 3,
            "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        },
        {
            "name": "executive_report.txt",
            "bytes": 6,
            "sha256": hashlib.sha256(b"hello\n").hexdigest(),
        },
    ]
    assert isinstance(m["run_id"], str) and len(m["run_id"]) == 32


def test_a_file_of_the_previous_set_not_produced_now_is_removed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An old report.html goes when the new set lacks it, and the log says so."""
    out = tmp_path / "reports"
    commit_set(out, {"summary.json": "old", "report.html": "<p>old</p>"})
    caplog.set_level(logging.INFO, logger="ticket_analysis")
    commit_set(out, {"summary.json": "new"})
    assert listing(out) == {
        MANIFEST_FILE: listing(out)[MANIFEST_FILE],
        "summary.json": b"new",
    }
    assert [f["name"] for f in manifest(out)["files"]] == ["summary.json"]  # type: ignore[attr-defined]
    assert f"removed {out.resolve() / 'report.html'}" in caplog.text


def test_files_the_program_did_not_write_are_never_touched(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A user's own file stays; so does a set file the user edited since the run."""
    out = tmp_path / "reports"
    commit_set(
        out, {"summary.json": "old", "report.html": "old html", "notes.txt": "x"}
    )
    (out / "mine.txt").write_text("my notes")
    (out / "notes.txt").write_text("edited by the user")  # checksum no longer matches
    commit_set(out, {"summary.json": "new"})
    files = listing(out)
    assert files["mine.txt"] == b"my notes"
    assert files["notes.txt"] == b"edited by the user"
    assert "report.html" not in files
    assert "left" in caplog.text and "notes.txt" in caplog.text


def test_a_folder_without_a_manifest_only_has_its_targets_replaced(
    tmp_path: Path,
) -> None:
    """A folder from before manifests (v1): the targets are replaced, nothing removed."""
    out = tmp_path / "reports"
    out.mkdir()
    (out / "summary.json").write_text("v1 summary")
    (out / "report.html").write_text("v1 html")
    commit_set(out, {"summary.json": "new"})
    assert listing(out)["report.html"] == b"v1 html"
    assert listing(out)["summary.json"] == b"new"


def test_a_folder_squatting_on_a_target_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    """``mkdir D/summary.json``: OutputError at once, the folder exactly as it was."""
    out = tmp_path / "reports"
    commit_set(out, {"summary.json": "old", "executive_report.txt": "old text"})
    (out / "summary.json").unlink()
    (out / "summary.json").mkdir()
    before = listing(out)
    with pytest.raises(OutputError, match=r"summary\.json: a folder of that name"):
        ReportSet(out, list(NAMES))
    assert listing(out) == before


def test_a_foreign_manifest_is_refused(tmp_path: Path) -> None:
    """A manifest.json the program did not write is neither used nor overwritten."""
    out = tmp_path / "reports"
    out.mkdir()
    (out / MANIFEST_FILE).write_text('{"name": "my web app"}')
    with pytest.raises(OutputError, match="was not written by ticket-analysis"):
        ReportSet(out, list(NAMES))
    assert listing(out) == {MANIFEST_FILE: b'{"name": "my web app"}'}


def test_a_file_not_staged_fails_the_commit_and_changes_nothing(tmp_path: Path) -> None:
    """Committing with executive_report.txt missing: OutputError naming it."""
    out = tmp_path / "reports"
    commit_set(out, {"summary.json": "old", "executive_report.txt": "old text"})
    before = listing(out)
    with ReportSet(out, list(NAMES)) as reports:
        reports.path("summary.json").write_text("new")
        with pytest.raises(OutputError, match=r"not produced: executive_report\.txt"):
            reports.commit()
    assert listing(out) == before


def test_a_failure_mid_commit_restores_the_previous_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 2nd rename fails: the 1st is undone, the previous set is back whole."""
    out = tmp_path / "reports"
    commit_set(out, {"summary.json": "old", "report.html": "old html"})
    before = listing(out)
    real_replace = Path.replace
    calls = []

    def flaky(self: Path, target: Path) -> Path:
        calls.append(self.name)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_replace(self, target)

    with ReportSet(out, ["summary.json", "executive_report.txt"]) as reports:
        reports.path("summary.json").write_text("new")
        reports.path("executive_report.txt").write_text("new text")
        monkeypatch.setattr(Path, "replace", flaky)
        with pytest.raises(OutputError, match="No space left on device"):
            reports.commit()
        monkeypatch.undo()
    assert calls[:2] == ["summary.json", "executive_report.txt"]
    assert listing(out) == before


def test_ctrl_c_during_the_commit_is_held_until_the_set_is_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGINT arriving at the 1st rename: the commit finishes, then it is raised."""
    out = tmp_path / "reports"
    commit_set(out, {"summary.json": "old", "report.html": "old html"})
    real_replace = Path.replace
    sent: list[bool] = []

    def interrupting(self: Path, target: Path) -> Path:
        if not sent:
            sent.append(True)
            os.kill(os.getpid(), signal.SIGINT)
        return real_replace(self, target)

    handler = signal.getsignal(signal.SIGINT)
    with ReportSet(out, ["summary.json", "executive_report.txt"]) as reports:
        reports.path("summary.json").write_text("new")
        reports.path("executive_report.txt").write_text("new text")
        monkeypatch.setattr(Path, "replace", interrupting)
        with pytest.raises(KeyboardInterrupt):
            reports.commit()
        monkeypatch.undo()
    assert signal.getsignal(signal.SIGINT) is handler
    files = listing(out)
    assert sorted(files) == ["executive_report.txt", MANIFEST_FILE, "summary.json"]
    assert (files["summary.json"], files["executive_report.txt"]) == (
        b"new",
        b"new text",
    )


def test_an_error_before_the_commit_leaves_no_trace(tmp_path: Path) -> None:
    """A failing run removes its staging folder and the folders it created."""
    out = tmp_path / "a" / "reports"
    with pytest.raises(RuntimeError), ReportSet(out, list(NAMES)) as reports:
        reports.path("summary.json").write_text("half")
        raise RuntimeError("analysis failed")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux sysfs")
def test_a_read_only_place_is_a_clear_output_error() -> None:
    """/sys/kernel exists but takes no files: OutputError naming the folder."""
    with pytest.raises(
        OutputError, match="cannot write to the output folder /sys/kernel"
    ):
        ReportSet(Path("/sys/kernel"), list(NAMES))
