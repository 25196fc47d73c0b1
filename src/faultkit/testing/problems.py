"""Hypothesis strategies for the records of :mod:`faultkit.problems`.

Every strategy returns values that pass the record's validation; :func:`problems`
builds each problem through its own commands (random ones, the refused ones left
out), so its events are a history the workflow really allows::

    from hypothesis import given
    from faultkit.testing.problems import problems

    @given(problems())
    def test_my_board_shows_any_problem(problem): ...
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import strategies as st

from faultkit.errors import ProblemRefusedError
from faultkit.lifecycle.events import Verification
from faultkit.models import Person
from faultkit.problems import (
    PROBLEM_WORKFLOW,
    KnownError,
    KnownErrorIndex,
    Match,
    Problem,
    ProblemRecord,
)
from faultkit.rca import (
    Analysis,
    CauseStatus,
    Fishbone,
    FishboneCause,
    FiveWhys,
    StepRole,
    WhyStep,
)
from faultkit.testing.strategies import aware_datetimes, persons, text

__all__ = [
    "error_codes",
    "known_errors",
    "matches",
    "problem_commands",
    "problem_records",
    "problems",
    "symptom_texts",
]

_WORDS = [
    "printer",
    "paper",
    "jam",
    "tray",
    "firmware",
    "update",
    "screen",
    "flicker",
    "battery",
    "drains",
    "router",
    "wifi",
    "drops",
    "sleep",
    "crash",
    "login",
    "slow",
    "cold",
    "boot",
    "fan",
    "noise",
    "打印机",
    "卡纸",
    "屏幕",
    "闪烁",
    "电池",
    "耗电",
    "固件",
    "更新",
    "重启",
    "黑屏",
]


def error_codes() -> st.SearchStrategy[str]:
    """Error codes as devices show them (``E-301``, ``ERR_12``, ``0x1F2E``)."""
    return st.one_of(
        st.builds(lambda n: f"E-{n}", st.integers(100, 999)),
        st.builds(lambda n: f"ERR_{n}", st.integers(10, 99)),
        st.builds(lambda n: f"0x{n:04X}", st.integers(0x1000, 0xFFFF)),
    )


def symptom_texts() -> st.SearchStrategy[str]:
    """Symptom texts in English and Chinese words (never blank)."""
    return st.lists(st.sampled_from(_WORDS), min_size=1, max_size=12).map(" ".join)


def problem_records() -> st.SearchStrategy[ProblemRecord]:
    """Any valid problem record."""
    return st.builds(
        ProblemRecord,
        id=text(20),
        title=text(),
        product=st.sampled_from(["printer", "router", "phone"]),
        component=st.none() | st.sampled_from(["tray", "firmware", "screen"]),
        opened_at=aware_datetimes(),
        opened_by=text(12),
    )


def _analysis(problem_id: str, verified: bool, fishbone: bool) -> Analysis:
    if fishbone:
        return Analysis(
            fault_id=problem_id,
            fishbone=Fishbone(
                id="F1",
                effect="the symptom",
                categories=("machine",),
                causes=(
                    FishboneCause(
                        id="c1",
                        text="worn roller",
                        category="machine",
                        status=CauseStatus.VERIFIED if verified else CauseStatus.OPEN,
                        evidence=("bench-log",),
                    ),
                ),
            ),
        )
    tree = FiveWhys(
        id="T1",
        problem="the symptom",
        steps=(
            WhyStep(
                id="s1",
                answer="feed timing changed",
                role=StepRole.ROOT_CAUSE,
                category="software_defect",
                evidence=("log",),
                verified=verified,
            ),
        ),
    )
    return Analysis(fault_id=problem_id, trees=(tree,))


def problem_commands() -> st.SearchStrategy[tuple[str, Any]]:
    """One command of a problem: ``(name, argument)`` (see :func:`apply_command`)."""
    return st.one_of(
        st.tuples(st.just("fire"), st.sampled_from(PROBLEM_WORKFLOW.triggers)),
        st.tuples(st.just("fire_with_reason"), st.sampled_from(PROBLEM_WORKFLOW.triggers)),
        st.tuples(st.just("link_fault"), st.sampled_from(["F-1", "F-2", "F-3"])),
        st.tuples(st.just("unlink_fault"), st.sampled_from(["F-1", "F-2"])),
        st.tuples(st.just("record_root_cause"), symptom_texts()),
        st.tuples(st.just("record_workaround"), symptom_texts()),
        st.tuples(st.just("describe_symptoms"), symptom_texts()),
        st.tuples(st.just("set_error_codes"), st.lists(error_codes(), max_size=4)),
        st.tuples(st.just("record_fix"), st.sampled_from(["CHG-1", "CHG-2"])),
        st.tuples(st.just("attach_analysis"), st.tuples(st.booleans(), st.booleans())),
        st.tuples(st.just("record_verification"), st.tuples(st.booleans(), st.booleans())),
        st.tuples(st.just("comment"), symptom_texts()),
    )


def apply_command(
    problem: Problem, command: tuple[str, Any], actor: Person, step: timedelta
) -> Problem:
    """``problem`` after ``command``, one ``step`` after its last event.

    Raises whatever the command raises (a refused one: ``ProblemRefusedError``).
    """
    name, arg = command
    at = problem.last_changed_at + step
    if name in ("fire", "fire_with_reason"):
        reason = "because" if name == "fire_with_reason" else None
        return problem.fire(arg, actor=actor, at=at, reason=reason)
    if name == "attach_analysis":
        verified, fishbone = arg
        analysis = _analysis(problem.id, verified, fishbone)
        return problem.attach_analysis(analysis, actor=actor, at=at)
    if name == "record_verification":
        effective, evidence = arg
        check = Verification(
            effective=effective,
            verified_at=at,
            verified_by=actor.id,
            evidence=("test-run",) if evidence else (),
        )
        return problem.record_verification(check, actor=actor, at=at)
    if name == "comment":
        return problem.comment(arg, actor=actor, at=at)
    method = getattr(problem, name)
    result: Problem = method(arg, actor=actor, at=at)
    return result


@st.composite
def problems(draw: st.DrawFn, max_commands: int = 25) -> Problem:
    """A problem built by random commands; refused ones are left out (none appended)."""
    record = draw(problem_records())
    actor = draw(persons())
    problem = Problem(record=record)
    for command in draw(st.lists(problem_commands(), max_size=max_commands)):
        step = timedelta(minutes=draw(st.integers(0, 600)))
        try:
            problem = apply_command(problem, command, actor, step)
        except ProblemRefusedError:
            continue
    return problem


def known_errors() -> st.SearchStrategy[KnownError]:
    """Any valid known error."""
    return st.builds(
        KnownError,
        problem_id=text(20),
        title=text(),
        product=st.sampled_from(["printer", "router", "phone"]),
        component=st.none() | st.sampled_from(["tray", "firmware", "screen"]),
        error_codes=st.lists(error_codes(), max_size=5),
        symptoms=st.none() | symptom_texts(),
        workaround=text(),
        root_cause=text(),
    )


@st.composite
def matches(draw: st.DrawFn) -> Match:
    """A match as :meth:`~faultkit.problems.KnownErrorIndex.match` makes one."""
    known = draw(known_errors())
    codes = list(known.error_codes[:1])
    symptoms = known.symptoms
    if not codes and symptoms is None:
        codes = ["E-100"]
        known = KnownError(
            problem_id=known.problem_id,
            title=known.title,
            product=known.product,
            error_codes=codes,
            workaround=known.workaround,
            root_cause=known.root_cause,
        )
    found = KnownErrorIndex([known]).match(
        error_codes=codes, symptoms=symptoms, product=known.product
    )
    return found[0]
