"""Severity SEV1 ... SEV5 from an :class:`~faultkit.scoring.ImpactAssessment`, by a rule table.

The formula::

    severity(facts) = the level of the first rule, in table order, whose conditions
                      all hold for the facts

The table is sorted most severe first and ends with a rule without conditions, so
every input gets exactly one level, and the result names the rule that decided it.
Every condition is a threshold of the form "at least this bad" (scope at least a site,
interruption at least degraded, at least 100 users, exposure present, no workaround,
...), so making a fact worse can only add matching rules: severity never drops. The
constructor of :class:`SeverityRules` checks all of that when a table is built.

The built-in table is :data:`faultkit.scoring._tables.DEFAULT_SEVERITY_RULES`.

For speed the rules are compiled once per table: for each combination of the
discrete facts (scope, interruption, data loss, the three exposures, workaround:
4 x 4 x 3 x 2 x 2 x 2 x 2 = 768) the table stores the decided result, plus the few
earlier rules that also depend on a number (users, share, duration) and must still be
checked. A call is one dict lookup in the common case.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from itertools import product
from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.models import ImpactScope, Severity
from faultkit.scoring import _tables
from faultkit.scoring.impact import (
    SCOPE_ORDER,
    DataLoss,
    ImpactAssessment,
    ServiceInterruption,
    scope_rank,
)

__all__ = [
    "DEFAULT_SEVERITY_RULES",
    "SeverityResult",
    "SeverityRule",
    "SeverityRules",
    "assess_severity",
]

_SEVERITIES = {s.value: s for s in Severity}


def _to_severity(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and value in _SEVERITIES:
        return _SEVERITIES[value]
    return value


def _enum_or_value(enum_type: type[Any], value: Any) -> Any:
    if type(value) is str:
        try:
            return enum_type(value)
        except ValueError:
            return value
    return value


def _to_scope(value: Any) -> Any:
    return _enum_or_value(ImpactScope, value)


def _to_interruption(value: Any) -> Any:
    return _enum_or_value(ServiceInterruption, value)


def _to_data_loss(value: Any) -> Any:
    return _enum_or_value(DataLoss, value)


def _hours_to_timedelta(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return timedelta(hours=value)
    return value


@attrs.frozen(kw_only=True)
class SeverityRule:
    """One line of a severity table: a level, why, and the conditions that must all hold.

    Attributes:
        level: the severity this rule gives (an int 1-5 is accepted).
        reason: the rule in words; it is what a result says.
        min_scope: the scope is at least this wide.
        min_interruption: the interruption is at least this bad.
        min_data_loss: the data loss is at least this bad.
        min_users: at least this many users are affected (unknown counts as 0).
        min_user_share: at least this share (0-1) of the user base is affected (unknown
            never matches).
        min_duration: it is expected to last at least this long (unknown never
            matches); built from ``min_duration_hours`` in a table.
        safety: ``True`` when the rule needs a safety exposure.
        security: ``True`` when the rule needs a security exposure.
        regulatory: ``True`` when the rule needs a regulatory exposure.
        no_workaround: ``True`` when the rule needs that no workaround be available.
    """

    level: Severity = attrs.field(converter=_to_severity, validator=v.member_of(Severity))
    reason: str = attrs.field(validator=v.non_empty_str)
    min_scope: ImpactScope | None = attrs.field(
        default=None,
        converter=_to_scope,
        validator=v.optional_member_of(ImpactScope),
    )
    min_interruption: ServiceInterruption | None = attrs.field(
        default=None,
        converter=_to_interruption,
        validator=v.optional_member_of(ServiceInterruption),
    )
    min_data_loss: DataLoss | None = attrs.field(
        default=None,
        converter=_to_data_loss,
        validator=v.optional_member_of(DataLoss),
    )
    min_users: int | None = attrs.field(default=None, validator=v.optional_non_negative_int)
    min_user_share: float | None = attrs.field(
        default=None, validator=v.optional_float_between(0.0, 1.0)
    )
    min_duration: timedelta | None = attrs.field(
        default=None, converter=_hours_to_timedelta, validator=v.optional_non_negative_timedelta
    )
    safety: bool = attrs.field(default=False, validator=v.is_bool)
    security: bool = attrs.field(default=False, validator=v.is_bool)
    regulatory: bool = attrs.field(default=False, validator=v.is_bool)
    no_workaround: bool = attrs.field(default=False, validator=v.is_bool)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> SeverityRule:
        """Build a rule from a plain mapping, as in ``_tables.DEFAULT_SEVERITY_RULES``.

        ``min_duration_hours`` is read as hours; unknown keys are refused.
        """
        fields = dict(data)
        if "min_duration_hours" in fields:
            fields["min_duration"] = fields.pop("min_duration_hours")
        known = {a.name for a in attrs.fields(cls)}
        for key in fields:
            if key not in known:
                raise InvalidInputError(key, fields[key], "unknown severity rule condition")
        return cls(**fields)

    @property
    def is_catch_all(self) -> bool:
        """Whether the rule has no condition at all (it matches every assessment)."""
        return not (self._discrete_conditions() or self._numeric_conditions())

    def _discrete_conditions(self) -> bool:
        return (
            self.min_scope is not None
            or self.min_interruption is not None
            or self.min_data_loss is not None
            or self.safety
            or self.security
            or self.regulatory
            or self.no_workaround
        )

    def _numeric_conditions(self) -> bool:
        return (
            self.min_users is not None
            or self.min_user_share is not None
            or self.min_duration is not None
        )

    def _discrete_match(
        self,
        scope: ImpactScope,
        interruption: ServiceInterruption,
        data_loss: DataLoss,
        safety: bool,
        security: bool,
        regulatory: bool,
        workaround: bool,
    ) -> bool:
        return (
            (self.min_scope is None or scope_rank(scope) >= scope_rank(self.min_scope))
            and (self.min_interruption is None or interruption.rank >= self.min_interruption.rank)
            and (self.min_data_loss is None or data_loss.rank >= self.min_data_loss.rank)
            and (safety or not self.safety)
            and (security or not self.security)
            and (regulatory or not self.regulatory)
            and (not workaround or not self.no_workaround)
        )

    def _numeric_match(self, facts: ImpactAssessment) -> bool:
        if self.min_users is not None and (facts.users_affected or 0) < self.min_users:
            return False
        if self.min_user_share is not None:
            share = facts.user_share
            if share is None or share < self.min_user_share:
                return False
        if self.min_duration is not None:
            duration = facts.expected_duration
            if duration is None or duration < self.min_duration:
                return False
        return True

    def matches(self, facts: ImpactAssessment) -> bool:
        """Whether every condition of the rule holds for ``facts``."""
        return self._discrete_match(
            facts.scope,
            facts.interruption,
            facts.data_loss,
            facts.safety,
            facts.security,
            facts.regulatory,
            facts.workaround_available,
        ) and self._numeric_match(facts)

    def describe(self) -> str:
        """The conditions in words, such as ``"scope >= site_or_region and interruption >= degraded"``."""  # noqa: E501
        parts = []
        if self.min_scope is not None:
            parts.append(f"scope >= {self.min_scope.value}")
        if self.min_interruption is not None:
            parts.append(f"interruption >= {self.min_interruption.value}")
        if self.min_data_loss is not None:
            parts.append(f"data loss >= {self.min_data_loss.value}")
        if self.min_users is not None:
            parts.append(f"users affected >= {self.min_users}")
        if self.min_user_share is not None:
            parts.append(f"share of users >= {self.min_user_share:g}")
        if self.min_duration is not None:
            parts.append(f"expected duration >= {self.min_duration}")
        parts.extend(
            name
            for name, wanted in (
                ("safety exposure", self.safety),
                ("security exposure", self.security),
                ("regulatory exposure", self.regulatory),
                ("no workaround", self.no_workaround),
            )
            if wanted
        )
        return " and ".join(parts) or "always"


@attrs.frozen
class SeverityResult:
    """A severity with the rule that decided it.

    Attributes:
        level: the severity, SEV1 (most severe) ... SEV5.
        rule: the first rule of the table that matched.
    """

    level: Severity
    rule: SeverityRule

    @property
    def reason(self) -> str:
        """The deciding rule in words: ``"security exposure"``."""
        return self.rule.reason

    def __str__(self) -> str:
        return f"{self.level.name}: {self.rule.reason}"


_Key = tuple[ImpactScope, ServiceInterruption, DataLoss, bool, bool, bool, bool]
_Entry = SeverityResult | tuple[tuple[tuple[SeverityRule, SeverityResult], ...], SeverityResult]


class SeverityRules:
    """A severity rule table, checked and compiled when it is built.

    Args:
        rules: the rules, most severe first; :class:`SeverityRule` values or plain
            mappings (see :meth:`SeverityRule.from_mapping`).
        name: a name for messages.

    Raises:
        InvalidInputError: an empty table, a bad rule (naming ``rules[i].field``), a
            rule more severe than the one before it (the first match would not be the
            most severe), a table that does not end with a rule without conditions, or
            such a catch-all rule before the end (the rules after it could never match).
    """

    __slots__ = ("_table", "name", "rules")

    rules: tuple[SeverityRule, ...]
    name: str
    _table: dict[_Key, _Entry]

    def __init__(self, rules: Iterable[SeverityRule | Mapping[str, Any]], *, name: str = "custom"):
        if isinstance(rules, str | bytes | Mapping) or not isinstance(rules, Iterable):
            raise InvalidInputError("rules", rules, "expected a sequence of rules")
        built: list[SeverityRule] = []
        for i, rule in enumerate(rules):
            try:
                if isinstance(rule, SeverityRule):
                    built.append(rule)
                elif isinstance(rule, Mapping):
                    built.append(SeverityRule.from_mapping(rule))
                else:
                    raise InvalidInputError("", rule, "expected a SeverityRule or a mapping")
            except InvalidInputError as exc:
                raise exc.at_path(f"rules[{i}]") from None
        if not built:
            raise InvalidInputError("rules", [], "a severity table needs at least one rule")
        for i in range(1, len(built)):
            if built[i].level < built[i - 1].level:
                raise InvalidInputError(
                    f"rules[{i}].level",
                    built[i].level.name,
                    f"rules must run from the most severe to the least: "
                    f"{built[i].level.name} after {built[i - 1].level.name}",
                )
        for i, rule in enumerate(built[:-1]):
            if rule.is_catch_all:
                raise InvalidInputError(
                    f"rules[{i}]",
                    rule.reason,
                    "a rule without conditions must be the last: the rules after it never match",
                )
        if not built[-1].is_catch_all:
            raise InvalidInputError(
                f"rules[{len(built) - 1}]",
                built[-1].reason,
                "the last rule must have no conditions, so that every input gets a level",
            )
        self.rules = tuple(built)
        self.name = name
        self._table = self._compile()

    def _compile(self) -> dict[_Key, _Entry]:
        results = {id(rule): SeverityResult(rule.level, rule) for rule in self.rules}
        table: dict[_Key, _Entry] = {}
        for key in product(
            SCOPE_ORDER, ServiceInterruption, DataLoss, (False, True), (False, True),
            (False, True), (False, True),
        ):  # fmt: skip
            pending: list[tuple[SeverityRule, SeverityResult]] = []
            for rule in self.rules:
                if not rule._discrete_match(*key):
                    continue
                if rule._numeric_conditions():
                    pending.append((rule, results[id(rule)]))
                    continue
                decided = results[id(rule)]
                table[key] = (tuple(pending), decided) if pending else decided
                break
        return table

    def assess(self, facts: ImpactAssessment) -> SeverityResult:
        """The severity of ``facts`` by this table; see :func:`assess_severity`."""
        return assess_severity(facts, self)

    def __repr__(self) -> str:
        return f"<SeverityRules {self.name!r}: {len(self.rules)} rules>"


DEFAULT_SEVERITY_RULES = SeverityRules(_tables.DEFAULT_SEVERITY_RULES, name="faultkit-default")
"""The built-in severity table (see :data:`faultkit.scoring._tables.DEFAULT_SEVERITY_RULES`)."""


def assess_severity(
    facts: ImpactAssessment, rules: SeverityRules = DEFAULT_SEVERITY_RULES
) -> SeverityResult:
    """The severity of a fault from its impact facts: the first matching rule's level.

    Args:
        facts: the impact assessment.
        rules: the rule table; faultkit's built-in one by default.

    Returns:
        A :class:`SeverityResult`: ``.level`` (SEV1 ... SEV5) and ``.reason``, the
        deciding rule in words.

    Raises:
        InvalidInputError: ``facts`` is not an :class:`ImpactAssessment`.
    """
    try:
        entry = rules._table[
            (
                facts.scope,
                facts.interruption,
                facts.data_loss,
                facts.safety,
                facts.security,
                facts.regulatory,
                facts.workaround_available,
            )
        ]
    except (AttributeError, KeyError, TypeError):
        raise InvalidInputError("facts", facts, "expected an ImpactAssessment") from None
    if type(entry) is SeverityResult:
        return entry
    pending, decided = entry  # type: ignore[misc]
    for rule, result in pending:
        if rule._numeric_match(facts):
            return result
    return decided
