"""Hypothesis strategies for :mod:`faultkit.rca`: trees, fishbones, actions, risks, plans.

Tree strategies list the nodes in a shuffled order (parents may come after their
children), so code under test cannot rely on the order nodes were given in::

    from hypothesis import given
    from faultkit.testing.rca import five_whys_trees

    @given(five_whys_trees(max_steps=50))
    def test_my_renderer_accepts_any_tree(tree): ...
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from faultkit.rca import (
    PRESET_CATEGORIES,
    ROOT_CAUSE_CATEGORIES,
    Action,
    ActionKind,
    ActionStatus,
    Analysis,
    CategoryPreset,
    CauseStatus,
    DayShift,
    DesignChange,
    DiagramLimits,
    DiagramStyle,
    DocumentKind,
    Fishbone,
    FishboneCause,
    FishboneLink,
    FiveWhys,
    MaintenancePlan,
    PlanKind,
    Rerating,
    RiskItem,
    RiskRegister,
    StepRole,
    TrainingRecord,
    TrainingRegister,
    WhyStep,
)
from faultkit.testing.scoring import fmea_ratings
from faultkit.testing.strategies import aware_datetimes, persons, text, trainings

__all__ = [
    "actions",
    "analyses",
    "analyses_with_actions",
    "design_changes",
    "diagram_limits",
    "diagram_styles",
    "fishbones",
    "five_whys_trees",
    "maintenance_plans",
    "reratings",
    "reratings_of",
    "risk_items",
    "risk_registers",
    "training_records",
    "training_registers",
]

_optional_text = st.none() | text()
_evidence = st.lists(text(20), max_size=3).map(tuple)


def _parents(draw: st.DrawFn, n: int) -> list[int | None]:
    """A random forest over ``n`` nodes: node i's parent is None or an earlier node."""
    parents: list[int | None] = []
    for i in range(n):
        parents.append(None if i == 0 else draw(st.none() | st.integers(0, i - 1)))
    return parents


def _ids(draw: st.DrawFn, n: int, prefix: str) -> list[str]:
    raw = draw(st.lists(text(12), min_size=n, max_size=n, unique=True))
    return [prefix + item for item in raw]


@st.composite
def five_whys_trees(draw: st.DrawFn, max_steps: int = 20, id_prefix: str = "") -> FiveWhys:
    """:class:`~faultkit.rca.FiveWhys` trees of up to ``max_steps`` steps.

    Args:
        max_steps: the most steps in a tree.
        id_prefix: prepended to every step id (keeps ids of several trees apart).
    """
    n = draw(st.integers(min_value=0, max_value=max_steps))
    ids = _ids(draw, n, id_prefix)
    parents = _parents(draw, n)
    custom = draw(st.lists(text(12), max_size=2))
    categories = tuple(dict.fromkeys((*ROOT_CAUSE_CATEGORIES, *custom)))
    steps = [
        WhyStep(
            id=ids[i],
            parent=None if parents[i] is None else ids[parents[i]],  # type: ignore[index]
            answer=draw(st.text(max_size=30)),
            question=draw(_optional_text),
            evidence=draw(_evidence),
            verified=draw(st.booleans()),
            role=draw(st.sampled_from(StepRole)),
            category=draw(st.none() | st.sampled_from(categories) | text(12)),
        )
        for i in range(n)
    ]
    origin = draw(st.none() | st.builds(FishboneLink, fishbone=text(), cause=text()))
    return FiveWhys(
        id=draw(text()),
        problem=draw(text()),
        steps=tuple(draw(st.permutations(steps))),
        categories=categories,
        max_depth=draw(st.integers(min_value=1, max_value=12)),
        evidence_required=draw(st.booleans()),
        origin=origin,
    )


@st.composite
def fishbones(draw: st.DrawFn, max_causes: int = 20) -> Fishbone:
    """:class:`~faultkit.rca.Fishbone` diagrams with up to ``max_causes`` causes."""
    preset = draw(st.none() | st.sampled_from(CategoryPreset))
    if preset is None:
        categories = tuple(draw(st.lists(text(16), min_size=1, max_size=6, unique=True)))
    else:
        categories = PRESET_CATEGORIES[preset]
    n = draw(st.integers(min_value=0, max_value=max_causes))
    ids = _ids(draw, n, "")
    parents = _parents(draw, n)
    causes = [
        FishboneCause(
            id=ids[i],
            text=draw(text()),
            category=draw(st.sampled_from(categories)) if parents[i] is None else None,
            parent=None if parents[i] is None else ids[parents[i]],  # type: ignore[index]
            evidence=draw(_evidence),
            votes=draw(st.integers(min_value=0, max_value=20)),
            status=draw(st.sampled_from(CauseStatus)),
            five_whys=draw(_optional_text),
        )
        for i in range(n)
    ]
    return Fishbone(
        id=draw(text()),
        effect=draw(text()),
        categories=categories,
        causes=tuple(draw(st.permutations(causes))),
    )


@st.composite
def diagram_styles(draw: st.DrawFn) -> DiagramStyle:
    """:class:`~faultkit.rca.DiagramStyle` values: fonts of 9 to 40 px, labels 3 to 30 em
    wide, gaps of 1 to 60 px."""
    font = draw(st.floats(min_value=9.0, max_value=40.0, allow_nan=False))
    return DiagramStyle(
        font_size=font,
        label_width=font * draw(st.floats(min_value=3.0, max_value=30.0, allow_nan=False)),
        gap=draw(st.floats(min_value=1.0, max_value=60.0, allow_nan=False)),
    )


def diagram_limits() -> st.SearchStrategy[DiagramLimits]:
    """:class:`~faultkit.rca.DiagramLimits` values, from tight to roomy."""
    sizes = st.integers(min_value=1, max_value=1000)
    return st.builds(
        DiagramLimits,
        max_nodes=sizes,
        max_depth=sizes,
        max_categories=sizes,
        max_causes_per_bone=sizes,
        max_cause_depth=sizes,
        max_label_lines=st.integers(min_value=1, max_value=10),
        min_font_size=st.floats(min_value=1.0, max_value=12.0, allow_nan=False),
    )


@st.composite
def actions(draw: st.DrawFn, addresses: st.SearchStrategy[str] | None = None) -> Action:
    """:class:`~faultkit.rca.Action` values in every status, their dates consistent.

    Args:
        addresses: where the ids of addressed causes come from (any text by default).
    """
    kind = draw(st.sampled_from(ActionKind))
    status = draw(st.sampled_from(ActionStatus))
    completed = verified = None
    if status in (ActionStatus.DONE, ActionStatus.VERIFIED_EFFECTIVE, ActionStatus.INEFFECTIVE):
        completed = draw(aware_datetimes())
    result = draw(_optional_text)
    if status in (ActionStatus.VERIFIED_EFFECTIVE, ActionStatus.INEFFECTIVE):
        assert completed is not None
        verified = completed + timedelta(hours=draw(st.integers(0, 24 * 200)))
        result = draw(text())
    return Action(
        id=draw(text()),
        title=draw(text()),
        kind=kind,
        addresses=tuple(draw(st.lists(text(12) if addresses is None else addresses, max_size=3))),
        owner=draw(st.none() | persons()),
        due=draw(st.none() | aware_datetimes()),
        status=status,
        document=draw(st.sampled_from(DocumentKind))
        if kind is ActionKind.DOCUMENTATION_UPDATE
        else None,
        completed_at=completed,
        verification_method=draw(_optional_text),
        verification_result=result,
        verified_at=verified,
        effectiveness_check_days=draw(st.integers(min_value=0, max_value=365)),
    )


@st.composite
def analyses(draw: st.DrawFn, max_trees: int = 3, max_steps: int = 10) -> Analysis:
    """:class:`~faultkit.rca.Analysis` values: a fishbone or not, and trees.

    The analysis holds no actions (the fault does); see :func:`analyses_with_actions`.
    """
    n = draw(st.integers(min_value=0, max_value=max_trees))
    trees = []
    for k in range(n):
        tree = draw(five_whys_trees(max_steps=max_steps, id_prefix=f"t{k}:"))
        trees.append(tree)
    unique = list({t.id: t for t in trees}.values())
    return Analysis(
        fault_id=draw(text()),
        fishbone=draw(st.none() | fishbones(max_causes=8)),
        trees=tuple(unique),
    )


@st.composite
def design_changes(draw: st.DrawFn) -> DesignChange:
    """:class:`~faultkit.rca.DesignChange` records."""
    return DesignChange(
        reference=draw(text(12)),
        description=draw(text()),
        by=draw(text(12)),
        at=draw(aware_datetimes()),
    )


@st.composite
def reratings(draw: st.DrawFn) -> Rerating:
    """:class:`~faultkit.rca.Rerating` events that keep the rules.

    Any ratings before and after; a design change when the severity drops, action ids
    when occurrence or detection drops, and sometimes when nothing needs them.
    """
    before, after = draw(fmea_ratings()), draw(fmea_ratings())
    at = draw(aware_datetimes())
    change = None
    if after.severity < before.severity or draw(st.booleans()):
        drawn = draw(design_changes())
        change = DesignChange(
            reference=drawn.reference, description=drawn.description, by=drawn.by, at=at
        )
    lowered = after.occurrence < before.occurrence or after.detection < before.detection
    return Rerating(
        by=draw(text(12)),
        at=at,
        before=before,
        after=after,
        ap_before=before.action_priority,
        ap_after=after.action_priority,
        justification=draw(text()),
        design_change=change,
        actions=tuple(draw(st.lists(text(12), min_size=1 if lowered else 0, max_size=2))),
    )


@st.composite
def reratings_of(draw: st.DrawFn, item: RiskItem, max_size: int = 5) -> RiskItem:
    """``item`` re-rated up to ``max_size`` times through :meth:`RiskItem.rerate`.

    Each step draws new ratings and gives what the rules need: a design change when
    the severity drops, an action id when occurrence or detection drops (so every
    step is accepted); times never go back.
    """
    at = draw(aware_datetimes())
    for _ in range(draw(st.integers(0, max_size))):
        after = draw(fmea_ratings())
        before = item.current
        change = None
        if after.severity < before.severity:
            change = draw(design_changes())
            change = DesignChange(
                reference=change.reference, description=change.description, by=change.by, at=at
            )
        lowered = after.occurrence < before.occurrence or after.detection < before.detection
        ids = draw(st.lists(text(12), min_size=1 if lowered else 0, max_size=2))
        item = item.rerate(
            after,
            by=draw(text(12)),
            at=at,
            justification=draw(text()),
            design_change=change,
            actions=ids,
        )
        at += draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=90)))
    return item


@st.composite
def analyses_with_actions(
    draw: st.DrawFn, max_trees: int = 3, max_steps: int = 10, max_actions: int = 4
) -> tuple[Analysis, tuple[Action, ...]]:
    """An analysis and actions with distinct ids that mostly address steps of its trees.

    Complete and incomplete analyses both come out (ask
    ``analysis.incomplete_reasons(actions)``).
    """
    analysis = draw(analyses(max_trees=max_trees, max_steps=max_steps))
    step_ids = [s.id for t in analysis.trees for s in t.steps]
    refs = st.sampled_from(step_ids) | text(12) if step_ids else text(12)
    acts = draw(st.lists(actions(addresses=refs), max_size=max_actions, unique_by=lambda a: a.id))
    return analysis, tuple(acts)


@st.composite
def risk_items(draw: st.DrawFn) -> RiskItem:
    """:class:`~faultkit.rca.RiskItem` values, with up to three re-ratings (rules kept)."""
    item = RiskItem(
        id=draw(text()),
        item=draw(text()),
        failure_mode=draw(text()),
        effect=draw(text()),
        cause=draw(text()),
        rating=draw(fmea_ratings()),
        controls=tuple(draw(st.lists(text(), max_size=3))),
        mitigations=tuple(draw(st.lists(text(), max_size=3))),
    )
    return draw(reratings_of(item, max_size=3))


def risk_registers() -> st.SearchStrategy[RiskRegister]:
    """:class:`~faultkit.rca.RiskRegister` values of up to eight items."""
    return st.lists(risk_items(), max_size=8, unique_by=lambda i: i.id).map(
        lambda items: RiskRegister(items=tuple(items))
    )


_RULES = (
    "FREQ=DAILY",
    "FREQ=WEEKLY;BYDAY=MO",
    "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH",
    "FREQ=MONTHLY;BYMONTHDAY=1",
    "FREQ=MONTHLY;BYDAY=-1FR",
    "FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=15",
    "FREQ=HOURLY;INTERVAL=8",
    "FREQ=DAILY;COUNT=10",
    "FREQ=WEEKLY;COUNT=5;BYDAY=SA",
)


@st.composite
def maintenance_plans(draw: st.DrawFn) -> MaintenancePlan:
    """:class:`~faultkit.rca.MaintenancePlan` values over a set of typical rules."""
    start = draw(aware_datetimes())
    rule = draw(st.sampled_from(_RULES))
    holidays = draw(
        st.lists(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)), max_size=5)
    )
    return MaintenancePlan(
        id=draw(text()),
        title=draw(text()),
        kind=draw(st.sampled_from(PlanKind)),
        rule=rule,
        start=start,
        shift=DayShift.NONE if "HOURLY" in rule else draw(st.sampled_from(DayShift)),
        holidays=tuple(holidays),
        owner=draw(st.none() | persons()),
    )


@st.composite
def training_records(draw: st.DrawFn) -> TrainingRecord:
    """:class:`~faultkit.rca.TrainingRecord` values (expiry after completion)."""
    training = draw(trainings())
    completed = draw(st.none() | aware_datetimes())
    if completed is not None and training.expires_at is not None:
        completed = min(completed, training.expires_at - timedelta(days=1))
    return TrainingRecord(person=draw(persons()), training=training, completed_at=completed)


def training_registers() -> st.SearchStrategy[TrainingRegister]:
    """:class:`~faultkit.rca.TrainingRegister` values of up to eight records."""
    return st.lists(training_records(), max_size=8).map(
        lambda records: TrainingRegister(records=tuple(records))
    )
