"""Result records every figure is given in, and the streamed accumulators behind them.

Every figure carries its sample size, and an empty sample says so instead of dividing
by zero:

- :class:`DurationSummary`: ``n``, mean, median, 90th percentile, minimum and maximum
  of a set of durations; all ``None`` when ``n == 0``.
- :class:`Rate`: ``numerator`` out of ``denominator``; :attr:`Rate.value` is ``None``
  when the denominator is 0.

Quantiles are Hyndman & Fan type 7 (linear interpolation; the same definition as
:func:`faultkit.scoring.quantile`, which computes them) as long as a group holds at most
``exact_limit`` values (10,000 by default). Beyond that the values are folded into a
log-bucketed sketch (the DDSketch of Masson, Rim and Lee, "DDSketch: a fast and
fully-mergeable quantile sketch with relative-error guarantees", VLDB 2019) so that
memory stays bounded however many faults are read::

    gamma = (1 + alpha) / (1 - alpha)             alpha = 0.005 (0.5 %)
    bucket(x) = ceil(log(x) / log(gamma))         for x > 0; x == 0 has its own bucket
    value(bucket i) = 2 * gamma ** i / (gamma + 1)

and a quantile is the value of the bucket holding the item of rank
``floor(q * (n - 1))`` (within 0.5 % of that item). The summary then says
``exact=False``. Mean, minimum and maximum are always exact.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import timedelta
from itertools import repeat
from operator import mul
from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.scoring import quantile

__all__ = ["DEFAULT_EXACT_LIMIT", "DurationSummary", "Rate", "summarize"]

DEFAULT_EXACT_LIMIT = 10_000
"""How many values a group keeps exactly before it switches to the quantile sketch."""

_ALPHA = 0.005
_GAMMA = (1 + _ALPHA) / (1 - _ALPHA)
_LOG_GAMMA = math.log(_GAMMA)
SKETCH_SCALE = 1.0 / _LOG_GAMMA


@attrs.frozen(kw_only=True)
class DurationSummary:
    """Mean, median, 90th percentile, minimum and maximum of ``n`` durations.

    Attributes:
        n: the sample size (how many durations were measured).
        mean: the arithmetic mean, or ``None`` when ``n == 0``.
        median: the 50th percentile (type 7), or ``None`` when ``n == 0``.
        p90: the 90th percentile (type 7), or ``None`` when ``n == 0``.
        minimum: the shortest duration, or ``None`` when ``n == 0``.
        maximum: the longest duration, or ``None`` when ``n == 0``.
        exact: ``True`` when median and P90 are exact; ``False`` when the group was
            larger than the exact limit and they come from the sketch (within 0.5 %).
    """

    n: int = attrs.field(validator=v.non_negative_int)
    mean: timedelta | None = attrs.field(
        default=None, validator=attrs.validators.optional(v.instance(timedelta))
    )
    median: timedelta | None = attrs.field(
        default=None, validator=attrs.validators.optional(v.instance(timedelta))
    )
    p90: timedelta | None = attrs.field(
        default=None, validator=attrs.validators.optional(v.instance(timedelta))
    )
    minimum: timedelta | None = attrs.field(
        default=None, validator=attrs.validators.optional(v.instance(timedelta))
    )
    maximum: timedelta | None = attrs.field(
        default=None, validator=attrs.validators.optional(v.instance(timedelta))
    )
    exact: bool = attrs.field(default=True, validator=v.is_bool)

    def __attrs_post_init__(self) -> None:
        figures = (self.mean, self.median, self.p90, self.minimum, self.maximum)
        if self.n == 0 and any(figure is not None for figure in figures):
            raise InvalidInputError("n", self.n, "an empty summary has no figures")
        if self.n > 0 and any(figure is None for figure in figures):
            raise InvalidInputError("n", self.n, "a summary of n > 0 durations needs every figure")

    @property
    def empty(self) -> bool:
        """No duration was measured (every figure is ``None``)."""
        return self.n == 0


@attrs.frozen(kw_only=True)
class Rate:
    """``numerator`` out of ``denominator``, as a fraction.

    Attributes:
        numerator: how many items count (reopened, met the target, ...).
        denominator: how many items could count (the sample size).
    """

    numerator: int = attrs.field(validator=v.non_negative_int)
    denominator: int = attrs.field(validator=v.non_negative_int)

    def __attrs_post_init__(self) -> None:
        if self.numerator > self.denominator:
            raise InvalidInputError(
                "numerator", self.numerator, f"is larger than the denominator {self.denominator}"
            )

    @property
    def n(self) -> int:
        """The sample size (the denominator)."""
        return self.denominator

    @property
    def empty(self) -> bool:
        """Nothing could count: the rate is undefined."""
        return self.denominator == 0

    @property
    def value(self) -> float | None:
        """``numerator / denominator`` (0 to 1), or ``None`` for an empty sample."""
        if self.denominator == 0:
            return None
        return self.numerator / self.denominator

    @property
    def percent(self) -> float | None:
        """The rate in percent (0 to 100), or ``None`` for an empty sample."""
        value = self.value
        return None if value is None else 100.0 * value


class DurationAccumulator:
    """Streamed accumulator of durations in seconds: exact up to a limit, then a sketch.

    Callers append seconds to :attr:`values` (a plain list, cheap) and call
    :meth:`compact` now and then; once the list has held more than ``limit`` values,
    :meth:`compact` folds it into the sketch and empties it.
    """

    __slots__ = ("buckets", "limit", "maximum", "minimum", "sketched", "total", "values", "zeros")

    def __init__(self, limit: int = DEFAULT_EXACT_LIMIT) -> None:
        self.limit = limit
        self.values: list[float] = []
        self.sketched = 0  # values folded into the sketch so far
        self.total = 0.0
        self.minimum = math.inf
        self.maximum = -math.inf
        self.buckets: Counter[int] = Counter()
        self.zeros = 0

    @property
    def n(self) -> int:
        return self.sketched + len(self.values)

    def add(self, seconds: float) -> None:
        self.values.append(seconds)
        if len(self.values) > self.limit:
            self.compact()

    @classmethod
    def merge(cls, parts: list[DurationAccumulator], limit: int) -> DurationAccumulator:
        """One accumulator holding every value of ``parts`` (exact while it can be)."""
        out = cls(limit)
        for part in parts:
            out.values.extend(part.values)
            out.sketched += part.sketched
            out.total += part.total
            out.minimum = min(out.minimum, part.minimum)
            out.maximum = max(out.maximum, part.maximum)
            out.buckets.update(part.buckets)
            out.zeros += part.zeros
        out.compact()
        return out

    def compact(self) -> None:
        values = self.values
        if not values or (not self.sketched and len(values) <= self.limit):
            return
        self.sketched += len(values)
        self.total += math.fsum(values)
        self.minimum = min(self.minimum, min(values))
        self.maximum = max(self.maximum, max(values))
        positive = [x for x in values if x > 0.0]
        self.zeros += len(values) - len(positive)
        # ceil(log(x) * scale) for each value, the loop in C
        self.buckets.update(map(math.ceil, map(mul, map(math.log, positive), repeat(SKETCH_SCALE))))
        values.clear()

    def _sketch_quantile(self, q: float) -> float:
        rank = math.floor(q * (self.sketched - 1))
        if rank < self.zeros:
            return 0.0
        seen = self.zeros
        for index in sorted(self.buckets):
            seen += self.buckets[index]
            if seen > rank:
                value = 2.0 * _GAMMA**index / (_GAMMA + 1.0)
                return min(max(value, self.minimum), self.maximum)
        return self.maximum  # pragma: no cover - the ranks add up to n

    def summary(self) -> DurationSummary:
        values = self.values
        if self.sketched:
            self.compact()
        elif not values:
            return DurationSummary(n=0)
        else:
            return DurationSummary(
                n=len(values),
                mean=_td(math.fsum(values) / len(values)),
                median=_td(quantile(values, 0.5)),
                p90=_td(quantile(values, 0.9)),
                minimum=_td(min(values)),
                maximum=_td(max(values)),
                exact=True,
            )
        return DurationSummary(
            n=self.sketched,
            mean=_td(self.total / self.sketched),
            median=_td(self._sketch_quantile(0.5)),
            p90=_td(self._sketch_quantile(0.9)),
            minimum=_td(self.minimum),
            maximum=_td(self.maximum),
            exact=False,
        )


def _td(seconds: float) -> timedelta:
    """Seconds as a timedelta, rounded to the microsecond."""
    return timedelta(microseconds=round(seconds * 1_000_000))


def summarize(durations: Any, *, exact_limit: int = DEFAULT_EXACT_LIMIT) -> DurationSummary:
    """The :class:`DurationSummary` of an iterable of timedeltas (read once).

    Args:
        durations: any iterable of non-negative :class:`datetime.timedelta` values.
        exact_limit: how many values to keep for exact quantiles before switching to
            the sketch (see the module docstring).

    Raises:
        InvalidInputError: an item is not a timedelta or is negative.
    """
    acc = DurationAccumulator(exact_limit)
    for index, item in enumerate(durations):
        if not isinstance(item, timedelta):
            raise InvalidInputError(f"durations[{index}]", item, "expected a timedelta")
        if item < timedelta(0):
            raise InvalidInputError(f"durations[{index}]", item, "must not be negative")
        acc.add(item.total_seconds())
    return acc.summary()
