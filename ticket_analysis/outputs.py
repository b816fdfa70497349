"""Write report files atomically, and keep spreadsheet formulas out of them.

Every file is written to a temporary file in the same folder, flushed to disk and
then renamed over the target: an interrupted or failed run leaves the previous
file as it was, never a half-written one.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ticket_analysis.exceptions import OutputError

if TYPE_CHECKING:  # imported where used: run_report.py's process never needs it
    import pandas as pd

logger = logging.getLogger(__name__)

#: First characters that make Excel, LibreOffice or Sheets run a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def prepare_output_dir(path: Path) -> Path:
    """Create the output folder if needed and check that it is writable.

    Args:
        path: The output folder.

    Returns:
        The folder as an absolute path.

    Raises:
        OutputError: If it cannot be created or written to.
    """
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create the output folder {path}: {exc.strerror or exc}. "
            "Choose another one with --output-dir or REPORTS_DIR."
        ) from exc
    if not os.access(path, os.W_OK | os.X_OK):
        raise OutputError(
            f"the output folder {path} is not writable. "
            "Choose another one with --output-dir or REPORTS_DIR."
        )
    return path.resolve()


@contextlib.contextmanager
def atomic_open(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    r"""Open a temporary file that replaces ``path`` only when the block succeeds.

    Args:
        path: The final file.
        mode: ``"w"`` (UTF-8 text, ``\\n`` newlines) or ``"wb"``.

    Yields:
        The open temporary file.

    Raises:
        OutputError: If the file cannot be written; the previous file is kept.
    """
    fd, tmp_name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    tmp = Path(tmp_name)
    try:
        encoding = None if "b" in mode else "utf-8"
        newline = None if "b" in mode else ""
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        tmp.chmod(0o644)
        tmp.replace(path)
    except OutputError:  # raised by an inner atomic_open: already explained
        tmp.unlink(missing_ok=True)
        raise
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(
            f"cannot write {path}: {exc.strerror or exc}; the previous file, if any, "
            "is unchanged"
        ) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


#: Writes one file's content to an open handle.
Writer = Callable[[IO[Any]], None]


def write_together(writers: Mapping[Path, Writer]) -> list[Path]:
    """Write several files so that either all of them are replaced or none is.

    Every file is first written to its own temporary file; only when all of
    them are complete are they renamed over their targets. A failure or Ctrl-C
    while writing leaves the previous set of reports as it was.

    Args:
        writers: Target path -> function writing its content to a handle.

    Returns:
        The paths written, in the order given.

    Raises:
        OutputError: If a file cannot be written; no target is changed.
    """
    with contextlib.ExitStack() as stack:
        for path, write in writers.items():
            write(stack.enter_context(atomic_open(path)))
    for path in writers:
        logger.debug("wrote %s", path)
    return list(writers)


def text_writer(text: str) -> Writer:
    """Return a writer of UTF-8 text.

    Args:
        text: The content.
    """

    def write(handle: IO[Any]) -> None:
        handle.write(text)

    return write


def json_writer(data: dict[str, Any]) -> Writer:
    """Return a writer of a JSON document (UTF-8, 2-space indent, no NaN).

    Args:
        data: A JSON-ready object.

    Raises:
        ValueError: At once, if the object holds NaN or infinity.
    """
    return text_writer(
        json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    )


def csv_writer(frame: pd.DataFrame) -> Writer:
    """Return a writer of a table as CSV, every text cell formula-neutralised.

    The header is written even when the table has no rows. Lines end with CRLF
    (RFC 4180): the writer then also quotes cells holding a lone CR.

    Args:
        frame: The table.
    """
    import pandas as pd

    safe = frame.copy()
    for name in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[name]):
            safe[name] = neutralize_formulas(safe[name])

    def write(handle: IO[Any]) -> None:
        safe.to_csv(handle, index=False, lineterminator="\r\n")

    return write


def write_text(path: Path, text: str) -> Path:
    """Write a UTF-8 text file atomically.

    Args:
        path: The file.
        text: Its content.

    Returns:
        The path written.
    """
    return write_together({path: text_writer(text)})[0]


def write_json(path: Path, data: dict[str, Any]) -> Path:
    """Write a JSON document atomically (see :func:`json_writer`).

    Args:
        path: The file.
        data: A JSON-ready object.

    Returns:
        The path written.
    """
    return write_together({path: json_writer(data)})[0]


def neutralize_formulas(column: pd.Series) -> pd.Series:
    """Prefix cells a spreadsheet would run as formulas with an apostrophe.

    Args:
        column: String cells.

    Returns:
        The cells, with ``'`` put before any starting with ``= + - @``, tab or CR.
    """
    text = column.astype("str")
    risky = text.str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
    return text.where(~risky, "'" + text)


def write_csv(path: Path, frame: pd.DataFrame) -> Path:
    """Write a table as CSV atomically (see :func:`csv_writer`).

    Args:
        path: The file.
        frame: The table.

    Returns:
        The path written.
    """
    return write_together({path: csv_writer(frame)})[0]
