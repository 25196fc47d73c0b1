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

Each codec lives beside its record (:mod:`faultkit.rca.five_whys`,
:mod:`faultkit.rca.fishbone`, :mod:`faultkit.rca.analysis`), so no record module
imports this one: this module only gathers them under one name.

Note that the standard library's ``json`` module itself recurses: a JSON *text*
nested deeper than about 900 levels cannot be parsed (``faultkit.serialization.from_json``
reports it as invalid input), and ``to_json`` of a tree that deep raises the encoder's
``RecursionError``. The dicts these functions read and write have no such bound.
"""

from faultkit.rca._tree import DEFAULT_LIMITS
from faultkit.rca.analysis import analysis_from_dict, analysis_to_dict
from faultkit.rca.fishbone import fishbone_from_dict, fishbone_to_dict
from faultkit.rca.five_whys import five_whys_from_dict, five_whys_to_dict

__all__ = [
    "DEFAULT_LIMITS",
    "analysis_from_dict",
    "analysis_to_dict",
    "fishbone_from_dict",
    "fishbone_to_dict",
    "five_whys_from_dict",
    "five_whys_to_dict",
]
