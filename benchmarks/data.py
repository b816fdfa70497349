"""The benchmark's input files: generated and converted once, cached by source.

Files are made in a subprocess, which keeps the harness's own peak RSS (the
floor under every child's ``ru_maxrss``) small. Each name carries a CRC of the
sources that made it, so editing the generator or the converter makes new files
(and deletes the older copies).
"""

from __future__ import annotations

import sys
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from benchmarks.harness import PYTHON, REPO_ROOT, measure, shown

DEFAULT_DATA_DIR: Final = REPO_ROOT / "benchmarks" / "data"
#: Sources of the generated files (``python -m benchmarks.generate``).
GENERATOR_SOURCES: Final = (
    REPO_ROOT / "benchmarks" / "generate.py",
    REPO_ROOT / "benchmarks" / "generator",
)
#: Sources of the converted exports (``python -m benchmarks.export_profile``).
EXPORT_SOURCES: Final = (REPO_ROOT / "benchmarks" / "export_profile.py",)
#: The digest in a cached file's name (glob), so that only this cache's files are
#: taken for stale copies (not another tool's ``<stem>_agents30_<digest>.csv``).
_DIGEST: Final = "[0-9a-f]" * 8


def source_digest(sources: Iterable[Path]) -> str:
    """Return a CRC-32 of files and of the ``.py`` files under folders, as 8 hex."""
    files: list[Path] = []
    for source in sources:
        files += sorted(source.rglob("*.py")) if source.is_dir() else [source]
    crc = 0
    for path in files:
        crc = zlib.crc32(path.relative_to(REPO_ROOT).as_posix().encode(), crc)
        crc = zlib.crc32(path.read_bytes(), crc)
    return f"{crc:08x}"


def _make(path: Path, argv: list[str], doing: str, stale: Iterable[Path]) -> None:
    """Delete the ``stale`` files, then run ``python -m MODULE …`` to write ``path``."""
    for old in list(stale):
        old.unlink()
    print(f"{doing} {shown(path)} …", file=sys.stderr)
    measure(argv, argv[2])


def ensure_data(data_dir: Path, rows: int, seed: int, defect_rate: float) -> Path:
    """Return a cached generated file, generating it in a subprocess if needed.

    Stale files of the same size, seed and defect rate made by an older
    generator are removed (and the exports converted from them).

    Raises:
        BenchError: The generator failed.
    """
    stem = f"tickets_{rows}_seed{seed}_defects{defect_rate:g}"
    path = data_dir / f"{stem}_{source_digest(GENERATOR_SOURCES)}.csv"
    if path.exists():
        return path
    argv = [PYTHON, "-m", "benchmarks.generate", "--rows", str(rows)]
    argv += ["--seed", str(seed), "--defect-rate", str(defect_rate)]
    argv += ["--output", str(path), "--quiet"]
    stale = [*data_dir.glob(f"{stem}_{_DIGEST}.csv")]
    stale += data_dir.glob(f"{stem}_{_DIGEST}_*_{_DIGEST}.csv")  # its exports
    _make(path, argv, "generating", stale)
    return path


def ensure_export(canonical: Path, profile: str) -> Path:
    """Return a cached copy of a generated file as ``profile``'s export.

    It sits next to the canonical file, whose name it extends (so a new
    generator's files drop it too); an older converter's copy is removed.

    Raises:
        BenchError: The converter failed.
    """
    stem = f"{canonical.stem}_{profile}"
    path = canonical.with_name(f"{stem}_{source_digest(EXPORT_SOURCES)}.csv")
    if path.exists():
        return path
    argv = [PYTHON, "-m", "benchmarks.export_profile", "--profile", profile]
    argv += ["--input", str(canonical), "--output", str(path)]
    stale = canonical.parent.glob(f"{stem}_{_DIGEST}.csv")
    _make(path, argv, f"converting to {profile}:", stale)
    return path
