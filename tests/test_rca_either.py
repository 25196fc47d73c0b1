"""Five whys **or** a fishbone: either completes an analysis once it reaches a verified root cause.

Source: the procedure faultkit encodes, part 3 ("RCA with five whys or a fishbone
diagram"), and issue 19 (a fishbone alone could never complete the analysis).
"""

from __future__ import annotations

from datetime import UTC, datetime

import attrs
from hypothesis import given
from hypothesis import strategies as st

from faultkit.rca import (
    Action,
    ActionKind,
    ActionStatus,
    Analysis,
    CauseStatus,
    Fishbone,
    FishboneCause,
)
from faultkit.testing.rca import fishbones

T0 = datetime(2026, 3, 1, 9, tzinfo=UTC)


def fixes(analysis: Analysis) -> tuple[Action, ...]:
    """One done corrective action per fishbone root cause of ``analysis`` (the fault's)."""
    return tuple(
        Action(
            id=f"fix-{i}",
            title=f"remove {cause.id}",
            kind=ActionKind.CORRECTIVE,
            addresses=(cause.id,),
            status=ActionStatus.DONE,
            completed_at=T0,
        )
        for i, cause in enumerate(analysis.fishbone_root_causes())
    )


def unlinked(fishbone: Fishbone) -> Fishbone:
    """``fishbone`` with no cause linked to a five-whys tree (there are none here)."""
    return attrs.evolve(
        fishbone, causes=tuple(attrs.evolve(c, five_whys=None) for c in fishbone.causes)
    )


@given(fishbones(max_causes=12))
def test_a_fishbone_alone_completes_exactly_when_it_reaches_a_verified_root_cause(
    fishbone: Fishbone,
) -> None:
    analysis = Analysis(fault_id="F-1", fishbone=unlinked(fishbone))
    actions = fixes(analysis)
    roots = analysis.fishbone_root_causes()
    assert (analysis.incomplete_reasons(actions) == ()) == bool(roots)
    assert analysis.has_verified_root_cause() == bool(roots)
    assert analysis.has_corrective_action(actions) == bool(roots)
    for cause in roots:
        assert cause.status is CauseStatus.VERIFIED
        assert cause.evidence
        assert all(c.status is CauseStatus.RULED_OUT for c in fishbone.children(cause.id))


@given(fishbones(max_causes=12), st.data())
def test_a_root_cause_stops_being_one_without_evidence_or_verification(
    fishbone: Fishbone, data: st.DataObject
) -> None:
    fishbone = unlinked(fishbone)
    roots = fishbone.root_causes()
    if not roots:
        return
    cause = data.draw(st.sampled_from(roots))
    for changed in (
        attrs.evolve(cause, evidence=()),
        attrs.evolve(cause, status=CauseStatus.OPEN),
        attrs.evolve(cause, status=CauseStatus.RULED_OUT),
    ):
        assert cause.id not in {c.id for c in fishbone.with_cause(changed).root_causes()}
    # An open sub-cause under it: the team still digs, so it is no root cause yet.
    deeper = fishbone.with_cause(FishboneCause(id=f"{cause.id}/deeper", text="?", parent=cause.id))
    assert cause.id not in {c.id for c in deeper.root_causes()}
    # Without its corrective action the analysis is incomplete, and says which cause.
    analysis = Analysis(fault_id="F-1", fishbone=fishbone)
    no_fix = tuple(a for a in fixes(analysis) if cause.id not in a.addresses)
    assert f"fishbone root cause {cause.id!r} has no corrective action" in (
        analysis.incomplete_reasons(no_fix)
    )


def test_a_printer_fishbone_with_one_verified_cause_completes() -> None:
    fishbone = Fishbone(
        id="FB-1",
        effect="Jobs stall",
        categories=("Machine", "Method"),
        causes=(
            FishboneCause(id="fw", text="Firmware spooler", category="Machine"),
            FishboneCause(
                id="lock",
                text="Lock order changed in 4.2.1",
                parent="fw",
                status=CauseStatus.VERIFIED,
                evidence=("log:311",),
            ),
            FishboneCause(
                id="paper", text="Paper jam", category="Method", status=CauseStatus.RULED_OUT
            ),
        ),
    )
    analysis = Analysis(fault_id="F-1", fishbone=fishbone)
    assert analysis.incomplete_reasons() == ("fishbone root cause 'lock' has no corrective action",)
    assert analysis.incomplete_reasons(fixes(analysis)) == ()
    assert [c.id for c in analysis.fishbone_root_causes()] == ["lock"]
