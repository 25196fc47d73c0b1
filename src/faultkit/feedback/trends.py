"""Feedback trends: counts per period, Pareto breakdowns and spike detection.

Results are plain data (:class:`Series` of :class:`Point`, :class:`ParetoRow`,
:class:`Spike`), ready for a chart or a JSON export.

**Counts per period** put each item in the day, ISO week or month that contains its
``received_at`` *in the time zone given* (see :mod:`faultkit.feedback.periods`), per
feedback type, product or channel. Every series covers the same periods, with zeros
where nothing came in, so that gaps show and series line up.

**Pareto**: categories sorted by count (largest first); the *vital few* are the
categories up to and including the one where the cumulative share reaches the cut-off
(80% by default; Juran's Pareto principle).

**Spikes** follow the c chart for counts of events (Montgomery, D. C., *Introduction to
Statistical Quality Control*, 7th ed., section 7.3.1): with the mean count ``c`` of the
``window`` periods before a period (at least ``min_history`` of them)::

    upper control limit = c + sigma * sqrt(c)            (sigma = 3 by default)

A period whose count is above the limit, and at least ``min_count`` (so that one
complaint after a quiet spell is not a spike), is reported with its expected level ``c``
and the limit.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, tzinfo
from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.dimensions import FEEDBACK_DIMENSIONS, Dimension, check_dimension
from faultkit.errors import InvalidInputError
from faultkit.feedback.classify import Classification, Classifier
from faultkit.feedback.intake import Feedback
from faultkit.feedback.periods import Period, next_period, period_start

__all__ = [
    "ParetoRow",
    "Point",
    "Series",
    "Spike",
    "category_counts",
    "pareto",
    "spikes",
    "trend",
]


def _date(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not date:
        raise InvalidInputError(attribute.name, value, "expected a date")


@attrs.frozen(kw_only=True)
class Point:
    """The count of one period.

    Attributes:
        start: the first day of the period.
        count: how many items came in during it.
    """

    start: date = attrs.field(validator=_date)
    count: int = attrs.field(validator=v.non_negative_int)


@attrs.frozen(kw_only=True)
class Series:
    """Counts per period for one category.

    Attributes:
        key: the category (a type, product or channel value); ``"all"`` when counts
            are not broken down; ``None`` for items without a value (no product).
        period: the period length.
        points: one point per period, in time order, with no gaps.
    """

    key: str | None = attrs.field(validator=v.optional_non_empty_str)
    period: Period = attrs.field(validator=v.member_of(Period))
    points: tuple[Point, ...] = attrs.field(
        converter=v.list_to_tuple, validator=v.tuple_of(v.instance(Point))
    )

    @property
    def total(self) -> int:
        """The sum of the counts."""
        return sum(p.count for p in self.points)


@attrs.frozen(kw_only=True)
class ParetoRow:
    """One category of a Pareto breakdown.

    Attributes:
        key: the category.
        count: its count.
        share: its share of the total, in percent.
        cumulative: the cumulative share up to and including it, in percent.
        vital: whether it is one of the *vital few* (within the cut-off).
    """

    key: str | None = attrs.field(validator=v.optional_non_empty_str)
    count: int = attrs.field(validator=v.non_negative_int)
    share: float = attrs.field(validator=v.float_between(0.0, 100.0))
    cumulative: float = attrs.field(validator=v.float_between(0.0, 100.0))
    vital: bool = attrs.field(validator=v.is_bool)


@attrs.frozen(kw_only=True)
class Spike:
    """A period whose count is above the c-chart upper control limit.

    Attributes:
        key: the series' category.
        start: the first day of the period.
        count: the count in the period.
        expected: the mean count of the periods before it (the centre line).
        upper_limit: ``expected + sigma * sqrt(expected)``.
    """

    key: str | None = attrs.field(validator=v.optional_non_empty_str)
    start: date = attrs.field(validator=_date)
    count: int = attrs.field(validator=v.non_negative_int)
    expected: float = attrs.field(validator=v.float_between(0.0, math.inf))
    upper_limit: float = attrs.field(validator=v.float_between(0.0, math.inf))


# --------------------------------------------------------------------------- counting


def _keys(
    items: Sequence[Feedback],
    by: Dimension | None,
    classifier: Classifier | Mapping[str, Classification] | None,
) -> list[str | None]:
    if by is None:
        return ["all"] * len(items)
    by = check_dimension(by, FEEDBACK_DIMENSIONS, "by")
    if by is Dimension.PRODUCT:
        return [f.product for f in items]
    if by is Dimension.CHANNEL:
        return [f.channel.value for f in items]
    if isinstance(classifier, Mapping):
        keys: list[str | None] = []
        for f in items:
            found = classifier.get(f.id)
            if not isinstance(found, Classification):
                raise InvalidInputError(
                    f"classifier[{f.id!r}]",
                    found,
                    "no classification stored for this feedback id",
                )
            keys.append(found.type.value)
        return keys
    if classifier is None:
        raise InvalidInputError(
            "classifier",
            None,
            "counting by type needs the classification of each item: pass the mapping "
            "classify_all(items, your_classifier) returned, or your Classifier "
            "(no default rules are applied behind your back)",
        )
    if not isinstance(classifier, Classifier):
        raise InvalidInputError(
            "classifier", classifier, "expected a Classifier or a mapping of id to Classification"
        )
    keys = []
    for f in items:
        result = classifier.classify(f)
        if not isinstance(result, Classification):
            raise InvalidInputError("classifier", result, "classify() must return a Classification")
        keys.append(result.type.value)
    return keys


def _check_items(items: Iterable[Feedback]) -> list[Feedback]:
    listed = list(v.items_of("items", items))
    for index, item in enumerate(listed):
        if not isinstance(item, Feedback):
            raise InvalidInputError(f"items[{index}]", item, "expected a Feedback record")
    return listed


def _sort_key(key: str | None) -> tuple[bool, str]:
    return (key is None, key or "")


def trend(
    items: Iterable[Feedback],
    *,
    period: Period = Period.WEEK,
    tz: tzinfo = UTC,
    by: Dimension | None = None,
    classifier: Classifier | Mapping[str, Classification] | None = None,
    start: date | None = None,
    end: date | None = None,
) -> tuple[Series, ...]:
    """Count feedback per period, overall or per type, product or channel.

    Args:
        items: the feedback.
        period: day, week (ISO, from Monday) or month.
        tz: the time zone whose calendar decides the period of each item.
        by: the breakdown; one series keyed ``"all"`` when ``None``.
        classifier: for ``by=Dimension.TYPE``, required: the mapping of feedback id to
            :class:`Classification` that :func:`classify_all` made (the classification
            stored for each item), or the :class:`Classifier` to run. No default rules
            are ever applied in its place.
        start: the first period to show (any day in it); the earliest item's by default.
        end: the last period to show (any day in it); the latest item's by default.

    Returns:
        One :class:`Series` per category, sorted by key (``None`` last), all over the
        same periods; empty when there are no items and no ``start``/``end``.

    Raises:
        InvalidInputError: an item that is not feedback, a bad period or time zone,
            ``by=Dimension.TYPE`` without ``classifier``, an item without a stored
            classification, or ``end`` before ``start``.
    """
    listed = _check_items(items)
    keys = _keys(listed, by, classifier)
    starts = [period_start(f.received_at, period, tz) for f in listed]
    first = _align(start, period) if start is not None else min(starts, default=None)
    last = _align(end, period) if end is not None else max(starts, default=None)
    if first is None or last is None:
        return ()
    if last < first:
        raise InvalidInputError("end", end, f"is before start ({first.isoformat()})")
    axis = [first]
    while axis[-1] < last:
        axis.append(next_period(axis[-1], period))
    counts: dict[str | None, dict[date, int]] = {}
    for key, when in zip(keys, starts, strict=True):
        if first <= when <= last:
            per_key = counts.setdefault(key, {})
            per_key[when] = per_key.get(when, 0) + 1
    if by is None and not counts:
        counts["all"] = {}
    return tuple(
        Series(
            key=key,
            period=period,
            points=tuple(Point(start=d, count=counts[key].get(d, 0)) for d in axis),
        )
        for key in sorted(counts, key=_sort_key)
    )


def _align(day: Any, period: Period) -> date:
    if type(day) is not date:
        raise InvalidInputError("start", day, "expected a date")
    if period is Period.DAY:
        return day
    if period is Period.WEEK:
        return date.fromordinal(day.toordinal() - day.weekday())
    return day.replace(day=1)


def category_counts(
    items: Iterable[Feedback],
    by: Dimension,
    *,
    classifier: Classifier | Mapping[str, Classification] | None = None,
) -> dict[str | None, int]:
    """How many items fall in each category of ``by`` (input for :func:`pareto`).

    Args:
        items: the feedback.
        by: the breakdown.
        classifier: for ``by=Dimension.TYPE``, required, as for :func:`trend`: the
            classifications stored for the items (id to :class:`Classification`) or
            the :class:`Classifier` to run.

    Raises:
        InvalidInputError: an item that is not feedback, ``by=Dimension.TYPE``
            without ``classifier``, or an item without a stored classification.
    """
    listed = _check_items(items)
    counts: dict[str | None, int] = {}
    for key in _keys(listed, by, classifier):
        counts[key] = counts.get(key, 0) + 1
    return counts


def pareto(counts: Mapping[str | None, int], *, cutoff: float = 80.0) -> tuple[ParetoRow, ...]:
    """A Pareto breakdown: categories by count, with shares and the vital few.

    Args:
        counts: category -> count (see :func:`category_counts`).
        cutoff: the cumulative share, in percent, that the vital few make up.

    Returns:
        One row per category with a count above zero, largest first (ties by key).

    Raises:
        InvalidInputError: a negative or non-integer count, or a cut-off outside
            (0, 100].

    Example:
        >>> [r.key for r in pareto({"defect": 60, "question": 25, "praise": 15}) if r.vital]
        ['defect', 'question']
    """
    if isinstance(cutoff, bool) or not isinstance(cutoff, int | float) or not 0 < cutoff <= 100:
        raise InvalidInputError("cutoff", cutoff, "expected a percentage in (0, 100]")
    if not isinstance(counts, Mapping):
        raise InvalidInputError("counts", counts, "expected a mapping of key to count")
    for key, count in counts.items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise InvalidInputError(f"counts[{key}]", count, "expected a non-negative integer")
    total = sum(counts.values())
    ordered = sorted(
        ((k, c) for k, c in counts.items() if c > 0), key=lambda kc: (-kc[1], *_sort_key(kc[0]))
    )
    rows = []
    running = 0
    reached = False
    for key, count in ordered:
        running += count
        cumulative = 100.0 * running / total
        rows.append(
            ParetoRow(
                key=key,
                count=count,
                share=100.0 * count / total,
                cumulative=min(100.0, cumulative),
                vital=not reached,
            )
        )
        reached = reached or cumulative >= cutoff - 1e-9
    return tuple(rows)


def spikes(
    series: Series | Iterable[Series],
    *,
    window: int = 8,
    min_history: int = 4,
    sigma: float = 3.0,
    min_count: int = 3,
) -> tuple[Spike, ...]:
    """Periods whose count is above the c-chart upper control limit of the periods before.

    Args:
        series: one series or several (each is checked on its own).
        window: how many earlier periods make the expected level.
        min_history: how many earlier periods are needed before a period is checked.
        sigma: the width of the limit, in standard deviations (``sqrt(c)`` for counts).
        min_count: the smallest count that can be a spike.

    Returns:
        The spikes, by series then time.

    Raises:
        InvalidInputError: a bad option (``window`` or ``min_history`` below 1,
            ``min_history`` above ``window``, ``sigma`` not positive).

    Example:
        >>> from datetime import date
        >>> days = [Point(start=date(2024, 5, d), count=c)
        ...         for d, c in enumerate([4, 5, 3, 4, 5, 4, 16], start=1)]
        >>> [(s.start.day, s.count) for s in spikes(Series(key="all", period=Period.DAY,
        ...                                                   points=days))]
        [(7, 16)]
    """
    for name, value, low in (("window", window, 1), ("min_history", min_history, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise InvalidInputError(name, value, f"expected an integer of at least {low}")
    if min_history > window:
        raise InvalidInputError("min_history", min_history, f"is above window ({window})")
    if isinstance(sigma, bool) or not isinstance(sigma, int | float) or not sigma > 0:
        raise InvalidInputError("sigma", sigma, "expected a positive number")
    all_series = [series] if isinstance(series, Series) else list(v.items_of("series", series))
    for index, one in enumerate(all_series):
        if not isinstance(one, Series):
            raise InvalidInputError(f"series[{index}]", one, "expected a Series")
    found = []
    for one in all_series:
        counts = [p.count for p in one.points]
        for index, point in enumerate(one.points):
            history = counts[max(0, index - window) : index]
            if len(history) < min_history:
                continue
            expected = sum(history) / len(history)
            limit = expected + sigma * math.sqrt(expected)
            if point.count > limit and point.count >= min_count:
                found.append(
                    Spike(
                        key=one.key,
                        start=point.start,
                        count=point.count,
                        expected=expected,
                        upper_limit=limit,
                    )
                )
    return tuple(found)
