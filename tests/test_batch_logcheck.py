""":class:`~faultkit.batch.logcheck.SortedLogCheck` gives :func:`validate_event_log`'s report.

Straight on numpy arrays, without a file: random sorted logs cut into random chunks
(one row a chunk, whole incidents, a chunk inside one incident), chunks whose labels
all have a state (the fast path) and chunks with unknown labels (the general one),
with and without ``check_start`` and ``check_order``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

np = pytest.importorskip("numpy")
pytest.importorskip("pyarrow")  # faultkit.batch needs it

from faultkit.batch.logcheck import SortedLogCheck  # noqa: E402
from faultkit.lifecycle.eventlog import EventLogReport, validate_event_log  # noqa: E402
from faultkit.lifecycle.workflows import ITIL  # noqa: E402

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_KNOWN = ["New", "Active", "In Progress", "On Hold", "Resolved", "Closed", "Canceled"]
_UNKNOWN = ["Limbo", "?"]

Row = tuple[str, str, datetime]


@st.composite
def _logs(draw: st.DrawFn) -> tuple[list[Row], list[int]]:
    """A log sorted by incident, and where it is cut into chunks."""
    labels = list(_KNOWN)
    if draw(st.booleans()):
        labels += _UNKNOWN
    rows: list[Row] = []
    for number in range(draw(st.integers(0, 8))):
        for _ in range(draw(st.integers(1, 8))):
            label = draw(st.sampled_from(labels))
            at = datetime(2016, 3, 1, tzinfo=UTC) + timedelta(hours=draw(st.integers(0, 5)))
            rows.append((f"INC{number:02d}", label, at))
    cuts = sorted(set(draw(st.lists(st.integers(0, len(rows)), max_size=6))))
    return rows, cuts


def _check(rows: list[Row], cuts: list[int], **flags: bool) -> EventLogReport:
    """The rows through :class:`SortedLogCheck`, chunk by chunk."""
    names = list(ITIL.state_names)
    number = {name: k for k, name in enumerate(names)}
    allowed = np.zeros((len(names), len(names)), np.bool_)
    for source, dest in ITIL.pairs:
        allowed[number[source], number[dest]] = True
    checker = SortedLogCheck(allowed=allowed, names=names, initial=number[ITIL.initial], **flags)
    bounds = [0, *cuts, len(rows)]
    for start, stop in pairwise(bounds):
        chunk = rows[start:stop]
        if not chunk:
            continue
        ids = [incident for incident, _label, _at in chunk]
        same = np.array([False] + [a == b for a, b in zip(ids[1:], ids, strict=False)])
        states = np.array(
            [number.get(ITIL.label_map.get(label, ""), -1) for _i, label, _at in chunk], np.int64
        )
        times = np.array([(at - _EPOCH) // timedelta(microseconds=1) for *_r, at in chunk])
        checker.add(same, states, times, ids[0], ids[-1], lambda i, chunk=chunk: chunk[i])
    return EventLogReport(
        workflow=ITIL.name,
        events=checker.rows,
        incidents=checker.incidents,
        transitions=checker.transitions,
        violations=tuple(checker.violations),
    )


@settings(max_examples=400, deadline=None)
@given(log=_logs(), check_start=st.booleans(), check_order=st.booleans())
def test_chunks_give_the_row_engines_report(
    log: tuple[list[Row], list[int]], check_start: bool, check_order: bool
) -> None:
    rows, cuts = log
    flags = {"check_start": check_start, "check_order": check_order}
    assert _check(rows, cuts, **flags) == validate_event_log(rows, ITIL, **flags)


def test_a_known_chunk_after_an_unknown_one_carries_the_incident() -> None:
    """Both paths in one incident: the previous known row is two chunks back."""
    at = datetime(2016, 3, 1, tzinfo=UTC)
    rows = [("INC1", "New", at), ("INC1", "Limbo", at), ("INC1", "Closed", at)]
    got = _check(rows, [1, 2], check_start=True)
    assert got == validate_event_log(rows, ITIL, check_start=True)
    assert [(v.kind, v.step, v.from_label) for v in got.violations] == [
        ("unknown_label", 1, None),
        ("illegal_transition", 2, "New"),
    ]
