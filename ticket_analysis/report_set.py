"""The report files of one run, replaced as one set.

A run stages its files in a private folder inside the output folder
(``.ticket-analysis-XXXXXXXX/``); :meth:`ReportSet.commit` renames them over the
previous ones, removes the previous set's files this run does not produce, and
writes ``manifest.json`` last. A failure or Ctrl-C before or during the commit
leaves the previous set as it was; files the program did not write are never
touched. ``manifest.json`` names exactly the files of the current set::

    {"format": "ticket-analysis-report-set", "version": 1,
     "run_id": "<32 hex digits>", "committed_at": "2026-11-20T09:15:02+00:00",
     "files": [{"name": "summary.json", "bytes": 5120, "sha256": "<64 hex>"}, ...]}

A power loss (or SIGKILL) inside the millisecond of renames can leave a mix; the
manifest then still describes the previous set, and its checksums show which
files differ.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import signal
import stat
import tempfile
import threading
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ticket_analysis.exceptions import OutputError

logger = logging.getLogger(__name__)

MANIFEST_FILE = "manifest.json"
MANIFEST_FORMAT = "ticket-analysis-report-set"
#: Prefix of the private staging folders inside the output folder.
STAGING_PREFIX = ".ticket-analysis-"
_BACKUP_DIR = ".previous"
_MANIFEST_TMP = ".manifest.json.tmp"


class ReportSet:
    """Stage the files of one run, then replace the previous run's set as a whole."""

    def __init__(self, out_dir: Path, names: Sequence[str]) -> None:
        """Create or check ``out_dir`` (and parents) and a staging folder inside it.

        Raises:
            OutputError: The folder cannot be created or written, a target exists
                as something other than a regular file, or ``manifest.json`` is
                not one this program wrote. Nothing is written then.
        """
        self.names = tuple(names)
        self._created: list[Path] = []
        self._committed = False
        doing = "create"
        try:
            self._created = _missing_folders(out_dir)
            out_dir.mkdir(parents=True, exist_ok=True)
            self.out_dir, doing = out_dir.resolve(), "write to"
            for name in (*self.names, MANIFEST_FILE):
                _check_target(self.out_dir / name)
            _read_manifest(self.out_dir)
            self.staging = Path(
                tempfile.mkdtemp(dir=self.out_dir, prefix=STAGING_PREFIX)
            )
        except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
            self._remove_created()
            if isinstance(exc, OutputError):
                raise
            raise OutputError(
                f"cannot {doing} the output folder {out_dir}: {_reason(exc)}. "
                "Choose another one with --output-dir or REPORTS_DIR."
            ) from exc

    def path(self, name: str) -> Path:
        """Return where to write file ``name`` of the set (in the staging folder)."""
        assert name in self.names, name
        return self.staging / name

    def commit(self) -> list[Path]:
        """Replace the previous set by the staged one; return the final paths.

        Raises:
            OutputError: A file was not staged or the folder cannot be changed;
                the folder then holds the previous set, as it was.
        """
        missing = [n for n in self.names if not (self.staging / n).is_file()]
        if missing:
            raise OutputError(
                f"report file(s) not produced: {', '.join(missing)}; "
                f"the previous reports in {self.out_dir} are unchanged"
            )
        try:
            entries = [_describe(self.staging / n) for n in self.names]
            manifest = {
                "format": MANIFEST_FORMAT,
                "version": 1,
                "run_id": uuid.uuid4().hex,
                "committed_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "files": entries,
            }
            _write_synced(
                self.staging / _MANIFEST_TMP,
                json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
            )
            with _sigint_deferred(), _locked(self.out_dir):
                removed = self._swap()
        except OutputError:
            raise
        except OSError as exc:
            raise OutputError(
                f"cannot write the reports in {self.out_dir}: "
                f"{_reason(exc)}; the previous reports are unchanged"
            ) from exc
        for path in removed:
            logger.info(
                "removed %s: from the previous run, not produced by this one", path
            )
        return [self.out_dir / n for n in self.names]

    def _swap(self) -> list[Path]:
        """Rename the staged files and the manifest in; undo everything on failure."""
        out, backup = self.out_dir, self.staging / _BACKUP_DIR
        backup.mkdir()
        for name in (*self.names, MANIFEST_FILE):
            _check_target(out / name)
        stale = self._stale(_read_manifest(out))
        saved: list[str] = []  # targets whose previous file is kept in backup/
        for name in (*self.names, MANIFEST_FILE):
            if (out / name).exists():
                _keep(out / name, backup / name)
                saved.append(name)
        placed: list[str] = []  # targets now holding the new file
        moved: list[str] = []  # stale files moved into backup/
        try:
            for name in self.names:
                (self.staging / name).replace(out / name)
                placed.append(name)
            for name in stale:
                (out / name).replace(backup / name)
                moved.append(name)
            (self.staging / _MANIFEST_TMP).replace(out / MANIFEST_FILE)
        except BaseException:
            _undo(out, backup, placed, moved, saved)
            raise
        self._committed = True
        _sync_folder(out)
        shutil.rmtree(self.staging, ignore_errors=True)
        return [out / name for name in moved]

    def _stale(self, previous: list[dict[str, Any]]) -> list[str]:
        """Files of the previous set this one lacks, unchanged since written.

        The manifest may have been edited: only plain names of regular files count.
        """
        stale = []
        for entry in previous:
            name = entry.get("name")
            if not isinstance(name, str) or not _plain_name(name):
                continue
            if name in self.names or name == MANIFEST_FILE:
                continue
            path = self.out_dir / name
            if not path.is_file() or path.is_symlink():
                continue
            if _describe(path) != entry:
                logger.warning(
                    "left %s in place: it changed after the run that wrote it", path
                )
                continue
            stale.append(name)
        return stale

    def discard(self) -> None:
        """Remove the staging folder (and the folders created, if still empty)."""
        if hasattr(self, "staging"):
            shutil.rmtree(self.staging, ignore_errors=True)
        if not self._committed:
            self._remove_created()

    def _remove_created(self) -> None:
        """Remove the output folders this run created, if empty (nothing written)."""
        for folder in reversed(self._created):  # nothing was written: leave no trace
            with contextlib.suppress(OSError):
                folder.rmdir()
        self._created = []

    def __enter__(self) -> ReportSet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()


def _reason(exc: Exception) -> str:
    """Return the OS's reason for an error, else its message."""
    return str(getattr(exc, "strerror", None) or exc)


def _plain_name(name: str) -> bool:
    """Whether ``name`` is a file name without a folder part."""
    return name not in {"", ".", ".."} and not {"/", "\0", os.sep} & set(name)


def _check_target(path: Path) -> None:
    """Refuse a target that exists as anything but a regular file."""
    try:
        mode = path.lstat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return
    if not stat.S_ISREG(mode):
        kind = "folder" if stat.S_ISDIR(mode) else "special file or link"
        raise OutputError(
            f"cannot write {path}: a {kind} of that name is in the way; "
            "move it or choose another --output-dir. Nothing was written"
        )


def _read_manifest(out: Path) -> list[dict[str, Any]]:
    """Return the previous set's file entries ([] when there is no manifest)."""
    path = out / MANIFEST_FILE
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return []
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        raise OutputError(
            f"{path} was not written by ticket-analysis; move it or choose "
            "another --output-dir. Nothing was written"
        )
    files = data.get("files")
    return [e for e in files if isinstance(e, dict)] if isinstance(files, list) else []


def _describe(path: Path) -> dict[str, Any]:
    """Return a manifest entry: name, size and SHA-256 of a file."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
        os.fsync(handle.fileno())  # the staged bytes are on disk before the rename
    return {"name": path.name, "bytes": size, "sha256": digest.hexdigest()}


def _write_synced(path: Path, text: str) -> None:
    """Write a text file and flush it to disk."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _keep(target: Path, backup: Path) -> None:
    """Keep the previous file under ``backup`` while ``target`` stays in place."""
    try:
        os.link(target, backup)
    except OSError:  # no hard links on this filesystem: a copy does as well
        shutil.copy2(target, backup)


def _undo(
    out: Path, backup: Path, placed: list[str], moved: list[str], saved: list[str]
) -> None:
    """Put the previous set back after a failed commit."""
    for name in [*placed, *moved]:
        try:
            if name in saved or name in moved:
                (backup / name).replace(out / name)
            else:
                (out / name).unlink()
        except OSError as exc:
            logger.error("could not restore %s: %s", out / name, exc)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (the renames) to disk, where supported."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on the folder, so two commits never interleave."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: no lock
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def _sigint_deferred() -> Iterator[None]:
    """Hold back Ctrl-C until the block is done, then deliver it.

    Only the main thread can set handlers (and receives SIGINT anyway).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(
        signal.SIGINT, lambda signum, frame: received.append(signum)
    )
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            if callable(previous):
                previous(signal.SIGINT, None)
            elif previous == signal.SIG_DFL:
                raise KeyboardInterrupt


def _missing_folders(path: Path) -> list[Path]:
    """Return the folders of ``path`` that do not exist yet, outermost first."""
    missing = []
    for folder in [path, *path.parents]:
        if folder.exists() or folder.is_symlink():
            break
        missing.append(folder)
    return missing[::-1]
