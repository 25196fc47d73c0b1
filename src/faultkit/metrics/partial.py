"""Mergeable partial states of the metrics figures: compute per chunk, combine, summarise.

A *partial state* holds what a figure needs from one chunk of the input (a file, a Dask
partition, a Spark ``mapInPandas`` batch) such that two states :meth:`merge` into the
state of both chunks. Merging is associative and commutative, so any split of the
input and any order of combining gives the same figure as one pass over everything:

- :class:`RateState`: numerator and denominator, added; :meth:`RateState.rate` is the
  :class:`~faultkit.metrics.Rate`. Exact.
- :class:`DurationState`: count, sum, minimum, maximum, and the values themselves
  while there are at most ``limit`` of them (exact median and P90, type 7, as
  :func:`faultkit.metrics.summarize` gives them). Past the limit the values are folded
  into the same log-bucketed DDSketch as :mod:`faultkit.metrics.stats` (Masson, Rim and
  Lee, VLDB 2019; ``alpha = 0.005``): bucket counts add up when states merge, so the
  merged sketch is the very sketch a single pass builds, and its median and P90 are
  within 0.5 % (relative) of the item of rank ``floor(q * (n - 1))``. Counts,
  minimum and maximum are exact; the mean is the exact sum over ``n`` up to float
  rounding (figures are given to the microsecond).

:func:`merge_all` folds any number of states (a tree of merges on a cluster gives the
same result).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from functools import reduce
from types import MappingProxyType
from typing import Any, TypeVar

import attrs

from faultkit import _validators as v
from faultkit.dimensions import ROW_DIMENSIONS, Dimension
from faultkit.errors import InvalidInputError
from faultkit.feedback.periods import Period
from faultkit.lifecycle import BusinessCalendar, SlaPolicy, Workflow
from faultkit.metrics._accumulators import Accumulator, state_infos
from faultkit.metrics._fold import Fold, build_report
from faultkit.metrics._loops import read_contiguous, read_interleaved
from faultkit.metrics.figures import HandlingReport
from faultkit.metrics.grouping import GroupValue, check_dimensions
from faultkit.metrics.handling import handling_metrics
from faultkit.metrics.reliability import Timeline
from faultkit.metrics.stats import (
    DEFAULT_EXACT_LIMIT,
    SKETCH_SCALE,
    DurationAccumulator,
    DurationSummary,
    Rate,
)

__all__ = ["DurationState", "HandlingState", "RateState", "merge_all"]


@attrs.frozen(kw_only=True)
class RateState:
    """``numerator`` out of ``denominator`` over a chunk; merging adds both.

    Attributes:
        numerator: items that count (met the target, reopened, ...).
        denominator: items that could count.
    """

    numerator: int = attrs.field(default=0, validator=v.non_negative_int)
    denominator: int = attrs.field(default=0, validator=v.non_negative_int)

    def __attrs_post_init__(self) -> None:
        if self.numerator > self.denominator:
            raise InvalidInputError(
                "numerator", self.numerator, f"is larger than the denominator {self.denominator}"
            )

    @classmethod
    def of(cls, flags: Iterable[bool | None]) -> RateState:
        """The state of a chunk of yes/no items; ``None`` (undecided) items are left out."""
        numerator = denominator = 0
        for flag in flags:
            if flag is None:
                continue
            denominator += 1
            numerator += bool(flag)
        return cls(numerator=numerator, denominator=denominator)

    def merge(self, other: RateState) -> RateState:
        """The state of both chunks."""
        return RateState(
            numerator=self.numerator + other.numerator,
            denominator=self.denominator + other.denominator,
        )

    def rate(self) -> Rate:
        """The figure: :class:`~faultkit.metrics.Rate`."""
        return Rate(numerator=self.numerator, denominator=self.denominator)


def _frozen_buckets(value: Mapping[int, int]) -> Mapping[int, int]:
    return MappingProxyType(dict(value))


def _tuple_of_floats(value: Iterable[float]) -> tuple[float, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class DurationState:
    """Durations (in seconds) of a chunk: exact values up to ``limit``, a DDSketch beyond.

    Build one with :meth:`of`; combine with :meth:`merge`; read the figure with
    :meth:`summary`. The fields are the state itself (plain numbers, so it pickles and
    serialises cheaply).

    Attributes:
        limit: values kept exactly before switching to the sketch (the
            ``exact_limit`` of :func:`faultkit.metrics.summarize`).
        n: how many durations.
        total: their sum in seconds.
        minimum: the shortest (``inf`` when empty).
        maximum: the longest (``-inf`` when empty).
        values: the durations, while ``n <= limit``; empty once sketched.
        zeros: sketched durations of zero seconds.
        buckets: sketch bucket index -> count (empty while exact).
    """

    limit: int = attrs.field(default=DEFAULT_EXACT_LIMIT, validator=v.non_negative_int)
    n: int = attrs.field(default=0, validator=v.non_negative_int)
    total: float = 0.0
    minimum: float = math.inf
    maximum: float = -math.inf
    values: tuple[float, ...] = attrs.field(default=(), converter=_tuple_of_floats)
    zeros: int = attrs.field(default=0, validator=v.non_negative_int)
    buckets: Mapping[int, int] = attrs.field(factory=dict, converter=_frozen_buckets)

    @property
    def sketched(self) -> bool:
        """More than ``limit`` durations: median and P90 come from the sketch."""
        return self.n > self.limit

    @classmethod
    def of(cls, seconds: Iterable[float], *, limit: int = DEFAULT_EXACT_LIMIT) -> DurationState:
        """The state of a chunk of durations in seconds (not negative, finite).

        Raises:
            InvalidInputError: a negative or non-finite value, naming its position.
        """
        values = []
        for index, x in enumerate(seconds):
            number = float(x)
            if not math.isfinite(number) or number < 0.0:
                raise InvalidInputError(
                    f"seconds[{index}]", x, "expected a finite, non-negative number"
                )
            values.append(number)
        return cls._from_values(values, limit)

    @classmethod
    def of_timedeltas(
        cls, durations: Iterable[timedelta], *, limit: int = DEFAULT_EXACT_LIMIT
    ) -> DurationState:
        """:meth:`of` for :class:`~datetime.timedelta` values."""
        seconds = []
        for index, item in enumerate(durations):
            if not isinstance(item, timedelta):
                raise InvalidInputError(f"durations[{index}]", item, "expected a timedelta")
            seconds.append(item.total_seconds())
        return cls.of(seconds, limit=limit)

    @classmethod
    def _from_values(cls, values: list[float], limit: int) -> DurationState:
        if not values:
            return cls(limit=limit)
        state = cls(
            limit=limit,
            n=len(values),
            total=math.fsum(values),
            minimum=min(values),
            maximum=max(values),
            values=values,
        )
        return state._sketch() if state.sketched else state

    def _sketch(self) -> DurationState:
        """The same durations with the exact values folded into the buckets."""
        if not self.values:
            return self
        positive = [x for x in self.values if x > 0.0]
        buckets = Counter(self.buckets)
        log, ceil, scale = math.log, math.ceil, SKETCH_SCALE
        buckets.update([ceil(log(x) * scale) for x in positive])
        return attrs.evolve(
            self,
            values=(),
            zeros=self.zeros + len(self.values) - len(positive),
            buckets=buckets,
        )

    def merge(self, other: DurationState) -> DurationState:
        """The state of both chunks (the limit of ``self`` is kept).

        Raises:
            InvalidInputError: the two states have different limits.
        """
        if other.limit != self.limit:
            raise InvalidInputError(
                "limit", other.limit, f"cannot merge states of limits {self.limit} and it"
            )
        if not other.n:
            return self
        if not self.n:
            return other
        n = self.n + other.n
        if n <= self.limit:
            values = self.values + other.values
            return attrs.evolve(
                self,
                n=n,
                total=math.fsum(values),
                minimum=min(self.minimum, other.minimum),
                maximum=max(self.maximum, other.maximum),
                values=values,
            )
        left, right = self._sketch(), other._sketch()
        buckets = Counter(left.buckets)
        buckets.update(right.buckets)
        return DurationState(
            limit=self.limit,
            n=n,
            total=left.total + right.total,
            minimum=min(left.minimum, right.minimum),
            maximum=max(left.maximum, right.maximum),
            values=(),
            zeros=left.zeros + right.zeros,
            buckets=buckets,
        )

    def summary(self) -> DurationSummary:
        """The figure, as :func:`faultkit.metrics.summarize` gives it for the same durations."""
        acc = DurationAccumulator(self.limit)
        if not self.sketched:
            acc.values = list(self.values)
            return acc.summary()
        state = self._sketch()
        acc.sketched = state.n
        acc.total = state.total
        acc.minimum = state.minimum
        acc.maximum = state.maximum
        acc.zeros = state.zeros
        acc.buckets = Counter(state.buckets)
        return acc.summary()


class HandlingState:
    """The partial state of :func:`faultkit.metrics.handling_metrics` over a chunk of faults.

    Each group's accumulators (counts and :class:`DurationState`-like duration
    accumulators), the MTBF spans per component and the row counts. Two states of
    *disjoint sets of whole faults* merge into the state of both; :meth:`report` gives
    the very :class:`~faultkit.metrics.HandlingReport` one pass over all the rows gives
    (exactly, while each group holds at most ``exact_limit`` durations; past it the
    sketched median and P90 are the single pass's, the mean the same to the
    microsecond). A fault's rows must all be in one chunk (split exports by incident:
    a fault cut in two would count as two).

    Build with :meth:`of`; the arguments are those of ``handling_metrics`` and must be
    the same for states that merge.
    """

    __slots__ = (
        "clamped",
        "components",
        "examples",
        "faults",
        "groups",
        "overall",
        "params",
        "rows",
        "sla_skipped",
        "transitions",
        "unknown",
    )

    params: tuple[Any, ...]
    groups: dict[tuple[GroupValue, ...], Accumulator]
    overall: Accumulator
    components: dict[str | None, Timeline]
    clamped: int
    sla_skipped: int
    rows: int
    faults: int
    transitions: int
    unknown: int
    examples: tuple[str, ...]

    def __init__(self) -> None:
        """Use :meth:`of`: a state starts from rows."""
        self.params = ()
        self.groups = {}
        self.overall = Accumulator(DEFAULT_EXACT_LIMIT)
        self.components = {}
        self.clamped = self.rows = self.faults = self.transitions = self.unknown = 0
        self.sla_skipped = 0
        self.examples = ()

    @classmethod
    def of(
        cls,
        rows: Iterable[Any],
        workflow: Workflow,
        *,
        now: datetime,
        group_by: Sequence[Dimension] = (),
        period: Period = Period.MONTH,
        tz: tzinfo = UTC,
        sla: SlaPolicy | None = None,
        calendar: BusinessCalendar | None = None,
        contiguous: bool = True,
        exact_limit: int = DEFAULT_EXACT_LIMIT,
    ) -> HandlingState:
        """The state of one chunk of rows (whole faults); arguments as ``handling_metrics``.

        Raises:
            InvalidInputError: a bad argument, as ``handling_metrics`` raises it.
        """
        # the arguments are checked by handling_metrics itself, on no rows
        handling_metrics(
            (),
            workflow,
            now=now,
            group_by=group_by,
            period=period,
            tz=tz,
            sla=sla,
            calendar=calendar,
            exact_limit=exact_limit,
        )
        dims = check_dimensions(group_by, ROW_DIMENSIONS)
        state = cls()
        state.params = (now, dims, period, tz, sla, calendar, exact_limit)
        fold = state._fold()
        infos = state_infos(workflow)
        read = read_contiguous if contiguous else read_interleaved
        state.rows, state.faults, state.transitions, state.unknown, examples = read(
            rows, infos, fold
        )
        state.examples = tuple(examples)
        state.groups = fold.groups
        state.overall = fold.overall
        state.components = fold.components
        state.clamped = fold.clamped
        state.sla_skipped = fold.sla_skipped
        return state

    def _fold(self) -> Fold:
        now, dims, period, tz, sla, calendar, limit = self.params
        return Fold(
            now=now,
            group_by=dims,
            period=period,
            tz=tz,
            sla=sla,
            calendar=calendar,
            exact_limit=limit,
        )

    def merge(self, other: HandlingState) -> HandlingState:
        """The state of both chunks (neither is changed).

        Raises:
            InvalidInputError: the states were built with different arguments.
        """
        if not other.params:
            return self
        if not self.params:
            return other
        if other.params != self.params:
            raise InvalidInputError(
                "params", other.params, "states of different handling_metrics arguments"
            )
        limit = self.params[-1]
        out = HandlingState()
        out.params = self.params
        out.groups = {
            key: Accumulator.merge(
                [acc for acc in (self.groups.get(key), other.groups.get(key)) if acc], limit
            )
            for key in {**self.groups, **other.groups}
        }
        out.overall = Accumulator.merge([self.overall, other.overall], limit)
        components = dict(self.components)
        for component, timeline in other.components.items():
            seen = components.get(component)
            components[component] = timeline if seen is None else seen.merge(timeline)
        out.components = components
        out.clamped = self.clamped + other.clamped
        out.sla_skipped = self.sla_skipped + other.sla_skipped
        out.rows = self.rows + other.rows
        out.faults = self.faults + other.faults
        out.transitions = self.transitions + other.transitions
        out.unknown = self.unknown + other.unknown
        out.examples = tuple(dict.fromkeys((*self.examples, *other.examples)))[:10]
        return out

    def report(self) -> HandlingReport:
        """The figures: the ``HandlingReport`` of every row the merged chunks held."""
        fold = self._fold()
        fold.groups = dict(self.groups)
        fold.overall = self.overall
        fold.components = dict(self.components)
        fold.clamped = self.clamped
        fold.sla_skipped = self.sla_skipped
        _now, dims, period, *_rest = self.params
        return build_report(
            fold,
            dims,
            period,
            self.rows,
            self.faults,
            self.transitions,
            self.unknown,
            list(self.examples),
        )


_State = TypeVar("_State", RateState, DurationState, HandlingState)


def merge_all(states: Iterable[_State], empty: _State) -> _State:
    """Merge any number of states into one; ``empty`` when there are none.

    >>> merge_all([RateState(numerator=1, denominator=2), RateState(numerator=3, denominator=4)],
    ...           RateState()).rate().value
    0.6666666666666666
    """
    merged: Any = reduce(lambda a, b: a.merge(b), states, empty)
    result: _State = merged
    return result
