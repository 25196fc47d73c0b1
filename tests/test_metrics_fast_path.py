"""The wall-clock loop of ``handling_metrics`` gives exactly the figures of the general one.

``handling_metrics`` reads rows with a fast loop when every duration is wall-clock time
(no business calendar, round-the-clock SLA targets): durations are kept as timedeltas
and turned into seconds in bulk, counts are gathered per group and added in bulk. The
general loop (:func:`faultkit.metrics._loops.read_general`, still used with business
calendars) works fault by fault. These tests run both on the same rows, including
arbitrary time zones, microseconds, rows stamped before the fault was opened (clamped
durations), unknown labels and duck-typed rows carrying odd values, and require the same
report to the microsecond (compared by ``repr``, so the time zones of the MTBF opening
times must agree too).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit.lifecycle import DEFAULT_SLA_POLICY, ITIL, SlaPolicy, SlaTarget
from faultkit.metrics import Dimension, EventRow, handling_metrics
from faultkit.metrics import _loops as loops_module
from faultkit.metrics.grouping import Period
from faultkit.metrics.partial import HandlingState
from faultkit.scoring import Priority
from faultkit.testing.metrics import event_logs

NOW = datetime(2024, 9, 1, tzinfo=UTC)
H = timedelta(hours=1)
POLICY_24X7 = SlaPolicy(
    targets={
        level: SlaTarget(response=level * H, resolution=8 * level * H) for level in range(1, 6)
    },
    calendar=DEFAULT_SLA_POLICY.targets[1].calendar,  # round the clock
)
LABELS = [*sorted(ITIL.label_map), "Not A State"]
ZONES = st.integers(min_value=-12 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
# Gaps in microseconds: anything, or whole hours (to land on the SLA targets exactly).
STEPS = st.integers(-(10**9), 10**11) | st.integers(-2, 30).map(lambda hours: hours * 3_600_000_000)
GROUPINGS: list[tuple[Dimension, ...]] = [
    (),
    (Dimension.PRIORITY,),
    (Dimension.COMPONENT,),
    (Dimension.CHANNEL,),
    (Dimension.PERIOD,),
    (Dimension.SEVERITY, Dimension.PERIOD),
]


@contextmanager
def general_loop() -> Iterator[None]:
    """Make ``handling_metrics`` use the general (fault-by-fault) loop."""
    with mock.patch.object(loops_module, "read_wall_clock", loops_module.read_general):
        yield


@st.composite
def messy_logs(draw: st.DrawFn) -> list[EventRow]:
    """Rows of a few incidents in runs, any labels, zones and microseconds."""
    rows: list[EventRow] = []
    base = NOW - timedelta(days=draw(st.integers(0, 60)))
    for _ in range(draw(st.integers(0, 8))):
        incident = draw(st.sampled_from(["A", "B", "C"]))
        opened = base + timedelta(microseconds=draw(st.integers(-(10**10), 10**10)))
        opened_at = draw(st.none() | st.just(opened.astimezone(draw(ZONES))))
        facts = {
            "priority": draw(st.none() | st.sampled_from(Priority)),
            "component": draw(st.none() | st.sampled_from(["db", "web"])),
            "made_sla": draw(st.none() | st.booleans()),
        }
        at = opened
        for _step in range(draw(st.integers(1, 6))):
            # Mostly forward, sometimes before the opening time (a clamped duration).
            at = at + timedelta(microseconds=draw(STEPS))
            rows.append(
                EventRow(
                    incident=incident,
                    label=draw(st.sampled_from(LABELS)),
                    at=at.astimezone(draw(ZONES)),
                    opened_at=opened_at,
                    **facts,
                )
            )
    return rows


def _both(rows: list[Any], **kwargs: Any) -> tuple[str, str]:
    fast = handling_metrics(rows, ITIL, now=NOW, **kwargs)
    with general_loop():
        general = handling_metrics(rows, ITIL, now=NOW, **kwargs)
    return repr(fast), repr(general)


@settings(max_examples=150, deadline=None)
@given(
    messy_logs(),
    st.sampled_from(GROUPINGS),
    st.sampled_from([None, POLICY_24X7]),
    st.integers(min_value=1, max_value=6),
)
def test_wall_clock_loop_equals_the_general_loop(
    rows: list[EventRow],
    group_by: tuple[Dimension, ...],
    sla: SlaPolicy | None,
    exact_limit: int,
) -> None:
    fast, general = _both(
        rows, group_by=group_by, sla=sla, exact_limit=exact_limit, period=Period.WEEK
    )
    assert fast == general


@settings(max_examples=60, deadline=None)
@given(event_logs(), st.sampled_from(GROUPINGS), st.sampled_from([None, POLICY_24X7]))
def test_wall_clock_loop_on_workflow_walks(
    rows: list[EventRow], group_by: tuple[Dimension, ...], sla: SlaPolicy | None
) -> None:
    fast, general = _both(rows, group_by=group_by, sla=sla)
    assert fast == general
    fast, general = _both(rows, group_by=group_by, sla=sla, contiguous=False)
    assert fast == general


_ODD_PRIORITIES = [None, 1, 3, 5, 6, 0, -1, True, False, 2.0, Priority.LOW, "1", "P2"]
_ODD_FLAGS = [None, True, False, 0, 1, "yes", ""]


@settings(max_examples=60, deadline=None)
@given(
    messy_logs(),
    st.lists(st.sampled_from(_ODD_PRIORITIES), min_size=1),
    st.lists(st.sampled_from(_ODD_FLAGS), min_size=1),
    st.sampled_from([(), (Dimension.PRIORITY,)]),
)
def test_wall_clock_loop_on_duck_typed_rows(
    rows: list[EventRow],
    priorities: list[Any],
    flags: list[Any],
    group_by: tuple[Dimension, ...],
) -> None:
    odd = [
        SimpleNamespace(
            incident=row.incident,
            label=row.label,
            at=row.at,
            opened_at=row.opened_at,
            priority=priorities[index % len(priorities)],
            severity=None,
            component=row.component,
            channel=None,
            made_sla=flags[index % len(flags)],
        )
        for index, row in enumerate(rows)
    ]
    fast, general = _both(odd, group_by=group_by, sla=POLICY_24X7)
    assert fast == general


@settings(max_examples=40, deadline=None)
@given(messy_logs(), st.integers(min_value=0, max_value=40))
def test_wall_clock_partial_states_equal_the_general_ones(rows: list[EventRow], cut: int) -> None:
    def merged() -> str:
        kwargs: dict[str, Any] = {"now": NOW, "group_by": (Dimension.PRIORITY,), "exact_limit": 2}
        left = HandlingState.of(rows[:cut], ITIL, sla=POLICY_24X7, **kwargs)
        right = HandlingState.of(rows[cut:], ITIL, sla=POLICY_24X7, **kwargs)
        return repr(left.merge(right).report())

    fast = merged()
    with general_loop():
        general = merged()
    assert fast == general


def test_compaction_points_are_the_same() -> None:
    """Past 4,096 faults the accumulators are compacted mid-stream: same figures."""
    rows = [
        EventRow(
            incident=f"I{index}",
            label=label,
            at=NOW
            - timedelta(days=300)
            + timedelta(seconds=index * 37 + step * 3600, microseconds=index),
            priority=Priority(1 + index % 5),
            component=f"c{index % 7}",
            made_sla=index % 3 == 0,
        )
        for index in range(9000)
        for step, label in enumerate(("New", "Active", "Resolved", "Closed")[: 1 + index % 4])
    ]
    for limit in (100, 5000):
        fast, general = _both(
            rows, group_by=(Dimension.PRIORITY,), sla=POLICY_24X7, exact_limit=limit
        )
        assert fast == general


def test_targets_met_exactly_at_the_boundary() -> None:
    """Response and resolution clocks equal to their targets count as met (both loops)."""
    opened = datetime(2024, 3, 1, 9, 0, 0, 1, tzinfo=UTC)
    rows = [
        EventRow(incident="X", label="New", at=opened, priority=Priority(2)),
        # P2: response 2 h, resolution 16 h; 2 h open, then 3 h on hold, 14 h active.
        EventRow(incident="X", label="Active", at=opened + 2 * H, priority=Priority(2)),
        EventRow(incident="X", label="Awaiting User Info", at=opened + 3 * H, priority=2),
        EventRow(incident="X", label="Active", at=opened + 6 * H, priority=Priority(2)),
        EventRow(incident="X", label="Resolved", at=opened + 19 * H, priority=Priority(2)),
        # Still running at now: exactly on the target, not breached (left out).
        EventRow(incident="Y", label="Active", at=NOW - 16 * H, priority=Priority(2)),
    ]
    for loop in (None, general_loop):
        if loop is None:
            figures = handling_metrics(rows, ITIL, now=NOW, sla=POLICY_24X7).overall
        else:
            with loop():
                figures = handling_metrics(rows, ITIL, now=NOW, sla=POLICY_24X7).overall
        assert figures.response_sla is not None
        assert figures.resolution_sla is not None
        assert (figures.response_sla.numerator, figures.response_sla.denominator) == (2, 2)
        assert (figures.resolution_sla.numerator, figures.resolution_sla.denominator) == (1, 1)
