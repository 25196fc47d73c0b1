"""Five-whys analysis as a tree: a problem statement, why / because steps, root causes.

Real analyses branch ("why?" often has more than one answer), so the steps form a
tree under the problem statement: each step names its ``parent`` step (``None`` for
the first whys). Leaves are candidate root causes; a root cause is a leaf marked
:attr:`StepRole.ROOT_CAUSE`, with a cause category. Contributing factors are marked
:attr:`StepRole.CONTRIBUTING_FACTOR` and kept apart from root causes.

The tree is stored flat and indexed without recursion, so depth costs nothing but
memory. What cannot be a tree (repeated ids, a missing parent, a cycle) is refused
when the record is built; what is merely unfinished or doubtful (an empty answer, a
root cause without evidence, too deep) is reported by :meth:`FiveWhys.check`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.models import CauseCategory
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
from faultkit.serialization import from_dict, to_dict

__all__ = [
    "ROOT_CAUSE_CATEGORIES",
    "Finding",
    "FindingCode",
    "FishboneLink",
    "FiveWhys",
    "StepRole",
    "WhyStep",
    "five_whys_from_dict",
    "five_whys_to_dict",
]


ROOT_CAUSE_CATEGORIES: tuple[str, ...] = tuple(
    c.value for c in CauseCategory if c is not CauseCategory.UNKNOWN
)
"""The default categories of a five-whys analysis: :class:`~faultkit.models.CauseCategory`
without ``unknown`` (a root cause is a finding, not a placeholder)."""


class StepRole(enum.StrEnum):
    """What a step is in the analysis."""

    CAUSE = "cause"
    """An intermediate answer, or a candidate not yet judged."""
    ROOT_CAUSE = "root_cause"
    """A root cause: a leaf, with a category, to be removed by a corrective action."""
    CONTRIBUTING_FACTOR = "contributing_factor"
    """Made the fault likelier or worse, but removing it alone would not prevent it."""


def _str_type(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str):
        raise InvalidInputError(
            attribute.name, value, f"expected a string, not {type(value).__name__}"
        )


@attrs.frozen(kw_only=True)
class WhyStep:
    """One why / because step.

    Attributes:
        id: identifier, unique in the analysis (actions name it); not blank.
        parent: the id of the step this one answers; ``None`` for an answer to the
            problem statement itself.
        answer: the "because ..."; may be empty while the step is open
            (:meth:`FiveWhys.check` reports it).
        question: the "why ...?" asked, if written down.
        evidence: references to what supports the answer (log lines, measurements,
            ticket or document ids).
        verified: whether the answer was confirmed (reproduced, measured).
        role: cause, root cause or contributing factor.
        category: the cause category (required for a root cause).
    """

    id: str = attrs.field(validator=v.non_empty_str)
    parent: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    answer: str = attrs.field(validator=_str_type)
    question: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    evidence: tuple[str, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.non_empty_str)
    )
    verified: bool = attrs.field(default=False, validator=v.is_bool)
    role: StepRole = attrs.field(default=StepRole.CAUSE, validator=v.member_of(StepRole))
    category: str | None = attrs.field(
        default=None, converter=label, validator=v.optional_non_empty_str
    )


@attrs.frozen(kw_only=True)
class FishboneLink:
    """Where a five-whys tree started: a cause on a fishbone diagram.

    Attributes:
        fishbone: the fishbone's id.
        cause: the id of the cause on it.
    """

    fishbone: str = attrs.field(validator=v.non_empty_str)
    cause: str = attrs.field(validator=v.non_empty_str)


class FindingCode(enum.StrEnum):
    """What :meth:`FiveWhys.check` can find wrong or unfinished."""

    EMPTY_ANSWER = "empty_answer"
    TOO_DEEP = "too_deep"
    ROOT_CAUSE_NOT_LEAF = "root_cause_not_leaf"
    ROOT_CAUSE_WITHOUT_EVIDENCE = "root_cause_without_evidence"
    ROOT_CAUSE_WITHOUT_CATEGORY = "root_cause_without_category"
    UNKNOWN_CATEGORY = "unknown_category"
    UNVERIFIED_ROOT_CAUSE = "unverified_root_cause"
    NO_ROOT_CAUSE = "no_root_cause"


@attrs.frozen(kw_only=True)
class Finding:
    """One thing wrong with, or missing from, an analysis.

    Attributes:
        code: what kind of problem.
        node: the id of the step (or cause) concerned; ``None`` for the whole tree.
        message: the problem in words, naming the step.
    """

    code: FindingCode = attrs.field(validator=v.member_of(FindingCode))
    node: str | None = attrs.field(validator=v.optional_non_empty_str)
    message: str = attrs.field(validator=v.non_empty_str)


def _categories(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.tuple_of(v.non_empty_str)(_inst, attribute, value)
    if len(set(value)) != len(value):
        raise InvalidInputError(attribute.name, value, "categories must not repeat")


def _max_depth(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.non_negative_int(_inst, attribute, value)
    if value < 1:
        raise InvalidInputError(attribute.name, value, "must be at least 1")


@attrs.frozen(kw_only=True)
class FiveWhys:
    """A five-whys analysis: the problem statement and the tree of steps under it.

    Steps are kept in depth-first order (siblings in the order given), so two trees
    with the same steps compare equal whatever order they were listed in.

    Attributes:
        id: identifier of the analysis; not blank.
        problem: the problem statement (the fault's symptom); not blank.
        steps: the why / because steps, each naming its parent step.
        categories: the cause categories a root cause may take (default: the
            procedure's four plus process / method); add your own.
        max_depth: deepest level :meth:`check` accepts (an analysis that keeps
            asking "why" past it has usually left the team's control).
        evidence_required: whether :meth:`check` requires evidence on root causes.
        origin: the fishbone cause this analysis started from, if any.

    Raises:
        InvalidInputError: a step id repeats, a parent does not exist, or parent
            links form a cycle.
    """

    id: str = attrs.field(validator=v.non_empty_str)
    problem: str = attrs.field(validator=v.non_empty_str)
    steps: tuple[WhyStep, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.instance(WhyStep))
    )
    categories: tuple[str, ...] = attrs.field(
        default=ROOT_CAUSE_CATEGORIES, converter=labels, validator=_categories
    )
    max_depth: int = attrs.field(default=10, validator=_max_depth)
    evidence_required: bool = attrs.field(default=True, validator=v.is_bool)
    origin: FishboneLink | None = attrs.field(
        default=None, validator=v.optional_instance(FishboneLink)
    )
    _index: TreeIndex = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        index = index_tree(self.steps, "steps")
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "steps", index.order)

    # ------------------------------------------------------------------ navigation

    def step(self, step_id: str) -> WhyStep:
        """The step with id ``step_id``.

        Raises:
            InvalidInputError: no step has that id.
        """
        try:
            return self._index.by_id[step_id]  # type: ignore[no-any-return]
        except KeyError:
            raise InvalidInputError("step_id", step_id, "no step has this id") from None

    def children(self, step_id: str | None = None) -> tuple[WhyStep, ...]:
        """The answers to step ``step_id`` (to the problem statement when ``None``)."""
        if step_id is not None:
            self.step(step_id)
        by_id = self._index.by_id
        return tuple(by_id[kid] for kid in self._index.children.get(step_id, ()))

    def depth(self, step_id: str) -> int:
        """How many whys down step ``step_id`` is (the first whys are at depth 1)."""
        self.step(step_id)
        return self._index.depth[step_id]

    def chain(self, step_id: str) -> tuple[WhyStep, ...]:
        """The steps from the first why down to ``step_id`` (the "five whys" of it)."""
        chain = [self.step(step_id)]
        while chain[-1].parent is not None:
            chain.append(self._index.by_id[chain[-1].parent])
        return tuple(reversed(chain))

    def leaves(self) -> tuple[WhyStep, ...]:
        """The steps nobody asked "why" of yet: the candidate root causes."""
        children = self._index.children
        return tuple(step for step in self.steps if step.id not in children)

    def root_causes(self) -> tuple[WhyStep, ...]:
        """The steps marked as root causes, in tree order."""
        return tuple(s for s in self.steps if s.role is StepRole.ROOT_CAUSE)

    def contributing_factors(self) -> tuple[WhyStep, ...]:
        """The steps marked as contributing factors, in tree order."""
        return tuple(s for s in self.steps if s.role is StepRole.CONTRIBUTING_FACTOR)

    def max_level(self) -> int:
        """The depth of the deepest step (0 for a tree with no steps)."""
        return max(self._index.depth.values(), default=0)

    # ------------------------------------------------------------------ changes

    def with_step(self, step: WhyStep) -> FiveWhys:
        """A copy with ``step`` added, or replacing the step that has its id."""
        if step.id in self._index.by_id:
            steps = tuple(step if s.id == step.id else s for s in self.steps)
        else:
            steps = (*self.steps, step)
        return attrs.evolve(self, steps=steps)

    def ask(
        self,
        parent: str | None,
        answer: str,
        *,
        id: str,
        question: str | None = None,
        evidence: tuple[str, ...] = (),
        verified: bool = False,
    ) -> FiveWhys:
        """A copy with one more why / because step under ``parent``."""
        step = WhyStep(
            id=id,
            parent=parent,
            answer=answer,
            question=question,
            evidence=evidence,
            verified=verified,
        )
        if id in self._index.by_id:
            raise InvalidInputError("id", id, "a step already has this id")
        return self.with_step(step)

    def mark_root_cause(self, step_id: str, category: str) -> FiveWhys:
        """A copy where step ``step_id`` is a root cause of ``category``."""
        step = attrs.evolve(self.step(step_id), role=StepRole.ROOT_CAUSE, category=category)
        return self.with_step(step)

    def mark_contributing(self, step_id: str, category: str | None = None) -> FiveWhys:
        """A copy where step ``step_id`` is a contributing factor."""
        step = attrs.evolve(
            self.step(step_id), role=StepRole.CONTRIBUTING_FACTOR, category=category
        )
        return self.with_step(step)

    # ------------------------------------------------------------------ checks

    def check(self) -> tuple[Finding, ...]:
        """What is wrong with, or missing from, the analysis; empty when all is well.

        Reports: empty answers, steps deeper than ``max_depth``, root causes that are
        not leaves, lack evidence (when ``evidence_required``), lack a category or use
        one not in ``categories``, are not verified, and a tree with no root cause.
        Runs in time linear in the number of steps, without recursion.
        """
        return tuple(self._findings())

    def _findings(self) -> Iterator[Finding]:
        depth = self._index.depth
        children = self._index.children
        allowed = set(self.categories)
        any_root = False
        for step in self.steps:
            name = step.id
            if not step.answer.strip():
                yield Finding(
                    code=FindingCode.EMPTY_ANSWER, node=name, message=f"step {name!r} has no answer"
                )
            if depth[name] > self.max_depth:
                yield Finding(
                    code=FindingCode.TOO_DEEP,
                    node=name,
                    message=f"step {name!r} is at depth {depth[name]}, "
                    f"deeper than max_depth {self.max_depth}",
                )
            if step.category is not None and step.category not in allowed:
                yield Finding(
                    code=FindingCode.UNKNOWN_CATEGORY,
                    node=name,
                    message=f"step {name!r} has category {step.category!r}, "
                    f"not one of {', '.join(self.categories)}",
                )
            if step.role is not StepRole.ROOT_CAUSE:
                continue
            any_root = True
            if name in children:
                yield Finding(
                    code=FindingCode.ROOT_CAUSE_NOT_LEAF,
                    node=name,
                    message=f"root cause {name!r} has further whys under it: mark the "
                    "deepest answer instead",
                )
            if self.evidence_required and not step.evidence:
                yield Finding(
                    code=FindingCode.ROOT_CAUSE_WITHOUT_EVIDENCE,
                    node=name,
                    message=f"root cause {name!r} has no evidence",
                )
            if step.category is None:
                yield Finding(
                    code=FindingCode.ROOT_CAUSE_WITHOUT_CATEGORY,
                    node=name,
                    message=f"root cause {name!r} has no category",
                )
            if not step.verified:
                yield Finding(
                    code=FindingCode.UNVERIFIED_ROOT_CAUSE,
                    node=name,
                    message=f"root cause {name!r} is not verified",
                )
        if not any_root:
            yield Finding(
                code=FindingCode.NO_ROOT_CAUSE,
                node=None,
                message=f"five-whys {self.id!r} has no root cause marked",
            )

    # ------------------------------------------------------------------ serialization

    def __faultkit_unstructure__(self) -> dict[str, Any]:
        return five_whys_to_dict(self)

    @classmethod
    def __faultkit_structure__(cls, data: Any) -> FiveWhys:
        return five_whys_from_dict(data)


# --------------------------------------------------------------------------- codec

_WHY_KEYS = frozenset(
    {"id", "problem", "categories", "max_depth", "evidence_required", "origin", "whys"}
)


def five_whys_to_dict(tree: FiveWhys) -> dict[str, Any]:
    """A five-whys tree as nested JSON-ready data (answers under ``"causes"``)."""
    return {
        "id": tree.id,
        "problem": tree.problem,
        "categories": [str(c) for c in tree.categories],
        "max_depth": tree.max_depth,
        "evidence_required": tree.evidence_required,
        "origin": None if tree.origin is None else to_dict(tree.origin),
        "whys": nest(tree._index, node_dict, CHILDREN),
    }


def five_whys_from_dict(data: Any, *, limits: TreeLimits = DEFAULT_LIMITS) -> FiveWhys:
    """Read a five-whys tree written by :func:`five_whys_to_dict`.

    Args:
        data: the nested data.
        limits: the depth and node-count bounds.

    Raises:
        InvalidInputError: the data is not a valid tree, or exceeds ``limits``;
            ``field`` is the path (``whys[0].causes[1].answer``).
    """
    check_mapping(data, "FiveWhys", _WHY_KEYS, frozenset({"id", "problem"}))
    steps = unnest(
        data.get("whys", []),
        decode=node_decoder(WhyStep),
        child_key=CHILDREN,
        field="whys",
        limits=limits,
    )
    origin = data.get("origin")
    if origin is not None:
        try:
            origin = from_dict(origin, FishboneLink)
        except InvalidInputError as exc:
            raise exc.at_path("origin") from None
    fields: dict[str, Any] = {
        k: data[k]
        for k in ("id", "problem", "categories", "max_depth", "evidence_required")
        if k in data
    }
    return FiveWhys(steps=tuple(steps), origin=origin, **fields)
