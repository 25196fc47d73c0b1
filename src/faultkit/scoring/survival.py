"""The Kaplan-Meier estimator: durations when some are not finished yet (right-censored).

A fault still open after 30 days is not a 30-day fault: it will take *at least* 30
days. Leaving such faults out biases every duration quantile down, exactly where the
long faults are; counting them as finished does the same. Kaplan & Meier (1958) use
each open fault for as long as it is known to be open.

With the distinct times ``t_1 < t_2 < ...`` (0 and every duration of a resolved fault),
``n_i`` the observations still at risk at ``t_i`` (duration >= ``t_i``) and ``d_i`` the
faults resolved at ``t_i``::

    S(t)   = prod over t_i <= t of (1 - d_i / n_i)         (the share still open at t)
           = exp(sum over t_i <= t of (log(n_i - d_i) - log(n_i)))
    V(t)   = sum over t_i <= t of d_i / (n_i (n_i - d_i))  (Greenwood; 0 when n_i = d_i)

S is computed as the exponential of the sum of logs, as lifelines does
(``lifelines.fitters.kaplan_meier_fitter``, ``_additive_f``), so that it agrees with
lifelines to the last bits and a median that falls exactly on ``S(t) = 0.5`` is the
same time.

**Quantiles.** The time by which a share ``q`` of faults is resolved is the first time
the survival function falls to ``1 - q`` or below, ``Q(q) = min{t_i : S(t_i) <= 1 - q}``
(lifelines' ``qth_survival_time(1 - q)``: the median is the first time ``S(t) <= 0.5``).
When ``S`` never falls that low (the longest faults are still open), the quantile is
unknown - longer than anything seen - and ``None`` here (``inf`` in lifelines).

One deliberate difference: the comparison allows :data:`LEVEL_TOLERANCE` (1e-10) of
rounding. In exact arithmetic six faults resolved after 1, 2, ... 6 hours have
``S(3 h) = 0.5`` and the median is 3 hours; the sum of logs gives
``0.5000000000000001`` and lifelines answers 4 hours (the same happens to 41 of the 597
P10, P50 and P90 of the samples ``1, 2, ... n`` for n = 1-199). Here the answer is 3
hours; everywhere else it is lifelines' to the bit.

**Confidence intervals.** The pointwise band of ``S`` is the exponential Greenwood
("log-log") interval, Kalbfleisch & Prentice (1980), with ``z`` the ``1 - alpha/2``
normal quantile::

    v = log S(t),  lower(t) = exp(-exp(log(-v) - z sqrt(V(t)) / v)),
                   upper(t) = exp(-exp(log(-v) + z sqrt(V(t)) / v))

(1 where ``S = 1``, 0 where ``S = 0``). The interval of a quantile inverts that band,
after Brookmeyer & Crowley (1982): ``(first t with lower(t) <= 1 - q, first t with
upper(t) <= 1 - q)``, either end ``None`` when not reached. This is how lifelines
computes the interval of the median (``median_survival_times(kmf.confidence_interval_)``
in its documentation; ``_bounds`` in ``lifelines/fitters/kaplan_meier_fitter.py``,
lifelines 0.30).

**Two engines, one curve.** From :data:`NUMPY_FROM` durations, when numpy is
importable (the ``arrow`` and ``cli`` extras bring it; the core does not need it), the
fit runs as array operations in :mod:`faultkit.scoring.survival_numpy`; otherwise, and
on request (``engine="python"``), in pure Python: ``O(n log n)`` - durations that
repeat are counted and only the distinct values sorted, mostly distinct ones are
sorted - computed column by column with ``map`` and ``accumulate``. Durations are read
as floats (ints past 2**53 that round to one float are one time, as in numpy). Both
engines agree to 1e-12 (a property test) and both equal lifelines to 1e-9. A query is
a binary search. ``benchmarks/bench_km.py`` times the fit against lifelines: on a
million durations the numpy engine takes 0.4-0.7x lifelines' time, pure Python 1.5-2x.
"""

from __future__ import annotations

import math
import sys
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from itertools import accumulate, compress, repeat
from operator import add, lt, mul, ne, neg, not_, sub, truediv
from statistics import NormalDist
from typing import TYPE_CHECKING, Any, Literal

from faultkit.errors import InvalidInputError

if TYPE_CHECKING:
    from faultkit.scoring.survival_numpy import Columns

__all__ = ["LEVEL_TOLERANCE", "NUMPY_FROM", "Engine", "KaplanMeier"]

Engine = Literal["auto", "python", "numpy"]
"""How :meth:`KaplanMeier.fit` computes: numpy when worth it and importable, or either."""

NUMPY_FROM = 64
"""From this many durations ``engine="auto"`` fits with numpy (when importable).

Below it the pure-Python fit is as fast or faster (numpy's fixed costs dominate);
above it numpy is several times faster (``benchmarks/bench_km.py``).
"""

LEVEL_TOLERANCE = 1e-10
"""Rounding allowed when a curve is compared with a level: ``S(t) <= level + 1e-10``.

The curve is a sum of up to a million logarithms; its rounding error stays far below
this, and two distinct exact values of ``S`` this close are out of reach of real data.
"""


def _first_at_or_below(
    times: tuple[float, ...], curve: tuple[float, ...], level: float
) -> float | None:
    """The first time whose curve value is ``<= level`` (curves never rise), else None.

    Within :data:`LEVEL_TOLERANCE`.
    """
    level += LEVEL_TOLERANCE
    if not curve or curve[-1] > level:
        return None
    low, high = 0, len(curve) - 1
    while low < high:
        mid = (low + high) // 2
        if curve[mid] <= level:
            high = mid
        else:
            low = mid + 1
    return times[low]


def _numpy_fit(
    engine: str, n: int
) -> Callable[[list[Any], list[Any] | None, float], Columns | None] | None:
    """The numpy fit when ``engine`` and ``n`` call for it, else ``None`` (pure Python)."""
    if engine == "python" or (engine == "auto" and n < NUMPY_FROM):
        return None
    try:
        from faultkit.scoring.survival_numpy import fit_columns
    except ModuleNotFoundError as error:
        if error.name != "numpy":  # pragma: no cover - a broken installation
            raise
        if engine == "numpy":
            raise InvalidInputError(
                "engine", engine, "numpy is not installed (it comes with the arrow extra)"
            ) from None
        return None
    return fit_columns


def _as_floats(values: list[Any]) -> list[float]:
    """The durations as floats (ints past float precision merge, as in numpy and lifelines)."""
    try:
        return list(map(float, values))
    except OverflowError:  # an int past the largest float
        _check_durations(values)
        raise  # pragma: no cover - _check_durations raised


def _check_durations(durations: list[Any]) -> None:
    for index, value in enumerate(durations):
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (isinstance(value, int) and value > sys.float_info.max)
            or not math.isfinite(value)
            or value < 0
        ):
            raise InvalidInputError(
                f"durations[{index}]", value, "expected a finite number of seconds >= 0"
            )


def _mostly_distinct(values: list[Any], sample_size: int = 4096) -> bool:
    """Whether more than a quarter of ``values`` are distinct (then sorting beats counting).

    Estimated from an evenly spaced sample of ``s`` values with ``r`` repeats: about
    ``s**2 / (2 r)`` distinct values in all (the birthday problem). Only speed depends
    on it: both ways give the same rows.
    """
    n = len(values)
    if n <= sample_size:
        return len(set(values)) * 4 > n
    sample = values[:: n // sample_size]
    repeats = len(sample) - len(set(sample))
    return repeats == 0 or len(sample) ** 2 / (2 * repeats) * 4 > n


_Rows = tuple[list[Any], list[int], list[int]]


def _check_range(distinct: Iterable[Any], values: list[Any]) -> None:
    """Refuse NaN, infinity and negative durations (``distinct``: the values, or their set)."""
    if any(map(math.isnan, distinct)) or min(distinct) < 0 or max(distinct) == math.inf:
        _check_durations(values)  # finds the index


def _rows_by_counting(values: list[Any], flags: list[Any]) -> _Rows:
    """Resolution times, resolved counts and numbers at risk, from counts (many ties)."""
    removed = Counter(values)
    _check_range(removed, values)
    censored = Counter(compress(values, map(not_, flags)))
    times = sorted(removed)
    gone = list(map(removed.__getitem__, times))
    events = list(map(sub, gone, map(censored.get, times, repeat(0))))
    at_risk = accumulate(gone[:-1], sub, initial=len(values))
    return (
        list(compress(times, events)),
        list(compress(events, events)),
        list(compress(at_risk, events)),
    )


def _rows_by_sorting(values: list[Any], flags: list[Any]) -> _Rows:
    """The same rows from sorted lists (mostly distinct values: counting would not pay).

    The censored durations below each resolution time come from one stable merge of the
    two sorted lists: resolved durations first among equals, so the merged position of
    the i-th resolved duration minus i is the number of censored ones strictly below.
    """
    _check_range(values, values)
    done = sorted(compress(values, flags))
    k = len(done)
    if not k:
        return [], [], []
    new = [True]
    new.extend(map(ne, done[1:], done[:-1]))
    starts = list(compress(range(k), new))
    times = list(compress(done, new))
    ends = starts[1:]
    ends.append(k)
    events = list(map(sub, ends, starts))
    cut = sorted(compress(values, map(not_, flags)))
    before = map(sub, repeat(len(values)), starts)
    if not cut:
        return times, events, list(before)
    both = done + cut
    order = sorted(range(len(both)), key=both.__getitem__)
    position = list(compress(range(len(both)), map(lt, order, repeat(k))))
    cut_below = map(sub, map(position.__getitem__, starts), starts)
    return times, events, list(map(sub, before, cut_below))


class KaplanMeier:
    """A fitted Kaplan-Meier survival curve of durations, some right-censored.

    Build it with :meth:`fit`. ``times`` are 0 and every distinct duration of a resolved
    fault (where the curve steps), ascending; ``at_risk`` and ``events`` the ``n_i`` and
    ``d_i`` there;
    ``survival``, ``lower`` and ``upper`` hold ``S``, and its confidence band, at each
    (see the module docstring for the formulas).

    >>> km = KaplanMeier.fit([1, 2, 2, 3], observed=[True, False, True, True])
    >>> [round(s, 12) for s in km.survival]
    [1.0, 0.75, 0.5, 0.0]
    >>> km.median, km.quantile(0.25), km.quantile(0.9)
    (2.0, 1.0, 3.0)
    >>> KaplanMeier.fit([5, 8, 9], observed=[True, False, False]).median is None
    True
    """

    __slots__ = ("alpha", "at_risk", "events", "lower", "n", "survival", "times", "upper")

    times: tuple[float, ...]
    survival: tuple[float, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    at_risk: tuple[int, ...]
    events: tuple[int, ...]
    n: int
    alpha: float

    def __init__(
        self,
        times: tuple[float, ...],
        survival: tuple[float, ...],
        lower: tuple[float, ...],
        upper: tuple[float, ...],
        at_risk: tuple[int, ...],
        events: tuple[int, ...],
        alpha: float,
    ) -> None:
        self.times = times
        self.survival = survival
        self.lower = lower
        self.upper = upper
        self.at_risk = at_risk
        self.events = events
        self.n = at_risk[0] if at_risk else 0
        self.alpha = alpha

    @classmethod
    def fit(
        cls,
        durations: Iterable[float],
        observed: Iterable[bool] | None = None,
        *,
        alpha: float = 0.05,
        engine: Engine = "auto",
    ) -> KaplanMeier:
        """Fit the curve to ``durations`` (seconds, or any unit; not negative).

        Args:
            durations: how long each fault took (resolved) or has been open so far.
            observed: ``True`` for a resolved fault, ``False`` for one still open
                (right-censored); all resolved when ``None``.
            alpha: ``1 -`` the confidence level of the band (0.05: 95 %).
            engine: ``"auto"`` fits with numpy from :data:`NUMPY_FROM` durations when
                numpy is importable, in pure Python otherwise; ``"python"`` and
                ``"numpy"`` choose (both give the same curve, see
                :mod:`faultkit.scoring.survival_numpy`).

        Raises:
            InvalidInputError: no durations, a duration that is not a finite number
                ``>= 0`` or a flag that is not a ``bool`` (naming its index), lengths
                that differ, ``alpha`` outside (0, 1), or an unknown ``engine`` (or
                ``"numpy"`` without numpy installed).
        """
        if engine not in ("auto", "python", "numpy"):
            raise InvalidInputError("engine", engine, "expected 'auto', 'python' or 'numpy'")
        if isinstance(alpha, bool) or not isinstance(alpha, int | float) or not 0 < alpha < 1:
            raise InvalidInputError("alpha", alpha, "expected a number between 0 and 1")
        values = durations if isinstance(durations, list) else list(durations)
        if not values:
            raise InvalidInputError("durations", values, "need at least one duration")
        if observed is None:
            flags: list[Any] = [True] * len(values)
        else:
            flags = observed if isinstance(observed, list) else list(observed)
            if len(flags) != len(values):
                raise InvalidInputError(
                    "observed", len(flags), f"expected one flag per duration ({len(values)})"
                )
            if not set(map(type, flags)) <= {bool}:
                index = next(i for i, f in enumerate(flags) if type(f) is not bool)
                raise InvalidInputError(f"observed[{index}]", flags[index], "expected a bool")
        kinds = set(map(type, values))
        if any(  # bool is refused here (True == 1 would merge with 1 when counted)
            issubclass(kind, bool) or not issubclass(kind, int | float) for kind in kinds
        ):
            _check_durations(values)
        n = len(values)
        z = NormalDist().inv_cdf(1 - alpha / 2)
        fit_columns = _numpy_fit(engine, n)
        if fit_columns is not None:
            columns = fit_columns(values, None if observed is None else flags, z)
            if columns is None:
                _check_durations(values)  # names the duration out of range
                raise AssertionError("unreachable")  # pragma: no cover
            return cls(*columns, float(alpha))
        if any(issubclass(kind, int) for kind in kinds):
            values = _as_floats(values)  # as numpy and lifelines read them
        if _mostly_distinct(values):
            rows = _rows_by_sorting(values, flags)
        else:
            rows = _rows_by_counting(values, flags)
        return cls._from_rows(rows[0], rows[1], rows[2], n, alpha, z)

    @classmethod
    def _from_rows(
        cls,
        times: list[Any],
        events: list[int],
        at_risk: list[int],
        n: int,
        alpha: float,
        z: float,
    ) -> KaplanMeier:
        # The curve changes only where faults are resolved: one row per such time (and
        # 0). Column by column with map / accumulate (C loops): a Python loop per row
        # would be 4x slower on a million distinct durations.
        if not times or times[0] != 0:
            times.insert(0, 0.0)
            events.insert(0, 0)
            at_risk.insert(0, n)
        survivors = list(map(sub, at_risk, events))
        # Only at the last time can everyone still at risk be resolved: S falls to 0.
        m = len(times) - 1 if survivors[-1] == 0 else len(times)
        log = math.log
        log_s = accumulate(map(sub, map(log, survivors[:m]), map(log, at_risk[:m])))
        survival = list(map(math.exp, log_s))
        var = list(accumulate(map(truediv, events[:m], map(mul, at_risk[:m], survivors[:m]))))
        first = min(0 if events[0] else 1, m)  # the first resolution; S = 1 before it
        lower = [1.0] * first
        upper = [1.0] * first
        if first < m:
            v = list(map(log, survival[first:m]))
            if 0.0 in v:  # pragma: no cover - S rounds to 1 only when d/n < 1e-16
                v = [x or -math.ulp(0.0) for x in v]
            spread = list(map(truediv, map(mul, repeat(z), map(math.sqrt, var[first:m])), v))
            base = list(map(log, map(neg, v)))
            exp = math.exp
            lower.extend(map(exp, map(neg, map(exp, map(sub, base, spread)))))
            upper.extend(map(exp, map(neg, map(exp, map(add, base, spread)))))
        if m < len(times):
            survival.append(0.0)
            lower.append(0.0)
            upper.append(0.0)
        return cls(
            tuple(map(float, times)),
            tuple(survival),
            tuple(lower),
            tuple(upper),
            tuple(at_risk),
            tuple(events),
            float(alpha),
        )

    # ------------------------------------------------------------------ queries

    @property
    def n_events(self) -> int:
        """How many of the durations were observed (resolved)."""
        return sum(self.events)

    @property
    def n_censored(self) -> int:
        """How many were right-censored (still open)."""
        return self.n - self.n_events

    def survival_at(self, t: float) -> float:
        """``S(t)``: the estimated share of faults still open after ``t`` (a step function)."""
        if isinstance(t, bool) or not isinstance(t, int | float) or math.isnan(t):
            raise InvalidInputError("t", t, "expected a number")
        index = bisect_right(self.times, t) - 1
        return 1.0 if index < 0 else self.survival[index]

    def time_at_survival(self, level: float) -> float | None:
        """The first time ``S(t) <= level`` (lifelines' ``qth_survival_time(level)``).

        Within :data:`LEVEL_TOLERANCE` (see the module docstring).
        """
        _check_share("level", level)
        return _first_at_or_below(self.times, self.survival, level)

    def quantile(self, q: float) -> float | None:
        """The time by which a share ``q`` of faults is resolved: first ``S(t) <= 1 - q``.

        ``None`` when the curve never falls that low (the long faults are still open).
        """
        _check_share("q", q)
        return self.time_at_survival(1 - q)

    @property
    def median(self) -> float | None:
        """The median duration, ``quantile(0.5)``: the first time ``S(t) <= 0.5``."""
        return self.time_at_survival(0.5)

    def quantile_interval(self, q: float) -> tuple[float | None, float | None]:
        """The ``1 - alpha`` confidence interval of :meth:`quantile` (Brookmeyer-Crowley).

        ``(first t with lower(t) <= 1 - q, first t with upper(t) <= 1 - q)``; an end is
        ``None`` when the band never falls that low.
        """
        _check_share("q", q)
        level = 1 - q
        return (
            _first_at_or_below(self.times, self.lower, level),
            _first_at_or_below(self.times, self.upper, level),
        )


def _check_share(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise InvalidInputError(name, value, "expected a number between 0 and 1")
