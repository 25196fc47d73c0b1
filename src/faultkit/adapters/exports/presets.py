"""Column presets: where each faultkit field is found in an export, and how its values read.

A preset maps faultkit's field names (:class:`ExportField`) to the columns of one kind
of export, names the cells that mean "no value", turns level labels into numbers and
names the priority matrix the export's tool uses. ``--map field=column`` on the command
line (:meth:`Preset.with_columns`) moves a field to another column.

Sources for the built-in presets:

- ``servicenow``: the column names of a ServiceNow incident export as in the
  "Incident management process enriched event log" (UCI Machine Learning Repository,
  Amaral, Fantinato, Reijers, Peres, 2018; CC BY 4.0), a sample of which ships with
  faultkit. ``?`` and empty cells are missing values; levels are coded labels
  (``2 - Medium``). That instance has no *5 - Planning*: its matrix is
  :data:`~faultkit.scoring.SERVICENOW_MATRIX_NO_PLANNING` (pass ``--matrix servicenow``
  for an instance that has it).
- ``jira``: the column headers of Jira's CSV export ("Issue key", "Status", "Created",
  "Updated", "Resolved", "Priority") and Jira Service Management's Impact and Urgency
  custom fields (exported as ``Custom field (Impact)`` / ``Custom field (Urgency)``).
  Jira's five priorities Highest ... Lowest are read as 1 ... 5. Its four impact
  values are folded into faultkit's three levels (Extensive / Widespread -> 1,
  Significant / Large -> 2, Moderate / Limited and Minor / Localized -> 3) and its
  four urgencies likewise (Critical and High -> 1, Medium -> 2, Low -> 3): that folding
  is faultkit's choice, not Atlassian's.
- ``generic``: faultkit's own field names as column names, with numbers, coded labels
  or the level names ``high`` / ``medium`` / ``low``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs

from faultkit.errors import InvalidInputError
from faultkit.scoring import SERVICENOW_MATRIX, SERVICENOW_MATRIX_NO_PLANNING, PriorityMatrix

__all__ = [
    "MATRICES",
    "PRESETS",
    "ExportField",
    "Preset",
    "get_matrix",
    "get_preset",
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


_LEVEL_NAMES = {"high": 1, "medium": 2, "low": 3}
_PRIORITY_NAMES = {"critical": 1, "high": 2, "moderate": 3, "low": 4, "planning": 5}

PRESETS: Mapping[str, Preset] = MappingProxyType(
    {
        "servicenow": Preset(
            name="servicenow",
            description="ServiceNow incident export (number, incident_state, impact, ...)",
            columns={
                ExportField.ID: "number",
                ExportField.STATE: "incident_state",
                ExportField.UPDATED_AT: "sys_updated_at",
                ExportField.OPENED_AT: "opened_at",
                ExportField.RESOLVED_AT: "resolved_at",
                ExportField.IMPACT: "impact",
                ExportField.URGENCY: "urgency",
                ExportField.PRIORITY: "priority",
                ExportField.COMPONENT: "category",
                ExportField.MADE_SLA: "made_sla",
            },
            missing=frozenset({"", "?"}),
            matrix="servicenow-no-planning",
        ),
        "jira": Preset(
            name="jira",
            description="Jira / Jira Service Management CSV export (Issue key, Status, ...)",
            columns={
                ExportField.ID: "Issue key",
                ExportField.STATE: "Status",
                ExportField.UPDATED_AT: "Updated",
                ExportField.OPENED_AT: "Created",
                ExportField.RESOLVED_AT: "Resolved",
                ExportField.IMPACT: "Custom field (Impact)",
                ExportField.URGENCY: "Custom field (Urgency)",
                ExportField.PRIORITY: "Priority",
                ExportField.COMPONENT: "Component/s",
            },
            levels={
                ExportField.PRIORITY: {"highest": 1, "high": 2, "medium": 3, "low": 4, "lowest": 5},
                ExportField.IMPACT: {
                    "extensive / widespread": 1,
                    "significant / large": 2,
                    "moderate / limited": 3,
                    "minor / localized": 3,
                },
                ExportField.URGENCY: {"critical": 1, "high": 1, "medium": 2, "low": 3},
            },
            matrix="servicenow",
        ),
        "generic": Preset(
            name="generic",
            description="faultkit's own field names as column names (id, impact, urgency, ...)",
            columns={field: field.value for field in ExportField},
            levels={
                ExportField.IMPACT: _LEVEL_NAMES,
                ExportField.URGENCY: _LEVEL_NAMES,
                ExportField.PRIORITY: _PRIORITY_NAMES,
            },
            matrix="servicenow",
        ),
    }
)
"""The built-in presets by name."""


def get_preset(name: str) -> Preset:
    """The preset called ``name`` in :data:`PRESETS`.

    Raises:
        InvalidInputError: no such preset, naming the known ones.
    """
    try:
        return PRESETS[name]
    except KeyError:
        known = ", ".join(sorted(PRESETS))
        raise InvalidInputError("preset", name, f"unknown preset (known: {known})") from None
