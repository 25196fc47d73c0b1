"""A fault's root-cause analysis: its fishbone, its five-whys trees and its actions.

:class:`Analysis` is what the lifecycle asks before resolving and closing a fault.
It satisfies the lifecycle's ``RootCauseAnalysis`` protocol structurally
(:meth:`Analysis.incomplete_reasons` and :meth:`Analysis.has_corrective_action`),
without importing the lifecycle.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.rca.actions import (
    Action,
    ActionKind,
    ActionStatus,
    DocumentKind,
    overdue_actions,
)
from faultkit.rca.fishbone import Fishbone
from faultkit.rca.five_whys import FiveWhys, WhyStep

__all__ = ["Analysis"]


@attrs.frozen(kw_only=True)
class Analysis:
    """The root-cause analysis of one fault.

    Step ids are unique across all the trees, so an action names the root causes it
    addresses by step id alone.

    Attributes:
        fault_id: the fault analysed; not blank.
        fishbone: the fishbone diagram, if one was drawn.
        trees: the five-whys analyses (often one per fishbone cause dug into).
        actions: the corrective and preventive actions.

    Raises:
        InvalidInputError: two trees share an id, two trees share a step id, or two
            actions share an id.
    """

    fault_id: str = attrs.field(validator=v.non_empty_str)
    fishbone: Fishbone | None = attrs.field(default=None, validator=v.optional_instance(Fishbone))
    trees: tuple[FiveWhys, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.instance(FiveWhys))
    )
    actions: tuple[Action, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.instance(Action))
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
        action_ids: set[str] = set()
        for i, action in enumerate(self.actions):
            if action.id in action_ids:
                raise InvalidInputError(f"actions[{i}].id", action.id, "duplicate action id")
            action_ids.add(action.id)

    # ------------------------------------------------------------------ queries

    def tree(self, tree_id: str) -> FiveWhys:
        """The five-whys analysis with id ``tree_id``."""
        for tree in self.trees:
            if tree.id == tree_id:
                return tree
        raise InvalidInputError("tree_id", tree_id, "no five-whys analysis has this id")

    def root_causes(self) -> tuple[WhyStep, ...]:
        """Every root cause, tree by tree."""
        return tuple(step for tree in self.trees for step in tree.root_causes())

    def actions_for(self, step_id: str) -> tuple[Action, ...]:
        """The actions that address step (root cause) ``step_id``."""
        return tuple(a for a in self.actions if step_id in a.addresses)

    def overdue_actions(self, now: datetime) -> tuple[Action, ...]:
        """Open actions past their due date at ``now``, earliest due first."""
        return overdue_actions(self.actions, now)

    def documentation_updated(self, document: DocumentKind = DocumentKind.MAINTENANCE_DOCS) -> bool:
        """Whether a documentation update of ``document`` is done (or verified effective).

        The lifecycle fault's ``maintenance_docs_updated`` fact can be set from
        ``analysis.documentation_updated(DocumentKind.MAINTENANCE_DOCS)``.
        """
        return any(
            a.kind is ActionKind.DOCUMENTATION_UPDATE
            and a.document is document
            and a.status in (ActionStatus.DONE, ActionStatus.VERIFIED_EFFECTIVE)
            for a in self.actions
        )

    def has_corrective_action(self) -> bool:
        """Whether a corrective action, not found ineffective, addresses a root cause."""
        roots = {step.id for step in self.root_causes()}
        return any(
            a.kind is ActionKind.CORRECTIVE
            and a.status is not ActionStatus.INEFFECTIVE
            and not roots.isdisjoint(a.addresses)
            for a in self.actions
        )

    def incomplete_reasons(self) -> tuple[str, ...]:
        """Why the analysis is not finished; empty when it is.

        Complete means: at least one five-whys tree; every tree passes
        :meth:`FiveWhys.check` (a root cause marked, with category, evidence and
        verification, nothing too deep, no empty answer); every root cause has a
        corrective action not found ineffective; every action addresses a step that
        exists; the links between the fishbone and the trees agree both ways.
        """
        return tuple(self._reasons())

    def _reasons(self) -> Iterator[str]:
        if not self.trees:
            yield "no five-whys analysis recorded"
        for tree in self.trees:
            for finding in tree.check():
                yield f"five-whys {tree.id!r}: {finding.message}"
        known: dict[str, Any] = {s.id: s for t in self.trees for s in t.steps}
        corrective: dict[str, list[Action]] = {}
        for action in self.actions:
            for ref in action.addresses:
                if ref not in known:
                    yield f"action {action.id!r} addresses {ref!r}, which is no step of the trees"
                elif action.kind is ActionKind.CORRECTIVE:
                    corrective.setdefault(ref, []).append(action)
        for step in self.root_causes():
            mine = corrective.get(step.id, [])
            if not mine:
                yield f"root cause {step.id!r} has no corrective action"
            elif all(a.status is ActionStatus.INEFFECTIVE for a in mine):
                ids = ", ".join(repr(a.id) for a in mine)
                yield (
                    f"root cause {step.id!r}: corrective action {ids} was ineffective; "
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

    def with_action(self, action: Action) -> Analysis:
        """A copy with ``action`` added, or replacing the action that has its id."""
        if any(a.id == action.id for a in self.actions):
            actions = tuple(action if a.id == action.id else a for a in self.actions)
        else:
            actions = (*self.actions, action)
        return attrs.evolve(self, actions=actions)

    # ------------------------------------------------------------------ serialization

    def __faultkit_unstructure__(self) -> dict[str, Any]:
        from faultkit.rca.codec import analysis_to_dict

        return analysis_to_dict(self)

    @classmethod
    def __faultkit_structure__(cls, data: Any) -> Analysis:
        from faultkit.rca.codec import analysis_from_dict

        return analysis_from_dict(data)
