"""The records :func:`faultkit.metrics.handling_metrics` gives its figures in."""

from __future__ import annotations

import attrs

from faultkit.dimensions import Dimension
from faultkit.errors import InvalidInputError
from faultkit.metrics.grouping import GroupValue
from faultkit.metrics.reliability import ReliabilityFigure
from faultkit.metrics.stats import DurationSummary, Rate

__all__ = ["Group", "HandlingFigures", "HandlingReport"]


@attrs.frozen(kw_only=True)
class HandlingFigures:
    """The response and repair figures of one group of faults.

    Attributes:
        faults: how many faults the group holds.
        time_to_acknowledge: opened -> first state not in the open category.
        time_to_resolve: opened -> final resolution (faults resolved at the end).
        time_to_close: opened -> first closed state.
        reopen_rate: faults reopened / faults resolved at least once.
        response_sla: faults that left the open states within their response
            target / faults decided (met, or past the target), or ``None`` when no
            SLA policy was given.
        resolution_sla: faults resolved within their resolution target / faults
            decided (resolved, or unresolved past the target), or ``None`` when no
            SLA policy was given.
        exported_sla: faults whose export flag says the SLA was made / faults with a
            flag.
        open_at_end: faults neither resolved nor closed at their last row.
        open_age: the age at ``now`` of the faults open at the end.
        breached_rows: the rows (with a known state label) of the faults whose
            resolution SLA was breached: what a count per row, like the
            ``faultkit_sla_breached`` column of ``faultkit score``, adds up to. The
            faults themselves are :attr:`resolution_sla_breaches`.
    """

    faults: int
    time_to_acknowledge: DurationSummary
    time_to_resolve: DurationSummary
    time_to_close: DurationSummary
    reopen_rate: Rate
    response_sla: Rate | None
    resolution_sla: Rate | None
    exported_sla: Rate
    open_at_end: int
    open_age: DurationSummary
    breached_rows: int = 0

    @property
    def resolution_sla_breaches(self) -> int | None:
        """Faults whose resolution SLA was breached (decided, not met); ``None``
        without an SLA policy."""
        rate = self.resolution_sla
        return None if rate is None else rate.denominator - rate.numerator

    @property
    def empty(self) -> bool:
        """The group holds no fault."""
        return self.faults == 0


@attrs.frozen(kw_only=True)
class Group:
    """The figures of the faults sharing one group key.

    Attributes:
        key: one value per grouping dimension, in the order asked for.
        figures: the group's figures (``figures.empty`` for a period with no fault).
    """

    key: tuple[GroupValue, ...]
    figures: HandlingFigures


@attrs.frozen(kw_only=True)
class HandlingReport:
    """Every response and repair figure of an event log, overall and per group.

    Attributes:
        rows: rows read.
        faults: faults (incidents) seen.
        transitions: changes of state (repeated states collapsed).
        unknown_labels: rows skipped because their label is not in the label map.
        unknown_label_examples: up to ten distinct such labels, in order of first sight.
        clamped: corrections made: durations that came out negative (a row
            timestamped before the fault was opened), and stretches of a resolution
            SLA clock that ended before they began (rows out of time order), each
            counted as zero.
        sla_skipped: faults left out of SLA attainment because their business-time
            clock runs past the dates Python holds (years 1 to 9999: a typo in a year).
        group_by: the dimensions of the group keys.
        overall: the figures over every fault.
        groups: the figures per group key, sorted by key (``None`` last); when grouping
            by period alone, every period from the first to the last is listed, the
            empty ones too.
        reliability: MTRS, MTBF and MTBSI per component, by component name (see
            :mod:`faultkit.metrics.reliability`).
    """

    rows: int
    faults: int
    transitions: int
    unknown_labels: int
    unknown_label_examples: tuple[str, ...]
    clamped: int
    group_by: tuple[Dimension, ...]
    overall: HandlingFigures
    groups: tuple[Group, ...]
    reliability: tuple[ReliabilityFigure, ...]
    sla_skipped: int = 0

    def group(self, *key: GroupValue) -> HandlingFigures:
        """The figures of the group with this key, or empty figures if it has no fault.

        Args:
            *key: one value per dimension of :attr:`group_by`, in that order.

        Raises:
            InvalidInputError: the key has the wrong number of values.
        """
        if len(key) != len(self.group_by):
            raise InvalidInputError(
                "key", key, f"expected {len(self.group_by)} value(s), one per {self.group_by}"
            )
        for group in self.groups:
            if group.key == key:
                return group.figures
        return _no_faults(with_sla=self.overall.resolution_sla is not None)


def _no_faults(*, with_sla: bool) -> HandlingFigures:
    """The figures of a group with no fault: every sample empty."""
    nothing = DurationSummary(n=0)
    none = Rate(numerator=0, denominator=0)
    return HandlingFigures(
        faults=0,
        time_to_acknowledge=nothing,
        time_to_resolve=nothing,
        time_to_close=nothing,
        reopen_rate=none,
        response_sla=none if with_sla else None,
        resolution_sla=none if with_sla else None,
        exported_sla=none,
        open_at_end=0,
        open_age=nothing,
    )
