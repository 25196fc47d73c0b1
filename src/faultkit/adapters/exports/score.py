"""Scoring an export row by row: every input row comes out scored or rejected, and counted.

:func:`score_csv` and :func:`score_jsonl` stream: one row in memory at a time, so
memory does not grow with the file. Each row keeps its columns, in order, and gets
these added:

``faultkit_priority``
    the priority number (1 = most urgent) from impact x urgency through the preset's
    matrix (:func:`faultkit.scoring.priority`).
``faultkit_priority_matches_source``
    ``true`` / ``false`` when the export has a priority of its own, empty when not.
``faultkit_severity``
    SEV level 1-5 (:func:`faultkit.scoring.assess_severity`), when the export has an
    ``impact_scope`` column (mapped); empty on rows without a scope.
``faultkit_sla_due`` and ``faultkit_sla_breached``
    when the export has an opened-at column: the resolution target of the row's
    priority after opening, in business time on the policy's calendar
    (:class:`faultkit.lifecycle.sla.SlaPolicy`, ServiceNow-style defaults), and whether
    the row's resolved-at is later (empty while unresolved). A single row carries no
    history, so time on hold is not subtracted; the lifecycle's
    :func:`~faultkit.lifecycle.sla.sla_status` does that from a fault's history.

The per-row work is kept lean: the priority cells of a (impact, urgency, priority)
triple are computed once and looked up afterwards, and dates repeated on consecutive
rows (an incident's rows share its opened-at) are parsed once.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any, TextIO

import attrs

from faultkit.adapters.exports.dates import DateReader
from faultkit.adapters.exports.presets import ExportField, Preset, get_matrix
from faultkit.adapters.exports.tabular import (
    EXCEL_TRIGGERS,
    FIELD_LIMIT,
    Header,
    Reject,
    RejectsFile,
    RowError,
    csv_record,
    iter_jsonl,
    json_cell,
    missing_columns,
    ragged_reject,
    read_csv,
    too_deep,
    unexpected_reject,
)
from faultkit.errors import InvalidInputError
from faultkit.lifecycle.sla import DEFAULT_SLA_POLICY, SlaPolicy
from faultkit.models import ImpactScope
from faultkit.scoring import (
    DataLoss,
    ImpactAssessment,
    PriorityMatrix,
    ServiceInterruption,
    assess_severity,
    priority,
)

__all__ = [
    "ScoreSummary",
    "Scorer",
    "score_csv",
    "score_jsonl",
]

PRIORITY = "faultkit_priority"
MATCHES = "faultkit_priority_matches_source"
SEVERITY = "faultkit_severity"
SLA_DUE = "faultkit_sla_due"
SLA_BREACHED = "faultkit_sla_breached"

_CACHE_LIMIT = 4096
_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0"})
_FACT_FIELDS = (
    ExportField.IMPACT_SCOPE,
    ExportField.INTERRUPTION,
    ExportField.DATA_LOSS,
    ExportField.SAFETY,
    ExportField.SECURITY,
    ExportField.REGULATORY,
    ExportField.WORKAROUND_AVAILABLE,
)

Progress = Callable[[int], None]


@attrs.frozen(kw_only=True)
class ScoreSummary:
    """What a scoring run did. ``rows_read == rows_written + rows_rejected``, always.

    Attributes:
        rows_read: data rows read (a CSV header is not a row; blank JSONL lines are not).
        rows_written: rows written to the output, every one scored.
        rows_rejected: rows written to the rejects file instead.
        priorities: rows per computed priority number.
        mismatches: scored rows whose source priority differs from the computed one.
        sla_breaches: scored rows resolved later than their SLA due time.
        stopped_early: ``--max-errors`` was reached before the end of the input.
        columns_added: the ``faultkit_*`` columns added to each row.
    """

    rows_read: int
    rows_written: int
    rows_rejected: int
    priorities: Mapping[int, int]
    mismatches: int
    sla_breaches: int
    stopped_early: bool
    columns_added: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the counts, priorities keyed by their number as text."""
        return {
            "rows_read": self.rows_read,
            "rows_written": self.rows_written,
            "rows_scored": self.rows_written,
            "rows_rejected": self.rows_rejected,
            "priorities": {str(k): v for k, v in sorted(self.priorities.items())},
            "priority_mismatches": self.mismatches,
            "sla_breaches": self.sla_breaches,
            "stopped_early": self.stopped_early,
            "columns_added": list(self.columns_added),
        }


class Scorer:
    """What to compute for each row of an export, and how to read its cells.

    Args:
        preset: the column layout (:data:`~faultkit.adapters.exports.PRESETS`).
        matrix: the priority matrix; by default the one the preset names.
        dates: how date cells are read (day order, zone of naive times).
        sla: the SLA policy for ``faultkit_sla_*``; ``None`` leaves them out.
    """

    def __init__(
        self,
        preset: Preset,
        *,
        matrix: PriorityMatrix | None = None,
        dates: DateReader | None = None,
        sla: SlaPolicy | None = DEFAULT_SLA_POLICY,
    ) -> None:
        self.preset = preset
        self.matrix = matrix if matrix is not None else get_matrix(preset.matrix)
        self.dates = dates if dates is not None else DateReader()
        self.sla = sla
        self._missing = preset.missing
        self._deadlines: dict[int, Callable[[datetime], datetime]] = {}

    # ------------------------------------------------------------------ binding

    def bind(self, header: Sequence[str], *, strict: bool = True) -> _Bound:
        """The per-row function for an export with these columns.

        Args:
            header: the export's column names.
            strict: refuse a header that has neither impact and urgency columns nor a
                priority column (:class:`~faultkit.errors.InvalidInputError`), and a
                mapped column the header repeats; JSONL objects are bound to every
                mapped column instead, and a missing key is a missing value.

        Without an impact or an urgency column (or mapping), the export's own
        priority, read through the preset's ``priority`` labels, is the priority
        (``faultkit_priority_matches_source`` stays empty).
        """
        columns = Header(header)
        preset = self.preset
        if strict:
            for column in preset.columns.values():
                columns.find(column)  # a mapped column the header repeats is refused

        def present(field: ExportField) -> bool:
            column = preset.column(field)
            return column is not None and (not strict or columns.find(column) is not None)

        levels = present(ExportField.IMPACT) and present(ExportField.URGENCY)
        if not levels and not present(ExportField.PRIORITY):
            wanted = (ExportField.IMPACT, ExportField.URGENCY, ExportField.PRIORITY)
            missing = [(str(f), preset.column(f)) for f in wanted if not present(f)]
            raise missing_columns(missing, header)

        def find(field: ExportField) -> int | None:
            column = preset.column(field)
            if column is None:
                return None
            return columns.find(column) if strict else header.index(column)

        return _Bound(self, find)

    # ------------------------------------------------------------------ cells

    def level(self, field: ExportField, text: str) -> int | None:
        """The level number of a cell, ``None`` when missing; raises ``RowError``."""
        stripped = text.strip()
        if stripped in self._missing:
            return None
        if "\x00" in stripped:  # "2 - Hi\x00gh" is no "2 - High": no coded level reads it
            raise RowError(self._column(field), text, "not a level")
        try:
            return self.preset.level_of(field, stripped)
        except InvalidInputError as error:
            raise RowError(self._column(field), text, error.reason) from None

    def date(self, field: ExportField, text: str) -> datetime | None:
        """The datetime of a cell, ``None`` when missing; raises ``RowError``."""
        if text.strip() in self._missing:
            return None
        try:
            return self.dates(text, field)  # an ExportField is its name as a str
        except InvalidInputError as error:
            raise RowError(self._column(field), text, error.reason) from None

    def sla_due(self, computed: int, opened: datetime, text: str) -> datetime:
        """The resolution due time of a row of priority ``computed`` opened at ``opened``.

        ``text`` is the opened-at cell, named in the ``RowError`` raised when there is
        no due time (it would fall after year 9999). The policy's calendar and target
        of each priority are looked up once.
        """
        deadline = self._deadlines.get(computed)
        if deadline is None:
            policy = self.sla
            assert policy is not None
            add = policy.calendar_for(computed).add
            resolution = policy.target(computed).resolution

            def deadline(opened: datetime) -> datetime:
                return add(opened, resolution)

            self._deadlines[computed] = deadline
        try:
            return deadline(opened)
        except InvalidInputError as error:
            raise RowError(
                self._column(ExportField.OPENED_AT), text, f"no SLA due time: {error.reason}"
            ) from None

    def _column(self, field: ExportField) -> str:
        return self.preset.column(field) or str(field)


class _Bound:
    """A :class:`Scorer` bound to one header: the per-row function and its caches."""

    def __init__(self, scorer: Scorer, find: Callable[[ExportField], int | None]) -> None:
        self.scorer = scorer
        self.i_impact = find(ExportField.IMPACT)
        self.i_urgency = find(ExportField.URGENCY)
        self.i_priority = find(ExportField.PRIORITY)
        self.i_opened = find(ExportField.OPENED_AT) if scorer.sla is not None else None
        self.i_resolved = find(ExportField.RESOLVED_AT) if self.i_opened is not None else None
        facts = [find(f) for f in _FACT_FIELDS]
        self.i_facts = facts if facts[0] is not None else None
        columns = [PRIORITY, MATCHES]
        if self.i_facts is not None:
            columns.append(SEVERITY)
        if self.i_opened is not None:
            columns += [SLA_DUE, SLA_BREACHED]
        self.columns = tuple(columns)
        self.priority_only = self.i_impact is None or self.i_urgency is None
        if self.priority_only:
            assert self.i_priority is not None
            self.i_impact = self.i_urgency = None
            self.key_indices = [self.i_priority, self.i_priority]
        else:
            assert self.i_impact is not None
            assert self.i_urgency is not None
            self.key_indices = [self.i_impact, self.i_urgency]
            if self.i_priority is not None:
                self.key_indices.append(self.i_priority)
        # entries: key -> [cells, priority number, mismatch 0/1, rows seen]
        self.cache: dict[tuple[str, ...], list[Any]] = {}
        self.uncached: list[list[Any]] = []
        self.severity_cache: dict[tuple[str, ...], str] = {}
        self.breaches = 0

    def key_of(self) -> Callable[[Sequence[str]], tuple[str, ...]]:
        """The C-level getter of the (impact, urgency[, priority]) cells of a row."""
        return itemgetter(*self.key_indices)

    def priority_entry(self, key: tuple[str, ...]) -> list[Any]:
        """The cached entry of a key: computed, checked and remembered on first sight."""
        scorer = self.scorer
        if self.priority_only:
            source = self._source_priority(key[0], required=True)
            assert source is not None
            return self._remember(key, source, "", 0)
        impact_text, urgency_text = key[0], key[1]
        impact = scorer.level(ExportField.IMPACT, impact_text)
        urgency = scorer.level(ExportField.URGENCY, urgency_text)
        for field, value, text in (
            (ExportField.IMPACT, impact, impact_text),
            (ExportField.URGENCY, urgency, urgency_text),
        ):
            if value is None:
                raise RowError(
                    scorer._column(field), text, f"{field} is missing; priority needs it"
                )
        assert impact is not None
        assert urgency is not None
        try:
            computed = priority(impact, urgency, scorer.matrix)
        except InvalidInputError as error:
            field = ExportField(error.field)
            raise RowError(
                scorer._column(field),
                impact_text if field is ExportField.IMPACT else urgency_text,
                error.reason,
            ) from None
        matches = ""
        mismatch = 0
        if self.i_priority is not None:
            source = self._source_priority(key[-1], required=False)
            if source is not None:
                mismatch = int(source != computed)
                matches = "false" if mismatch else "true"
        return self._remember(key, int(computed), matches, mismatch)

    def _source_priority(self, text: str, *, required: bool) -> int | None:
        """The export's own priority level 1-5 of a cell (``None`` when missing)."""
        scorer = self.scorer
        source = scorer.level(ExportField.PRIORITY, text)
        column = scorer._column(ExportField.PRIORITY)
        if source is None:
            if required:
                raise RowError(
                    column,
                    text,
                    "priority is missing; without impact and urgency columns "
                    "the priority is the export's own",
                )
            return None
        if not 1 <= source <= 5:
            raise RowError(column, text, "expected a priority number 1-5")
        return source

    def _remember(
        self, key: tuple[str, ...], computed: int, matches: str, mismatch: int
    ) -> list[Any]:
        entry = [(str(computed), matches), computed, mismatch, 0]
        if len(self.cache) < _CACHE_LIMIT:
            self.cache[key] = entry
        else:
            self.uncached.append(entry)
        return entry

    def severity(self, row: Sequence[str]) -> str:
        """``faultkit_severity`` of a row: the SEV number, empty without a scope."""
        assert self.i_facts is not None
        cells = tuple("" if i is None else row[i] for i in self.i_facts)
        found = self.severity_cache.get(cells)
        if found is not None:
            return found
        scorer = self.scorer
        missing = scorer._missing
        values: list[Any] = []
        for field, text in zip(_FACT_FIELDS, cells, strict=True):
            stripped = text.strip()
            if stripped in missing:
                values.append(None)
                continue
            kind = _FACT_KINDS[field]
            try:
                if kind is bool:
                    lowered = stripped.casefold()
                    if lowered in _TRUE:
                        values.append(True)
                    elif lowered in _FALSE:
                        values.append(False)
                    else:
                        raise ValueError("expected true or false")
                else:
                    values.append(kind(stripped.casefold()))
            except ValueError:
                allowed = "true or false" if kind is bool else ", ".join(m.value for m in kind)
                raise RowError(scorer._column(field), text, f"expected {allowed}") from None
        if values[0] is None:
            result = ""
        else:
            facts = ImpactAssessment(
                **{
                    str(field) if field is not ExportField.IMPACT_SCOPE else "scope": value
                    for field, value in zip(_FACT_FIELDS, values, strict=True)
                    if value is not None
                }
            )
            result = str(int(assess_severity(facts).level))
        if len(self.severity_cache) < _CACHE_LIMIT:
            self.severity_cache[cells] = result
        return result

    def sla_function(self) -> Callable[[Sequence[str], int], tuple[str, str]]:
        """The ``faultkit_sla_due`` and ``faultkit_sla_breached`` cells of a row and its priority.

        An incident's rows are consecutive and share its opened-at and resolved-at,
        so the due time is computed when the opened-at or the priority differs from the
        previous row's, the resolved-at read when it differs, and the two cells built
        when either changed; the other rows cost two comparisons. A row whose dates
        fail raises ``RowError`` and leaves the remembered state as it was.
        """
        assert self.i_opened is not None
        i_opened, i_resolved = self.i_opened, self.i_resolved
        scorer = self.scorer
        date, sla_due = scorer.date, scorer.sla_due
        opened_field, resolved_field = ExportField.OPENED_AT, ExportField.RESOLVED_AT
        bound = self

        last_opened: str | None = None  # no text equals None: the first row computes
        last_resolved: str | None = None
        last_priority = 0
        due: datetime | None = None
        due_text = ""
        resolved: datetime | None = None
        cells: tuple[str, str] | None = None
        breached = False

        def sla_of(row: Sequence[str], computed: int) -> tuple[str, str]:
            nonlocal last_opened, last_priority, last_resolved, due, due_text, resolved
            nonlocal cells, breached
            opened_text = row[i_opened]
            if opened_text != last_opened or computed != last_priority:
                opened = date(opened_field, opened_text)
                if opened is None:
                    new_due, new_text = None, ""
                else:
                    new_due = sla_due(computed, opened, opened_text)
                    new_text = new_due.isoformat()
                due, due_text, cells = new_due, new_text, None
                last_opened, last_priority = opened_text, computed
            if i_resolved is not None:
                resolved_text = row[i_resolved]
                if resolved_text != last_resolved:
                    resolved = date(resolved_field, resolved_text)
                    last_resolved, cells = resolved_text, None
            if cells is None:
                if resolved is None or due is None:
                    breached, cells = False, (due_text, "")
                else:
                    breached = resolved > due
                    cells = (due_text, "true" if breached else "false")
            if breached:
                bound.breaches += 1
            return cells

        return sla_of

    def summary_counts(self) -> tuple[dict[int, int], int]:
        """(rows per priority, mismatching rows) over every entry seen."""
        priorities: dict[int, int] = {}
        mismatches = 0
        for entry in [*self.cache.values(), *self.uncached]:
            if entry[3]:
                priorities[entry[1]] = priorities.get(entry[1], 0) + entry[3]
                mismatches += entry[2] * entry[3]
        return priorities, mismatches


_FACT_KINDS: dict[ExportField, Any] = {
    ExportField.IMPACT_SCOPE: ImpactScope,
    ExportField.INTERRUPTION: ServiceInterruption,
    ExportField.DATA_LOSS: DataLoss,
    ExportField.SAFETY: bool,
    ExportField.SECURITY: bool,
    ExportField.REGULATORY: bool,
    ExportField.WORKAROUND_AVAILABLE: bool,
}


def _row_function(bound: _Bound) -> Callable[[Sequence[str]], tuple[str, ...]]:
    """The added cells of one row (raises ``RowError``): the hot path, built per header."""
    key_of = bound.key_of()
    cache = bound.cache
    entry_for = bound.priority_entry
    with_severity = bound.i_facts is not None
    with_sla = bound.i_opened is not None

    if not with_severity and not with_sla:

        def plain(row: Sequence[str]) -> tuple[str, ...]:
            key = key_of(row)
            entry = cache.get(key) or entry_for(key)
            entry[3] += 1
            cells: tuple[str, ...] = entry[0]
            return cells

        return plain

    severity_of = bound.severity
    if not with_severity:
        assert with_sla
        sla_of = bound.sla_function()

        def with_sla_only(row: Sequence[str]) -> tuple[str, ...]:
            key = key_of(row)
            entry = cache.get(key) or entry_for(key)
            cells: tuple[str, ...] = entry[0] + sla_of(row, entry[1])
            entry[3] += 1
            return cells

        return with_sla_only

    sla_or_none = bound.sla_function() if with_sla else None

    def full(row: Sequence[str]) -> tuple[str, ...]:
        key = key_of(row)
        entry = cache.get(key) or entry_for(key)
        cells: tuple[str, ...] = (*entry[0], severity_of(row))
        if sla_or_none is not None:
            cells += sla_or_none(row, entry[1])
        entry[3] += 1
        return cells

    return full


def _summary(
    bound: _Bound | None, written: int, rejected: int, stopped: bool, columns: tuple[str, ...]
) -> ScoreSummary:
    priorities, mismatches = bound.summary_counts() if bound is not None else ({}, 0)
    return ScoreSummary(
        rows_read=written + rejected,
        rows_written=written,
        rows_rejected=rejected,
        priorities=priorities,
        mismatches=mismatches,
        sla_breaches=bound.breaches if bound is not None else 0,
        stopped_early=stopped,
        columns_added=columns,
    )


def score_csv(
    source: TextIO,
    sink: TextIO,
    rejects: RejectsFile,
    scorer: Scorer,
    *,
    excel_safe: bool = False,
    max_errors: int | None = None,
    progress: Progress | None = None,
    delimiter: str | None = None,
) -> ScoreSummary:
    """Score a CSV export: each row to ``sink`` with the ``faultkit_*`` columns, or rejected.

    Args:
        source: the export, opened with ``newline=""``; its first row is the header.
        sink: where scored rows go (header first), opened with ``newline=""``.
        rejects: where rejected rows go, with line, column, value and reason.
        scorer: what to compute.
        excel_safe: prefix cells that a spreadsheet would run as formulas with ``'``.
        max_errors: stop after this many rejected rows (``None``: never).
        progress: called now and then with the number of rows read so far.
        delimiter: the cell delimiter of input and output; ``None`` sniffs it from the
            header (:func:`~faultkit.adapters.exports.tabular.sniff_delimiter`).

    Raises:
        InvalidInputError: the header lacks the columns the priority needs, or
            repeats a mapped column (a usage error: the preset does not fit the export).
    """
    previous_limit = csv.field_size_limit(FIELD_LIMIT)
    try:
        return _score_csv(
            source, sink, rejects, scorer, excel_safe, max_errors, progress, delimiter
        )
    finally:
        csv.field_size_limit(previous_limit)


def _score_csv(
    source: TextIO,
    sink: TextIO,
    rejects: RejectsFile,
    scorer: Scorer,
    excel_safe: bool,
    max_errors: int | None,
    progress: Progress | None,
    delimiter: str | None,
) -> ScoreSummary:
    reader, delimiter = read_csv(source, delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return _summary(None, 0, 0, False, ())
    except csv.Error as error:
        raise InvalidInputError("header", "", f"unreadable CSV header: {error}", line=1) from None
    bound = scorer.bind(header)
    clash = [name for name in bound.columns if name in header]
    if clash:
        raise InvalidInputError(
            "columns",
            clash,
            "the export already has faultkit columns (was it scored already?); "
            "score the original export",
            line=1,
        )
    score_row = _row_function(bound)
    writer = csv.writer(sink, delimiter=delimiter)
    writerow = writer.writerow
    width = len(header)
    limit = max_errors if max_errors is not None else -1
    names = header
    if excel_safe:
        header = [_safe(cell) for cell in header]
    writerow([*header, *bound.columns])

    written = rejected = 0
    stopped = False
    tick = 8192
    next_tick = tick if progress is not None else -1
    line = reader.line_num  # the line the previous record ended on
    while True:
        try:
            for row in reader:
                start = line + 1
                line = reader.line_num
                if len(row) == width:
                    try:
                        row += score_row(row)
                    except RowError as error:
                        reject = Reject(
                            line=start,
                            column=error.column,
                            value=error.value,
                            reason=error.reason,
                            record=csv_record(row),
                        )
                    except Exception as error:  # a bug must cost one row, never the run
                        reject = unexpected_reject(error, start, row)
                    else:
                        if excel_safe:
                            row = [_safe(cell) for cell in row]
                        writerow(row)
                        written += 1
                        if written == next_tick:
                            next_tick += tick
                            progress(written + rejected)  # type: ignore[misc]
                        continue
                else:
                    reject = ragged_reject(row, names, line=start, end=line, delimiter=delimiter)
                rejects.write(reject)
                rejected += 1
                if rejected == limit:
                    stopped = True
                    break
            break
        except csv.Error as error:
            start = line + 1
            line = reader.line_num
            rejects.write(
                Reject(line=start, column="", value="", reason=f"unreadable row: {error}")
            )
            rejected += 1
            if rejected == limit:
                stopped = True
                break
    if progress is not None:
        progress(written + rejected)
    return _summary(bound, written, rejected, stopped, bound.columns)


def _safe(cell: str) -> str:
    if cell[:1] in EXCEL_TRIGGERS and cell:
        return "'" + cell
    return cell


_TYPED: dict[str, Callable[[str], Any]] = {
    PRIORITY: int,
    SEVERITY: int,
    MATCHES: lambda text: text == "true",
    SLA_BREACHED: lambda text: text == "true",
    SLA_DUE: str,
}


def score_jsonl(
    source: TextIO,
    sink: TextIO,
    rejects: RejectsFile,
    scorer: Scorer,
    *,
    max_errors: int | None = None,
    progress: Progress | None = None,
) -> ScoreSummary:
    """Score a JSON Lines export: each object gets the ``faultkit_*`` keys, or is rejected.

    Added values are typed: numbers for priority and severity, booleans for the
    true/false columns, ``null`` where the CSV output has an empty cell. Blank lines
    are skipped (they are not rows); a line longer than
    :data:`~faultkit.adapters.exports.FIELD_LIMIT` characters, one that is not JSON or
    not an object, is a rejected row.

    Args: as :func:`score_csv` (no ``excel_safe``: JSON is not run by spreadsheets).
    """
    keys = [
        scorer.preset.column(field) or f"\0{field}"  # a key no object has
        for field in ExportField
    ]
    bound = scorer.bind(keys, strict=False)
    score_row = _row_function(bound)
    columns = bound.columns
    written = rejected = 0
    stopped = False
    limit = max_errors if max_errors is not None else -1
    for line, text in iter_jsonl(source):
        reject: Reject | None = None
        obj: Any = None
        if len(text) > FIELD_LIMIT:
            reject = Reject(
                line=line,
                column="",
                value=f"{len(text)} characters",
                reason=f"line longer than the limit of {FIELD_LIMIT} characters",
            )
        else:
            try:
                obj = json.loads(text)
            except ValueError as error:
                reject = Reject(
                    line=line, column="", value=text.strip()[:80], reason=f"not JSON: {error}"
                )
            except RecursionError:
                reject = too_deep(line, text.strip())
            else:
                if type(obj) is not dict:
                    reject = Reject(
                        line=line,
                        column="",
                        value=text.strip()[:80],
                        reason="expected a JSON object",
                        record=text.strip(),
                    )
        if reject is None:
            cells = [json_cell(obj.get(key)) for key in keys]
            try:
                added = score_row(cells)
            except RowError as error:
                reject = Reject(
                    line=line,
                    column=error.column,
                    value=error.value,
                    reason=error.reason,
                    record=text.strip(),
                )
            except Exception as error:  # a bug must cost one row, never the run
                reject = unexpected_reject(error, line, text.strip())
            else:
                for name, value in zip(columns, added, strict=True):
                    obj[name] = _TYPED[name](value) if value != "" else None
                sink.write(json.dumps(obj, ensure_ascii=False) + "\n")
                written += 1
                if progress is not None and written % 8192 == 0:
                    progress(written + rejected)
                continue
        rejects.write(reject)
        rejected += 1
        if rejected == limit:
            stopped = True
            break
    if progress is not None:
        progress(written + rejected)
    return _summary(bound, written, rejected, stopped, columns)
