"""Priority from impact x urgency, through a matrix checked when it is built.

The formula::

    priority = matrix[impact - 1][urgency - 1]

with impact levels ``1 .. N`` (1 = the widest impact) and urgency levels ``1 .. M``
(1 = the most urgent). A matrix is *complete* (every cell holds a priority) and
*monotonic*: a worse input (a smaller impact or urgency number) never gets a better
(larger) priority number, that is ``matrix[i][j] <= matrix[i+1][j]`` and
``matrix[i][j] <= matrix[i][j+1]``.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from typing import Any

from faultkit.errors import InvalidInputError
from faultkit.models import Urgency
from faultkit.scoring import _tables

__all__ = [
    "SERVICENOW_MATRIX",
    "SERVICENOW_MATRIX_NO_PLANNING",
    "Impact",
    "Priority",
    "PriorityMatrix",
    "coded_level",
    "priority",
]


class Impact(enum.IntEnum):
    """How much of the business a fault touches; 1 is the widest (ITIL / ServiceNow numbering)."""

    HIGH = 1
    """A whole service, many users or a critical business function."""
    MEDIUM = 2
    """A group of users or a non-critical function."""
    LOW = 3
    """One user or a small part of a function."""


class Priority(enum.IntEnum):
    """How soon a fault is worked; the value is the priority number, 1 the most urgent.

    The names are ServiceNow's: 1 Critical, 2 High, 3 Moderate, 4 Low, 5 Planning.
    Compare by value: ``Priority.CRITICAL < Priority.LOW``.
    """

    CRITICAL = 1
    HIGH = 2
    MODERATE = 3
    LOW = 4
    PLANNING = 5

    @property
    def label(self) -> str:
        """The coded label ServiceNow exports: ``"1 - Critical"`` ... ``"5 - Planning"``."""
        return f"{self.value} - {self.name.capitalize()}"


_PRIORITIES = {p.value: p for p in Priority}
_LEVEL_TYPES = frozenset({int, Impact, Urgency})


def _is_level(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _as_priority(field: str, value: Any) -> Priority:
    if _is_level(value) and value in _PRIORITIES:
        return _PRIORITIES[value]
    allowed = ", ".join(str(p.value) for p in Priority)
    raise InvalidInputError(field, value, f"expected a priority number ({allowed})")


class PriorityMatrix:
    """An N x M table from (impact, urgency) level numbers to a :class:`Priority`.

    Built from rows, one per impact level (row 0 is impact 1), each with one priority
    per urgency level. The constructor refuses, with
    :class:`~faultkit.errors.InvalidInputError` naming the cell and its value, a matrix
    that is empty, ragged, holds something that is not a priority number 1-5, or gives a
    better priority to a worse input.

    Args:
        rows: the priorities, ``rows[impact - 1][urgency - 1]``; ints or
            :class:`Priority` members.
        name: a name for messages and ``repr``.
    """

    __slots__ = ("_cells", "impact_levels", "name", "rows", "urgency_levels")

    rows: tuple[tuple[Priority, ...], ...]
    impact_levels: int
    urgency_levels: int
    name: str
    _cells: dict[tuple[int, int], Priority]

    def __init__(self, rows: Sequence[Sequence[int]], *, name: str = "custom") -> None:
        self._check_rows(rows)
        self._build(rows, name)

    @staticmethod
    def _check_rows(rows: object) -> None:
        if isinstance(rows, str | bytes) or not isinstance(rows, Sequence) or not rows:
            raise InvalidInputError("matrix", rows, "expected a non-empty sequence of rows")
        for i, row in enumerate(rows):
            if isinstance(row, str | bytes) or not isinstance(row, Sequence) or not row:
                raise InvalidInputError(f"matrix[{i}]", row, "expected a non-empty row")

    def _build(self, rows: Sequence[Sequence[int]], name: str) -> None:
        checked: list[tuple[Priority, ...]] = []
        width: int | None = None
        for i, row in enumerate(rows):
            if width is None:
                width = len(row)
            elif len(row) != width:
                raise InvalidInputError(
                    f"matrix[{i}]", row, f"ragged matrix: expected {width} cells like row 0"
                )
            checked.append(tuple(_as_priority(f"matrix[{i}][{j}]", c) for j, c in enumerate(row)))
        assert width is not None
        for i, row in enumerate(checked):
            for j, cell in enumerate(row):
                if i > 0 and cell < checked[i - 1][j]:
                    raise InvalidInputError(
                        f"matrix[{i}][{j}]",
                        int(cell),
                        f"not monotonic: impact {i + 1} (less impact) gets a more urgent "
                        f"priority than impact {i} at urgency {j + 1} ({int(checked[i - 1][j])})",
                    )
                if j > 0 and cell < row[j - 1]:
                    raise InvalidInputError(
                        f"matrix[{i}][{j}]",
                        int(cell),
                        f"not monotonic: urgency {j + 1} (less urgent) gets a more urgent "
                        f"priority than urgency {j} at impact {i + 1} ({int(row[j - 1])})",
                    )
        self.rows = tuple(checked)
        self.impact_levels = len(checked)
        self.urgency_levels = width
        self.name = name
        self._cells = {
            (i + 1, j + 1): cell for i, row in enumerate(checked) for j, cell in enumerate(row)
        }

    def lookup(self, impact: int, urgency: int) -> Priority:
        """The priority for ``impact`` and ``urgency``: :func:`priority` with this matrix."""
        return priority(impact, urgency, self)

    def __repr__(self) -> str:
        rows = [[int(c) for c in row] for row in self.rows]
        return f"PriorityMatrix({rows!r}, name={self.name!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PriorityMatrix):
            return NotImplemented
        return self.rows == other.rows

    def __hash__(self) -> int:
        return hash(self.rows)

    def _refuse(self, impact: Any, urgency: Any) -> InvalidInputError:
        for field, value, levels in (
            ("impact", impact, self.impact_levels),
            ("urgency", urgency, self.urgency_levels),
        ):
            if not _is_level(value) or not 1 <= value <= levels:
                return InvalidInputError(
                    field,
                    value,
                    f"expected a level number 1-{levels} or an enumeration member "
                    f"(matrix {self.name!r} is {self.impact_levels}x{self.urgency_levels})",
                )
        raise AssertionError("unreachable: both levels are valid")  # pragma: no cover


SERVICENOW_MATRIX = PriorityMatrix(_tables.SERVICENOW_PRIORITY, name="servicenow")
"""The default: ServiceNow's 3 x 3 matrix, priorities 1 Critical ... 5 Planning."""

SERVICENOW_MATRIX_NO_PLANNING = PriorityMatrix(
    _tables.SERVICENOW_PRIORITY_NO_PLANNING, name="servicenow-no-planning"
)
"""ServiceNow's matrix on an instance without *5 - Planning* (impact 3 x urgency 3 is 4 Low)."""


def priority(impact: int, urgency: int, matrix: PriorityMatrix = SERVICENOW_MATRIX) -> Priority:
    """The priority of a fault from its impact and urgency: ``matrix[impact - 1][urgency - 1]``.

    Args:
        impact: the impact level, 1 = widest; an int or an :class:`Impact` (or any
            ``IntEnum``) member.
        urgency: the urgency level, 1 = most urgent; an int or a
            :class:`~faultkit.models.Urgency` member.
        matrix: the matrix to read; ServiceNow's 3 x 3 by default.

    Returns:
        The :class:`Priority`; its value is the priority number, 1 the most urgent.

    Raises:
        InvalidInputError: a level that is not a whole number in the matrix's range
            (``bool`` and ``float`` are refused), naming ``impact`` or ``urgency``.

    >>> priority(Impact.HIGH, Urgency.MEDIUM)
    <Priority.HIGH: 2>
    >>> priority(3, 3).label
    '5 - Planning'
    """
    if type(impact) in _LEVEL_TYPES and type(urgency) in _LEVEL_TYPES:
        found = matrix._cells.get((impact, urgency))
        if found is not None:
            return found
    elif _is_level(impact) and _is_level(urgency):
        found = matrix._cells.get((int(impact), int(urgency)))
        if found is not None:
            return found
    raise matrix._refuse(impact, urgency)


LEVEL_DIGITS = 18
"""The most digits :func:`coded_level` reads (leading zeros count); longer numbers are refused."""

_CODED = re.compile(r"\s*(\d+)\s*(?:-.*)?", re.S)


def coded_level(label: str, *, field: str = "level") -> int:
    """The level number of an ITSM coded label: ``"2 - Medium"`` -> 2, ``"3"`` -> 3.

    Exports from ServiceNow and similar tools write levels as ``"<number> - <name>"``.
    Only the number counts; the name is not checked.

    Raises:
        InvalidInputError: the label does not start with a number (``"?"``, ``""``,
            ``"High"``), or its number has more than :data:`LEVEL_DIGITS` digits (no
            level is that large, and Python refuses to read numbers of 4,300 digits and
            more), naming ``field`` and the label.
    """
    match = _CODED.fullmatch(label) if isinstance(label, str) else None
    if match is None:
        raise InvalidInputError(field, label, "expected a coded level such as '2 - Medium'")
    digits = match[1]
    if len(digits) > LEVEL_DIGITS:
        raise InvalidInputError(
            field, label, f"a level number of {len(digits)} digits: no level is that large"
        )
    return int(digits)
