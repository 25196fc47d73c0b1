"""Column presets: where each faultkit field is found in an export, and how its values read.

A preset maps faultkit's field names (:class:`ExportField`) to the columns of one kind
of export, names the cells that mean "no value", turns level labels into numbers and
names the priority matrix the export's tool uses. ``--map field=column`` on the command
line (:meth:`Preset.with_columns`) moves a field to another column.

The built-in presets are the layouts of the built-in profiles, TOML data shipped in
the package (:mod:`faultkit.adapters.exports.profiles`; ``faultkit profile show NAME``
prints one with its sources).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs

from faultkit.errors import InvalidInputError
from faultkit.scoring.matrix import (
    SERVICENOW_MATRIX,
    SERVICENOW_MATRIX_NO_PLANNING,
    PriorityMatrix,
    coded_level,
)

__all__ = [
    "MATRICES",
    "ExportField",
    "Preset",
    "get_matrix",
]


class ExportField(enum.StrEnum):
    """The faultkit fields an export's columns can be mapped to."""

    ID = "id"
    """The incident (or issue) id; several rows of an event log share it."""
    STATE = "state"
    """The state label of the row (an event log has one row per update)."""
    UPDATED_AT = "updated_at"
    """When the row's update happened: the event log's timestamp."""
    OPENED_AT = "opened_at"
    """When the incident was opened: the start of its SLA clock."""
    RESOLVED_AT = "resolved_at"
    """When it was resolved, if it was."""
    IMPACT = "impact"
    """Impact level, 1 = widest."""
    URGENCY = "urgency"
    """Urgency level, 1 = most urgent."""
    PRIORITY = "priority"
    """The priority the source tool gave, 1 = most urgent (compared, never trusted)."""
    IMPACT_SCOPE = "impact_scope"
    """Severity fact: ``single_user`` ... ``whole_system`` (an ImpactScope value)."""
    INTERRUPTION = "interruption"
    """Severity fact: ``none`` ... ``full_outage``."""
    DATA_LOSS = "data_loss"
    """Severity fact: ``none``, ``recoverable``, ``permanent``."""
    SAFETY = "safety"
    """Severity fact: a risk to health or safety (true / false)."""
    SECURITY = "security"
    """Severity fact: a security exposure (true / false)."""
    REGULATORY = "regulatory"
    """Severity fact: a regulatory or contractual breach (true / false)."""
    WORKAROUND_AVAILABLE = "workaround_available"
    """Severity fact: users can work around it (true / false)."""
    COMPONENT = "component"
    """The component (or category) at fault: what metrics group and Pareto charts count."""
    MADE_SLA = "made_sla"
    """The export's own flag that the SLA was made (true / false)."""
    SEVERITY = "severity"
    """The severity at the row, 1 (SEV1, most severe) to 5: read by the event-log readers."""


MATRICES: Mapping[str, PriorityMatrix] = MappingProxyType(
    {
        "servicenow": SERVICENOW_MATRIX,
        "servicenow-no-planning": SERVICENOW_MATRIX_NO_PLANNING,
    }
)
"""The priority matrices a preset or ``--matrix`` can name."""


def get_matrix(name: str) -> PriorityMatrix:
    """The matrix called ``name`` in :data:`MATRICES`.

    Raises:
        InvalidInputError: no such matrix, naming the known ones.
    """
    try:
        return MATRICES[name]
    except KeyError:
        known = ", ".join(sorted(MATRICES))
        raise InvalidInputError("matrix", name, f"unknown matrix (known: {known})") from None


def _frozen_columns(value: Mapping[str, str]) -> Mapping[ExportField, str]:
    columns: dict[ExportField, str] = {}
    for field, column in dict(value).items():
        try:
            key = ExportField(field)
        except ValueError:
            raise InvalidInputError(
                "columns", field, f"unknown field (known: {', '.join(ExportField)})"
            ) from None
        if not isinstance(column, str) or not column:
            raise InvalidInputError(f"columns.{key}", column, "expected a column name")
        columns[key] = column
    return MappingProxyType(columns)


def _frozen_missing(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


def _frozen_levels(
    value: Mapping[str, Mapping[str, int]],
) -> Mapping[ExportField, Mapping[str, int]]:
    return MappingProxyType(
        {
            ExportField(field): MappingProxyType(
                {str(label).casefold(): int(number) for label, number in labels.items()}
            )
            for field, labels in dict(value).items()
        }
    )


@attrs.frozen(kw_only=True)
class Preset:
    """How one kind of export is laid out.

    Attributes:
        name: the preset's name (``servicenow``, ``jira``, ``generic``).
        columns: the column of each faultkit field the export has.
        missing: the cell texts that mean "no value" (compared after stripping blanks).
        levels: per field (impact, urgency, priority), labels (case-insensitive) and
            their level numbers, tried before the coded form ``"2 - Medium"`` / ``"2"``.
        matrix: the name of the priority matrix in :data:`MATRICES` the tool uses.
        description: one line for ``--help``.
    """

    name: str
    columns: Mapping[ExportField, str] = attrs.field(converter=_frozen_columns)
    missing: frozenset[str] = attrs.field(default=frozenset({""}), converter=_frozen_missing)
    levels: Mapping[ExportField, Mapping[str, int]] = attrs.field(
        factory=dict, converter=_frozen_levels
    )
    matrix: str = "servicenow"
    description: str = ""

    def column(self, field: ExportField) -> str | None:
        """The column of ``field``, or ``None`` when this export has none."""
        return self.columns.get(field)

    def level_of(self, field: ExportField, label: str) -> int:
        """The level number of a non-missing ``label`` of ``field`` (impact, urgency, priority).

        The rule: the preset's labels for the field first (``[values.<field>]`` of a
        profile, compared case-insensitively after stripping blanks), then the coded
        form ``"2 - Medium"`` / ``"2"``. Nothing else is read: no name table is built in.

        >>> from faultkit.adapters.exports import get_preset
        >>> jira = get_preset("jira")
        >>> jira.level_of(ExportField.PRIORITY, " major "), jira.level_of(ExportField.PRIORITY, "2")
        (3, 2)

        Raises:
            InvalidInputError: neither, naming the field, the label and the labels known.
        """
        stripped = label.strip()
        labels = self.levels.get(field)
        if labels:
            found = labels.get(stripped.casefold())
            if found is not None:
                return found
        try:
            return coded_level(stripped, field=str(field))
        except InvalidInputError as error:
            if stripped[:1].isascii() and stripped[:1].isdigit():  # a number, but not a level
                raise InvalidInputError(str(field), label, error.reason) from None
        if labels:
            known = ", ".join(list(labels)[:12]) + (", ..." if len(labels) > 12 else "")
            reason = (
                f"unknown {field} label (the profile's values.{field} has: {known}; "
                "or a coded level such as '2 - Medium')"
            )
        else:
            reason = (
                "expected a coded level such as '2 - Medium' "
                f"(or map the label under values.{field} in a profile)"
            )
        raise InvalidInputError(str(field), label, reason)

    def with_columns(self, overrides: Mapping[str, str]) -> Preset:
        """A copy with some fields moved to other columns (the ``--map`` option).

        Args:
            overrides: faultkit field name -> column name.

        Raises:
            InvalidInputError: an unknown field name or an empty column name.
        """
        columns: dict[str, str] = dict(self.columns.items())
        columns.update(overrides)
        return attrs.evolve(self, columns=columns)
