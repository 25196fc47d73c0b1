"""Duration prediction: how long a new fault will take to resolve, from resolved history.

The prediction is a pair of quantiles of the resolution times of similar resolved
faults, P50 and P90, with the number of samples behind them. "Similar" is tried from
the most specific group to the broadest: with grouping keys ``("category",
"component", "severity")`` the groups are

1. same category, component and severity;
2. same category and component;
3. same category;
4. all history,

and the first group with at least ``min_samples`` resolved faults is used. When even
all history has fewer, it is used anyway and the prediction says so
(``sufficient=False``); with no history at all there is no prediction.

Quantiles are computed in pure Python with linear interpolation between order
statistics, Hyndman & Fan (1996) definition 7, the default of R's ``quantile`` and of
numpy's ``percentile``::

    x_(1) <= ... <= x_(n) sorted,  h = (n - 1) * q,  k = floor(h)
    Q(q) = x_(k+1) + (h - k) * (x_(k+2) - x_(k+1))      (Q(q) = x_(n) when k = n - 1)
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError

__all__ = [
    "DurationModel",
    "DurationPrediction",
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
class DurationPrediction:
    """A predicted time to resolve, with where it came from.

    Attributes:
        p50: the median resolution time of the group used.
        p90: its 90th percentile.
        samples: how many resolved faults the group holds.
        group: the grouping values used (empty for all history).
        fallback: how many keys were dropped to reach a group with enough samples
            (0 = the most specific group).
        sufficient: whether the group holds at least ``min_samples`` faults (only all
            history may fall short).
    """

    p50: timedelta
    p90: timedelta
    samples: int
    group: tuple[tuple[str, Hashable], ...]
    fallback: int
    sufficient: bool


class DurationModel:
    """Resolution times grouped by keys, ready to predict; pure Python, no numpy.

    Args:
        history: the resolved faults.
        keys: the grouping keys, most general first; the fallback drops them from the
            right, down to all history.
        min_samples: the fewest resolved faults a group must hold to be used; at
            least 1.

    Raises:
        InvalidInputError: a history item that is not a :class:`ResolvedFault`,
            ``min_samples`` below 1, or keys that are not distinct non-blank strings.
    """

    __slots__ = ("_groups", "keys", "min_samples")

    keys: tuple[str, ...]
    min_samples: int
    _groups: dict[tuple[tuple[str, Hashable], ...], list[float]]

    def __init__(
        self,
        history: Iterable[ResolvedFault],
        *,
        keys: Sequence[str] = DEFAULT_KEYS,
        min_samples: int = 5,
    ) -> None:
        if type(min_samples) is not int or min_samples < 1:
            raise InvalidInputError("min_samples", min_samples, "expected a whole number >= 1")
        if isinstance(keys, str) or not all(type(k) is str and k.strip() for k in keys):
            raise InvalidInputError("keys", keys, "expected a sequence of non-blank strings")
        if len(set(keys)) != len(keys):
            raise InvalidInputError("keys", keys, "keys must be distinct")
        self.keys = tuple(keys)
        self.min_samples = min_samples
        groups: dict[tuple[tuple[str, Hashable], ...], list[float]] = {}
        for i, fault in enumerate(history):
            if not isinstance(fault, ResolvedFault):
                raise InvalidInputError(f"history[{i}]", fault, "expected a ResolvedFault")
            seconds = fault.duration.total_seconds()
            for prefix in self._prefixes(fault.groups):
                groups.setdefault(prefix, []).append(seconds)
        for durations in groups.values():
            durations.sort()
        self._groups = groups

    def _prefixes(self, values: Mapping[str, Hashable]) -> list[tuple[tuple[str, Hashable], ...]]:
        """The groups a fault with ``values`` belongs to, broadest first.

        A key whose value is unknown ends the chain: the fault only counts in the
        broader groups.
        """
        prefixes: list[tuple[tuple[str, Hashable], ...]] = [()]
        current: tuple[tuple[str, Hashable], ...] = ()
        for key in self.keys:
            value = values.get(key)
            if value is None:
                break
            current = (*current, (key, value))
            prefixes.append(current)
        return prefixes

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
            samples = self._groups.get(group)
            if samples is not None and len(samples) >= self.min_samples:
                return self._prediction(samples, group, len(self.keys) - len(group), True)
        samples = self._groups.get(())
        if not samples:
            raise InvalidInputError("history", [], "no resolved faults to predict from")
        return self._prediction(samples, (), len(self.keys), False)

    @staticmethod
    def _prediction(
        samples: list[float], group: tuple[tuple[str, Hashable], ...], fallback: int, ok: bool
    ) -> DurationPrediction:
        return DurationPrediction(
            p50=timedelta(seconds=_sorted_quantile(samples, 0.5)),
            p90=timedelta(seconds=_sorted_quantile(samples, 0.9)),
            samples=len(samples),
            group=group,
            fallback=fallback,
            sufficient=ok,
        )


def predict_duration(
    history: Iterable[ResolvedFault],
    values: Mapping[str, Hashable],
    *,
    keys: Sequence[str] = DEFAULT_KEYS,
    min_samples: int = 5,
) -> DurationPrediction:
    """One prediction without keeping the model: ``DurationModel(...).predict(values)``.

    Build a :class:`DurationModel` once when predicting for many faults.
    """
    return DurationModel(history, keys=keys, min_samples=min_samples).predict(values)
