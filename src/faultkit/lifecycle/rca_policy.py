"""RCA in proportion: which faults need which root-cause evidence before they resolve.

A cosmetic SEV5 does not need the verified five-whys tree a SEV1 outage needs. The
:class:`RcaPolicy` is a table, data not code: severity -> the evidence required
(:class:`RcaRequirement`) and whether a known error's workaround suffices, with
overrides per product. It loads from and dumps to a plain dict (TOML or JSON);
:class:`~faultkit.lifecycle.Lifecycle` takes it as ``rca_policy=`` and the
``rca_in_proportion`` requirement (at resolve and close) and
``root_cause_in_proportion`` (at start of the fix) read it.

Source: issue 19, checked against ServiceNow problem management, Jira Service
Management and PagerDuty postmortems (a postmortem for major incidents, a resolution
note for minor ones); the default table:

======== ===================== =====================
severity requires              known error suffices
======== ===================== =====================
SEV1     full analysis         yes
SEV2     full analysis         yes
SEV3     problem or analysis   yes
SEV4     resolution note       yes
SEV5     resolution note       yes
(none)   full analysis         no
======== ===================== =====================

"Known error suffices": a fault linked to a problem that is a known error
(:meth:`LinkedProblem.known_error_workaround
<faultkit.lifecycle.LinkedProblem.known_error_workaround>` is not ``None``), with a
workaround recorded on the fault (:meth:`Fault.add_workaround
<faultkit.lifecycle.Fault.add_workaround>`), meets the row whatever it requires.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.models import Severity

__all__ = ["DEFAULT_RCA_POLICY", "RcaPolicy", "RcaRequirement", "RcaRule"]


class RcaRequirement(enum.StrEnum):
    """The root-cause evidence a fault needs before it resolves, strongest first."""

    FULL_ANALYSIS = "full_analysis"
    """A complete analysis of its own (five whys or fishbone, verified root cause,
    corrective actions), or a link to a problem that has a verified root cause."""
    PROBLEM_OR_ANALYSIS = "problem_or_analysis"
    """A link to a problem (it will be analysed there), or a complete analysis."""
    RESOLUTION_NOTE = "resolution_note"
    """A resolution note saying what was done (or anything stronger)."""

    @property
    def described(self) -> str:
        """The requirement in words, as a refusal says it."""
        return _DESCRIBED[self]


_DESCRIBED = {
    RcaRequirement.FULL_ANALYSIS: (
        "a complete root-cause analysis, or a link to a problem with a verified root cause"
    ),
    RcaRequirement.PROBLEM_OR_ANALYSIS: "a link to a problem, or a complete root-cause analysis",
    RcaRequirement.RESOLUTION_NOTE: (
        "a resolution note (fault.record_resolution_note), a problem link or an analysis"
    ),
}


@attrs.frozen(kw_only=True)
class RcaRule:
    """One row of the policy.

    Attributes:
        requires: the evidence required.
        known_error_suffices: a link to a known error, with its workaround recorded on
            the fault, meets the row instead.
    """

    requires: RcaRequirement = attrs.field(validator=v.member_of(RcaRequirement))
    known_error_suffices: bool = attrs.field(default=True, validator=v.is_bool)


_KEYS = ("requires", "known_error_suffices")
_UNASSESSED = RcaRule(requires=RcaRequirement.FULL_ANALYSIS, known_error_suffices=False)
"""The rule of a fault whose severity is not assessed: the strictest."""


def _severity_table(value: Any) -> Any:
    if isinstance(value, Mapping):
        return MappingProxyType(dict(value))
    return value


def _product_table(value: Any) -> Any:
    if isinstance(value, Mapping):
        return MappingProxyType(
            {
                key: MappingProxyType(dict(table)) if isinstance(table, Mapping) else table
                for key, table in value.items()
            }
        )
    return value


def _check_rows(field: str, table: Any, complete: bool) -> None:
    if not isinstance(table, Mapping):
        raise InvalidInputError(field, table, "expected a table of severity -> rule")
    for severity, rule in table.items():
        if type(severity) is not Severity:
            raise InvalidInputError(f"{field}.{severity}", severity, "expected a Severity")
        if not isinstance(rule, RcaRule):
            raise InvalidInputError(f"{field}.{severity.name}", rule, "expected an RcaRule")
    if complete:
        missing = [s.name for s in Severity if s not in table]
        if missing:
            raise InvalidInputError(
                field, sorted(s.name for s in table), f"no rule for {', '.join(missing)}"
            )


def _severities(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    _check_rows(attribute.name, value, complete=True)


def _products(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Mapping):
        raise InvalidInputError(attribute.name, value, "expected a table of product -> rules")
    for product, table in value.items():
        if type(product) is not str or not product.strip():
            raise InvalidInputError(f"{attribute.name}", product, "expected a non-blank product")
        _check_rows(f"{attribute.name}.{product}", table, complete=False)


@attrs.frozen(kw_only=True)
class RcaPolicy:
    """Which root-cause evidence each fault needs before it resolves: a table, data not code.

    Attributes:
        severities: the rule of each severity; every severity has one.
        unassessed: the rule of a fault whose severity is not set.
        products: per product (the report's ``product``), rules that replace the
            severity's; a product need not name every severity.

    Raises:
        InvalidInputError: a severity has no rule, or a row is not an :class:`RcaRule`
            (the field names the key path: ``products.Printer X.SEV3``).
    """

    severities: Mapping[Severity, RcaRule] = attrs.field(
        converter=_severity_table, validator=_severities
    )
    unassessed: RcaRule = attrs.field(default=_UNASSESSED, validator=v.instance(RcaRule))
    products: Mapping[str, Mapping[Severity, RcaRule]] = attrs.field(
        factory=dict, converter=_product_table, validator=_products
    )

    def rule_for(self, severity: Severity | None, product: str | None = None) -> RcaRule:
        """The rule for a fault of ``severity`` on ``product``: the product's row, if it
        has one for the severity, else the severity's; ``unassessed`` without a severity."""
        if severity is None:
            return self.unassessed
        override = self.products.get(product) if product is not None else None
        if override is not None and severity in override:
            return override[severity]
        return self.severities[severity]

    # ------------------------------------------------------------------ as data

    def to_dict(self) -> dict[str, Any]:
        """The policy as plain data (TOML- and JSON-ready), as :meth:`from_dict` reads it."""
        return {
            "severities": {s.name: _rule_dict(r) for s, r in self.severities.items()},
            "unassessed": _rule_dict(self.unassessed),
            "products": {
                product: {s.name: _rule_dict(r) for s, r in table.items()}
                for product, table in self.products.items()
            },
        }

    @classmethod
    def from_dict(cls, data: Any) -> RcaPolicy:
        """Read a policy written by :meth:`to_dict` (or by hand in TOML / JSON).

        ``severities`` names every severity (``SEV1`` ... ``SEV5``), each with
        ``requires`` (``full_analysis``, ``problem_or_analysis``, ``resolution_note``)
        and optionally ``known_error_suffices`` (true by default); ``unassessed`` and
        ``products`` are optional.

        Raises:
            InvalidInputError: naming the key path (``products.Printer X.SEV3.requires``)
                and the value.
        """
        if not isinstance(data, Mapping):
            raise InvalidInputError("", data, "expected a table with 'severities'")
        extra = sorted(str(k) for k in data if k not in ("severities", "unassessed", "products"))
        if extra:
            raise InvalidInputError(extra[0], data[extra[0]], "unknown key of an RCA policy")
        if "severities" not in data:
            raise InvalidInputError("severities", None, "required key is missing")
        severities = _rows_from("severities", data["severities"])
        unassessed = (
            _rule_from("unassessed", data["unassessed"]) if "unassessed" in data else _UNASSESSED
        )
        products = data.get("products", {})
        if not isinstance(products, Mapping):
            raise InvalidInputError("products", products, "expected a table of product -> rules")
        return cls(
            severities=severities,
            unassessed=unassessed,
            products={str(p): _rows_from(f"products.{p}", table) for p, table in products.items()},
        )


def _rule_dict(rule: RcaRule) -> dict[str, Any]:
    return {"requires": rule.requires.value, "known_error_suffices": rule.known_error_suffices}


def _rule_from(path: str, data: Any) -> RcaRule:
    if not isinstance(data, Mapping):
        raise InvalidInputError(path, data, "expected a table with 'requires'")
    extra = sorted(str(k) for k in data if k not in _KEYS)
    if extra:
        raise InvalidInputError(f"{path}.{extra[0]}", data[extra[0]], "unknown key of a rule")
    requires = data.get("requires")
    known = [r.value for r in RcaRequirement]
    if requires not in known:
        raise InvalidInputError(f"{path}.requires", requires, f"expected one of {', '.join(known)}")
    suffices = data.get("known_error_suffices", True)
    if type(suffices) is not bool:
        raise InvalidInputError(f"{path}.known_error_suffices", suffices, "expected true or false")
    return RcaRule(requires=RcaRequirement(requires), known_error_suffices=suffices)


def _rows_from(path: str, data: Any) -> dict[Severity, RcaRule]:
    if not isinstance(data, Mapping):
        raise InvalidInputError(path, data, "expected a table of severity -> rule")
    rows = {}
    names = [s.name for s in Severity]
    for key, rule in data.items():
        if key not in names:
            raise InvalidInputError(f"{path}.{key}", key, f"not a severity ({', '.join(names)})")
        rows[Severity[key]] = _rule_from(f"{path}.{key}", rule)
    return rows


_FULL, _EITHER, _NOTE = (
    RcaRequirement.FULL_ANALYSIS,
    RcaRequirement.PROBLEM_OR_ANALYSIS,
    RcaRequirement.RESOLUTION_NOTE,
)

_DEFAULT_TABLE: Mapping[Severity, tuple[RcaRequirement, bool]] = {
    # severity: (requires, known error suffices)
    Severity.SEV1: (_FULL, True),
    Severity.SEV2: (_FULL, True),
    Severity.SEV3: (_EITHER, True),
    Severity.SEV4: (_NOTE, True),
    Severity.SEV5: (_NOTE, True),
}

DEFAULT_RCA_POLICY = RcaPolicy(
    severities={
        severity: RcaRule(requires=requires, known_error_suffices=suffices)
        for severity, (requires, suffices) in _DEFAULT_TABLE.items()
    }
)
"""The default policy (the table in the module docstring)."""
