"""Problem records, their workflow, known errors and the known-error index."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta

import pytest

from faultkit.errors import InvalidInputError, ProblemRefusedError
from faultkit.lifecycle import (
    FactChange,
    LinkedProblem,
    TransitionRecord,
    Verification,
    validate_event_log,
)
from faultkit.models import (
    FaultReport,
    Frequency,
    ImpactScope,
    IntakeChannel,
    Person,
    Reporter,
    Urgency,
)
from faultkit.problems import (
    PROBLEM_WORKFLOW,
    KnownError,
    KnownErrorIndex,
    MatchReasonKind,
    Problem,
    ProblemStatus,
    error_codes_in,
    normalise_error_code,
    offer_known_errors,
    report_error_codes,
    verified_root_causes,
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
from faultkit.serialization import from_dict, to_dict
from faultkit.testing.hostile import worst_growth

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ANN = Person(id="ann", name="Ann")


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def opened(pid: str = "PRB-1") -> Problem:
    return Problem.open(
        id=pid, title="Printer jams", product="printer", component="feeder", actor=ANN, at=T0
    )


def five_whys_analysis(pid: str = "PRB-1", *, verified: bool = True) -> Analysis:
    tree = FiveWhys(
        id="T1",
        problem="Paper jams",
        steps=(
            WhyStep(id="s1", answer="Rollers slip"),
            WhyStep(
                id="s2",
                parent="s1",
                answer="Firmware 4.2 changed the feed timing",
                role=StepRole.ROOT_CAUSE,
                category="software_defect",
                evidence=("log-7",),
                verified=verified,
            ),
        ),
    )
    return Analysis(fault_id=pid, trees=(tree,))


def fishbone_analysis(pid: str = "PRB-1") -> Analysis:
    fishbone = Fishbone(
        id="F1",
        effect="Paper jams",
        categories=("machine", "method"),
        causes=(
            FishboneCause(id="c1", text="Worn roller", category="machine"),
            FishboneCause(
                id="c2",
                text="Feed timing",
                category="method",
                status=CauseStatus.VERIFIED,
                evidence=("bench-7",),
            ),
            FishboneCause(id="c3", text="Humid paper", parent="c1"),
            FishboneCause(
                id="c4",
                text="No evidence",
                category=None,
                parent="c2",
                status=CauseStatus.RULED_OUT,
            ),
        ),
    )
    return Analysis(fault_id=pid, fishbone=fishbone)


def known(problem: Problem) -> Problem:
    """``problem`` taken to known error."""
    p = problem.fire("start_analysis", actor=ANN, at=at(1))
    p = p.record_root_cause("Firmware 4.2 feed timing", actor=ANN, at=at(2))
    p = p.record_workaround("Roll back to firmware 4.1", actor=ANN, at=at(3))
    p = p.set_error_codes(["e-301", "E-301", "0x1F2E"], actor=ANN, at=at(4))
    p = p.describe_symptoms("Paper jams after the firmware update", actor=ANN, at=at(5))
    return p.fire("declare_known_error", actor=ANN, at=at(6))


# --------------------------------------------------------------------------- lifecycle


def test_a_problem_goes_from_new_to_closed_through_its_table() -> None:
    p = (
        known(opened())
        .link_fault("F-1", actor=ANN, at=at(7))
        .link_fault("F-2", actor=ANN, at=at(7))
    )
    assert p.status is ProblemStatus.KNOWN_ERROR
    assert p.is_known_error
    assert p.known_error_workaround() == "Roll back to firmware 4.1"
    assert p.error_codes == ("E-301", "0X1F2E")
    assert p.linked_faults == ("F-1", "F-2")
    p = p.attach_analysis(five_whys_analysis(), actor=ANN, at=at(8))
    p = p.record_fix("CHG-9: firmware 4.3", actor=ANN, at=at(9))
    p = p.fire("resolve", actor=ANN, at=at(10))
    check = Verification(effective=True, verified_at=at(11), verified_by="bob", evidence=["t-1"])
    p = p.record_verification(check, actor=ANN, at=at(11)).fire("close", actor=ANN, at=at(12))
    assert p.status is ProblemStatus.CLOSED
    assert [e.to_state for e in p.history] == [
        "analysing",
        "known_error",
        "resolved",
        "closed",
    ]
    report = validate_event_log(p.status_rows(), PROBLEM_WORKFLOW)
    assert report.ok, report
    assert report.transitions == 4


def test_known_error_needs_root_cause_and_workaround_and_names_them() -> None:
    p = opened().fire("start_analysis", actor=ANN, at=at(1))
    with pytest.raises(ProblemRefusedError) as caught:
        p.fire("declare_known_error", actor=ANN, at=at(2))
    error = caught.value
    assert error.problem_id == "PRB-1"
    assert error.command == "declare_known_error"
    assert error.rule == "root_cause_recorded, workaround_recorded"
    assert "no root cause recorded" in error.detail
    assert "'analysing'" in error.detail
    assert len(p.events) == 1  # nothing appended


def test_resolve_needs_a_verified_root_cause_and_a_fix() -> None:
    p = known(opened())
    with pytest.raises(ProblemRefusedError, match="no analysis attached"):
        p.fire("resolve", actor=ANN, at=at(9))
    p = p.attach_analysis(five_whys_analysis(verified=False), actor=ANN, at=at(8))
    with pytest.raises(ProblemRefusedError, match="no verified root cause"):
        p.fire("resolve", actor=ANN, at=at(9))
    assert not p.has_verified_root_cause()
    p = p.attach_analysis(fishbone_analysis(), actor=ANN, at=at(9))
    assert p.has_verified_root_cause()  # a fishbone alone reaches one
    assert verified_root_causes(fishbone_analysis()) == ("c2",)
    unproven = Fishbone(
        id="F2",
        effect="Paper jams",
        categories=("machine",),
        causes=(
            FishboneCause(id="c9", text="Guess", category="machine", status=CauseStatus.VERIFIED),
        ),
    )
    assert verified_root_causes(Analysis(fault_id="PRB-1", fishbone=unproven)) == ()
    with pytest.raises(ProblemRefusedError, match="corrective_action"):
        p.fire("resolve", actor=ANN, at=at(10))
    p = p.record_fix("CHG-9", actor=ANN, at=at(10)).fire("resolve", actor=ANN, at=at(11))
    assert p.status is ProblemStatus.RESOLVED


def test_close_after_resolve_needs_a_verification_after_the_resolve() -> None:
    p = known(opened()).attach_analysis(five_whys_analysis(), actor=ANN, at=at(8))
    p = p.record_fix("CHG-9", actor=ANN, at=at(8)).fire("resolve", actor=ANN, at=at(9))
    with pytest.raises(ProblemRefusedError, match="no verification"):
        p.fire("close", actor=ANN, at=at(10))
    early = Verification(effective=True, verified_at=at(8), verified_by="bob", evidence=["t"])
    bad = p.record_verification(early, actor=ANN, at=at(10))
    with pytest.raises(ProblemRefusedError, match="before the last resolve"):
        bad.fire("close", actor=ANN, at=at(11))
    none = Verification(effective=True, verified_at=at(10), verified_by="bob")
    with pytest.raises(ProblemRefusedError, match="no evidence"):
        p.record_verification(none, actor=ANN, at=at(10)).fire("close", actor=ANN, at=at(11))
    failed = Verification(effective=False, verified_at=at(10), verified_by="bob", evidence=["t"])
    p2 = p.record_verification(failed, actor=ANN, at=at(10))
    with pytest.raises(ProblemRefusedError, match="ineffective"):
        p2.fire("close", actor=ANN, at=at(11))
    reopened = p2.fire("reopen", actor=ANN, at=at(11), reason="fix did not hold")
    assert reopened.status is ProblemStatus.ANALYSING
    assert not reopened.is_known_error  # until declared again
    assert reopened.known_error() is None


def test_a_reopen_voids_the_verification_by_an_event_in_the_history() -> None:
    p = known(opened()).attach_analysis(five_whys_analysis(), actor=ANN, at=at(8))
    p = p.record_fix("CHG-9", actor=ANN, at=at(8)).fire("resolve", actor=ANN, at=at(9))
    check = Verification(effective=True, verified_at=at(10), verified_by="bob", evidence=["t"])
    p = p.record_verification(check, actor=ANN, at=at(10)).fire("close", actor=ANN, at=at(11))
    reopened = p.fire("reopen", actor=ANN, at=at(12), reason="jams are back")
    transition, void = reopened.events[len(p.events) :]
    assert isinstance(transition, TransitionRecord)
    assert transition.trigger == "reopen"
    assert isinstance(void, FactChange)
    assert (void.fact, void.command, void.before, void.after, void.at) == (
        "verification",
        "reopen",
        check,
        None,
        at(12),
    )
    assert void.reason == "voided by reopen: jams are back"
    assert reopened.verification is None
    assert from_dict(to_dict(reopened), Problem) == reopened  # stored and replayed
    again = reopened.fire("resolve", actor=ANN, at=at(13))
    with pytest.raises(ProblemRefusedError, match="no verification of the fix recorded"):
        again.fire("close", actor=ANN, at=at(14))
    # A problem reopened before any verification has nothing to void: one event.
    bare = known(opened()).attach_analysis(five_whys_analysis(), actor=ANN, at=at(8))
    bare = bare.record_fix("CHG-9", actor=ANN, at=at(8)).fire("resolve", actor=ANN, at=at(9))
    assert (
        len(bare.fire("reopen", actor=ANN, at=at(10), reason="no").events) == len(bare.events) + 1
    )
    # Only a trigger may void, and only to nothing.
    forged = to_dict(reopened)
    forged["events"][-1]["command"] = "erase"
    with pytest.raises(InvalidInputError) as caught:
        from_dict(forged, Problem)
    assert caught.value.field == f"events[{len(reopened.events) - 1}].command"


def test_refused_commands_name_problem_command_rule_and_value() -> None:
    p = opened()
    with pytest.raises(ProblemRefusedError) as caught:
        p.fire("resolve", actor=ANN, at=at(1))
    assert (caught.value.rule, caught.value.command) == ("workflow", "resolve")
    assert "allowed from there: start_analysis, close" in str(caught.value)
    with pytest.raises(ProblemRefusedError, match=r"analysis_of_this_problem.*'PRB-2'"):
        p.attach_analysis(five_whys_analysis("PRB-2"), actor=ANN, at=at(1))
    p = p.link_fault("F-1", actor=ANN, at=at(1))
    with pytest.raises(ProblemRefusedError, match=r"linked_once.*'F-1'"):
        p.link_fault("F-1", actor=ANN, at=at(2))
    with pytest.raises(ProblemRefusedError, match="linked_first"):
        p.unlink_fault("F-9", actor=ANN, at=at(2))
    assert p.unlink_fault("F-1", actor=ANN, at=at(2)).linked_faults == ()
    p = p.record_workaround("Restart", actor=ANN, at=at(2))
    with pytest.raises(ProblemRefusedError, match="no_change"):
        p.record_workaround("Restart", actor=ANN, at=at(3))
    with pytest.raises(ProblemRefusedError, match="resolved_first"):
        p.record_verification(
            Verification(effective=True, verified_at=at(3), verified_by="b"), actor=ANN, at=at(3)
        )
    closed = p.fire("close", actor=ANN, at=at(3), reason="duplicate of PRB-0")
    with pytest.raises(ProblemRefusedError, match="closed"):
        closed.record_root_cause("late", actor=ANN, at=at(4))
    with pytest.raises(ProblemRefusedError, match="reason_given"):
        opened().fire("close", actor=ANN, at=at(1))
    error = ProblemRefusedError("P", "close", "reason_given", "x")
    assert pickle.loads(pickle.dumps(error)).rule == "reason_given"


def test_bad_input_is_invalid_input_naming_the_field() -> None:
    p = opened()
    with pytest.raises(InvalidInputError, match="trigger"):
        p.fire("explode", actor=ANN, at=at(1))
    with pytest.raises(InvalidInputError, match="actor"):
        p.record_root_cause("x", actor="ann", at=at(1))  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="at"):
        p.record_root_cause("x", actor=ANN, at=datetime(2026, 3, 2))
    with pytest.raises(InvalidInputError, match="earlier than the event before"):
        p.record_root_cause("x", actor=ANN, at=T0 - timedelta(1))
    with pytest.raises(InvalidInputError, match=r"error_codes\[1\]"):
        p.set_error_codes(["E-1", "  "], actor=ANN, at=at(1))
    with pytest.raises(InvalidInputError, match="root_cause"):
        p.record_root_cause("   ", actor=ANN, at=at(1))


def test_events_round_trip_and_replay_equals_state() -> None:
    p = known(opened()).attach_analysis(fishbone_analysis(), actor=ANN, at=at(8))
    p = p.link_fault("F-1", actor=ANN, at=at(8)).comment("seen twice", actor=ANN, at=at(8))
    data = to_dict(p)
    again = from_dict(data, Problem)
    assert again == p
    assert again.analysis == p.analysis
    assert again.known_error() == p.known_error()
    assert Problem(record=p.record, events=p.events).status is p.status


def test_a_rewritten_event_does_not_replay() -> None:
    data = to_dict(known(opened()))
    data["events"][2]["before"] = "something else"
    with pytest.raises(InvalidInputError, match=r"events\[2\].before"):
        from_dict(data, Problem)
    data = to_dict(known(opened()))
    data["events"][1]["kind"] = "spell"
    with pytest.raises(InvalidInputError, match=r"events\[1\].kind"):
        from_dict(data, Problem)


def test_problem_satisfies_the_linked_problem_protocol() -> None:
    linked: LinkedProblem = known(opened())  # mypy checks this line
    assert linked.id == "PRB-1"
    assert linked.known_error_workaround() == "Roll back to firmware 4.1"
    assert linked.has_verified_root_cause() is False


# --------------------------------------------------------------------------- codes


def test_error_codes_are_normalised_and_found_in_text() -> None:
    assert normalise_error_code("\uff25\uff0d\uff13\uff10\uff11") == "E-301"
    assert error_codes_in("err ERR_5023 and 0x80070005 then E-301.") == (
        "ERR_5023",
        "0X80070005",
        "E-301",
    )
    assert error_codes_in("mp3 iso9001 IPv6 A1 version2") == ()
    assert error_codes_in("打印机报错E-301，请处理") == ("E-301",)


def test_finding_codes_is_linear_on_hostile_text() -> None:
    shape, ratio = worst_growth(error_codes_in, small=1_000, large=10_000, repeat=2)
    assert ratio < 25, (shape, ratio)


# --------------------------------------------------------------------------- the index


def ke(pid: str, symptoms: str | None, codes: tuple[str, ...] = (), **more: str) -> KnownError:
    return KnownError(
        problem_id=pid,
        title=f"Problem {pid}",
        product=more.get("product", "printer"),
        component=more.get("component"),
        error_codes=codes,
        symptoms=symptoms,
        workaround=f"workaround of {pid}",
        root_cause="cause",
    )


CORPUS = [
    ke("PRB-1", "paper jams in the rear tray after the firmware update", ("E-301",)),
    ke("PRB-2", "toner streaks on every printed page", ("E-120",), component="toner"),
    ke("PRB-3", "wifi module drops the connection after sleep", ("W-7",), product="router"),
    ke("PRB-4", "打印机更新固件后后纸盒卡纸", ("E-301",)),
    ke("PRB-5", "屏幕在低温环境下闪烁然后黑屏", (), product="phone"),
]


def test_same_error_code_matches_and_says_so() -> None:
    index = KnownErrorIndex(CORPUS)
    found = index.match(error_codes=["e-301"], product="printer")
    assert [m.known_error.problem_id for m in found] == ["PRB-1", "PRB-4"]
    reasons = found[0].reasons
    assert reasons[0].kind is MatchReasonKind.ERROR_CODE
    assert reasons[0].value == "E-301"
    assert reasons[1].kind is MatchReasonKind.PRODUCT
    assert found[0].workaround == "workaround of PRB-1"


def test_similar_symptoms_match_with_similarity_and_shared_terms() -> None:
    index = KnownErrorIndex(CORPUS)
    found = index.match(symptoms="After the firmware update, paper jams in the rear tray!")
    assert found[0].known_error.problem_id == "PRB-1"
    symptom = found[0].reasons[0]
    assert symptom.kind is MatchReasonKind.SYMPTOMS
    assert symptom.similarity is not None
    assert symptom.similarity > 0.8
    assert "firmware" in symptom.shared_terms
    assert "symptom similarity" in found[0].explain()
    assert index.match(symptoms="the battery swells when charging") == ()


def test_chinese_symptoms_match_chinese_reports() -> None:
    index = KnownErrorIndex(CORPUS)
    found = index.match(symptoms="手机屏幕在低温环境下一直闪烁，然后黑屏了", product="phone")
    assert [m.known_error.problem_id for m in found][:1] == ["PRB-5"]
    found = index.match(symptoms="更新固件后，打印机纸盒卡纸")
    assert "PRB-4" in [m.known_error.problem_id for m in found]


def test_product_alone_never_matches_and_add_remove_replace() -> None:
    index = KnownErrorIndex(CORPUS)
    assert index.match(product="printer", component="toner") == ()
    removed = index.remove("PRB-1")
    assert removed.problem_id == "PRB-1"
    assert "PRB-1" not in index
    assert [m.known_error.problem_id for m in index.match(error_codes=["E-301"])] == ["PRB-4"]
    index.add(ke("PRB-4", "new text", ("E-999",)))
    assert index.match(error_codes=["E-301"]) == ()
    assert len(index) == 4
    with pytest.raises(InvalidInputError, match="problem_id"):
        index.remove("PRB-1")
    with pytest.raises(InvalidInputError, match=r"known_errors\[0\]"):
        KnownErrorIndex(["not a known error"])  # type: ignore[list-item]


def test_index_agrees_with_the_exhaustive_reference() -> None:
    index = KnownErrorIndex(CORPUS)
    for text in ("paper jams after update", "纸盒卡纸", "toner streaks", "wifi drops"):
        for codes in ((), ("E-301",), ("W-7", "E-120")):
            assert index.match(error_codes=codes, symptoms=text) == index.match_exhaustive(
                error_codes=codes, symptoms=text
            )


def test_hostile_records_huge_text_and_ten_thousand_codes() -> None:
    codes = tuple(f"E-{i:05d}" for i in range(10_000))
    huge = "paper jams after the firmware update " * 20_000  # ~740 kB
    index = KnownErrorIndex([ke("PRB-9", huge, codes), *CORPUS])
    found = index.match(error_codes=["E-09999"], symptoms=huge)
    assert found[0].known_error.problem_id == "PRB-9"
    assert [r.kind for r in found[0].reasons][:2] == [
        MatchReasonKind.ERROR_CODE,
        MatchReasonKind.SYMPTOMS,
    ]
    index.remove("PRB-9")
    assert index.match(error_codes=["E-00001"]) == ()


def test_matching_is_linear_on_hostile_text() -> None:
    index = KnownErrorIndex(CORPUS)
    shape, ratio = worst_growth(
        lambda text: index.match(symptoms=text), small=1_000, large=10_000, repeat=2
    )
    assert ratio < 25, (shape, ratio)


def report(description: str, codes: tuple[str, ...] = (), product: str = "printer") -> FaultReport:
    return FaultReport(
        id="F-230",
        title="Printer problem",
        description=description,
        observed_at=T0,
        reported_at=T0,
        reporter=Reporter(id="c-9", name="Kim", is_customer=True),
        channel=IntakeChannel.HOTLINE,
        product=product,
        error_codes=codes,
        frequency=Frequency.RECURRING,
        impact_scope=ImpactScope.SINGLE_USER,
        urgency=Urgency.HIGH,
    )


def test_intake_reads_listed_codes_then_codes_in_the_text() -> None:
    index = KnownErrorIndex(CORPUS)
    r = report("打印机更新固件后，纸盒卡纸，屏幕显示E-120", codes=("w-7",))
    assert report_error_codes(r) == ("W-7", "E-120")
    found = offer_known_errors(r, index)
    ids = [m.known_error.problem_id for m in found]
    assert ids[:2] == ["PRB-2", "PRB-3"]  # each by a code; PRB-2 also by product
    assert "PRB-4" in ids  # by its Chinese symptoms
    assert found[0].workaround == "workaround of PRB-2"
    with pytest.raises(InvalidInputError, match="report"):
        offer_known_errors("a report", index)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="index"):
        offer_known_errors(r, {})  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"^limit"):
        offer_known_errors(r, index, limit=0)
    with pytest.raises(InvalidInputError, match=r"report.error_codes\[0\]"):
        report_error_codes(report("text", codes=("E" * 300,)))
