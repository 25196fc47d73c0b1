"""Reliability figures as ITIL 4 names them: MTRS, MTBF and MTBSI, per component.

Each fault is a *failure* of its component, from the time it was opened until service
was restored (the fault's final resolution, or its first close when it was closed
without one; a fault with neither is still down). Over an observation window of
``available`` time holding ``breaks`` breaks:

- **MTRS**, mean time to restore service: the mean of ``restored - opened`` over the
  faults that were restored (downtime per incident; a negative one, from a bad row,
  counts as zero). ITIL 4: "the average time taken to restore a CI or IT service after
  a failure".
- **MTBF**, mean time between failures (uptime): ``(available - downtime) / breaks``,
  the mean time from a restoration to the next failure. ``downtime`` is the time in the
  window during which at least one fault of the component was not restored (the union
  of the outages, so overlapping faults are not counted twice).
- **MTBSI**, mean time between service incidents: ``available / breaks``, the mean time
  from one failure start to the next (what faultkit called "MTBF" before 0.2).

So, always, ``MTBSI = MTBF + downtime / breaks``; and when the outages do not overlap
and each fault is restored inside the window, ``downtime / breaks`` is the MTRS of those
breaks, which is ITIL's identity ``MTBSI = MTBF + MTRS``. These are the formulas of ITIL
Service Design (2011), section 4.4.5.2 (MTBSI = available time / number of breaks,
MTBF = (available time - total downtime) / number of breaks), with ITIL 4's names.

The window: by default the component's own timeline, from its first failure to its
last, with ``breaks = faults - 1`` (each failure after the first ends one stretch
between incidents), so the figures need at least two faults. With ``window=(start,
end)`` the window is that agreed period, ``breaks`` the failures that start in it, and
outages are cut at its edges (ITIL's worked example is of this kind).

:class:`Timeline` gathers a component's outages as faults stream by, in memory bounded
by the number of separate outages (overlapping ones merge as they come; 16 bytes
each); two timelines
merge, so the figures are the same whatever the split of the faults.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError

__all__ = ["ReliabilityFigure", "Timeline", "reliability_figure"]

_ZERO = timedelta(0)
_US = timedelta(microseconds=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NOT_RESTORED = 2**63 - 1  # the end of an outage not restored: cut at the window's end
_MERGE_EVERY = 128  # outages (x2, flat) kept unmerged before a timeline merges them


@attrs.frozen(kw_only=True)
class ReliabilityFigure:
    """MTRS, MTBF and MTBSI of one component (see :mod:`faultkit.metrics.reliability`).

    Attributes:
        component: the component (``None`` collects faults with no component).
        faults: failures counted (faults opened, in the window when one is given).
        restored: how many of them were restored.
        first_opened: when the first of them was opened (``None`` with no fault).
        last_opened: when the last of them was opened (``None`` with no fault).
        available: the observed time: the window's length, or first to last failure.
        downtime: the time in the window with at least one fault not restored.
        breaks: the divisor of MTBF and MTBSI: ``faults - 1`` on the component's own
            timeline, ``faults`` in a given window.
        mtrs: mean ``restored - opened`` of the restored faults; ``None`` if none was.
        mtbf: ``(available - downtime) / breaks``; ``None`` when ``breaks == 0``.
        mtbsi: ``available / breaks``; ``None`` when ``breaks == 0``.
    """

    component: str | None
    faults: int = attrs.field(validator=v.non_negative_int)
    restored: int = attrs.field(validator=v.non_negative_int)
    first_opened: datetime | None
    last_opened: datetime | None
    available: timedelta
    downtime: timedelta
    breaks: int = attrs.field(validator=v.non_negative_int)
    mtrs: timedelta | None
    mtbf: timedelta | None
    mtbsi: timedelta | None


def _micros(moment: datetime) -> int:
    """Microseconds since the Unix epoch (exact, whatever the time zone)."""
    return (moment - _EPOCH) // _US


def _merge(pairs: Iterable[tuple[int, int]]) -> array[int]:
    """Sorted, disjoint outages, flat ``[start, end, start, end, ...]`` in microseconds
    (``end`` is :data:`_NOT_RESTORED` for an outage not restored yet)."""
    out: array[int] = array("q")
    last_end = -_NOT_RESTORED
    for start, end in sorted(pairs):
        if out and start <= last_end:
            if end > last_end:
                out[-1] = last_end = end
            continue
        out.append(start)
        out.append(end)
        last_end = end
    return out


def _pairs(flat: array[int]) -> Iterable[tuple[int, int]]:
    return zip(flat[0::2], flat[1::2], strict=True)


class Timeline:
    """A component's failures as they stream by: counts, restore times and outages.

    :meth:`add` one fault at a time (its opening and restoration), :meth:`merge` two
    timelines of disjoint faults, and :meth:`figure` reads the figures. Memory holds the
    separate outages as two 8-byte integers each (overlapping ones are merged as they
    come, in amortised batches), not the faults: it grows only with outages that never
    overlap.
    """

    __slots__ = ("faults", "first", "last", "pending", "restore_us", "restored", "spans")

    def __init__(self) -> None:
        self.faults = 0
        self.first: datetime | None = None
        self.last: datetime | None = None
        self.restored = 0
        self.restore_us = 0  # the restored faults' outages, in microseconds
        self.spans: array[int] = array("q")
        self.pending: array[int] = array("q")

    def add(self, opened: datetime, restored: datetime | None) -> None:
        """One fault: opened at ``opened``, restored at ``restored`` (``None``: not yet).

        The first of equal opening times is kept as :attr:`first` (and :attr:`last`),
        so the time zone shown is that of the first fault read. A restoration before
        the opening (a bad row) counts as an outage of zero length.
        """
        self.add_many(((opened, restored),))

    def add_many(self, outages: Iterable[tuple[datetime, datetime | None]]) -> None:
        """:meth:`add` for each ``(opened, restored)`` pair, in order."""
        epoch, micro, not_restored = _EPOCH, _US, _NOT_RESTORED
        first, last = self.first, self.last
        faults = restored_count = restore_us = 0
        pending = self.pending
        append = pending.append
        limit = max(_MERGE_EVERY, len(self.spans))
        for opened, restored in outages:
            faults += 1
            if first is None or last is None:
                first = last = opened
            elif opened < first:
                first = opened
            elif opened > last:
                last = opened
            start = (opened - epoch) // micro
            if restored is None:
                end = not_restored
            else:
                restored_count += 1
                end = (restored - epoch) // micro
                if end > start:
                    restore_us += end - start
                else:
                    end = start
            append(start)
            append(end)
            if len(pending) >= limit:
                self._settle()
                pending = self.pending
                append = pending.append
                limit = max(_MERGE_EVERY, len(self.spans))
        self.first, self.last = first, last
        self.faults += faults
        self.restored += restored_count
        self.restore_us += restore_us

    def _settle(self) -> None:
        """Merge the pending faults into the outages."""
        if self.pending:
            self.spans = _merge([*_pairs(self.spans), *_pairs(self.pending)])
            self.pending = array("q")

    def merge(self, other: Timeline) -> Timeline:
        """The timeline of both sets of faults (neither is changed)."""
        out = Timeline()
        out.faults = self.faults + other.faults
        firsts = [t for t in (self.first, other.first) if t is not None]
        lasts = [t for t in (self.last, other.last) if t is not None]
        out.first = min(firsts) if firsts else None
        out.last = max(lasts) if lasts else None
        out.restored = self.restored + other.restored
        out.restore_us = self.restore_us + other.restore_us
        out.spans = _merge(
            [
                *_pairs(self.spans),
                *_pairs(other.spans),
                *_pairs(self.pending),
                *_pairs(other.pending),
            ]
        )
        return out

    def figure(self, component: str | None) -> ReliabilityFigure:
        """The figures on the component's own timeline (first to last failure)."""
        first, last = self.first, self.last
        if first is None or last is None:
            return ReliabilityFigure(
                component=component,
                faults=0,
                restored=0,
                first_opened=None,
                last_opened=None,
                available=_ZERO,
                downtime=_ZERO,
                breaks=0,
                mtrs=None,
                mtbf=None,
                mtbsi=None,
            )
        self._settle()
        return _figure(
            component,
            faults=self.faults,
            restored=self.restored,
            restore_total=timedelta(microseconds=self.restore_us),
            first=first,
            last=last,
            start=first,
            end=last,
            breaks=self.faults - 1,
            spans=self.spans,
        )


def _outages(faults: Iterable[tuple[datetime, datetime | None]]) -> list[tuple[int, int]]:
    """``(opened, restored)`` pairs as microsecond outages; a restoration before the
    opening gives an outage of zero length."""
    out = []
    for opened, restored in faults:
        start = _micros(opened)
        end = _NOT_RESTORED if restored is None else max(start, _micros(restored))
        out.append((start, end))
    return out


def _figure(
    component: str | None,
    *,
    faults: int,
    restored: int,
    restore_total: timedelta,
    first: datetime | None,
    last: datetime | None,
    start: datetime,
    end: datetime,
    breaks: int,
    spans: array[int],
) -> ReliabilityFigure:
    """The record, from merged outages cut to the window ``[start, end]``."""
    low_us, high_us = _micros(start), _micros(end)
    down = 0
    for span_start, span_end in _pairs(spans):
        low = max(span_start, low_us)
        high = min(span_end, high_us)
        if high > low:
            down += high - low
    downtime = timedelta(microseconds=down)
    available = end - start
    return ReliabilityFigure(
        component=component,
        faults=faults,
        restored=restored,
        first_opened=first,
        last_opened=last,
        available=available,
        downtime=downtime,
        breaks=breaks,
        mtrs=restore_total / restored if restored else None,
        mtbf=(available - downtime) / breaks if breaks else None,
        mtbsi=available / breaks if breaks else None,
    )


def reliability_figure(
    outages: Iterable[tuple[datetime, datetime | None]],
    *,
    component: str | None = None,
    window: tuple[datetime, datetime] | None = None,
) -> ReliabilityFigure:
    """MTRS, MTBF and MTBSI of one component's faults.

    Args:
        outages: one ``(opened, restored)`` pair per fault, timezone-aware;
            ``restored`` is ``None`` for a fault not restored (down until the end of
            the window).
        component: the component the figure is labelled with.
        window: ``(start, end)``, the agreed period observed: ``breaks`` is then the
            number of faults opened in ``[start, end)``, outages are cut to the window
            and faults opened outside it count only for the downtime inside it. Without
            it, the window runs from the first failure to the last and
            ``breaks = faults - 1``.

    Returns:
        The :class:`ReliabilityFigure`.

    Raises:
        InvalidInputError: a naive time, a pair that is not two times, or a window
            that ends before it starts (each names its position).

    >>> from datetime import UTC, datetime
    >>> h = lambda hours: datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=hours)
    >>> fig = reliability_figure([(h(0), h(2)), (h(10), h(11)), (h(24), h(27))])
    >>> fig.mtrs, fig.mtbf, fig.mtbsi  # 6 h / 3; (24 - 3) / 2; 24 / 2
    (datetime.timedelta(seconds=7200), datetime.timedelta(seconds=37800), datetime.timedelta(seconds=43200))
    """  # noqa: E501 - a doctest output line
    pairs: list[tuple[datetime, datetime | None]] = []
    for index, pair in enumerate(outages):
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise InvalidInputError(f"outages[{index}]", pair, "expected (opened, restored)")
        opened, restored = pair
        v.check_aware(f"outages[{index}].opened", opened)
        if restored is not None:
            v.check_aware(f"outages[{index}].restored", restored)
        pairs.append((opened, restored))
    if window is None:
        timeline = Timeline()
        for opened, restored in pairs:
            timeline.add(opened, restored)
        return timeline.figure(component)
    if not isinstance(window, tuple) or len(window) != 2:
        raise InvalidInputError("window", window, "expected (start, end)")
    start, end = window
    v.check_aware("window.start", start)
    v.check_aware("window.end", end)
    if end < start:
        raise InvalidInputError("window.end", end, f"is before the window's start {start}")
    inside = [(o, r) for o, r in pairs if start <= o < end]
    restore_total = _ZERO
    restored_count = 0
    for opened, restored in inside:
        if restored is not None:
            restored_count += 1
            if restored > opened:
                restore_total += restored - opened
    spans = _merge(_outages(pairs))
    opened_times = [o for o, _r in inside]
    return _figure(
        component,
        faults=len(inside),
        restored=restored_count,
        restore_total=restore_total,
        first=min(opened_times) if opened_times else None,
        last=max(opened_times) if opened_times else None,
        start=start,
        end=end,
        breaks=len(inside),
        spans=spans,
    )
