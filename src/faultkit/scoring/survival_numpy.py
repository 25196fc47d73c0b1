"""The Kaplan-Meier fit in numpy: the rows and the curve of :mod:`faultkit.scoring.survival`.

:meth:`faultkit.scoring.KaplanMeier.fit` uses it on large samples when numpy is
importable (numpy comes with the ``arrow`` and ``cli`` extras; the core does not need
it). The rules and formulas are the survival module's, written once more as array
operations:

- the resolved durations are sorted; each distinct one is a time ``t_i`` of the curve,
  ``d_i`` how often it occurs there, and ``n_i = n - #(durations < t_i)`` (a binary
  search in all the durations, sorted);
- ``S`` is ``exp(cumsum(log(n_i - d_i) - log(n_i)))``, the Greenwood sum
  ``cumsum(d_i / (n_i (n_i - d_i)))`` and the log-log band
  ``exp(-exp(log(-v) -/+ z sqrt(V) / v))`` with ``v = log S``: the same operations in
  the same order as the pure-Python path (``numpy.cumsum`` adds one term after the
  other, as ``itertools.accumulate`` does), so both paths give the same curve to a few
  units in the last place; a property test holds them to 1e-12.

On a million durations the sorting, counting and logarithms take a few tens of
milliseconds; most of the time goes into reading the Python lists and writing the
result tuples (``benchmarks/bench_km.py``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["Columns", "fit_columns"]

Columns = tuple[
    tuple[float, ...],
    tuple[float, ...],
    tuple[float, ...],
    tuple[float, ...],
    tuple[int, ...],
    tuple[int, ...],
]
"""``times, survival, lower, upper, at_risk, events`` of a fitted curve."""

_Floats = npt.NDArray[np.float64]
_Ints = npt.NDArray[np.int64]


def _rows(
    durations: _Floats, observed: npt.NDArray[np.bool_] | None
) -> tuple[_Floats, _Ints, _Ints]:
    """Times of resolution (0 first), resolved counts ``d_i`` and numbers at risk ``n_i``."""
    n = durations.size
    everything = np.sort(durations)
    done = everything if observed is None else np.sort(durations[observed])
    k = done.size
    if not k:
        return np.zeros(1), np.zeros(1, dtype=np.int64), np.full(1, n, dtype=np.int64)
    new = np.empty(k, dtype=np.bool_)
    new[0] = True
    np.not_equal(done[1:], done[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    times = done[starts]
    events = np.diff(starts, append=k).astype(np.int64)
    at_risk = n - np.searchsorted(everything, times, side="left").astype(np.int64)
    if times[0] != 0:  # the curve starts at 0 with everyone at risk
        times = np.concatenate(([0.0], times))
        events = np.concatenate(([0], events))
        at_risk = np.concatenate(([n], at_risk))
    return times, events, at_risk


def fit_columns(
    durations: Sequence[float], observed: Sequence[bool] | None, z: float
) -> Columns | None:
    """The columns of the Kaplan-Meier curve, or ``None`` when a duration is out of range.

    Args:
        durations: numbers (``int`` or ``float``, already checked to be numbers, not
            ``bool``); at least one.
        observed: one ``bool`` per duration (checked), ``None`` for all resolved.
        z: the ``1 - alpha/2`` normal quantile of the band.

    Returns:
        ``None`` when a duration is negative, NaN, infinite or too large for a float:
        the caller finds and names it.
    """
    n = len(durations)
    try:
        values = np.fromiter(durations, dtype=np.float64, count=n)
    except OverflowError:  # an int past the largest float
        return None
    if not (np.isfinite(values).all() and values.min() >= 0):
        return None
    flags = None if observed is None else np.fromiter(observed, dtype=np.bool_, count=n)
    times, events, at_risk = _rows(values, flags)
    survivors = at_risk - events
    # Only at the last time can everyone still at risk be resolved: S falls to 0.
    m = times.size - 1 if survivors[-1] == 0 else times.size
    survival = np.exp(np.cumsum(np.log(survivors[:m]) - np.log(at_risk[:m])))
    var = np.cumsum(events[:m] / (at_risk[:m].astype(np.float64) * survivors[:m]))
    first = min(0 if events[0] else 1, m)  # the first resolution; S = 1 before it
    lower = np.ones(times.size)
    upper = np.ones(times.size)
    if first < m:
        v = np.log(survival[first:m])
        v[v == 0.0] = -math.ulp(0.0)
        spread = z * np.sqrt(var[first:m]) / v
        base = np.log(-v)
        lower[first:m] = np.exp(-np.exp(base - spread))
        upper[first:m] = np.exp(-np.exp(base + spread))
    if m < times.size:
        survival = np.append(survival, 0.0)
        lower[m] = upper[m] = 0.0
    return (
        tuple(times.tolist()),
        tuple(survival.tolist()),
        tuple(lower.tolist()),
        tuple(upper.tolist()),
        tuple(at_risk.tolist()),
        tuple(events.tolist()),
    )
