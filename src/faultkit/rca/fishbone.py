"""Fishbone (Ishikawa) diagrams: the effect, its categories, and causes nested under them.

A diagram has an effect (the fault), a list of categories (the bones: a preset, or
your own names) and causes. A top-level cause sits on a category; a cause can have
sub-causes to any depth, stored flat with a ``parent`` link like five-whys steps.
Each cause carries evidence, the team's votes and a status (open, verified, ruled
out). Starting a five-whys analysis from a cause (:meth:`Fishbone.start_five_whys`)
links the two both ways.
"""

from __future__ import annotations

import enum
from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.rca._tables import PRESET_CATEGORIES, CategoryPreset
from faultkit.rca._tree import (
    CHILDREN,
    DEFAULT_LIMITS,
    TreeIndex,
    TreeLimits,
    check_mapping,
    index_tree,
    label,
    labels,
    nest,
    node_decoder,
    node_dict,
    unnest,
)
from faultkit.rca.five_whys import ROOT_CAUSE_CATEGORIES, FishboneLink, FiveWhys

__all__ = [
    "PRESET_CATEGORIES",
    "CategoryPreset",
    "CauseStatus",
    "Fishbone",
    "FishboneCause",
    "fishbone_from_dict",
    "fishbone_to_dict",
]


class CauseStatus(enum.StrEnum):
    """Where the team stands on a cause."""

    OPEN = "open"
    """Suspected, not yet checked."""
    VERIFIED = "verified"
    """Confirmed by evidence."""
    RULED_OUT = "ruled_out"
    """Checked and excluded."""


@attrs.frozen(kw_only=True)
class FishboneCause:
    """One cause on a fishbone diagram.

    Attributes:
        id: identifier, unique on the diagram; not blank.
        text: the cause in words; not blank.
        category: the bone it sits on; required on a top-level cause, left ``None``
            on a sub-cause (which sits on its parent's bone).
        parent: the cause this one explains; ``None`` at the top.
        evidence: references supporting (or ruling out) the cause.
        votes: how many team members picked it as likely.
        status: open, verified or ruled out.
        five_whys: the id of the five-whys analysis started from this cause, if any.
    """

    id: str = attrs.field(validator=v.non_empty_str)
    text: str = attrs.field(validator=v.non_empty_str)
    category: str | None = attrs.field(
        default=None, converter=label, validator=v.optional_non_empty_str
    )
    parent: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    evidence: tuple[str, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.non_empty_str)
    )
    votes: int = attrs.field(default=0, validator=v.non_negative_int)
    status: CauseStatus = attrs.field(default=CauseStatus.OPEN, validator=v.member_of(CauseStatus))
    five_whys: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)


def _categories(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.tuple_of(v.non_empty_str)(_inst, attribute, value)
    if not value:
        raise InvalidInputError(attribute.name, value, "a fishbone needs at least one category")
    if len(set(value)) != len(value):
        raise InvalidInputError(attribute.name, value, "categories must not repeat")


@attrs.frozen(kw_only=True)
class Fishbone:
    """A fishbone (Ishikawa) diagram.

    Causes are kept in depth-first order (siblings in the order given).

    Attributes:
        id: identifier of the diagram; not blank.
        effect: the effect under analysis (the fault); not blank.
        categories: the bones, in drawing order; see :data:`PRESET_CATEGORIES`.
        causes: the causes, flat, each top-level one naming its category.

    Raises:
        InvalidInputError: a cause id repeats, a parent does not exist, parent links
            form a cycle, a top-level cause has no category or one not in
            ``categories``, or a sub-cause names a category.
    """

    id: str = attrs.field(validator=v.non_empty_str)
    effect: str = attrs.field(validator=v.non_empty_str)
    categories: tuple[str, ...] = attrs.field(converter=labels, validator=_categories)
    causes: tuple[FishboneCause, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.instance(FishboneCause))
    )
    _index: TreeIndex = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        allowed = set(self.categories)
        for i, cause in enumerate(self.causes):
            if cause.parent is None:
                if cause.category is None:
                    raise InvalidInputError(
                        f"causes[{i}].category", None, "a top-level cause needs a category"
                    )
                if cause.category not in allowed:
                    raise InvalidInputError(
                        f"causes[{i}].category",
                        cause.category,
                        f"not one of the diagram's categories ({', '.join(self.categories)})",
                    )
            elif cause.category is not None:
                raise InvalidInputError(
                    f"causes[{i}].category",
                    cause.category,
                    "a sub-cause sits on its parent's category: leave it empty",
                )
        index = index_tree(self.causes, "causes")
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "causes", index.order)

    @classmethod
    def from_preset(
        cls,
        preset: CategoryPreset,
        *,
        id: str,
        effect: str,
        causes: tuple[FishboneCause, ...] = (),
    ) -> Fishbone:
        """A diagram whose categories are those of ``preset``."""
        if not isinstance(preset, CategoryPreset):
            raise InvalidInputError("preset", preset, "expected a CategoryPreset")
        return cls(id=id, effect=effect, categories=PRESET_CATEGORIES[preset], causes=causes)

    # ------------------------------------------------------------------ navigation

    def cause(self, cause_id: str) -> FishboneCause:
        """The cause with id ``cause_id``.

        Raises:
            InvalidInputError: no cause has that id.
        """
        try:
            return self._index.by_id[cause_id]  # type: ignore[no-any-return]
        except KeyError:
            raise InvalidInputError("cause_id", cause_id, "no cause has this id") from None

    def children(self, cause_id: str) -> tuple[FishboneCause, ...]:
        """The sub-causes of ``cause_id``, in order."""
        self.cause(cause_id)
        by_id = self._index.by_id
        return tuple(by_id[kid] for kid in self._index.children.get(cause_id, ()))

    def on_category(self, category: str) -> tuple[FishboneCause, ...]:
        """The top-level causes on bone ``category``, in order."""
        if category not in self.categories:
            raise InvalidInputError("category", category, "not one of the diagram's categories")
        return tuple(c for c in self.causes if c.parent is None and c.category == category)

    def category_of(self, cause_id: str) -> str:
        """The bone a cause sits on (its top-level ancestor's category)."""
        cause = self.cause(cause_id)
        by_id = self._index.by_id
        while cause.parent is not None:
            cause = by_id[cause.parent]
        assert cause.category is not None  # checked at construction
        return cause.category

    def depth(self, cause_id: str) -> int:
        """How far down a cause is (top-level causes at 1)."""
        self.cause(cause_id)
        return self._index.depth[cause_id]

    def by_votes(self) -> tuple[FishboneCause, ...]:
        """Causes not ruled out, most votes first (ties keep diagram order)."""
        live = [c for c in self.causes if c.status is not CauseStatus.RULED_OUT]
        return tuple(sorted(live, key=lambda c: -c.votes))

    def root_causes(self) -> tuple[FishboneCause, ...]:
        """The causes the diagram verified as root causes, in diagram order.

        Rule: a cause is a root cause when it is verified (``CauseStatus.VERIFIED``)
        with at least one piece of evidence, none of its sub-causes is still open or
        verified (each is ruled out, or it has none: nothing deeper explains it), and
        no five-whys analysis was started from it (the tree digs further; its own root
        causes count instead). This is how a fishbone alone completes an analysis
        (:meth:`faultkit.rca.Analysis.incomplete_reasons`).
        """
        by_id = self._index.by_id
        children = self._index.children
        return tuple(
            cause
            for cause in self.causes
            if cause.status is CauseStatus.VERIFIED
            and cause.evidence
            and cause.five_whys is None
            and all(
                by_id[kid].status is CauseStatus.RULED_OUT for kid in children.get(cause.id, ())
            )
        )

    # ------------------------------------------------------------------ changes

    def with_cause(self, cause: FishboneCause) -> Fishbone:
        """A copy with ``cause`` added, or replacing the cause that has its id."""
        if cause.id in self._index.by_id:
            causes = tuple(cause if c.id == cause.id else c for c in self.causes)
        else:
            causes = (*self.causes, cause)
        return attrs.evolve(self, causes=causes)

    def set_status(
        self, cause_id: str, status: CauseStatus, *, evidence: tuple[str, ...] = ()
    ) -> Fishbone:
        """A copy where ``cause_id`` has ``status``, with ``evidence`` appended."""
        cause = self.cause(cause_id)
        return self.with_cause(
            attrs.evolve(cause, status=status, evidence=(*cause.evidence, *evidence))
        )

    def vote(self, cause_id: str, votes: int = 1) -> Fishbone:
        """A copy where ``cause_id`` has ``votes`` more votes."""
        cause = self.cause(cause_id)
        return self.with_cause(attrs.evolve(cause, votes=cause.votes + votes))

    def start_five_whys(
        self,
        cause_id: str,
        *,
        id: str,
        problem: str | None = None,
        categories: tuple[str, ...] = ROOT_CAUSE_CATEGORIES,
        max_depth: int = 10,
        evidence_required: bool = True,
    ) -> tuple[Fishbone, FiveWhys]:
        """Start a five-whys analysis from a cause, linking the two both ways.

        Args:
            cause_id: the cause to dig into.
            id: the new analysis' id.
            problem: the problem statement; by default the cause's text.
            categories: root-cause categories of the new analysis.
            max_depth: the new analysis' ``max_depth``.
            evidence_required: the new analysis' ``evidence_required``.

        Returns:
            The diagram with the cause's ``five_whys`` set to ``id``, and the new
            analysis, whose ``origin`` names this diagram and cause.

        Raises:
            InvalidInputError: no such cause, or it already has an analysis.
        """
        cause = self.cause(cause_id)
        if cause.five_whys is not None:
            raise InvalidInputError(
                "cause_id", cause_id, f"already analysed by five-whys {cause.five_whys!r}"
            )
        tree = FiveWhys(
            id=id,
            problem=cause.text if problem is None else problem,
            categories=categories,
            max_depth=max_depth,
            evidence_required=evidence_required,
            origin=FishboneLink(fishbone=self.id, cause=cause_id),
        )
        return self.with_cause(attrs.evolve(cause, five_whys=id)), tree

    # ------------------------------------------------------------------ serialization

    def __faultkit_unstructure__(self) -> dict[str, Any]:
        return fishbone_to_dict(self)

    @classmethod
    def __faultkit_structure__(cls, data: Any) -> Fishbone:
        return fishbone_from_dict(data)


# --------------------------------------------------------------------------- codec

_FISH_KEYS = frozenset({"id", "effect", "categories", "causes"})


def fishbone_to_dict(fishbone: Fishbone) -> dict[str, Any]:
    """A fishbone as nested JSON-ready data (sub-causes under ``"causes"``)."""
    return {
        "id": fishbone.id,
        "effect": fishbone.effect,
        "categories": list(fishbone.categories),
        "causes": nest(fishbone._index, node_dict, CHILDREN),
    }


def fishbone_from_dict(data: Any, *, limits: TreeLimits = DEFAULT_LIMITS) -> Fishbone:
    """Read a fishbone written by :func:`fishbone_to_dict`.

    Args:
        data: the nested data.
        limits: the depth and node-count bounds.

    Raises:
        InvalidInputError: the data is not a valid fishbone, or exceeds ``limits``;
            ``field`` is the path (``causes[2].causes[0].votes``).
    """
    check_mapping(data, "Fishbone", _FISH_KEYS, frozenset({"id", "effect", "categories"}))
    causes = unnest(
        data.get("causes", []),
        decode=node_decoder(FishboneCause),
        child_key=CHILDREN,
        field="causes",
        limits=limits,
    )
    fields: dict[str, Any] = {k: data[k] for k in ("id", "effect", "categories")}
    return Fishbone(causes=tuple(causes), **fields)
