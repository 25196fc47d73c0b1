"""The risk register: potential failure points rated with FMEA, mitigated, re-rated.

Each item is a failure mode of some part of the product: what fails, its effect, its
cause, the controls in place, and its severity / occurrence / detection ratings
(:class:`faultkit.scoring.FmeaRating`). The risk priority number and the AIAG-VDA
action priority come from :func:`faultkit.scoring.rpn` and
:func:`faultkit.scoring.action_priority`. After mitigation an item is re-rated; the
register ranks items by their current rating.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.scoring import ActionPriority, FmeaRating, action_priority, rpn

__all__ = ["RiskItem", "RiskRegister"]


@attrs.frozen(kw_only=True)
class RiskItem:
    """One potential failure point.

    Attributes:
        id: identifier; not blank.
        item: the part, function or process step that can fail.
        failure_mode: how it fails.
        effect: what the customer or the system then sees.
        cause: why it would fail.
        controls: the prevention and detection controls in place.
        rating: the FMEA ratings before mitigation.
        mitigations: ids of the (preventive) actions that mitigate it.
        rerating: the ratings after mitigation, once re-rated.
        rerated_at: when it was re-rated (set together with ``rerating``).
    """

    id: str = attrs.field(validator=v.non_empty_str)
    item: str = attrs.field(validator=v.non_empty_str)
    failure_mode: str = attrs.field(validator=v.non_empty_str)
    effect: str = attrs.field(validator=v.non_empty_str)
    cause: str = attrs.field(validator=v.non_empty_str)
    rating: FmeaRating = attrs.field(validator=v.instance(FmeaRating))
    controls: tuple[str, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.non_empty_str)
    )
    mitigations: tuple[str, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.non_empty_str)
    )
    rerating: FmeaRating | None = attrs.field(
        default=None, validator=v.optional_instance(FmeaRating)
    )
    rerated_at: datetime | None = attrs.field(default=None, validator=v.optional_aware_datetime)

    def __attrs_post_init__(self) -> None:
        if (self.rerating is None) != (self.rerated_at is None):
            raise InvalidInputError(
                "rerated_at", self.rerated_at, "must be set exactly when rerating is"
            )

    @property
    def current(self) -> FmeaRating:
        """The ratings that hold now: the re-rating if there is one, else the first."""
        return self.rating if self.rerating is None else self.rerating

    @property
    def rpn(self) -> int:
        """The current risk priority number, ``S x O x D`` (see :func:`faultkit.scoring.rpn`)."""
        r = self.current
        return rpn(r.severity, r.occurrence, r.detection)

    @property
    def action_priority(self) -> ActionPriority:
        """The current AIAG-VDA action priority (see :func:`faultkit.scoring.action_priority`)."""
        r = self.current
        return action_priority(r.severity, r.occurrence, r.detection)

    @property
    def initial_rpn(self) -> int:
        """The risk priority number before mitigation."""
        r = self.rating
        return rpn(r.severity, r.occurrence, r.detection)

    def rerate(
        self, rating: FmeaRating, *, at: datetime, mitigations: tuple[str, ...] = ()
    ) -> RiskItem:
        """A copy re-rated at ``at`` after mitigation, with ``mitigations`` appended.

        The first rating is kept, so the reduction stays visible.
        """
        v.check_aware("at", at)
        if not isinstance(rating, FmeaRating):
            raise InvalidInputError("rating", rating, "expected an FmeaRating")
        return attrs.evolve(
            self,
            rerating=rating,
            rerated_at=at,
            mitigations=(*self.mitigations, *mitigations),
        )


@attrs.frozen(kw_only=True)
class RiskRegister:
    """The register of potential failure points.

    Attributes:
        items: the risk items; ids are unique.

    Raises:
        InvalidInputError: two items share an id.
    """

    items: tuple[RiskItem, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.instance(RiskItem))
    )

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for i, item in enumerate(self.items):
            if item.id in seen:
                raise InvalidInputError(f"items[{i}].id", item.id, "duplicate risk id")
            seen.add(item.id)

    def item(self, item_id: str) -> RiskItem:
        """The item with id ``item_id``."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise InvalidInputError("item_id", item_id, "no risk item has this id")

    def with_item(self, item: RiskItem) -> RiskRegister:
        """A copy with ``item`` added, or replacing the item that has its id."""
        if any(i.id == item.id for i in self.items):
            return RiskRegister(items=tuple(item if i.id == item.id else i for i in self.items))
        return RiskRegister(items=(*self.items, item))

    def rerate(
        self,
        item_id: str,
        rating: FmeaRating,
        *,
        at: datetime,
        mitigations: tuple[str, ...] = (),
    ) -> RiskRegister:
        """A copy where item ``item_id`` is re-rated (see :meth:`RiskItem.rerate`)."""
        return self.with_item(self.item(item_id).rerate(rating, at=at, mitigations=mitigations))

    def ranked(self) -> tuple[RiskItem, ...]:
        """Items by current action priority (H first), then RPN, then severity, highest first."""
        return tuple(
            sorted(
                self.items,
                key=lambda i: (i.action_priority.rank, -i.rpn, -i.current.severity),
            )
        )

    def needing_action(
        self, priorities: frozenset[ActionPriority] = frozenset({ActionPriority.HIGH})
    ) -> tuple[RiskItem, ...]:
        """Ranked items whose current action priority is in ``priorities`` (default: H)."""
        return tuple(i for i in self.ranked() if i.action_priority in priorities)
