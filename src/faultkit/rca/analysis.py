"""A fault's root-cause analysis: its fishbone and its five-whys trees.

:class:`Analysis` is what the lifecycle asks before resolving and closing a fault.
It satisfies the lifecycle's ``RootCauseAnalysis`` protocol structurally
(:meth:`Analysis.incomplete_reasons` and :meth:`Analysis.has_corrective_action`),
without importing the lifecycle.

The analysis holds no actions: the fault holds them, once
(:attr:`faultkit.lifecycle.Fault.actions`), and each action refers to the root
causes it addresses by step id (:attr:`faultkit.rca.Action.addresses`). The
questions that need actions take them as an argument.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.errors import MISSING, InvalidInputError
from faultkit.rca._tree import DEFAULT_LIMITS, TreeLimits, check_mapping
from faultkit.rca.actions import Action, ActionKind, ActionStatus
from faultkit.rca.fishbone import Fishbone, FishboneCause, fishbone_from_dict, fishbone_to_dict
from faultkit.rca.five_whys import FiveWhys, WhyStep, five_whys_from_dict, five_whys_to_dict

__all__ = ["Analysis", "analysis_from_dict", "analysis_to_dict"]


@attrs.frozen(kw_only=True)
class Analysis:
    """The root-cause analysis of one fault.

    Step ids are unique across all the trees, so an action names the root causes it
    addresses by step id alone. The actions themselves are the fault's
    (:attr:`faultkit.lifecycle.Fault.actions`); the questions about them take them.

    Attributes:
        fault_id: the fault analysed; not blank.
        fishbone: the fishbone diagram, if one was drawn.
        trees: the five-whys analyses (often one per fishbone cause dug into).

    Raises:
        InvalidInputError: two trees share an id, or two trees share a step id.
    """

    fault_id: str = attrs.field(validator=v.non_empty_str)
    fishbone: Fishbone | None = attrs.field(default=None, validator=v.optional_instance(Fishbone))
    trees: tuple[FiveWhys, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.instance(FiveWhys))
    )

    def __attrs_post_init__(self) -> None:
        tree_ids: set[str] = set()
        step_ids: set[str] = set()
        for i, tree in enumerate(self.trees):
            if tree.id in tree_ids:
                raise InvalidInputError(f"trees[{i}].id", tree.id, "duplicate tree id")
            tree_ids.add(tree.id)
            for j, step in enumerate(tree.steps):
                if step.id in step_ids:
                    raise InvalidInputError(
                        f"trees[{i}].steps[{j}].id", step.id, "step id used in another tree"
                    )
                step_ids.add(step.id)

    # ------------------------------------------------------------------ queries

    def tree(self, tree_id: str) -> FiveWhys:
        """The five-whys analysis with id ``tree_id``."""
        for tree in self.trees:
            if tree.id == tree_id:
                return tree
        raise InvalidInputError("tree_id", tree_id, "no five-whys analysis has this id")

    def root_causes(self) -> tuple[WhyStep, ...]:
        """Every root cause of the five-whys trees, tree by tree."""
        return tuple(step for tree in self.trees for step in tree.root_causes())

    def fishbone_root_causes(self) -> tuple[FishboneCause, ...]:
        """The fishbone's verified root causes (:meth:`Fishbone.root_causes`), if it has one."""
        return () if self.fishbone is None else self.fishbone.root_causes()

    def _root_ids(self) -> set[str]:
        return {step.id for step in self.root_causes()} | {
            cause.id for cause in self.fishbone_root_causes()
        }

    def has_verified_root_cause(self) -> bool:
        """Whether the analysis reached a verified root cause: five whys **or** a fishbone.

        Rule (the procedure: "RCA with five whys or a fishbone diagram"): a five-whys
        tree with a verified root cause, or a fishbone cause that is a root cause by
        :meth:`Fishbone.root_causes` (verified with evidence, nothing deeper open).
        """
        if any(step.verified for step in self.root_causes()):
            return True
        return bool(self.fishbone_root_causes())

    @staticmethod
    def actions_for(step_id: str, actions: Iterable[Action]) -> tuple[Action, ...]:
        """Those of ``actions`` (the fault's) that address step (root cause) ``step_id``."""
        return tuple(a for a in actions if step_id in a.addresses)

    def has_corrective_action(self, actions: Iterable[Action] = ()) -> bool:
        """Whether one of ``actions`` (the fault's) is corrective, not found ineffective,
        and addresses a root cause of this analysis (of a tree or of the fishbone)."""
        roots = self._root_ids()
        return any(
            a.kind is ActionKind.CORRECTIVE
            and a.status is not ActionStatus.INEFFECTIVE
            and not roots.isdisjoint(a.addresses)
            for a in actions
        )

    def incomplete_reasons(self, actions: Iterable[Action] = ()) -> tuple[str, ...]:
        """Why the analysis is not finished, given the fault's ``actions``; empty when it is.

        Complete means (five whys **or** a fishbone, as the procedure says): the
        analysis reached a root cause, through a five-whys tree or through a fishbone
        cause verified with evidence (:meth:`Fishbone.root_causes`); every five-whys
        tree passes :meth:`FiveWhys.check` (a root cause marked, with category,
        evidence and verification, nothing too deep, no empty answer); every root
        cause, of a tree or of the fishbone, has a corrective action (among
        ``actions``) not found ineffective; every action addresses a step or a
        fishbone cause that exists; the links between the fishbone and the trees agree
        both ways.
        """
        return tuple(self._reasons(tuple(actions)))

    def _reasons(self, actions: tuple[Action, ...]) -> Iterator[str]:
        fishbone_roots = self.fishbone_root_causes()
        if not self.trees and not fishbone_roots:
            yield (
                "no root cause reached: record a five-whys analysis, or verify a fishbone "
                "cause with evidence"
            )
        for tree in self.trees:
            for finding in tree.check():
                yield f"five-whys {tree.id!r}: {finding.message}"
        known: dict[str, Any] = {s.id: s for t in self.trees for s in t.steps}
        if self.fishbone is not None:
            known.update((c.id, c) for c in self.fishbone.causes)
        corrective: dict[str, list[Action]] = {}
        for action in actions:
            for ref in action.addresses:
                if ref not in known:
                    yield (
                        f"action {action.id!r} addresses {ref!r}, which is no step of the "
                        "trees nor a cause of the fishbone"
                    )
                elif action.kind is ActionKind.CORRECTIVE:
                    corrective.setdefault(ref, []).append(action)
        roots: list[tuple[str, str]] = [("root cause", s.id) for s in self.root_causes()]
        roots += [("fishbone root cause", c.id) for c in fishbone_roots]
        for what, ref in roots:
            mine = corrective.get(ref, [])
            if not mine:
                yield f"{what} {ref!r} has no corrective action"
            elif all(a.status is ActionStatus.INEFFECTIVE for a in mine):
                ids = ", ".join(repr(a.id) for a in mine)
                yield (
                    f"{what} {ref!r}: corrective action {ids} was ineffective; "
                    "the question is open again"
                )
        yield from self._link_reasons()

    def _link_reasons(self) -> Iterator[str]:
        fishbone = self.fishbone
        trees = {t.id: t for t in self.trees}
        for tree in self.trees:
            link = tree.origin
            if link is None:
                continue
            if fishbone is None or link.fishbone != fishbone.id:
                yield f"five-whys {tree.id!r} started from fishbone {link.fishbone!r}, not here"
                continue
            try:
                cause = fishbone.cause(link.cause)
            except InvalidInputError:
                yield (
                    f"five-whys {tree.id!r} started from cause {link.cause!r}, "
                    "which is not on the fishbone"
                )
                continue
            if cause.five_whys != tree.id:
                yield f"fishbone cause {cause.id!r} does not link back to five-whys {tree.id!r}"
        if fishbone is None:
            return
        for cause in fishbone.causes:
            if cause.five_whys is None:
                continue
            tree_ = trees.get(cause.five_whys)
            if tree_ is None:
                yield (
                    f"fishbone cause {cause.id!r} links to five-whys {cause.five_whys!r}, "
                    "which is not in the analysis"
                )
            elif tree_.origin is None or tree_.origin.cause != cause.id:
                yield f"five-whys {tree_.id!r} does not link back to fishbone cause {cause.id!r}"

    # ------------------------------------------------------------------ changes

    def with_tree(self, tree: FiveWhys) -> Analysis:
        """A copy with ``tree`` added, or replacing the tree that has its id."""
        if any(t.id == tree.id for t in self.trees):
            trees = tuple(tree if t.id == tree.id else t for t in self.trees)
        else:
            trees = (*self.trees, tree)
        return attrs.evolve(self, trees=trees)

    # ------------------------------------------------------------------ serialization

    def __faultkit_unstructure__(self) -> dict[str, Any]:
        return analysis_to_dict(self)

    @classmethod
    def __faultkit_structure__(cls, data: Any) -> Analysis:
        return analysis_from_dict(data)


# --------------------------------------------------------------------------- codec

_ANALYSIS_KEYS = frozenset({"fault_id", "fishbone", "trees"})


def analysis_to_dict(analysis: Analysis) -> dict[str, Any]:
    """An analysis as JSON-ready data: its fishbone and trees nested."""
    return {
        "fault_id": analysis.fault_id,
        "fishbone": None if analysis.fishbone is None else fishbone_to_dict(analysis.fishbone),
        "trees": [five_whys_to_dict(tree) for tree in analysis.trees],
    }


def _items(data: dict[str, Any], key: str, limits: TreeLimits) -> list[Any]:
    items = data.get(key, [])
    if type(items) is not list:
        raise InvalidInputError(key, items, "expected a list")
    if len(items) > limits.max_nodes:
        raise InvalidInputError(
            key, len(items), f"more than {limits.max_nodes} items (limit max_nodes)"
        )
    return items


def analysis_from_dict(data: Any, *, limits: TreeLimits = DEFAULT_LIMITS) -> Analysis:
    """Read an analysis written by :func:`analysis_to_dict`.

    ``limits.max_depth`` applies to each tree; ``limits.max_nodes`` to the whole
    analysis: the fishbone's causes and every tree's steps together. Data written
    when the analysis held copies of the actions (an ``"actions"`` list) is refused
    here; :class:`faultkit.lifecycle.FaultCodec` reads such streams, moving the
    actions to the fault.

    Raises:
        InvalidInputError: naming the path (``trees[1].whys[0].answer``).
    """
    check_mapping(data, "Analysis", _ANALYSIS_KEYS, frozenset({"fault_id"}))
    budget = limits.max_nodes

    def remaining(field: str) -> TreeLimits:
        if budget < 1:
            raise InvalidInputError(
                field, MISSING, f"more than {limits.max_nodes} nodes in all (limit max_nodes)"
            )
        return TreeLimits(max_depth=limits.max_depth, max_nodes=budget)

    fishbone = data.get("fishbone")
    if fishbone is not None:
        try:
            fishbone = fishbone_from_dict(fishbone, limits=remaining("fishbone"))
        except InvalidInputError as exc:
            raise exc.at_path("fishbone") from None
        budget -= len(fishbone.causes)
    trees = []
    for i, item in enumerate(_items(data, "trees", limits)):
        try:
            tree = five_whys_from_dict(item, limits=remaining(""))
        except InvalidInputError as exc:
            raise exc.at_path(f"trees[{i}]") from None
        budget -= max(1, len(tree.steps))
        trees.append(tree)
    return Analysis(fault_id=data["fault_id"], fishbone=fishbone, trees=tuple(trees))
