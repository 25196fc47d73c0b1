"""Reading an export once before a long run: what a profile leaves unmapped, which matrix.

:func:`check_profile` lists every column of an export that the profile maps to no
field, every mapped column the export lacks, and every level or state label the
profile cannot read, each with its count (``faultkit profile check``).
:func:`observe_levels` counts the (impact, urgency, source priority) triples of an
export, for :func:`faultkit.scoring.infer_matrix` (``faultkit score --matrix infer``).
Both read every row and keep only counts, so memory does not grow with the file
(distinct labels kept per field are capped at :data:`DISTINCT_LIMIT`).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TextIO

import attrs

from faultkit.adapters.exports.presets import ExportField, Preset
from faultkit.adapters.exports.score import Scorer
from faultkit.adapters.exports.tabular import (
    FIELD_LIMIT,
    ExportFormat,
    Header,
    iter_jsonl,
    json_cell,
    read_csv,
)
from faultkit.errors import InvalidInputError
from faultkit.lifecycle.workflow import Workflow

__all__ = ["DISTINCT_LIMIT", "ProfileCheck", "check_profile", "observe_levels"]

DISTINCT_LIMIT = 1000
"""Distinct unmapped labels kept per field; more are counted under ``(others)``."""

_LEVELS = (ExportField.PRIORITY, ExportField.IMPACT, ExportField.URGENCY)
_OTHERS = "(others)"


@attrs.frozen(kw_only=True)
class ProfileCheck:
    """What a profile leaves unmapped in one export.

    Attributes:
        rows: data rows read.
        unreadable: rows that could not be read (ragged, not JSON); not checked.
        columns: the export's columns (a CSV header, or the JSONL keys seen, in order).
        missing_columns: ``(field, column)`` the profile maps that the export lacks.
        unmapped_columns: export column -> cells holding a value (not one of the
            missing cells), for columns no field maps.
        unmapped_values: field (``priority``, ``impact``, ``urgency``, ``state``) ->
            label -> rows, for labels the profile cannot read (levels) or the workflow
            does not know (states).
    """

    rows: int
    unreadable: int
    columns: tuple[str, ...]
    missing_columns: tuple[tuple[str, str], ...]
    unmapped_columns: Mapping[str, int]
    unmapped_values: Mapping[str, Mapping[str, int]]

    @property
    def ok(self) -> bool:
        """Every row could be read and every value of a mapped field is readable.

        Unmapped columns are not a fault; a row that could not be read at all (ragged,
        not JSON) is, as its values were not checked.
        """
        return not self.unmapped_values and not self.unreadable

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "rows": self.rows,
            "unreadable_rows": self.unreadable,
            "columns": list(self.columns),
            "missing_columns": [{"field": f, "column": c} for f, c in self.missing_columns],
            "unmapped_columns": dict(self.unmapped_columns),
            "unmapped_values": {k: dict(v) for k, v in self.unmapped_values.items()},
            "ok": self.ok,
        }


def _rows(
    source: TextIO, export_format: ExportFormat, delimiter: str | None, counts: list[int]
) -> Iterator[tuple[list[str], Mapping[str, Any] | Sequence[str]]]:
    """``(columns so far, row)`` per readable row; ``counts`` is [rows, unreadable]."""
    if export_format is ExportFormat.CSV:
        previous = csv.field_size_limit(FIELD_LIMIT)
        try:
            reader, _ = read_csv(source, delimiter)
            try:
                header = next(reader)
            except StopIteration:
                return
            while True:
                try:
                    for row in reader:
                        counts[0] += 1
                        if len(row) != len(header):
                            counts[1] += 1
                            continue
                        yield header, row
                    return
                except csv.Error:
                    counts[0] += 1
                    counts[1] += 1
        finally:
            csv.field_size_limit(previous)
    keys: dict[str, None] = {}
    for _line, text in iter_jsonl(source):
        counts[0] += 1
        try:
            obj = json.loads(text) if len(text) <= FIELD_LIMIT else None
        except (ValueError, RecursionError):
            obj = None
        if type(obj) is not dict:
            counts[1] += 1
            continue
        for key in obj:
            keys.setdefault(key, None)
        yield list(keys), obj


def _count(table: dict[str, int], label: str) -> None:
    if label in table or len(table) < DISTINCT_LIMIT:
        table[label] = table.get(label, 0) + 1
    else:
        table[_OTHERS] = table.get(_OTHERS, 0) + 1


def check_profile(
    source: TextIO,
    export_format: ExportFormat,
    preset: Preset,
    workflow: Workflow,
    *,
    delimiter: str | None = None,
) -> ProfileCheck:
    """What ``preset`` (a profile's layout and level labels) and ``workflow`` leave unmapped.

    A level cell is readable when it is missing (one of the preset's missing cells),
    one of its labels, or a coded level (:meth:`Preset.level_of`); a state label
    when the workflow's label map has it (the profile's ``[values.state]`` included).

    Raises:
        InvalidInputError: a mapped column the header repeats (pick one as ``Name#k``).
    """
    counts = [0, 0]
    mapped = dict(preset.columns.items())
    checked = [f for f in mapped if f in _LEVELS or f is ExportField.STATE]
    missing_cells = preset.missing
    label_map = workflow.label_map
    values: dict[str, dict[str, int]] = {}
    nonempty: dict[str, int] = {}
    columns: list[str] = []
    picks: dict[ExportField, int] = {}
    index: Header | None = None
    for columns, row in _rows(source, export_format, delimiter, counts):
        cells: list[tuple[ExportField, str]]
        if isinstance(row, Mapping):
            for key in columns:
                nonempty.setdefault(key, 0)
                if json_cell(row.get(key)).strip() not in missing_cells:
                    nonempty[key] += 1
            cells = [(field, json_cell(row.get(mapped[field]))) for field in checked]
        else:
            if index is None:
                index = Header(columns)
                for field, column in mapped.items():
                    found = index.find(column)
                    if found is not None:
                        picks[field] = found
                nonempty = dict.fromkeys(columns, 0)
            for i, cell in enumerate(row):
                if cell.strip() not in missing_cells:
                    nonempty[columns[i]] = nonempty.get(columns[i], 0) + 1
            cells = [(field, row[picks[field]]) for field in checked if field in picks]
        for field, text in cells:
            if text.strip() in missing_cells:
                continue
            if field is ExportField.STATE:
                if text not in label_map:
                    _count(values.setdefault("state", {}), text)
                continue
            try:
                preset.level_of(field, text)
            except InvalidInputError:
                _count(values.setdefault(str(field), {}), text.strip())
    if export_format is ExportFormat.CSV:
        present = set(picks)
        used = {columns[i] for i in picks.values()}
    else:
        present = {field for field, column in mapped.items() if column in nonempty}
        used = {mapped[field] for field in present}
    return ProfileCheck(
        rows=counts[0],
        unreadable=counts[1],
        columns=tuple(columns),
        missing_columns=tuple(
            (str(field), column) for field, column in mapped.items() if field not in present
        ),
        unmapped_columns={name: n for name, n in nonempty.items() if name not in used},
        unmapped_values={
            field: dict(sorted(table.items(), key=lambda item: (-item[1], item[0])))
            for field, table in sorted(values.items())
        },
    )


def observe_levels(
    source: TextIO,
    export_format: ExportFormat,
    scorer: Scorer,
    *,
    delimiter: str | None = None,
) -> tuple[dict[tuple[int, int, int], int], int]:
    """Rows per (impact, urgency, source priority) level triple, and rows skipped.

    A row is skipped when any of the three is missing or unreadable (the scoring run
    rejects it with its reason); unreadable rows are skipped too.

    Raises:
        InvalidInputError: the export lacks an impact, urgency or priority column.
    """
    preset = scorer.preset
    needed = (ExportField.IMPACT, ExportField.URGENCY, ExportField.PRIORITY)
    keys = [preset.column(field) or f"\0{field}" for field in needed]
    counts = [0, 0]
    seen: dict[tuple[str, ...], int] = {}
    where: list[int] | None = None
    for columns, row in _rows(source, export_format, delimiter, counts):
        if isinstance(row, Mapping):
            key = tuple(json_cell(row.get(k)) for k in keys)
        else:
            if where is None:
                header = Header(columns)
                found = [header.find(column) for column in keys]
                lacking = [str(f) for f, i in zip(needed, found, strict=True) if i is None]
                if lacking:
                    raise InvalidInputError(
                        "columns",
                        lacking,
                        "--matrix infer needs impact, urgency and priority columns; "
                        f"the export has none for {', '.join(lacking)}",
                        line=1,
                    )
                where = [i for i in found if i is not None]
            key = tuple(row[i] for i in where)
        seen[key] = seen.get(key, 0) + 1
    observations: dict[tuple[int, int, int], int] = {}
    skipped = counts[1]
    for texts, n in seen.items():
        try:
            impact, urgency, source_priority = (
                scorer.level(field, text) for field, text in zip(needed, texts, strict=True)
            )
        except InvalidInputError:
            skipped += n
            continue
        if impact is None or urgency is None or source_priority is None:
            skipped += n
            continue
        triple = (impact, urgency, source_priority)
        observations[triple] = observations.get(triple, 0) + n
    return observations, skipped
