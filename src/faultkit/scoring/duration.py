"""Duration prediction: how long a new fault will take to resolve, from resolved AND open faults.

The history holds resolved faults (:class:`ResolvedFault`, their time to resolve) and
faults still open (:class:`OpenFault`, open since ``reported_at``; at ``now`` they have
taken that long *so far*: right-censored). Leaving the open ones out, as faultkit 0.1
did, biases the prediction short exactly where it matters: the long faults are the
ones still open. The prediction is read from the Kaplan-Meier curve
(:class:`~faultkit.scoring.KaplanMeier`) of the most specific group with enough
observations: P10, P50 and P90 (the first time the share still open falls to 90 %,
50 %, 10 % or below) and the 95 % confidence interval of P50 and P90
(Brookmeyer-Crowley on the log-log Greenwood band, as lifelines computes it). A
quantile the curve never reaches - more than that share of the group is still open -
is ``None``: longer than anything seen so far.

"Similar" is tried from the most specific group to the broadest: with grouping keys
``("category", "component", "severity")`` the groups are

1. same category, component and severity;
2. same category and component;
3. same category;
4. all history,

and the first group with at least ``min_samples`` observations (resolved and open) is
used. When even all history has fewer, it is used anyway and the prediction says so
(``sufficient=False``); with no history at all there is no prediction.

With resolved faults only, the Kaplan-Meier quantile is the empirical one, the
smallest duration ``x`` with at least a share ``q`` of durations ``<= x`` (Hyndman &
Fan definition 1). :func:`quantile`, kept for other uses, interpolates linearly between
order statistics, Hyndman & Fan (1996) definition 7, the default of R's ``quantile``
and of numpy's ``percentile``::

    x_(1) <= ... <= x_(n) sorted,  h = (n - 1) * q,  k = floor(h)
    Q(q) = x_(k+1) + (h - k) * (x_(k+2) - x_(k+1))      (Q(q) = x_(n) when k = n - 1)
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.scoring.survival import KaplanMeier

__all__ = [
    "DurationModel",
    "DurationPrediction",
    "OpenFault",
    "ResolvedFault",
    "predict_duration",
    "quantile",
]

DEFAULT_KEYS: tuple[str, ...] = ("category", "component", "severity")
"""The default grouping keys, most general first: the fallback drops them from the right."""


def quantile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile of ``values`` by linear interpolation (Hyndman & Fan type 7).

    ``h = (n - 1) * q``, ``k = floor(h)``; ``Q = x[k] + (h - k) * (x[k + 1] - x[k])`` on
    the sorted values (0-based), ``x[n - 1]`` when ``k = n - 1``.

    >>> quantile([1, 2, 3, 4], 0.5)
    2.5
    >>> quantile([10, 20, 30, 40, 50], 0.9)
    46.0

    Raises:
        InvalidInputError: no values, a value that is not a finite number, or ``q``
            outside 0-1.
    """
    if isinstance(q, bool) or not isinstance(q, int | float) or not 0.0 <= q <= 1.0:
        raise InvalidInputError("q", q, "expected a number between 0 and 1")
    if not values:
        raise InvalidInputError("values", values, "need at least one value")
    for i, x in enumerate(values):
        if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x):
            raise InvalidInputError(f"values[{i}]", x, "expected a finite number")
    return _sorted_quantile(sorted(values), q)


def _sorted_quantile(ordered: Sequence[float], q: float) -> float:
    n = len(ordered)
    h = (n - 1) * q
    k = math.floor(h)
    if k >= n - 1:
        return float(ordered[-1])
    return ordered[k] + (h - k) * (ordered[k + 1] - ordered[k])


def _group_mapping(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, dict):
        raise InvalidInputError(
            attribute.name, value, f"expected a mapping, not {type(value).__name__}"
        )
    for key, item in value.items():
        if type(key) is not str or not key.strip():
            raise InvalidInputError(attribute.name, key, "keys must be non-blank strings")
        if not isinstance(item, Hashable):
            raise InvalidInputError(f"{attribute.name}.{key}", item, "expected a hashable value")


def _to_dict(value: Any) -> Any:
    return dict(value) if isinstance(value, Mapping) and not isinstance(value, dict) else value


@attrs.frozen(kw_only=True)
class ResolvedFault:
    """One resolved fault of the history: how long it took, and what it was.

    Attributes:
        duration: time from report to resolution; not negative.
        groups: the grouping values, such as ``{"category": "software_defect",
            "component": "billing", "severity": Severity.SEV3}``; a missing key or a
            ``None`` value means unknown.
        id: the fault's identifier, if kept.
    """

    duration: timedelta = attrs.field(validator=v.non_negative_timedelta)
    groups: dict[str, Hashable] = attrs.field(
        factory=dict, converter=_to_dict, validator=_group_mapping
    )
    id: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)


@attrs.frozen(kw_only=True)
class OpenFault:
    """One fault of the history still open: a right-censored observation.

    At ``now`` (given to :class:`DurationModel`) it has been open ``now - reported_at``
    and will take at least that long.

    Attributes:
        reported_at: when it was reported (timezone-aware).
        groups: the grouping values, as for :class:`ResolvedFault`.
        id: the fault's identifier, if kept.
    """

    reported_at: datetime = attrs.field(validator=v.aware_datetime)
    groups: dict[str, Hashable] = attrs.field(
        factory=dict, converter=_to_dict, validator=_group_mapping
    )
    id: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)


def _seconds(value: float | None) -> timedelta | None:
    return None if value is None else timedelta(seconds=value)


_Interval = tuple[timedelta | None, timedelta | None]


@attrs.frozen(kw_only=True)
class DurationPrediction:
    """A predicted time to resolve, with where it came from.

    A quantile is ``None`` when the group's Kaplan-Meier curve never falls that low
    (more than that share of the group is still open: longer than anything seen).

    Attributes:
        p10: the time by which 10 % of the group's faults are resolved.
        p50: the median time to resolve.
        p90: the time by which 90 % are resolved.
        p50_interval: the 95 % confidence interval of ``p50`` (low, high).
        p90_interval: the 95 % confidence interval of ``p90``.
        samples: how many faults (observations) the group holds, resolved and open.
        open: how many of them are still open (right-censored).
        group: the grouping values used (empty for all history).
        fallback: how many keys were dropped to reach a group with enough samples
            (0 = the most specific group).
        sufficient: whether the group holds at least ``min_samples`` faults (only all
            history may fall short).
    """

    p10: timedelta | None
    p50: timedelta | None
    p90: timedelta | None
    p50_interval: _Interval
    p90_interval: _Interval
    samples: int
    open: int
    group: tuple[tuple[str, Hashable], ...]
    fallback: int
    sufficient: bool


_Group = tuple[tuple[str, Hashable], ...]


class DurationModel:
    """Durations grouped by keys, ready to predict with Kaplan-Meier.

    Args:
        history: the resolved faults (:class:`ResolvedFault`) and the open ones
            (:class:`OpenFault`).
        now: the time the open faults are measured at; required when there is one
            (the domain never reads the clock).
        keys: the grouping keys, most general first; the fallback drops them from the
            right, down to all history.
        min_samples: the fewest observations (resolved and open) a group must hold to
            be used; at least 1.

    Raises:
        InvalidInputError: a history item that is neither, an open fault reported
            after ``now`` or without ``now``, ``min_samples`` below 1, or keys that are
            not distinct non-blank strings.
    """

    __slots__ = ("_curves", "_groups", "keys", "min_samples")

    keys: tuple[str, ...]
    min_samples: int
    _groups: dict[_Group, tuple[list[float], list[bool]]]
    _curves: dict[_Group, KaplanMeier]

    def __init__(
        self,
        history: Iterable[ResolvedFault | OpenFault],
        *,
        now: datetime | None = None,
        keys: Sequence[str] = DEFAULT_KEYS,
        min_samples: int = 5,
    ) -> None:
        if type(min_samples) is not int or min_samples < 1:
            raise InvalidInputError("min_samples", min_samples, "expected a whole number >= 1")
        if isinstance(keys, str) or not all(type(k) is str and k.strip() for k in keys):
            raise InvalidInputError("keys", keys, "expected a sequence of non-blank strings")
        if len(set(keys)) != len(keys):
            raise InvalidInputError("keys", keys, "keys must be distinct")
        if now is not None:
            v.check_aware("now", now)
        self.keys = tuple(keys)
        self.min_samples = min_samples
        groups: dict[_Group, tuple[list[float], list[bool]]] = {}
        for i, fault in enumerate(history):
            if isinstance(fault, ResolvedFault):
                seconds, resolved = fault.duration.total_seconds(), True
            elif isinstance(fault, OpenFault):
                if now is None:
                    raise InvalidInputError(
                        "now", None, f"history[{i}] is an open fault: give now= to measure it"
                    )
                seconds, resolved = (now - fault.reported_at).total_seconds(), False
                if seconds < 0:
                    raise InvalidInputError(
                        f"history[{i}].reported_at",
                        fault.reported_at,
                        f"after now ({now.isoformat()})",
                    )
            else:
                raise InvalidInputError(
                    f"history[{i}]", fault, "expected a ResolvedFault or an OpenFault"
                )
            for prefix in self._prefixes(fault.groups):
                durations, flags = groups.setdefault(prefix, ([], []))
                durations.append(seconds)
                flags.append(resolved)
        self._groups = groups
        self._curves = {}

    def _prefixes(self, values: Mapping[str, Hashable]) -> list[_Group]:
        """The groups a fault with ``values`` belongs to, broadest first.

        A key whose value is unknown ends the chain: the fault only counts in the
        broader groups.
        """
        prefixes: list[_Group] = [()]
        current: _Group = ()
        for key in self.keys:
            value = values.get(key)
            if value is None:
                break
            current = (*current, (key, value))
            prefixes.append(current)
        return prefixes

    def curve(self, group: _Group = ()) -> KaplanMeier:
        """The Kaplan-Meier curve of ``group`` (fitted once, then kept).

        Raises:
            InvalidInputError: no fault of the history is in ``group``.
        """
        curve = self._curves.get(group)
        if curve is None:
            observations = self._groups.get(group)
            if observations is None:
                raise InvalidInputError("group", group, "no fault of the history is in it")
            curve = KaplanMeier.fit(observations[0], observations[1])
            self._curves[group] = curve
        return curve

    def predict(
        self, values: Mapping[str, Hashable] | None = None, /, **kw: Hashable
    ) -> DurationPrediction:
        """Predict the time to resolve a fault with these grouping values.

        ``model.predict(category="hardware", component="psu")`` or
        ``model.predict({"category": "hardware"})``; keys that are not grouping keys
        are ignored, a missing or ``None`` value stops the chain there.

        Raises:
            InvalidInputError: the history is empty, ``values`` is not a mapping, or a
                grouping value is not hashable (naming it).
        """
        if values is not None and not isinstance(values, Mapping):
            raise InvalidInputError("values", values, "expected a mapping of grouping values")
        given: dict[str, Hashable] = {**(values or {}), **kw}
        for key in self.keys:
            if not isinstance(given.get(key), Hashable):
                raise InvalidInputError(key, given[key], "expected a hashable grouping value")
        chain = self._prefixes(given)
        for group in reversed(chain):
            observations = self._groups.get(group)
            if observations is not None and len(observations[0]) >= self.min_samples:
                return self._prediction(group, len(self.keys) - len(group), True)
        if () not in self._groups:
            raise InvalidInputError("history", [], "no faults to predict from")
        return self._prediction((), len(self.keys), False)

    def _prediction(self, group: _Group, fallback: int, ok: bool) -> DurationPrediction:
        km = self.curve(group)
        p50_low, p50_high = km.quantile_interval(0.5)
        p90_low, p90_high = km.quantile_interval(0.9)
        return DurationPrediction(
            p10=_seconds(km.quantile(0.1)),
            p50=_seconds(km.median),
            p90=_seconds(km.quantile(0.9)),
            p50_interval=(_seconds(p50_low), _seconds(p50_high)),
            p90_interval=(_seconds(p90_low), _seconds(p90_high)),
            samples=km.n,
            open=km.n_censored,
            group=group,
            fallback=fallback,
            sufficient=ok,
        )


def predict_duration(
    history: Iterable[ResolvedFault | OpenFault],
    values: Mapping[str, Hashable],
    *,
    now: datetime | None = None,
    keys: Sequence[str] = DEFAULT_KEYS,
    min_samples: int = 5,
) -> DurationPrediction:
    """One prediction without keeping the model: ``DurationModel(...).predict(values)``.

    Build a :class:`DurationModel` once when predicting for many faults.
    """
    return DurationModel(history, now=now, keys=keys, min_samples=min_samples).predict(values)
