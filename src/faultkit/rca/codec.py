"""Reading and writing RCA structures as JSON-ready data, iteratively and within limits.

Five-whys trees and fishbones are written nested, the way people read them: each
step's answers under ``"causes"``, each cause's sub-causes under ``"causes"``. They
are read back without recursion and within :class:`TreeLimits` (depth and node
count): reading stops at the first node past a limit, with an
:class:`~faultkit.errors.InvalidInputError` naming the path to it, so a hostile
document costs at most ``max_nodes`` nodes of work and never hits the recursion
limit. Per-node fields go through :func:`faultkit.serialization.from_dict` (strict
types, unknown keys refused).

:func:`faultkit.serialization.to_dict` / ``from_dict`` use these functions for
:class:`FiveWhys`, :class:`Fishbone` and :class:`Analysis` with the default limits;
call them directly to set other limits.

Note that the standard library's ``json`` module itself recurses: a JSON *text*
nested deeper than about 900 levels cannot be parsed (``faultkit.serialization.from_json``
reports it as invalid input), and ``to_json`` of a tree that deep raises the encoder's
``RecursionError``. The dicts these functions read and write have no such bound.
"""

from __future__ import annotations

from typing import Any

from faultkit.errors import MISSING, InvalidInputError
from faultkit.rca._tree import DEFAULT_LIMITS, TreeLimits, nest, unnest
from faultkit.rca.actions import Action
from faultkit.rca.analysis import Analysis
from faultkit.rca.fishbone import Fishbone, FishboneCause
from faultkit.rca.five_whys import FishboneLink, FiveWhys, WhyStep
from faultkit.serialization import from_dict, to_dict

__all__ = [
    "DEFAULT_LIMITS",
    "analysis_from_dict",
    "analysis_to_dict",
    "fishbone_from_dict",
    "fishbone_to_dict",
    "five_whys_from_dict",
    "five_whys_to_dict",
]

_CHILDREN = "causes"


def _node_dict(node: Any) -> dict[str, Any]:
    data: dict[str, Any] = to_dict(node)
    del data["parent"]
    # Leave out what is at its default (None, empty list): smaller, still exact.
    return {k: val for k, val in data.items() if val is not None and val != []}


def _node_decoder(cls: type[Any]) -> Any:
    def decode(fields: dict[str, Any], parent: str | None, _depth: int) -> Any:
        if "parent" in fields:
            raise InvalidInputError(
                "parent", fields["parent"], "unknown field (nesting gives the parent)"
            )
        fields["parent"] = parent
        return from_dict(fields, cls)

    return decode


def _mapping(data: Any, name: str, allowed: frozenset[str], required: frozenset[str]) -> None:
    if type(data) is not dict:
        raise InvalidInputError("", data, f"expected an object describing a {name}")
    for key in data:
        if key not in allowed:
            raise InvalidInputError(str(key), data[key], f"unknown field of {name}")
    for key in required:
        if key not in data:
            raise InvalidInputError(key, MISSING, "required field is missing")


def _build(cls: type[Any], **fields: Any) -> Any:
    return cls(**fields)


# --------------------------------------------------------------------------- five whys

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
        "whys": nest(tree._index, _node_dict, _CHILDREN),
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
    _mapping(data, "FiveWhys", _WHY_KEYS, frozenset({"id", "problem"}))
    steps = unnest(
        data.get("whys", []),
        decode=_node_decoder(WhyStep),
        child_key=_CHILDREN,
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
    return _build(FiveWhys, steps=tuple(steps), origin=origin, **fields)  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- fishbone

_FISH_KEYS = frozenset({"id", "effect", "categories", "causes"})


def fishbone_to_dict(fishbone: Fishbone) -> dict[str, Any]:
    """A fishbone as nested JSON-ready data (sub-causes under ``"causes"``)."""
    return {
        "id": fishbone.id,
        "effect": fishbone.effect,
        "categories": list(fishbone.categories),
        "causes": nest(fishbone._index, _node_dict, _CHILDREN),
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
    _mapping(data, "Fishbone", _FISH_KEYS, frozenset({"id", "effect", "categories"}))
    causes = unnest(
        data.get("causes", []),
        decode=_node_decoder(FishboneCause),
        child_key=_CHILDREN,
        field="causes",
        limits=limits,
    )
    fields = {k: data[k] for k in ("id", "effect", "categories")}
    return _build(Fishbone, causes=tuple(causes), **fields)  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- analysis

_ANALYSIS_KEYS = frozenset({"fault_id", "fishbone", "trees", "actions"})


def analysis_to_dict(analysis: Analysis) -> dict[str, Any]:
    """An analysis as JSON-ready data: its fishbone and trees nested, its actions."""
    return {
        "fault_id": analysis.fault_id,
        "fishbone": None if analysis.fishbone is None else fishbone_to_dict(analysis.fishbone),
        "trees": [five_whys_to_dict(tree) for tree in analysis.trees],
        "actions": [to_dict(action) for action in analysis.actions],
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
    analysis: the fishbone's causes, every tree's steps and the actions together.

    Raises:
        InvalidInputError: naming the path (``trees[1].whys[0].answer``).
    """
    _mapping(data, "Analysis", _ANALYSIS_KEYS, frozenset({"fault_id"}))
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
    actions = []
    for i, item in enumerate(_items(data, "actions", limits)):
        remaining(f"actions[{i}]")
        try:
            actions.append(from_dict(item, Action))
        except InvalidInputError as exc:
            raise exc.at_path(f"actions[{i}]") from None
        budget -= 1
    return Analysis(
        fault_id=data["fault_id"], fishbone=fishbone, trees=tuple(trees), actions=tuple(actions)
    )
