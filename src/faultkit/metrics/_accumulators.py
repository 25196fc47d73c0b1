"""The accumulators of one group of faults, and the state codes the reading loops use.

Internal to :mod:`faultkit.metrics` (shared by the loops, the fold and the partial
states); the public records are in :mod:`faultkit.metrics.figures`.
"""

from __future__ import annotations

from faultkit.lifecycle import StateCategory, Workflow
from faultkit.metrics.figures import HandlingFigures
from faultkit.metrics.stats import DurationAccumulator, Rate

__all__ = [
    "ACTIVE",
    "CLOSED",
    "CODES",
    "COMPACT_EVERY",
    "HOLD",
    "OPEN",
    "RESOLVED",
    "START",
    "Accumulator",
    "state_infos",
]

# Category codes used in the hot loop.
OPEN, ACTIVE, HOLD, RESOLVED, CLOSED = 0, 1, 2, 3, 4
CODES = {
    StateCategory.OPEN: OPEN,
    StateCategory.ACTIVE: ACTIVE,
    StateCategory.ON_HOLD: HOLD,
    StateCategory.RESOLVED: RESOLVED,
    StateCategory.CLOSED: CLOSED,
}
COMPACT_EVERY = 4096  # faults between checks of the exact-value lists

START = (-1, False)  # the "state" before a fault's first row


class Accumulator:
    """The accumulators of one group: plain lists and counters, cheap to add to."""

    __slots__ = (
        "ack",
        "breached_rows",
        "close",
        "faults",
        "flagged",
        "made",
        "open_age",
        "reopened",
        "resolve",
        "resolved_once",
        "response_decided",
        "response_met",
        "sla_decided",
        "sla_met",
    )

    def __init__(self, limit: int) -> None:
        self.faults = 0
        self.ack = DurationAccumulator(limit)
        self.resolve = DurationAccumulator(limit)
        self.close = DurationAccumulator(limit)
        self.open_age = DurationAccumulator(limit)
        self.resolved_once = 0
        self.reopened = 0
        self.sla_met = 0
        self.sla_decided = 0
        self.response_met = 0
        self.response_decided = 0
        self.made = 0
        self.flagged = 0
        self.breached_rows = 0

    @classmethod
    def merge(cls, parts: list[Accumulator], limit: int) -> Accumulator:
        """One accumulator holding everything ``parts`` hold."""
        out = cls(limit)
        for name in cls.__slots__:
            first = getattr(out, name)
            if isinstance(first, DurationAccumulator):
                setattr(
                    out, name, DurationAccumulator.merge([getattr(p, name) for p in parts], limit)
                )
            else:
                setattr(out, name, sum(getattr(p, name) for p in parts))
        return out

    def compact(self) -> None:
        self.ack.compact()
        self.resolve.compact()
        self.close.compact()
        self.open_age.compact()

    def figures(self, with_sla: bool) -> HandlingFigures:
        return HandlingFigures(
            faults=self.faults,
            time_to_acknowledge=self.ack.summary(),
            time_to_resolve=self.resolve.summary(),
            time_to_close=self.close.summary(),
            reopen_rate=Rate(numerator=self.reopened, denominator=self.resolved_once),
            response_sla=Rate(numerator=self.response_met, denominator=self.response_decided)
            if with_sla
            else None,
            resolution_sla=Rate(numerator=self.sla_met, denominator=self.sla_decided)
            if with_sla
            else None,
            exported_sla=Rate(numerator=self.made, denominator=self.flagged),
            open_at_end=self.open_age.n,
            open_age=self.open_age.summary(),
            breached_rows=self.breached_rows,
        )


def state_infos(workflow: Workflow) -> dict[str, tuple[int, bool]]:
    """label -> (category code, resolution clock runs); one tuple object per state.

    The tuple's identity stands for the state, so the hot loop tells states apart with
    ``is``. The resolution clock runs in open and active states that do not pause SLA
    clocks (as in :func:`faultkit.lifecycle.sla_status`).
    """
    per_state: dict[str, tuple[int, bool]] = {}
    out: dict[str, tuple[int, bool]] = {}
    for label, name in workflow.label_map.items():
        info = per_state.get(name)
        if info is None:
            state = workflow.state(name)
            code = CODES[state.category]
            runs = code in (OPEN, ACTIVE) and not state.pauses_sla
            info = per_state[name] = (code, runs)
        out[label] = info
    return out
