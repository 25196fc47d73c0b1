"""Learning an instance's priority matrix from the priorities its own export records.

Tools let each instance change its impact x urgency matrix (ServiceNow's
``dl_u_priority`` lookup, Jira Service Management's automation rules), so a preset's
matrix is a guess. :func:`infer_matrix` reads the instance's matrix off its rows: for
each (impact, urgency) cell, the priority most rows of that cell carry.

The rule: the cell's priority is the majority source priority of its rows; on a tie,
the more urgent (smaller) number. Each cell keeps its counts, so a reader sees how
clear the majority is (``3 x 3 -> 4: 401 of 401 rows``).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from faultkit.errors import InvalidInputError
from faultkit.scoring.matrix import PriorityMatrix

__all__ = ["InferredCell", "InferredMatrix", "infer_matrix"]


@attrs.frozen(kw_only=True)
class InferredCell:
    """One (impact, urgency) cell of an inferred matrix.

    Attributes:
        impact: the impact level (1 = widest).
        urgency: the urgency level (1 = most urgent).
        priority: the majority source priority of the cell's rows.
        agreeing: rows of the cell with that priority.
        rows: rows of the cell.
        counts: rows per source priority.
    """

    impact: int
    urgency: int
    priority: int
    agreeing: int
    rows: int
    counts: Mapping[int, int]


@attrs.frozen(kw_only=True)
class InferredMatrix:
    """The cells seen in an export, in (impact, urgency) order.

    Attributes:
        cells: the inferred cells (only those some row has).
    """

    cells: tuple[InferredCell, ...]

    @property
    def rows(self) -> int:
        """Rows observed in all."""
        return sum(cell.rows for cell in self.cells)

    def cell(self, impact: int, urgency: int) -> InferredCell | None:
        """The cell of ``impact`` x ``urgency``, ``None`` when no row has it."""
        for cell in self.cells:
            if (cell.impact, cell.urgency) == (impact, urgency):
                return cell
        return None

    def matrix(self, fallback: PriorityMatrix, *, name: str = "inferred") -> PriorityMatrix:
        """A :class:`PriorityMatrix` of the inferred cells; cells no row has from ``fallback``.

        The size is ``fallback``'s, grown to the largest level seen.

        Raises:
            InvalidInputError: the inferred cells give a better priority to a worse
                input (no matrix can hold them), naming the cell.
        """
        impacts = max([fallback.impact_levels, *(c.impact for c in self.cells)])
        urgencies = max([fallback.urgency_levels, *(c.urgency for c in self.cells)])
        rows: list[list[int]] = []
        for i in range(1, impacts + 1):
            row = []
            for u in range(1, urgencies + 1):
                seen = self.cell(i, u)
                if seen is not None:
                    row.append(seen.priority)
                else:
                    row.append(
                        int(
                            fallback.lookup(
                                min(i, fallback.impact_levels), min(u, fallback.urgency_levels)
                            )
                        )
                    )
            rows.append(row)
        try:
            return PriorityMatrix(rows, name=name)
        except InvalidInputError as error:
            raise InvalidInputError(
                error.field,
                error.value,
                f"the export's majority priorities cannot form a matrix: {error.reason}",
            ) from None

    def differences(self, other: PriorityMatrix) -> tuple[InferredCell, ...]:
        """The cells whose inferred priority differs from ``other``'s (or ``other`` lacks)."""
        return tuple(
            cell
            for cell in self.cells
            if cell.impact > other.impact_levels
            or cell.urgency > other.urgency_levels
            or int(other.lookup(cell.impact, cell.urgency)) != cell.priority
        )


def infer_matrix(observations: Mapping[tuple[int, int, int], int]) -> InferredMatrix:
    """The matrix an export's rows follow: the majority source priority of each cell.

    Args:
        observations: rows per ``(impact, urgency, source priority)``.

    >>> inferred = infer_matrix({(3, 3, 4): 401, (3, 3, 5): 2, (1, 1, 1): 10})
    >>> [(c.impact, c.urgency, c.priority, c.agreeing, c.rows) for c in inferred.cells]
    [(1, 1, 1, 10, 10), (3, 3, 4, 401, 403)]
    """
    by_cell: dict[tuple[int, int], dict[int, int]] = {}
    for (impact, urgency, source), count in observations.items():
        if count > 0:
            counts = by_cell.setdefault((impact, urgency), {})
            counts[source] = counts.get(source, 0) + count
    cells = []
    for (impact, urgency), counts in sorted(by_cell.items()):
        best = min(counts, key=lambda p: (-counts[p], p))
        cells.append(
            InferredCell(
                impact=impact,
                urgency=urgency,
                priority=best,
                agreeing=counts[best],
                rows=sum(counts.values()),
                counts=dict(sorted(counts.items())),
            )
        )
    return InferredMatrix(cells=tuple(cells))
