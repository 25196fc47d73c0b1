"""Priority from impact x urgency: the ServiceNow matrix, custom matrices and their checks.

Golden vectors: ServiceNow's default priority lookup (impact 1 High / 2 Medium / 3 Low
x urgency 1 / 2 / 3 -> 1 Critical ... 5 Planning), as listed in faultkit issue 5 and in
ServiceNow's Incident Management documentation ("Priority lookup rules").
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faultkit.errors import InvalidInputError
from faultkit.models import Urgency
from faultkit.scoring import (
    SERVICENOW_MATRIX,
    SERVICENOW_MATRIX_NO_PLANNING,
    Impact,
    Priority,
    PriorityMatrix,
    coded_level,
    priority,
)
from faultkit.testing.scoring import impact_levels, priority_matrices, urgency_levels

SERVICENOW_GOLDEN = {
    (1, 1): 1,
    (1, 2): 2,
    (1, 3): 3,
    (2, 1): 2,
    (2, 2): 3,
    (2, 3): 4,
    (3, 1): 3,
    (3, 2): 4,
    (3, 3): 5,
}


@pytest.mark.parametrize(("impact", "urgency"), sorted(SERVICENOW_GOLDEN))
def test_servicenow_default_matrix(impact: int, urgency: int) -> None:
    expected = SERVICENOW_GOLDEN[impact, urgency]
    assert priority(impact, urgency) == expected
    assert priority(Impact(impact), Urgency(urgency)) is Priority(expected)
    assert priority(impact, urgency, matrix=SERVICENOW_MATRIX).value == expected
    assert SERVICENOW_MATRIX.lookup(impact, urgency) is Priority(expected)


def test_no_planning_variant_differs_only_at_low_low() -> None:
    for (impact, urgency), expected in SERVICENOW_GOLDEN.items():
        got = priority(impact, urgency, SERVICENOW_MATRIX_NO_PLANNING)
        assert got == (Priority.LOW if (impact, urgency) == (3, 3) else expected)


def test_priority_labels() -> None:
    assert [p.label for p in Priority] == [
        "1 - Critical",
        "2 - High",
        "3 - Moderate",
        "4 - Low",
        "5 - Planning",
    ]
    assert Priority.CRITICAL < Priority.PLANNING


@given(impact_levels(), urgency_levels())
def test_any_level_form_gives_the_same_priority(impact: int, urgency: int) -> None:
    assert priority(impact, urgency) is priority(int(impact), int(urgency))
    assert isinstance(priority(impact, urgency), Priority)


@pytest.mark.parametrize(
    ("impact", "urgency", "field"),
    [
        (0, 1, "impact"),
        (4, 1, "impact"),
        (-1, 1, "impact"),
        (True, 1, "impact"),
        (1.0, 1, "impact"),
        ("1", 1, "impact"),
        (None, 1, "impact"),
        (1, 0, "urgency"),
        (1, 4, "urgency"),
        (1, False, "urgency"),
        (2, 2.0, "urgency"),
        (1, "2 - Medium", "urgency"),
    ],
)
def test_unknown_levels_raise_naming_the_value(impact: object, urgency: object, field: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        priority(impact, urgency)  # type: ignore[arg-type]
    assert info.value.field == field
    assert info.value.value == (impact if field == "impact" else urgency)
    assert "1-3" in str(info.value)


def test_custom_matrix_n_by_m() -> None:
    matrix = PriorityMatrix(
        [
            [1, 1, 2, 3],
            [1, 2, 3, 4],
            [2, 3, 4, 5],
            [3, 4, 5, 5],
            [4, 5, 5, 5],
        ],
        name="5x4",
    )
    assert (matrix.impact_levels, matrix.urgency_levels) == (5, 4)
    assert priority(5, 4, matrix) is Priority.PLANNING
    assert priority(4, 1, matrix) is Priority.MODERATE
    assert priority(Impact.HIGH, Urgency.LOW, matrix) is Priority.HIGH
    with pytest.raises(InvalidInputError, match="1-4") as info:
        priority(1, 5, matrix)
    assert info.value.field == "urgency"
    assert matrix == PriorityMatrix(matrix.rows)
    assert "5x4" in repr(matrix)


@pytest.mark.parametrize(
    ("rows", "field", "value"),
    [
        ([], "matrix", []),
        ("123", "matrix", "123"),
        (None, "matrix", None),
        ([[]], "matrix[0]", []),
        ([[1, 2], [2]], "matrix[1]", [2]),
        ([[1, 2], 3], "matrix[1]", 3),
        ([[1, 6]], "matrix[0][1]", 6),
        ([[0, 1]], "matrix[0][0]", 0),
        ([[1, "2"]], "matrix[0][1]", "2"),
        ([[1, 2.0]], "matrix[0][1]", 2.0),
        ([[1, True]], "matrix[0][1]", True),
        ([[2, 1]], "matrix[0][1]", 1),  # less urgent, more urgent priority
        ([[1, 2], [2, 1]], "matrix[1][1]", 1),
        ([[3], [2]], "matrix[1][0]", 2),  # less impact, more urgent priority
    ],
)
def test_malformed_matrices_are_refused(rows: object, field: str, value: object) -> None:
    with pytest.raises(InvalidInputError) as info:
        PriorityMatrix(rows)  # type: ignore[arg-type]
    assert info.value.field == field
    assert info.value.value == value


@given(priority_matrices())
def test_any_valid_matrix_is_monotonic_and_complete(matrix: PriorityMatrix) -> None:
    n, m = matrix.impact_levels, matrix.urgency_levels
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            here = priority(i, j, matrix)
            if i < n:
                assert priority(i + 1, j, matrix) >= here
            if j < m:
                assert priority(i, j + 1, matrix) >= here
    assert PriorityMatrix([list(row) for row in matrix.rows]) == matrix


@given(priority_matrices(max_impacts=4, max_urgencies=4), st.data())
def test_breaking_monotonicity_is_refused(matrix: PriorityMatrix, data: st.DataObject) -> None:
    rows = [list(row) for row in matrix.rows]
    cells = [
        (i, j)
        for i in range(len(rows))
        for j in range(len(rows[0]))
        if (i and rows[i - 1][j] > 1) or (j and rows[i][j - 1] > 1)
    ]
    if not cells:
        return
    i, j = data.draw(st.sampled_from(cells))
    neighbours = [rows[i - 1][j] if i else 0, rows[i][j - 1] if j else 0]
    rows[i][j] = data.draw(st.integers(min_value=1, max_value=max(neighbours) - 1))
    with pytest.raises(InvalidInputError, match="not monotonic"):
        PriorityMatrix(rows)


@pytest.mark.parametrize(
    ("label", "level"),
    [("1 - High", 1), ("2 - Medium", 2), ("3 - Low", 3), ("4 - Low", 4), ("3", 3), (" 2 -x", 2)],
)
def test_coded_level(label: str, level: int) -> None:
    assert coded_level(label) == level


@pytest.mark.parametrize("label", ["?", "", "High", "- 2", None, 2])
def test_coded_level_refuses(label: object) -> None:
    with pytest.raises(InvalidInputError) as info:
        coded_level(label, field="impact")  # type: ignore[arg-type]
    assert info.value.field == "impact"
