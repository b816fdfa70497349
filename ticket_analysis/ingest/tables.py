"""The issue log and the output tables of validation: tickets, rejected rows, issues."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ticket_analysis import domain as d
from ticket_analysis.ingest.columns import BoolArray, Message, Strings
from ticket_analysis.ingest.reading import MalformedRecord, RawRecords

#: Columns of the rejected-rows table of a canonical file, in file order.
REJECTED_COLUMNS = ("line_number", "reasons", *d.COLUMNS, "raw_record")
#: Columns of the issue-details table.
ISSUE_COLUMNS = ("line_number", "code", "severity", "message")
#: Long free-text columns: carried, not validated on every row.
TEXT_COLUMNS = ("subject", "description", "assigned_to")


class IssueLog:
    """Collects (line, code, message) columns per rule, then builds the tables."""

    def __init__(self, lines: npt.NDArray[np.int64]) -> None:
        self.lines = lines
        self.parts: list[tuple[npt.NDArray[np.int64], str, Strings]] = []

    def add(self, code: str, mask: BoolArray, message: Message) -> None:
        """Record ``code`` on the rows of ``mask``; messages only for those rows."""
        rows = np.flatnonzero(mask)
        if not len(rows):
            return
        if isinstance(message, str):
            texts: Strings = pa.DictionaryArray.from_arrays(
                pa.array(np.zeros(len(rows), np.int32)), pa.array([message])
            )
        else:
            texts = message(pa.array(rows))
        self.parts.append((rows, code, texts))

    def table(self, malformed: list[MalformedRecord]) -> pd.DataFrame:
        """Return every issue, malformed records included, by line then code.

        One sort of the line and code columns; the text columns are categorical
        (:func:`categories`): under an import profile nearly every row has an
        issue, and a handful of messages repeat a million times.
        """
        rank = {code: i for i, code in enumerate(d.ISSUE_CODES)}
        lines = [self.lines[rows] for rows, _, _ in self.parts]
        lines.append(np.array([m.line_number for m in malformed], np.int64))
        ranks = [
            np.full(len(rows), rank[code], np.int8) for rows, code, _ in self.parts
        ]
        ranks.append(np.full(len(malformed), rank[d.MALFORMED_RECORD], np.int8))
        texts = [texts for _, _, texts in self.parts]
        texts.append(pa.array([m.reason for m in malformed], pa.large_string()))
        distinct, text_of = _as_one_dictionary(texts)
        line, code = np.concatenate(lines), np.concatenate(ranks)
        order = np.lexsort((code, line))  # stable: a row's issues keep their order
        severity = [
            "reject" if c in d.REJECT_CODES else "warning" for c in d.ISSUE_CODES
        ]
        return pd.DataFrame(
            {
                "line_number": line[order],
                "code": categories(code[order], d.ISSUE_CODES),
                "severity": categories(code[order], severity),
                "message": categories(text_of[order], distinct),
            }
        )


def _as_one_dictionary(
    parts: list[Strings],
) -> tuple[Strings, npt.NDArray[np.int64]]:
    """Return the texts of ``parts`` in one array and, per row, the index of its text.

    A part is plain strings or a ``DictionaryArray`` (a message repeated on many
    rows, held once): the rows are then put in order on the indices alone.
    """
    dictionaries, indices, size = [], [], 0
    for part in parts:
        if pa.types.is_dictionary(part.type):
            dictionaries.append(part.dictionary.cast(pa.large_string()))
            indices.append(part.indices.to_numpy().astype(np.int64) + size)
            size += len(part.dictionary)
        else:
            dictionaries.append(part.cast(pa.large_string()))
            indices.append(np.arange(size, size + len(part), dtype=np.int64))
            size += len(part)
    distinct = pa.chunked_array(dictionaries, pa.large_string()).combine_chunks()
    return distinct, np.concatenate(indices)


def categories(
    which: npt.NDArray[np.integer], texts: Strings | list[str] | tuple[str, ...]
) -> pd.Categorical:
    """Return the column whose row i is ``texts[which[i]]``, each text stored once.

    ``texts`` may repeat a text. Under an import profile nearly every row has the
    same few warnings: a million copies of a message would cost more than the
    rest of the issue table.
    """
    if not isinstance(texts, pa.Array):
        texts = pa.array(texts, pa.large_string())
    encoded = pc.dictionary_encode(texts)
    remap = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    distinct = pd.Index(encoded.dictionary.to_pandas(), dtype="str")
    return pd.Categorical.from_codes(remap[which], categories=distinct)


def tickets_frame(
    trimmed: dict[str, Strings],
    valid: BoolArray,
    lines: npt.NDArray[np.int64],
    priority: npt.NDArray[np.int8],
    status: npt.NDArray[np.int8],
    created: npt.NDArray[np.datetime64],
    resolved: npt.NDArray[np.datetime64],
    usable_resolved: BoolArray,
) -> pd.DataFrame:
    """Build the typed DataFrame of valid tickets (see ``docs/dataframe.md``).

    The :data:`TEXT_COLUMNS` arrive already filtered to the valid rows.
    """
    keep = pa.array(valid)

    def text(name: str) -> pd.Series:
        kept = trimmed[name] if name in TEXT_COLUMNS else trimmed[name].filter(keep)
        return pd.Series(kept.to_pandas(), dtype="str")

    assigned = text("assigned_to")
    resolved_kept = resolved.copy()
    resolved_kept[~usable_resolved] = np.datetime64("NaT")
    return pd.DataFrame(
        {
            "line_number": lines[valid],
            "ticket_id": text("ticket_id"),
            "customer_id": text("customer_id"),
            "subject": text("subject"),
            "description": text("description"),
            "priority": pd.Categorical.from_codes(
                priority[valid],
                dtype=pd.CategoricalDtype(list(d.PRIORITIES), ordered=True),
            ),
            "status": pd.Categorical.from_codes(
                status[valid], dtype=pd.CategoricalDtype(list(d.STATUSES))
            ),
            "created_date": created[valid],
            "resolved_date": resolved_kept[valid],
            "assigned_to": assigned.where(assigned != ""),
        }
    )


def _joined_reasons(rejects: pd.DataFrame) -> pd.Series:
    """Join each line's ``code: message`` texts with "; ".

    A line's n-th reason is appended in round n: one vectorised step per reason
    a row has, not one per row.
    """
    texts = (
        rejects["code"].astype("str") + ": " + rejects["message"].astype("str")
    ).to_numpy(dtype=object)
    lines = rejects["line_number"].to_numpy()
    nth = rejects.groupby("line_number", sort=False).cumcount().to_numpy()
    reasons = pd.Series(texts[nth == 0], index=lines[nth == 0], dtype="str")
    for n in range(1, int(nth.max(initial=0)) + 1):
        more = nth == n
        at = lines[more]
        reasons.loc[at] = reasons.loc[at].to_numpy(dtype=object) + "; " + texts[more]
    return reasons.rename("reasons")


def rejected_fields(
    raw: RawRecords, canonical: dict[str, Strings], rejected: BoolArray
) -> dict[str, Strings]:
    """Return the original fields of the rejected rows, in file order.

    The fields are the canonical columns (``canonical``: name -> untrimmed
    values), or under an import profile the export's own columns that the
    profile reads (:data:`REJECTED_COLUMNS` then names them instead).
    """
    source = raw.export_columns or canonical
    if any(name in REJECTED_COLUMNS[:2] or name == "raw_record" for name in source):
        source = canonical  # an export header would shadow our own column
    mask = pa.array(rejected)
    names = source if source is not canonical else d.COLUMNS
    return {name: pc.filter(source[name], mask) for name in names}


def rejected_frame(
    fields: dict[str, Strings],
    lines: npt.NDArray[np.int64],
    malformed: list[MalformedRecord],
    issues: pd.DataFrame,
) -> pd.DataFrame:
    """One row per rejected record: line, every reason, the original fields.

    ``fields`` and ``lines`` are the rejected rows' (:func:`rejected_fields`);
    the malformed records follow with empty fields and their raw text.
    """
    names = list(fields)
    frame = pd.DataFrame(
        {
            "line_number": lines,
            **{name: values.to_pandas() for name, values in fields.items()},
            "raw_record": "",
        }
    )
    broken = pd.DataFrame(
        {
            "line_number": [m.line_number for m in malformed],
            **dict.fromkeys(names, ""),
            "raw_record": [m.text for m in malformed],
        }
    )
    reasons = _joined_reasons(issues[issues["severity"] == "reject"])
    frame = pd.concat([frame, broken], ignore_index=True)
    frame = frame.astype(dict.fromkeys((*names, "raw_record"), "str"))
    frame["line_number"] = frame["line_number"].astype("int64")
    frame = frame.join(reasons, on="line_number")
    return frame.sort_values("line_number", kind="stable").reset_index(drop=True)[
        ["line_number", "reasons", *names, "raw_record"]
    ]
