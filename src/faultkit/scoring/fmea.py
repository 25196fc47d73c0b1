"""FMEA risk of potential failure points: RPN and AIAG-VDA action priority.

Ratings are whole numbers 1-10 for severity (S, 10 the worst effect), occurrence (O,
10 the most frequent cause) and detection (D, 10 the least likely to be detected).
Anything else raises :class:`~faultkit.errors.InvalidInputError` naming the rating.

- Risk priority number: ``RPN = S x O x D``, 1 ... 1000.
- Action priority: the AIAG & VDA FMEA Handbook (2019) table, read by bands::

      AP = TABLE[5 * band(S) + band(O)][band(D)]

  with S bands 9-10, 7-8, 4-6, 2-3, 1; O bands 8-10, 6-7, 4-5, 2-3, 1; D bands 7-10,
  5-6, 2-4, 1 (see :data:`faultkit.scoring._tables.AIAG_VDA_ACTION_PRIORITY`). Unlike
  the RPN it puts severity first: S 9-10 with O 4 or more is H whatever D is.
"""

from __future__ import annotations

import enum
from typing import Any

import attrs

from faultkit.errors import InvalidInputError
from faultkit.scoring import _tables

__all__ = [
    "ActionPriority",
    "FmeaRating",
    "action_priority",
    "rpn",
]


class ActionPriority(enum.StrEnum):
    """The AIAG-VDA action priority of a failure mode's risk."""

    HIGH = "H"
    """Action is needed to improve prevention or detection, or a justification."""
    MEDIUM = "M"
    """Action should be taken, or the decision not to act documented."""
    LOW = "L"
    """Action could be taken."""

    @property
    def rank(self) -> int:
        """0 for H, 1 for M, 2 for L: sort by it to put the highest first."""
        return _RANK[self]


_RANK = {ActionPriority.HIGH: 0, ActionPriority.MEDIUM: 1, ActionPriority.LOW: 2}
_RATINGS = range(1, 11)


def _band_index(bands: tuple[tuple[int, int], ...]) -> tuple[int, ...]:
    """Index 0..9 (rating - 1) -> the position of the band holding that rating."""
    index = [-1] * 10
    for position, (low, high) in enumerate(bands):
        for rating in range(low, high + 1):
            if index[rating - 1] != -1:
                raise ValueError(f"rating {rating} is in two bands of {bands}")
            index[rating - 1] = position
    if -1 in index:
        raise ValueError(f"bands {bands} do not cover the ratings 1-10")
    return tuple(index)


def _build_table() -> tuple[ActionPriority, ...]:
    """All 1000 action priorities, at ``100 * (S-1) + 10 * (O-1) + (D-1)``."""
    s_band = _band_index(_tables.AIAG_VDA_SEVERITY_BANDS)
    o_band = _band_index(_tables.AIAG_VDA_OCCURRENCE_BANDS)
    d_band = _band_index(_tables.AIAG_VDA_DETECTION_BANDS)
    rows = _tables.AIAG_VDA_ACTION_PRIORITY
    n_o = len(_tables.AIAG_VDA_OCCURRENCE_BANDS)
    n_d = len(_tables.AIAG_VDA_DETECTION_BANDS)
    if len(rows) != len(_tables.AIAG_VDA_SEVERITY_BANDS) * n_o or any(
        len(row) != n_d for row in rows
    ):
        raise ValueError("the action priority table does not match its bands")
    return tuple(
        ActionPriority(rows[n_o * s_band[s] + o_band[o]][d_band[d]])
        for s in range(10)
        for o in range(10)
        for d in range(10)
    )


_AP = _build_table()


def _refuse(severity: Any, occurrence: Any, detection: Any) -> InvalidInputError:
    for field, value in (
        ("severity", severity),
        ("occurrence", occurrence),
        ("detection", detection),
    ):
        if type(value) is not int or value not in _RATINGS:
            return InvalidInputError(field, value, "expected an FMEA rating, a whole number 1-10")
    raise AssertionError("unreachable: all ratings are valid")  # pragma: no cover


def rpn(severity: int, occurrence: int, detection: int) -> int:
    """The risk priority number ``S x O x D``, 1 to 1000.

    >>> rpn(7, 4, 6)
    168

    Raises:
        InvalidInputError: a rating that is not an ``int`` 1-10, naming it.
    """
    if (
        type(severity) is int
        and type(occurrence) is int
        and type(detection) is int
        and 1 <= severity <= 10
        and 1 <= occurrence <= 10
        and 1 <= detection <= 10
    ):
        return severity * occurrence * detection
    raise _refuse(severity, occurrence, detection)


def action_priority(severity: int, occurrence: int, detection: int) -> ActionPriority:
    """The AIAG-VDA (2019) action priority H / M / L for S, O and D.

    ``AP = TABLE[5 * band(S) + band(O)][band(D)]``, read from a precomputed list of all
    1000 combinations.

    >>> action_priority(9, 2, 7)
    <ActionPriority.HIGH: 'H'>
    >>> action_priority(9, 2, 2)
    <ActionPriority.LOW: 'L'>

    Raises:
        InvalidInputError: a rating that is not an ``int`` 1-10, naming it.
    """
    if (
        type(severity) is int
        and type(occurrence) is int
        and type(detection) is int
        and 1 <= severity <= 10
        and 1 <= occurrence <= 10
        and 1 <= detection <= 10
    ):
        return _AP[100 * severity + 10 * occurrence + detection - 111]
    raise _refuse(severity, occurrence, detection)


def _rating(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not int or value not in _RATINGS:
        raise InvalidInputError(
            attribute.name, value, "expected an FMEA rating, a whole number 1-10"
        )


@attrs.frozen(kw_only=True)
class FmeaRating:
    """The severity, occurrence and detection ratings of one failure mode.

    Attributes:
        severity: S, 1-10; 10 the worst effect.
        occurrence: O, 1-10; 10 the most frequent cause.
        detection: D, 1-10; 10 the least likely to be detected before it reaches the
            customer.
    """

    severity: int = attrs.field(validator=_rating)
    occurrence: int = attrs.field(validator=_rating)
    detection: int = attrs.field(validator=_rating)

    @property
    def rpn(self) -> int:
        """``S x O x D``."""
        return self.severity * self.occurrence * self.detection

    @property
    def action_priority(self) -> ActionPriority:
        """The AIAG-VDA action priority of these ratings."""
        return _AP[100 * self.severity + 10 * self.occurrence + self.detection - 111]
