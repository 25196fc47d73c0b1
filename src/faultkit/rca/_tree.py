"""Iterative helpers shared by the tree structures (five-whys steps, fishbone causes).

Trees are stored flat: each node names its ``parent`` (``None`` at the top). Nothing
here recurses, so a tree thousands of levels deep is indexed, nested and un-nested
without touching the interpreter's recursion limit, in time linear in its size.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

import attrs

from faultkit import _validators as v
from faultkit.errors import MISSING, InvalidInputError
from faultkit.serialization import from_dict, to_dict

__all__ = [
    "CHILDREN",
    "TreeIndex",
    "TreeLimits",
    "check_mapping",
    "index_tree",
    "label",
    "labels",
    "nest",
    "node_decoder",
    "node_dict",
    "unnest",
]

CHILDREN = "causes"
"""The key under which a written node holds its children (answers, sub-causes)."""


def label(value: Any) -> Any:
    """attrs converter: a ``StrEnum`` member becomes its plain ``str`` value (a label)."""
    return str(value) if isinstance(value, enum.StrEnum) else value


def labels(value: Any) -> Any:
    """attrs converter: a list or tuple of labels becomes a tuple of plain strings."""
    if type(value) is list or type(value) is tuple:
        return tuple(label(item) for item in value)
    return value


class _Node(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def parent(self) -> str | None: ...


N = TypeVar("N", bound=_Node)


def _positive_int(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.non_negative_int(_inst, attribute, value)
    if value < 1:
        raise InvalidInputError(attribute.name, value, "must be at least 1")


@attrs.frozen(kw_only=True)
class TreeLimits:
    """Bounds applied when a tree is read from untrusted data.

    Reading stops, with an :class:`~faultkit.errors.InvalidInputError`, at the first
    node past either bound, so hostile input costs at most ``max_nodes`` nodes of work.

    Attributes:
        max_depth: deepest level accepted (the first why or cause is level 1).
        max_nodes: most nodes accepted in one tree.
    """

    max_depth: int = attrs.field(default=100, validator=_positive_int)
    max_nodes: int = attrs.field(default=10_000, validator=_positive_int)


DEFAULT_LIMITS = TreeLimits()


class TreeIndex:
    """The shape of a flat tree: nodes in pre-order, children and depth of each node."""

    __slots__ = ("by_id", "children", "depth", "order")

    def __init__(
        self,
        order: tuple[Any, ...],
        by_id: dict[str, Any],
        children: dict[str | None, list[str]],
        depth: dict[str, int],
    ) -> None:
        self.order = order
        self.by_id = by_id
        self.children = children
        self.depth = depth


def index_tree(nodes: Sequence[N], field: str) -> TreeIndex:
    """Check that ``nodes`` form a forest and index it, without recursion.

    Args:
        nodes: the flat nodes, each with ``id`` and ``parent``.
        field: the name of the field holding them, for error paths.

    Returns:
        The index; ``order`` is the nodes in depth-first pre-order, siblings in the
        order they were given.

    Raises:
        InvalidInputError: an id is repeated, a parent does not exist, or parent
            links form a cycle.
    """
    by_id: dict[str, N] = {}
    for i, node in enumerate(nodes):
        if node.id in by_id:
            raise InvalidInputError(f"{field}[{i}].id", node.id, "duplicate id")
        by_id[node.id] = node
    children: dict[str | None, list[str]] = {None: []}
    for i, node in enumerate(nodes):
        parent = node.parent
        if parent is not None and parent not in by_id:
            raise InvalidInputError(f"{field}[{i}].parent", parent, "no node has this id")
        kids = children.get(parent)
        if kids is None:
            children[parent] = [node.id]
        else:
            kids.append(node.id)
    order: list[N] = []
    depth: dict[str, int] = {}
    stack = [(node_id, 1) for node_id in reversed(children[None])]
    while stack:
        node_id, level = stack.pop()
        depth[node_id] = level
        order.append(by_id[node_id])
        kids = children.get(node_id)
        if kids:
            stack.extend((kid, level + 1) for kid in reversed(kids))
    if len(order) != len(nodes):
        raise _cycle_error(nodes, by_id, depth, field)
    return TreeIndex(tuple(order), by_id, children, depth)


def _cycle_error(
    nodes: Sequence[N], by_id: dict[str, N], reached: dict[str, int], field: str
) -> InvalidInputError:
    start = next(node for node in nodes if node.id not in reached)
    seen: dict[str, int] = {}
    walk: list[str] = []
    current: str | None = start.id
    while current is not None and current not in seen:
        seen[current] = len(walk)
        walk.append(current)
        current = by_id[current].parent
    cycle = walk[seen[current] :] if current is not None else walk
    shown = " -> ".join([*cycle[:10], cycle[0]]) if len(cycle) <= 10 else f"{cycle[0]} -> ..."
    return InvalidInputError(field, cycle, f"parent links form a cycle ({shown})")


def nest(
    index: TreeIndex, encode: Callable[[Any], dict[str, Any]], child_key: str
) -> list[dict[str, Any]]:
    """Turn an indexed flat tree into nested dicts (children under ``child_key``).

    ``encode`` turns one node into its dict (without the parent link); empty child
    lists are left out.
    """
    top: list[dict[str, Any]] = []
    out: dict[str, dict[str, Any]] = {}
    for node in index.order:  # pre-order: a parent is encoded before its children
        data = encode(node)
        out[node.id] = data
        if node.parent is None:
            top.append(data)
        else:
            parent = out[node.parent]
            kids = parent.get(child_key)
            if kids is None:
                parent[child_key] = [data]
            else:
                kids.append(data)
    return top


def unnest(
    items: Any,
    *,
    decode: Callable[[dict[str, Any], str | None, int], Any],
    child_key: str,
    field: str,
    limits: TreeLimits,
) -> list[Any]:
    """Read nested dicts into flat nodes, iteratively and within ``limits``.

    Args:
        items: the list of top-level node dicts.
        decode: builds one node from its dict (without ``child_key``), its parent id
            and its depth (1 at the top); raises ``InvalidInputError`` relative to the
            node.
        child_key: the key holding each node's children.
        field: the name of the top-level list, for error paths.
        limits: the bounds; reading stops at the first node past them.

    Returns:
        The nodes in pre-order.

    Raises:
        InvalidInputError: naming the path to the offending node (``whys[0].causes[2]``).
    """
    if type(items) is not list:
        raise InvalidInputError(field, items, "expected a list")
    # Each entry: (data, parent id, depth, index among siblings, entry of the parent).
    trail: list[tuple[int, int]] = []  # (entry of parent, index among siblings) per node

    def path(entry: int) -> str:
        parts: list[str] = []
        while entry >= 0:
            parent_entry, index = trail[entry]
            parts.append(f"[{index}]")
            parts.append(child_key if parent_entry >= 0 else field)
            entry = parent_entry
        return "".join(f".{p}" if not p.startswith("[") else p for p in reversed(parts))[1:]

    budget = limits.max_nodes
    if len(items) > budget:
        raise InvalidInputError(field, len(items), f"more than {budget} nodes (limit max_nodes)")
    nodes: list[Any] = []
    seen: set[str] = set()
    stack: list[tuple[Any, str | None, int, int, int]] = [
        (item, None, 1, i, -1) for i, item in reversed(list(enumerate(items)))
    ]
    while stack:
        data, parent, depth, index, parent_entry = stack.pop()
        entry = len(trail)
        trail.append((parent_entry, index))
        if len(trail) > budget:
            raise InvalidInputError(
                path(entry), len(trail), f"more than {budget} nodes (limit max_nodes)"
            )
        if depth > limits.max_depth:
            raise InvalidInputError(
                path(entry), depth, f"deeper than {limits.max_depth} levels (limit max_depth)"
            )
        if type(data) is not dict:
            raise InvalidInputError(path(entry), data, "expected an object")
        kids = data.get(child_key, [])
        if type(kids) is not list:
            raise InvalidInputError(f"{path(entry)}.{child_key}", kids, "expected a list")
        if len(trail) + len(stack) + len(kids) > budget:
            raise InvalidInputError(
                f"{path(entry)}.{child_key}",
                len(kids),
                f"more than {budget} nodes (limit max_nodes)",
            )
        fields = dict(data)
        fields.pop(child_key, None)
        try:
            node = decode(fields, parent, depth)
        except InvalidInputError as exc:
            raise exc.at_path(path(entry)) from None
        if node.id in seen:
            raise InvalidInputError(f"{path(entry)}.id", node.id, "duplicate id")
        seen.add(node.id)
        nodes.append(node)
        if kids:
            node_id = node.id
            stack.extend(
                (kids[i], node_id, depth + 1, i, entry) for i in range(len(kids) - 1, -1, -1)
            )
    return nodes


# --------------------------------------------------------------------------- codecs


def node_dict(node: Any) -> dict[str, Any]:
    """A tree node as JSON-ready data without its ``parent`` (nesting gives it).

    Fields at their default (``None``, an empty list) are left out: smaller, still exact.
    """
    data: dict[str, Any] = to_dict(node)
    del data["parent"]
    return {k: val for k, val in data.items() if val is not None and val != []}


def node_decoder(cls: type[Any]) -> Callable[[dict[str, Any], str | None, int], Any]:
    """A ``decode`` for :func:`unnest` that reads nodes of ``cls`` (strict, via ``from_dict``)."""

    def decode(fields: dict[str, Any], parent: str | None, _depth: int) -> Any:
        if "parent" in fields:
            raise InvalidInputError(
                "parent", fields["parent"], "unknown field (nesting gives the parent)"
            )
        fields["parent"] = parent
        return from_dict(fields, cls)

    return decode


def check_mapping(data: Any, name: str, allowed: frozenset[str], required: frozenset[str]) -> None:
    """Refuse ``data`` unless it is a dict with only ``allowed`` keys and every ``required`` one."""
    if type(data) is not dict:
        raise InvalidInputError("", data, f"expected an object describing a {name}")
    for key in data:
        if key not in allowed:
            raise InvalidInputError(str(key), data[key], f"unknown field of {name}")
    for key in required:
        if key not in data:
            raise InvalidInputError(key, MISSING, "required field is missing")
