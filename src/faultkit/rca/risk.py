"""The risk register: potential failure points rated with FMEA, mitigated, re-rated.

Each item is a failure mode of some part of the product: what fails, its effect, its
cause, the controls in place, and its severity / occurrence / detection ratings
(:class:`faultkit.scoring.FmeaRating`). The risk priority number and the AIAG-VDA
action priority come from :func:`faultkit.scoring.rpn` and
:func:`faultkit.scoring.action_priority`. After mitigation an item is re-rated under
the rules of :mod:`faultkit.rca.rerating`; each re-rating is an event kept on the
item, and the register ranks items by their current rating.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.errors import MISSING, InvalidInputError, RerateRefusedError
from faultkit.rca.actions import Action, ActionStatus
from faultkit.rca.rerating import DesignChange, Rerating, unmet_rules
from faultkit.scoring import ActionPriority, FmeaRating, action_priority, rpn
from faultkit.serialization import from_dict, to_dict

__all__ = ["RiskItem", "RiskRegister"]

_CARRIED_OUT = frozenset({ActionStatus.DONE, ActionStatus.VERIFIED_EFFECTIVE})
_LEGACY_KEYS = ("rerating", "rerated_at")


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
        rating: the FMEA ratings before mitigation (the first assessment).
        mitigations: ids of the (preventive) actions that mitigate it.
        reratings: the re-rating events, oldest first; each one's ``before`` is the
            previous one's ``after`` (the first one's, ``rating``), and their times
            never go back.

    Raises:
        InvalidInputError: a field has the wrong type, or the re-ratings do not chain.
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
    reratings: tuple[Rerating, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.instance(Rerating))
    )

    def __attrs_post_init__(self) -> None:
        previous, when = self.rating, None
        for i, event in enumerate(self.reratings):
            if event.before != previous:
                raise InvalidInputError(
                    f"reratings[{i}].before",
                    event.before,
                    f"must be the ratings that held before it ({previous})",
                )
            if when is not None and event.at < when:
                raise InvalidInputError(
                    f"reratings[{i}].at", event.at, "earlier than the previous re-rating"
                )
            previous, when = event.after, event.at

    @property
    def current(self) -> FmeaRating:
        """The ratings that hold now: the last re-rating's, else the first."""
        return self.reratings[-1].after if self.reratings else self.rating

    @property
    def rerated_at(self) -> datetime | None:
        """When it was last re-rated, or ``None``."""
        return self.reratings[-1].at if self.reratings else None

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

    def history(self) -> tuple[tuple[datetime | None, FmeaRating, ActionPriority], ...]:
        """Every state the ratings went through: ``(since, ratings, action priority)``.

        The first entry is the first assessment (``since`` is ``None``); then one entry
        per re-rating, replayed from the events alone.
        """
        states: list[tuple[datetime | None, FmeaRating, ActionPriority]] = [
            (None, self.rating, self.rating.action_priority)
        ]
        states.extend((e.at, e.after, e.ap_after) for e in self.reratings)
        return tuple(states)

    def rating_at(self, when: datetime) -> FmeaRating:
        """The ratings that held at ``when`` (the first assessment before any re-rating)."""
        v.check_aware("when", when)
        held = self.rating
        for event in self.reratings:
            if event.at > when:
                break
            held = event.after
        return held

    def rerate(
        self,
        rating: FmeaRating,
        *,
        by: str,
        at: datetime,
        justification: str,
        design_change: DesignChange | None = None,
        actions: Sequence[Action | str] = (),
    ) -> RiskItem:
        """A copy re-rated to ``rating``, with the :class:`~faultkit.rca.Rerating` event.

        The rules (:mod:`faultkit.rca.rerating`, AIAG-VDA 2019): a lower severity needs
        ``design_change``; a lower occurrence or detection needs ``actions`` (ids, or
        :class:`~faultkit.rca.Action` records, which must be carried out by ``at``);
        raising needs only the ``justification`` every re-rating carries. The
        actions' ids are added to ``mitigations``.

        Raises:
            RerateRefusedError: a rule refuses it, naming the item, the rating, both
                values and the rule.
            InvalidInputError: bad input (a blank ``by`` or ``justification``, a naive
                ``at``, an ``at`` before the last re-rating...).
        """
        v.check_aware("at", at)
        if not isinstance(rating, FmeaRating):
            raise InvalidInputError("rating", rating, "expected an FmeaRating")
        if isinstance(actions, str):
            raise InvalidInputError("actions", actions, "expected a sequence of actions or ids")
        before = self.current
        ids = tuple(self._action_id(i, a, before, rating, at) for i, a in enumerate(actions))
        for name, old, new, rule, detail in unmet_rules(
            before, rating, at=at, design_change=design_change, actions=ids
        ):
            raise RerateRefusedError(self.id, name, old, new, rule, detail)
        if self.reratings and at < self.reratings[-1].at:
            raise InvalidInputError(
                "at", at, f"earlier than the last re-rating ({self.reratings[-1].at.isoformat()})"
            )
        event = Rerating(
            by=by,
            at=at,
            before=before,
            after=rating,
            ap_before=before.action_priority,
            ap_after=rating.action_priority,
            justification=justification,
            design_change=design_change,
            actions=ids,
        )
        mitigations = (
            *self.mitigations,
            *(i for i in dict.fromkeys(ids) if i not in self.mitigations),
        )
        return attrs.evolve(self, reratings=(*self.reratings, event), mitigations=mitigations)

    def _action_id(
        self, index: int, action: Action | str, before: FmeaRating, after: FmeaRating, at: datetime
    ) -> str:
        if isinstance(action, str):
            if not action.strip():
                raise InvalidInputError(f"actions[{index}]", action, "expected an action id")
            return action
        if not isinstance(action, Action):
            raise InvalidInputError(f"actions[{index}]", action, "expected an Action or its id")
        done = action.completed_at is not None and action.completed_at <= at
        if action.status not in _CARRIED_OUT or not done:
            name, old, new = next(
                (
                    (n, getattr(before, n), getattr(after, n))
                    for n in ("occurrence", "detection")
                    if getattr(after, n) < getattr(before, n)
                ),
                ("occurrence", before.occurrence, after.occurrence),
            )
            raise RerateRefusedError(
                self.id,
                name,
                old,
                new,
                "only_a_carried_out_action_lowers_a_rating",
                f"action {action.id!r} is {action.status.value}"
                + ("" if done else f", not completed by {at.isoformat()}"),
            )
        return action.id

    # ------------------------------------------------------------------ serialization

    def __faultkit_unstructure__(self) -> dict[str, Any]:
        return {f.name: to_dict(getattr(self, f.name)) for f in attrs.fields(RiskItem)}

    @classmethod
    def __faultkit_structure__(cls, data: Any) -> RiskItem:
        """Read a risk item; the keys ``rerating``/``rerated_at`` of faultkit 0.1 storage
        are accepted when empty (a re-rating without who and why cannot be replayed)."""
        if not isinstance(data, dict):
            raise InvalidInputError("", data, "expected a mapping for a RiskItem")
        data = dict(data)
        for key in _LEGACY_KEYS:
            if key in data:
                legacy = data.pop(key)
                if legacy is not None:
                    raise InvalidInputError(
                        key,
                        legacy,
                        "a re-rating stored without who, why and what lowered it cannot be "
                        "read; re-rate the item (reratings) instead",
                    )
        fields = {f.name: f for f in attrs.fields(RiskItem)}
        unknown = sorted(set(data) - set(fields))
        if unknown:
            raise InvalidInputError(unknown[0], data[unknown[0]], "not a field of RiskItem")
        for name, field in fields.items():
            if field.default is attrs.NOTHING and name not in data:
                raise InvalidInputError(name, MISSING, "required field is missing")
        kwargs: dict[str, Any] = {}
        for name, value in data.items():
            try:
                kwargs[name] = from_dict(value, _FIELD_TYPES[name])
            except InvalidInputError as exc:
                raise exc.at_path(name) from None
        return cls(**kwargs)


_FIELD_TYPES: dict[str, Any] = {
    "id": str,
    "item": str,
    "failure_mode": str,
    "effect": str,
    "cause": str,
    "rating": FmeaRating,
    "controls": tuple[str, ...],
    "mitigations": tuple[str, ...],
    "reratings": tuple[Rerating, ...],
}


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
        by: str,
        at: datetime,
        justification: str,
        design_change: DesignChange | None = None,
        actions: Sequence[Action | str] = (),
    ) -> RiskRegister:
        """A copy where item ``item_id`` is re-rated (see :meth:`RiskItem.rerate`)."""
        item = self.item(item_id).rerate(
            rating,
            by=by,
            at=at,
            justification=justification,
            design_change=design_change,
            actions=actions,
        )
        return self.with_item(item)

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
