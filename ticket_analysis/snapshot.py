"""A parsed input, written once and read by every report of a batch.

A batch parses and validates the export once, writes the
:class:`~ticket_analysis.ingest.loader.LoadResult` to a folder, and each slice's
notebook reads it back (``Settings.snapshot``) instead of the CSV: the three
frames as Parquet (their dtypes restored exactly: Parquet has no
``datetime64[s]``), the source, data quality, warning flags and damaged lines as
JSON. The folder holds::

    tickets.parquet  rejected.parquet  issues.parquet  load.json
"""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from ticket_analysis.exceptions import InputError
from ticket_analysis.ingest.loader import LoadResult
from ticket_analysis.summary import DataQuality, Source

if TYPE_CHECKING:
    import pandas as pd

FORMAT: Final = "ticket-analysis-snapshot"
VERSION: Final = 1
META_FILE: Final = "load.json"
#: The frames of a LoadResult, each stored as ``<name>.parquet``.
FRAMES: Final = ("tickets", "rejected", "issues")
#: The other fields, stored in ``load.json``.
META_FIELDS: Final = ("quality", "source", "has_warning", "damaged_lines")


def write_snapshot(load: LoadResult, folder: Path) -> Path:
    """Write ``load`` into ``folder`` (created if missing); return the folder.

    Raises:
        OSError: The folder or a file cannot be written.
    """
    unknown = {f.name for f in fields(LoadResult)} - {*FRAMES, *META_FIELDS}
    if unknown:  # a LoadResult field added without its place in the snapshot
        raise TypeError(f"snapshot does not store: {', '.join(sorted(unknown))}")
    folder.mkdir(parents=True, exist_ok=True)
    dtypes: dict[str, dict[str, str]] = {}
    for name in FRAMES:
        frame: pd.DataFrame = getattr(load, name)
        frame.to_parquet(folder / f"{name}.parquet", index=False)
        dtypes[name] = {
            str(column): str(dtype)
            for column, dtype in frame.dtypes.items()
            if str(dtype).startswith("datetime64")
        }
    meta = {
        "format": FORMAT,
        "version": VERSION,
        "rows": {name: len(getattr(load, name)) for name in FRAMES},
        "datetime_dtypes": dtypes,
        "quality": load.quality.model_dump(mode="json"),
        "source": load.source.model_dump(mode="json"),
        "warning_rows": np.flatnonzero(load.has_warning).tolist(),
        "damaged_lines": list(load.damaged_lines),
    }
    (folder / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    return folder


def read_snapshot(folder: Path) -> LoadResult:
    """Read a snapshot written by :func:`write_snapshot`.

    Raises:
        InputError: The folder is missing, incomplete or not a snapshot.
    """
    import pandas as pd

    try:
        meta: dict[str, Any] = json.loads((folder / META_FILE).read_text("utf-8"))
        if meta.get("format") != FORMAT or meta.get("version") != VERSION:
            raise ValueError(f"{META_FILE} is not a version {VERSION} snapshot")
        frames = {}
        for name in FRAMES:
            frame = pd.read_parquet(folder / f"{name}.parquet")
            for column, dtype in meta["datetime_dtypes"][name].items():
                frame[column] = frame[column].astype(dtype)
            if len(frame) != meta["rows"][name]:
                raise ValueError(f"{name}.parquet is incomplete")
            frames[name] = frame
        has_warning = np.zeros(len(frames["tickets"]), dtype=bool)
        has_warning[np.asarray(meta["warning_rows"], dtype=np.int64)] = True
        return LoadResult(
            tickets=frames["tickets"],
            rejected=frames["rejected"],
            issues=frames["issues"],
            quality=DataQuality.model_validate(meta["quality"]),
            source=Source.model_validate(meta["source"]),
            has_warning=has_warning,
            damaged_lines=tuple(meta["damaged_lines"]),
        )
    except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        # ValueError includes pydantic's ValidationError and pyarrow's errors
        raise InputError(f"cannot read the parsed snapshot {folder}: {exc}") from exc
