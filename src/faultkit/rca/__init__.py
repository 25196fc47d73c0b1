"""Root cause and prevention: five-whys trees, fishbones, actions, risks, plans, training.

This package only re-exports; see the modules for the details.
"""

from typing import TYPE_CHECKING

from faultkit._lazy import lazy_exports

if TYPE_CHECKING:
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
else:
    __getattr__ = lazy_exports(
        __name__,
        {
            "DEFAULT_LIMITS": "faultkit.rca._tree",
            "TreeLimits": "faultkit.rca._tree",
            "Action": "faultkit.rca.actions",
            "ActionKind": "faultkit.rca.actions",
            "ActionStatus": "faultkit.rca.actions",
            "DocumentKind": "faultkit.rca.actions",
            "documentation_updated": "faultkit.rca.actions",
            "effectiveness_checks_due": "faultkit.rca.actions",
            "overdue_actions": "faultkit.rca.actions",
            "Analysis": "faultkit.rca.analysis",
            "analysis_from_dict": "faultkit.rca.codec",
            "analysis_to_dict": "faultkit.rca.codec",
            "fishbone_from_dict": "faultkit.rca.codec",
            "fishbone_to_dict": "faultkit.rca.codec",
            "five_whys_from_dict": "faultkit.rca.codec",
            "five_whys_to_dict": "faultkit.rca.codec",
            "PRESET_CATEGORIES": "faultkit.rca.fishbone",
            "CategoryPreset": "faultkit.rca.fishbone",
            "CauseStatus": "faultkit.rca.fishbone",
            "Fishbone": "faultkit.rca.fishbone",
            "FishboneCause": "faultkit.rca.fishbone",
            "fishbone_layout": "faultkit.rca.fishbone_layout",
            "ROOT_CAUSE_CATEGORIES": "faultkit.rca.five_whys",
            "Finding": "faultkit.rca.five_whys",
            "FindingCode": "faultkit.rca.five_whys",
            "FishboneLink": "faultkit.rca.five_whys",
            "FiveWhys": "faultkit.rca.five_whys",
            "StepRole": "faultkit.rca.five_whys",
            "WhyStep": "faultkit.rca.five_whys",
            "Box": "faultkit.rca.layout",
            "BoxStyle": "faultkit.rca.layout",
            "DiagramLimits": "faultkit.rca.layout",
            "DiagramStyle": "faultkit.rca.layout",
            "Layout": "faultkit.rca.layout",
            "Line": "faultkit.rca.layout",
            "LineStyle": "faultkit.rca.layout",
            "MAX_SCAN_OCCURRENCES": "faultkit.rca.plans",
            "MAX_SCAN_YEARS": "faultkit.rca.plans",
            "DayShift": "faultkit.rca.plans",
            "MaintenancePlan": "faultkit.rca.plans",
            "PlanKind": "faultkit.rca.plans",
            "fishbone_png": "faultkit.rca.png",
            "five_whys_png": "faultkit.rca.png",
            "layout_png": "faultkit.rca.png",
            "fishbone_mermaid": "faultkit.rca.render",
            "fishbone_outline": "faultkit.rca.render",
            "five_whys_mermaid": "faultkit.rca.render",
            "five_whys_outline": "faultkit.rca.render",
            "RERATE_RULES": "faultkit.rca.rerating",
            "DesignChange": "faultkit.rca.rerating",
            "Rerating": "faultkit.rca.rerating",
            "unmet_rules": "faultkit.rca.rerating",
            "RiskItem": "faultkit.rca.risk",
            "RiskRegister": "faultkit.rca.risk",
            "fishbone_svg": "faultkit.rca.svg",
            "five_whys_svg": "faultkit.rca.svg",
            "layout_svg": "faultkit.rca.svg",
            "TrainingRecord": "faultkit.rca.training",
            "TrainingRegister": "faultkit.rca.training",
            "five_whys_layout": "faultkit.rca.tree_layout",
        },
    )

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
