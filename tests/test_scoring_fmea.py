"""FMEA: RPN, and the AIAG-VDA action priority against the handbook's table written out here.

Source of the golden table: AIAG & VDA *FMEA Handbook*, 1st edition (2019), "Action
Priority (AP) for DFMEA and PFMEA". It is written below as the handbook prints it, one
line per row (severity range, occurrence range, detection range, AP), and parsed by
this test on its own - it shares no code and no data with
``faultkit.scoring._tables``. The rows were cross-checked against an independent public
transcription of the handbook table (a Python module "Utility functions and constants
for AIAG-VDA Action Priority (AP) logic", found through a public code search) and
against biz-pi.com's "FMEA Action Priority (AP) lookup tables" worked examples.
"""

from __future__ import annotations

import itertools
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faultkit.errors import InvalidInputError
from faultkit.scoring import ActionPriority, FmeaRating, action_priority, rpn
from faultkit.testing.scoring import fmea_ratings, ratings

HANDBOOK_ROWS = """
S 9-10 | O 8-10 | D 1-10 | H
S 9-10 | O 6-7  | D 1-10 | H
S 9-10 | O 4-5  | D 2-10 | H
S 9-10 | O 4-5  | D 1    | M
S 9-10 | O 2-3  | D 7-10 | H
S 9-10 | O 2-3  | D 5-6  | M
S 9-10 | O 2-3  | D 1-4  | L
S 9-10 | O 1    | D 1-10 | L
S 7-8  | O 8-10 | D 1-10 | H
S 7-8  | O 6-7  | D 2-10 | H
S 7-8  | O 6-7  | D 1    | M
S 7-8  | O 4-5  | D 7-10 | H
S 7-8  | O 4-5  | D 1-6  | M
S 7-8  | O 2-3  | D 5-10 | M
S 7-8  | O 2-3  | D 1-4  | L
S 7-8  | O 1    | D 1-10 | L
S 4-6  | O 8-10 | D 5-10 | H
S 4-6  | O 8-10 | D 1-4  | M
S 4-6  | O 6-7  | D 2-10 | M
S 4-6  | O 6-7  | D 1    | L
S 4-6  | O 4-5  | D 7-10 | M
S 4-6  | O 4-5  | D 1-6  | L
S 4-6  | O 1-3  | D 1-10 | L
S 2-3  | O 8-10 | D 5-10 | M
S 2-3  | O 8-10 | D 1-4  | L
S 2-3  | O 1-7  | D 1-10 | L
S 1    | O 1-10 | D 1-10 | L
"""


def _span(text: str) -> range:
    low, _, high = text.partition("-")
    return range(int(low), int(high or low) + 1)


def handbook() -> dict[tuple[int, int, int], str]:
    """The rows above, expanded to one entry per (S, O, D); each combination exactly once."""
    table: dict[tuple[int, int, int], str] = {}
    for line in HANDBOOK_ROWS.strip().splitlines():
        s, o, d, ap = (part.strip() for part in line.split("|"))
        for key in itertools.product(_span(s[2:]), _span(o[2:]), _span(d[2:])):
            assert key not in table, f"{key} listed twice"
            table[key] = ap
    return table


HANDBOOK = handbook()
RANK = {"H": 2, "M": 1, "L": 0}


def test_handbook_rows_cover_all_1000_combinations() -> None:
    assert len(HANDBOOK) == 1000


@pytest.mark.parametrize(("s", "o", "d"), sorted(HANDBOOK))
def test_action_priority_matches_handbook(s: int, o: int, d: int) -> None:
    assert action_priority(s, o, d) == ActionPriority(HANDBOOK[s, o, d])


def test_action_priority_counts() -> None:
    counts = dict.fromkeys(ActionPriority, 0)
    for key in HANDBOOK:
        counts[action_priority(*key)] += 1
    assert counts == {ActionPriority.HIGH: 318, ActionPriority.MEDIUM: 214, ActionPriority.LOW: 468}


@pytest.mark.parametrize(
    ("s", "o", "d", "expected"),
    [
        (8, 6, 2, "H"),  # biz-pi.com example
        (2, 6, 8, "L"),  # biz-pi.com example
        (10, 1, 10, "L"),
        (10, 4, 1, "M"),
        (9, 2, 7, "H"),
        (9, 2, 2, "L"),
        (5, 5, 5, "L"),
        (1, 10, 10, "L"),
    ],
)
def test_golden_vectors(s: int, o: int, d: int, expected: str) -> None:
    assert action_priority(s, o, d).value == expected


def test_monotonic_in_every_rating() -> None:
    """A worse S, O or D (one step up) never gives a lower action priority."""
    for s, o, d in itertools.product(range(1, 11), repeat=3):
        here = RANK[action_priority(s, o, d)]
        for worse in ((s + 1, o, d), (s, o + 1, d), (s, o, d + 1)):
            if max(worse) <= 10:
                assert RANK[action_priority(*worse)] >= here, ((s, o, d), worse)


@given(ratings(), ratings(), ratings(), ratings(), ratings(), ratings())
def test_monotonic_property(s1: int, o1: int, d1: int, s2: int, o2: int, d2: int) -> None:
    low = (min(s1, s2), min(o1, o2), min(d1, d2))
    high = (max(s1, s2), max(o1, o2), max(d1, d2))
    assert RANK[action_priority(*high)] >= RANK[action_priority(*low)]


def test_rpn_all_combinations() -> None:
    for s, o, d in itertools.product(range(1, 11), repeat=3):
        assert rpn(s, o, d) == s * o * d
    assert rpn(1, 1, 1) == 1
    assert rpn(10, 10, 10) == 1000


@pytest.mark.parametrize("bad", [0, 11, -1, 5.0, "5", None, True, 10**20])
@pytest.mark.parametrize("position", [0, 1, 2])
def test_invalid_ratings_raise_naming_the_rating(bad: object, position: int) -> None:
    args: list[object] = [5, 5, 5]
    args[position] = bad
    field = ("severity", "occurrence", "detection")[position]
    for fn in (rpn, action_priority):
        with pytest.raises(InvalidInputError) as info:
            fn(*args)  # type: ignore[arg-type]
        assert info.value.field == field
        assert info.value.value is bad or info.value.value == bad
        assert isinstance(info.value, ValueError)
    with pytest.raises(InvalidInputError) as info:
        FmeaRating(severity=args[0], occurrence=args[1], detection=args[2])  # type: ignore[arg-type]
    assert info.value.field == field


@given(fmea_ratings())
def test_rating_record_agrees_with_functions(r: FmeaRating) -> None:
    assert r.rpn == rpn(r.severity, r.occurrence, r.detection)
    assert r.action_priority is action_priority(r.severity, r.occurrence, r.detection)
    assert pickle.loads(pickle.dumps(r)) == r


def test_action_priority_enum() -> None:
    assert [ap.value for ap in ActionPriority] == ["H", "M", "L"]
    assert ActionPriority("M") is ActionPriority.MEDIUM
    assert sorted(ActionPriority, key=lambda ap: -ap.rank) == [
        ActionPriority.LOW,
        ActionPriority.MEDIUM,
        ActionPriority.HIGH,
    ]


@given(st.integers(min_value=1, max_value=10))
def test_severity_nine_or_ten_with_frequent_cause_is_high(o: int) -> None:
    """The handbook's headline: S 9-10 with O 6 or more is H whatever D is."""
    if o >= 6:
        for s in (9, 10):
            assert all(action_priority(s, o, d) is ActionPriority.HIGH for d in range(1, 11))
