"""Who may verify a fix: a rule as data, on top of "not the resolver, not the assignee".

ISO 9001 10.2 asks that the effectiveness of a correction be reviewed; 8D D6 that the
permanent corrective action be verified. Many organisations name who may do it (a
quality team, the product owner, a trained tester). A :class:`VerifierRule` is that
list, by person id, with a name for refusals and documentation; give it to
:class:`~faultkit.lifecycle.Lifecycle` (``verifiers=``) and the ``fix_verified``
requirement refuses a close whose verification was recorded by anyone else, naming
the person and the rule. It is plain data: it round-trips through
:func:`faultkit.serialization.to_dict` / ``from_dict`` and can live in a profile or a
store beside the workflow.
"""

from __future__ import annotations

from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError

__all__ = ["VerifierRule"]


def _ids(value: Any) -> Any:
    """attrs converter: a list, tuple or set of ids becomes a frozenset (a text is refused)."""
    if isinstance(value, list | tuple | set):
        return frozenset(value)
    return value


def _check_ids(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not frozenset or not value:
        raise InvalidInputError(attribute.name, value, "expected a non-empty set of person ids")
    for item in value:
        if type(item) is not str or not item.strip():
            raise InvalidInputError(attribute.name, item, "expected a non-blank person id")


@attrs.frozen(kw_only=True)
class VerifierRule:
    """The people allowed to verify a fix, by id.

    Attributes:
        name: the rule's name, said in refusals (``"quality team"``); not blank.
        people: the ids of the people allowed to verify; not empty.
        description: why these people, in words, if said.
    """

    name: str = attrs.field(validator=v.non_empty_str)
    people: frozenset[str] = attrs.field(converter=_ids, validator=_check_ids)
    description: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)

    def allows(self, person_id: str) -> bool:
        """Whether the person with id ``person_id`` may verify a fix under this rule."""
        return person_id in self.people

    def refusal(self, person_id: str) -> str | None:
        """``None`` when ``person_id`` may verify, else the refusal naming them and the rule."""
        if person_id in self.people:
            return None
        allowed = ", ".join(sorted(self.people))
        return (
            f"{person_id!r} may not verify under the verifier rule {self.name!r} "
            f"(allowed: {allowed})"
        )
