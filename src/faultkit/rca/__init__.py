"""Root cause and prevention: five-whys trees, fishbones, actions, risks, plans, training.

This package only re-exports; see the modules for the details.
"""

from faultkit.rca._tree import DEFAULT_LIMITS, TreeLimits
from faultkit.rca.actions import (
    Action,
    ActionKind,
    ActionStatus,
    DocumentKind,
    documentation_updated,
    effectiveness_checks_due,
    overdue_actions,
)
from faultkit.rca.analysis import Analysis
from faultkit.rca.codec import (
    analysis_from_dict,
    analysis_to_dict,
    fishbone_from_dict,
    fishbone_to_dict,
    five_whys_from_dict,
    five_whys_to_dict,
)
from faultkit.rca.fishbone import (
    PRESET_CATEGORIES,
    CategoryPreset,
    CauseStatus,
    Fishbone,
    FishboneCause,
)
from faultkit.rca.fishbone_layout import fishbone_layout
from faultkit.rca.five_whys import (
    ROOT_CAUSE_CATEGORIES,
    Finding,
    FindingCode,
    FishboneLink,
    FiveWhys,
    StepRole,
    WhyStep,
)
from faultkit.rca.layout import (
    Box,
    BoxStyle,
    DiagramLimits,
    DiagramStyle,
    Layout,
    Line,
    LineStyle,
)
from faultkit.rca.plans import (
    MAX_SCAN_OCCURRENCES,
    MAX_SCAN_YEARS,
    DayShift,
    MaintenancePlan,
    PlanKind,
)
from faultkit.rca.png import fishbone_png, five_whys_png, layout_png
from faultkit.rca.render import (
    fishbone_mermaid,
    fishbone_outline,
    five_whys_mermaid,
    five_whys_outline,
)
from faultkit.rca.rerating import RERATE_RULES, DesignChange, Rerating, unmet_rules
from faultkit.rca.risk import RiskItem, RiskRegister
from faultkit.rca.svg import fishbone_svg, five_whys_svg, layout_svg
from faultkit.rca.training import TrainingRecord, TrainingRegister
from faultkit.rca.tree_layout import five_whys_layout

__all__ = [
    "DEFAULT_LIMITS",
    "MAX_SCAN_OCCURRENCES",
    "MAX_SCAN_YEARS",
    "PRESET_CATEGORIES",
    "RERATE_RULES",
    "ROOT_CAUSE_CATEGORIES",
    "Action",
    "ActionKind",
    "ActionStatus",
    "Analysis",
    "Box",
    "BoxStyle",
    "CategoryPreset",
    "CauseStatus",
    "DayShift",
    "DesignChange",
    "DiagramLimits",
    "DiagramStyle",
    "DocumentKind",
    "Finding",
    "FindingCode",
    "Fishbone",
    "FishboneCause",
    "FishboneLink",
    "FiveWhys",
    "Layout",
    "Line",
    "LineStyle",
    "MaintenancePlan",
    "PlanKind",
    "Rerating",
    "RiskItem",
    "RiskRegister",
    "StepRole",
    "TrainingRecord",
    "TrainingRegister",
    "TreeLimits",
    "WhyStep",
    "analysis_from_dict",
    "analysis_to_dict",
    "documentation_updated",
    "effectiveness_checks_due",
    "fishbone_from_dict",
    "fishbone_layout",
    "fishbone_mermaid",
    "fishbone_outline",
    "fishbone_png",
    "fishbone_svg",
    "fishbone_to_dict",
    "five_whys_from_dict",
    "five_whys_layout",
    "five_whys_mermaid",
    "five_whys_outline",
    "five_whys_png",
    "five_whys_svg",
    "five_whys_to_dict",
    "layout_png",
    "layout_svg",
    "overdue_actions",
    "unmet_rules",
]
