"""Tables of :mod:`faultkit.rca`, as data, each with its source.

- :data:`PRESET_CATEGORIES`: the fishbone category presets.

  - ``procedure``: the four cause categories of the fault handling procedure's
    diagnosis step (hardware, software defect, user operation error, environment).
  - ``6m``: Ishikawa's 6M of manufacturing (manpower, machine, method, material,
    measurement, and Mother Nature, written Environment), as in K. Ishikawa, *Guide to
    Quality Control* (1968), and ASQ's "Fishbone diagram" resource.
  - ``8p``: the 8Ps of services marketing (product, price, place, promotion, people,
    process, physical evidence, productivity and quality), as in C. Lovelock and
    J. Wirtz, *Services Marketing: People, Technology, Strategy*.
"""

from __future__ import annotations

import enum
from types import MappingProxyType

__all__ = ["PRESET_CATEGORIES", "CategoryPreset"]


class CategoryPreset(enum.StrEnum):
    """Sets of fishbone categories in common use."""

    PROCEDURE = "procedure"
    """The procedure's cause analysis: hardware, software defect, user operation, environment."""
    SIX_M = "6m"
    """Manufacturing's 6M: manpower, machine, method, material, measurement, environment."""
    EIGHT_P = "8p"
    """Services' 8P: product, price, place, promotion, people, process, physical evidence,
    productivity and quality."""


PRESET_CATEGORIES: MappingProxyType[CategoryPreset, tuple[str, ...]] = MappingProxyType(
    {
        # The four cause categories of the fault handling procedure (diagnosis, part 2).
        CategoryPreset.PROCEDURE: (
            "Hardware",
            "Software defect",
            "User operation",
            "Environment",
        ),
        # Ishikawa's 6M, as taught in quality management (for example ASQ, "Fishbone
        # diagram"): Mother Nature is written Environment.
        CategoryPreset.SIX_M: (
            "Manpower",
            "Machine",
            "Method",
            "Material",
            "Measurement",
            "Environment",
        ),
        # The 8Ps of services (Lovelock and Wirtz, Services Marketing).
        CategoryPreset.EIGHT_P: (
            "Product",
            "Price",
            "Place",
            "Promotion",
            "People",
            "Process",
            "Physical evidence",
            "Productivity and quality",
        ),
    }
)
"""The category names of each :class:`CategoryPreset`, in drawing order."""
