"""The FMEA re-rating rules and the re-rating event of a risk item.

The rules are those of the AIAG & VDA FMEA Handbook (2019), step 6 (optimisation):
a rating goes down only because something changed, and that something is recorded.

- **Severity** lowers only with a design change: the effect of the failure is only
  milder if the product was changed (:class:`DesignChange`: reference, description,
  who, when - not after the re-rating).
- **Occurrence** and **detection** lower only with the actions that lowered them
  (prevention actions for O, detection actions for D): at least one action id; an
  :class:`~faultkit.rca.Action` record given to :meth:`faultkit.rca.RiskItem.rerate`
  must be carried out (``done`` or ``verified_effective``, completed no later than the
  re-rating; an action verified ``ineffective`` lowered nothing).
- **Raising** any rating is always allowed; like every re-rating it carries its reason
  (``justification``, never blank).

Each re-rating is one immutable :class:`Rerating` event (who, when, S/O/D before and
after, the action priority before and after, the justification, the design change and
the actions) appended to the item; the item's ratings are what its events say, so the
history of S, O, D and AP can be replayed (:meth:`faultkit.rca.RiskItem.history`).

The rules live in :data:`RERATE_RULES` (data); :func:`unmet_rules` reads them. A
command that breaks one raises :class:`~faultkit.errors.RerateRefusedError` (naming
the item, the rating, both values and the rule); an event read from storage that
breaks one is bad input (:class:`~faultkit.errors.InvalidInputError`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.scoring import ActionPriority, FmeaRating

__all__ = [
    "RERATE_RULES",
    "DesignChange",
    "Rerating",
    "unmet_rules",
]


@attrs.frozen(kw_only=True)
class DesignChange:
    """A recorded change of the product's design: the only way to lower a severity.

    Attributes:
        reference: the change's reference (engineering change number, pull request...).
        description: what was changed, and why the effect is now milder.
        by: the id of the person who made (or approved) the change.
        at: when it took effect (timezone-aware).
    """

    reference: str = attrs.field(validator=v.non_empty_str)
    description: str = attrs.field(validator=v.non_empty_str)
    by: str = attrs.field(validator=v.non_empty_str)
    at: datetime = attrs.field(validator=v.aware_datetime)


RERATE_RULES: tuple[tuple[str, str, str], ...] = (
    # (rating, what lowering it needs, rule name)
    ("severity", "design_change", "severity_lowers_only_with_a_design_change"),
    ("occurrence", "actions", "occurrence_lowers_only_with_an_action"),
    ("detection", "actions", "detection_lowers_only_with_an_action"),
)
"""Which record a lower rating needs: (rating, the event's field, the rule's name)."""

DESIGN_CHANGE_NOT_AFTER = "design_change_not_after_the_rerating"
"""The rule that a design change must have taken effect by the re-rating."""


def unmet_rules(
    before: FmeaRating,
    after: FmeaRating,
    *,
    at: datetime,
    design_change: DesignChange | None,
    actions: tuple[str, ...],
) -> list[tuple[str, int, int, str, str]]:
    """Each rule of :data:`RERATE_RULES` the re-rating ``before -> after`` breaks.

    Returns ``(rating, before, after, rule, detail)`` tuples, severity first; empty
    when the re-rating is allowed. Raising or keeping a rating breaks no rule.
    """
    given: dict[str, Any] = {"design_change": design_change, "actions": actions}
    unmet: list[tuple[str, int, int, str, str]] = []
    for rating, needs, rule in RERATE_RULES:
        old, new = getattr(before, rating), getattr(after, rating)
        if new < old and not given[needs]:
            what = "a recorded design change" if needs == "design_change" else "an action id"
            unmet.append((rating, old, new, rule, f"lowering {rating} needs {what}"))
    if design_change is not None and design_change.at > at and after.severity < before.severity:
        unmet.append(
            (
                "severity",
                before.severity,
                after.severity,
                DESIGN_CHANGE_NOT_AFTER,
                f"design change {design_change.reference!r} takes effect at "
                f"{design_change.at.isoformat()}, after the re-rating at {at.isoformat()}",
            )
        )
    return unmet


def _priority(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, ActionPriority):
        raise InvalidInputError(attribute.name, value, "expected an ActionPriority")


@attrs.frozen(kw_only=True)
class Rerating:
    """One re-rating of a risk item: an immutable event.

    Attributes:
        by: the id of the person who re-rated.
        at: when (timezone-aware; never earlier than the item's previous re-rating).
        before: the ratings before.
        after: the ratings after.
        ap_before: the AIAG-VDA action priority of ``before``.
        ap_after: the action priority of ``after``.
        justification: why the ratings changed (or were confirmed); not blank.
        design_change: the design change that lowered the severity, if any.
        actions: ids of the actions that lowered occurrence or detection.

    Raises:
        InvalidInputError: a field has the wrong type, an action priority does not
            match its ratings, or the event breaks a rule of :data:`RERATE_RULES`
            (an event read back from storage is checked like a new one).
    """

    by: str = attrs.field(validator=v.non_empty_str)
    at: datetime = attrs.field(validator=v.aware_datetime)
    before: FmeaRating = attrs.field(validator=v.instance(FmeaRating))
    after: FmeaRating = attrs.field(validator=v.instance(FmeaRating))
    ap_before: ActionPriority = attrs.field(validator=_priority)
    ap_after: ActionPriority = attrs.field(validator=_priority)
    justification: str = attrs.field(validator=v.non_empty_str)
    design_change: DesignChange | None = attrs.field(
        default=None, validator=v.optional_instance(DesignChange)
    )
    actions: tuple[str, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.non_empty_str)
    )

    def __attrs_post_init__(self) -> None:
        for field, rating, priority in (
            ("ap_before", self.before, self.ap_before),
            ("ap_after", self.after, self.ap_after),
        ):
            if rating.action_priority is not priority:
                raise InvalidInputError(
                    field,
                    priority,
                    f"the action priority of S{rating.severity} O{rating.occurrence} "
                    f"D{rating.detection} is {rating.action_priority.value}",
                )
        unmet = unmet_rules(
            self.before,
            self.after,
            at=self.at,
            design_change=self.design_change,
            actions=self.actions,
        )
        if unmet:
            name, old, new, rule, detail = unmet[0]
            field = "actions" if rule.endswith("with_an_action") else "design_change"
            raise InvalidInputError(
                field, getattr(self, field), f"{rule}: {detail} ({name} {old} -> {new})"
            )
