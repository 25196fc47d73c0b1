"""Hypothesis strategies for the records of :mod:`faultkit.feedback`.

Every strategy returns values that pass the record's validation::

    from hypothesis import given
    from faultkit.testing.feedback import any_feedback

    @given(any_feedback())
    def test_my_helpdesk_export_takes_any_feedback(item): ...
"""

from __future__ import annotations

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from hypothesis import strategies as st

from faultkit.errors import InvalidInputError, TransitionRefusedError
from faultkit.feedback.case import (
    AnyFeedbackEvent,
    Assigned,
    EvidenceAttached,
    FeedbackCase,
    Linked,
    ReplySent,
)
from faultkit.feedback.classify import Classification, FeedbackType, Rule
from faultkit.feedback.followup import SurveyPlan
from faultkit.feedback.grouping import Cluster
from faultkit.feedback.intake import (
    EmailFeedback,
    Feedback,
    FormFeedback,
    FormSurface,
    HotlineFeedback,
    SocialFeedback,
    SurveyFeedback,
)
from faultkit.feedback.notices import FaultOutcome, ResultNotice
from faultkit.feedback.periods import Period
from faultkit.feedback.prioritise import PriorityCase, RankWeights
from faultkit.feedback.replies import ReplyTarget
from faultkit.feedback.surveys import (
    CesResult,
    CsatResult,
    NpsResult,
    SurveyKind,
    SurveyResponse,
    ces,
    csat,
    nps,
)
from faultkit.feedback.trends import Point, Series
from faultkit.feedback.workflow import FeedbackStatus, FeedbackTrigger
from faultkit.lifecycle import TransitionRecord
from faultkit.lifecycle.sla import DEFAULT_CALENDAR, ROUND_THE_CLOCK
from faultkit.models import Frequency, IntakeChannel, Person, Severity, Urgency
from faultkit.scoring import Impact, Priority
from faultkit.testing.strategies import attachments, aware_datetimes, persons, text

__all__ = [
    "any_feedback",
    "ces_results",
    "classifications",
    "clusters",
    "csat_results",
    "email_feedback",
    "fault_outcomes",
    "feedback_cases",
    "feedback_events",
    "form_feedback",
    "hotline_feedback",
    "nps_results",
    "other_feedback",
    "priority_cases",
    "rank_weights",
    "reply_targets",
    "result_notices",
    "rules",
    "series",
    "social_feedback",
    "survey_feedback",
    "survey_plans",
    "survey_responses",
]


def _opt(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str | None]:
    return st.none() | strategy


_phones = st.from_regex(r"\+?\d{3,15}", fullmatch=True)
_emails = st.from_regex(r"[a-z0-9._]{1,12}@[a-z0-9]{1,10}\.[a-z]{2,6}", fullmatch=True)
_urls = st.from_regex(r"https://[a-z0-9.]{1,20}/[a-z0-9/]{0,20}", fullmatch=True)


def _common() -> dict[str, st.SearchStrategy[object]]:
    return {
        "id": text(20),
        "received_at": aware_datetimes(),
        "text": text(200),
        "subject": _opt(text(60)),
        "product": _opt(text(20)),
        "version": _opt(text(12)),
        "customer_id": _opt(text(20)),
        "customer_name": _opt(text(40)),
        "customer_tier": _opt(text(12)),
    }


def other_feedback() -> st.SearchStrategy[Feedback]:
    """:class:`~faultkit.feedback.Feedback` from the channels without a record of their own."""
    return st.builds(
        Feedback,
        channel=st.sampled_from([IntakeChannel.MONITORING, IntakeChannel.STAFF]),
        **_common(),
    )


def hotline_feedback() -> st.SearchStrategy[HotlineFeedback]:
    """:class:`~faultkit.feedback.HotlineFeedback` values (the call starts up to a day
    before the feedback is received, never after)."""
    common = _common()
    del common["received_at"]
    return st.tuples(aware_datetimes(), st.integers(min_value=0, max_value=86_400)).flatmap(
        lambda pair: st.builds(
            HotlineFeedback,
            received_at=st.just(pair[0]),
            call_started_at=st.just(pair[0] - timedelta(seconds=pair[1])),
            call_duration_s=st.none() | st.integers(min_value=0, max_value=86_400),
            agent=text(20),
            callback_number=_opt(_phones),
            **common,
        )
    )


def form_feedback() -> st.SearchStrategy[FormFeedback]:
    """:class:`~faultkit.feedback.FormFeedback` values, web and in-app."""
    return st.builds(
        FormFeedback,
        surface=st.sampled_from(FormSurface),
        form_id=_opt(text(12)),
        page=_opt(text(40)),
        email=_opt(_emails),
        **_common(),
    )


def social_feedback() -> st.SearchStrategy[SocialFeedback]:
    """:class:`~faultkit.feedback.SocialFeedback` values."""
    return st.builds(
        SocialFeedback,
        platform=st.sampled_from(["x", "facebook", "reddit", "linkedin", "instagram"]),
        public_url=_opt(_urls),
        author_handle=_opt(text(20)),
        is_public=st.booleans(),
        **_common(),
    )


def email_feedback() -> st.SearchStrategy[EmailFeedback]:
    """:class:`~faultkit.feedback.EmailFeedback` values."""
    return st.builds(
        EmailFeedback,
        from_address=_opt(_emails),
        message_id=_opt(text(30)),
        thread_id=_opt(text(20)),
        **_common(),
    )


def survey_feedback() -> st.SearchStrategy[SurveyFeedback]:
    """:class:`~faultkit.feedback.SurveyFeedback` values."""
    return st.builds(
        SurveyFeedback,
        survey_id=text(12),
        question=_opt(text(80)),
        kind=st.none() | st.sampled_from(SurveyKind),
        score=st.none() | st.integers(min_value=0, max_value=10),
        screen=_opt(text(20)),
        **_common(),
    )


def any_feedback() -> st.SearchStrategy[Feedback]:
    """Feedback of any channel, each with its own record class."""
    return st.one_of(
        hotline_feedback(),
        form_feedback(),
        social_feedback(),
        email_feedback(),
        survey_feedback(),
        other_feedback(),
    )


def survey_responses(kind: SurveyKind | None = None) -> st.SearchStrategy[SurveyResponse]:
    """:class:`~faultkit.feedback.SurveyResponse` values with scores inside their scale.

    Args:
        kind: only answers of this kind; any kind when ``None``.
    """
    kinds = st.sampled_from(SurveyKind) if kind is None else st.just(kind)
    highest = {SurveyKind.NPS: 10, SurveyKind.CSAT: 5, SurveyKind.CES: 7}

    @st.composite
    def build(draw: st.DrawFn) -> SurveyResponse:
        chosen = draw(kinds)
        low = 0 if chosen is SurveyKind.NPS else 1
        return SurveyResponse(
            id=draw(text(20)),
            kind=chosen,
            score=draw(st.integers(min_value=low, max_value=highest[chosen])),
            answered_at=draw(aware_datetimes()),
            channel=draw(st.none() | st.sampled_from(IntakeChannel)),
            product=draw(_opt(text(20))),
            customer_id=draw(_opt(text(20))),
            fault_id=draw(_opt(text(20))),
            comment=draw(_opt(text(80))),
            feedback_id=draw(_opt(text(20))),
            team=draw(_opt(text(20))),
            agent=draw(_opt(text(20))),
        )

    return build()


_gaps = st.integers(min_value=0, max_value=7 * 24 * 3600).map(lambda s: timedelta(seconds=s))


def feedback_events() -> st.SearchStrategy[AnyFeedbackEvent]:
    """Single feedback events of every type (each valid alone, not as a stream)."""
    common = {"actor": text(20), "at": aware_datetimes()}
    statuses = st.sampled_from([status.value for status in FeedbackStatus])
    return st.one_of(
        st.builds(
            TransitionRecord,
            trigger=st.sampled_from(FeedbackTrigger).map(str),
            from_state=statuses,
            to_state=statuses,
            reason=_opt(text(40)),
            **common,
        ),
        st.builds(ReplySent, channel=st.sampled_from(IntakeChannel), text_ref=text(40), **common),
        st.builds(EvidenceAttached, attachment=attachments(), **common),
        st.builds(Assigned, agent=text(20), team=_opt(text(20)), **common),
        st.builds(Linked, fault_id=_opt(text(20)), cluster_id=text(20), **common),
    )


@st.composite
def feedback_cases(draw: st.DrawFn, max_commands: int = 12) -> FeedbackCase:
    """:class:`~faultkit.feedback.FeedbackCase` values made by random commands.

    Triggers the workflow refuses, and a reply or evidence recorded already, are
    skipped, so every case is one a user could reach; times only move forward.
    """
    case = FeedbackCase.open(draw(any_feedback()))
    at = case.feedback.received_at
    for _ in range(draw(st.integers(min_value=0, max_value=max_commands))):
        at = at + draw(_gaps)
        who: Person = draw(persons())
        command = draw(st.sampled_from(["fire", "reply", "attach", "assign", "link"]))
        if command == "fire":
            try:
                case = case.fire(
                    draw(st.sampled_from(FeedbackTrigger)),
                    actor=who,
                    at=at,
                    reason=draw(_opt(text(40))),
                )
            except TransitionRefusedError:
                continue
        elif command == "reply":
            channel = draw(st.none() | st.sampled_from(IntakeChannel))
            try:
                case = case.reply(author=who, at=at, text_ref=draw(text(40)), channel=channel)
            except InvalidInputError:  # the same reply again
                continue
        elif command == "attach":
            try:
                case = case.attach(draw(attachments()), actor=who, at=at)
            except InvalidInputError:  # the same evidence again
                continue
        elif command == "assign":
            try:
                case = case.assign(
                    actor=who, at=at, agent=draw(text(20)), team=draw(_opt(text(20)))
                )
            except InvalidInputError:  # the agent and team it already has
                continue
        else:
            try:
                case = case.link(actor=who, at=at, fault_id=draw(text(20)))
            except InvalidInputError:  # the fault it is already linked to
                continue
    return case


def reply_targets() -> st.SearchStrategy[ReplyTarget]:
    """:class:`~faultkit.feedback.ReplyTarget` values, round the clock or business hours."""
    return st.builds(
        ReplyTarget,
        within=st.integers(min_value=1, max_value=5 * 24 * 60).map(lambda m: timedelta(minutes=m)),
        calendar=st.sampled_from([ROUND_THE_CLOCK, DEFAULT_CALENDAR]),
    )


def survey_plans() -> st.SearchStrategy[SurveyPlan]:
    """:class:`~faultkit.feedback.SurveyPlan` values with delays from an hour to a month."""
    delays = st.one_of(
        st.integers(min_value=1, max_value=24 * 30).map(lambda h: relativedelta(hours=h)),
        st.integers(min_value=1, max_value=3).map(lambda m: relativedelta(months=m)),
    )
    return st.builds(
        SurveyPlan,
        kind=st.sampled_from(SurveyKind),
        first=delays,
        reminders=st.lists(delays, max_size=3).map(tuple),
    )


_levels = st.sampled_from([0.8, 0.9, 0.95, 0.99])


def nps_results() -> st.SearchStrategy[NpsResult]:
    """:class:`~faultkit.feedback.NpsResult` values, computed from random answers."""
    return st.builds(
        nps,
        st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=60),
        level=_levels,
    )


def csat_results() -> st.SearchStrategy[CsatResult]:
    """:class:`~faultkit.feedback.CsatResult` values, computed from random answers."""
    return st.builds(
        csat,
        st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=60),
        level=_levels,
    )


def ces_results() -> st.SearchStrategy[CesResult]:
    """:class:`~faultkit.feedback.CesResult` values, computed from random answers."""
    return st.builds(
        ces, st.lists(st.integers(min_value=1, max_value=7), min_size=1, max_size=60), level=_levels
    )


_words = st.sampled_from(["crash", "slow", "login", "printer jams", "refund", "thank you"])


@st.composite
def rules(draw: st.DrawFn) -> Rule:
    """:class:`~faultkit.feedback.Rule` values: at least one outcome and one condition."""
    outcome = draw(st.sampled_from(["type", "severity", "frequency"]))
    extra: dict[str, object] = {
        "type": draw(st.none() | st.sampled_from(FeedbackType)),
        "severity": draw(st.none() | st.sampled_from(Severity)),
        "frequency": draw(st.none() | st.sampled_from(Frequency)),
    }
    choices: dict[str, st.SearchStrategy[object]] = {
        "type": st.sampled_from(FeedbackType),
        "severity": st.sampled_from(Severity),
        "frequency": st.sampled_from(Frequency),
    }
    extra[outcome] = draw(choices[outcome])
    return Rule(
        name=draw(text(20)),
        keywords=tuple(draw(st.lists(_words, min_size=1, max_size=3))),
        exclude=tuple(draw(st.lists(_words, max_size=2))),
        negators=tuple(draw(st.lists(st.sampled_from(["not", "never", "没有", "不"]), max_size=2))),
        pattern=draw(
            st.none() | st.sampled_from([r"\bE-\d+\b", r"\?$", "(?m)^how", "(a+)+$", "问题"])
        ),
        channels=tuple(draw(st.lists(st.sampled_from(IntakeChannel), max_size=2))),
        products=tuple(draw(st.lists(text(12), max_size=2))),
        **extra,  # type: ignore[arg-type]
    )


def classifications() -> st.SearchStrategy[Classification]:
    """:class:`~faultkit.feedback.Classification` values."""
    return st.builds(
        Classification,
        type=st.sampled_from(FeedbackType),
        severity=st.none() | st.sampled_from(Severity),
        frequency=st.none() | st.sampled_from(Frequency),
        type_rule=_opt(text(20)),
        severity_rule=_opt(text(20)),
        frequency_rule=_opt(text(20)),
        matched=st.lists(text(20), max_size=4).map(tuple),
        sentiment=st.none() | st.floats(-20, 20, allow_nan=False),
        clauses=st.lists(text(20), max_size=3).map(tuple),
    )


@st.composite
def clusters(draw: st.DrawFn) -> Cluster:
    """:class:`~faultkit.feedback.Cluster` values with consistent counts and times."""
    ids = draw(st.lists(text(12), min_size=1, max_size=8, unique=True))
    anonymous = draw(st.integers(min_value=0, max_value=len(ids)))
    customers = draw(st.integers(min_value=0, max_value=len(ids) - anonymous))
    first = draw(aware_datetimes())
    last = draw(aware_datetimes().filter(lambda d: d >= first))
    return Cluster(
        id=f"C-{ids[0]}",
        feedback_ids=tuple(ids),
        size=len(ids),
        customers=customers,
        anonymous=anonymous,
        first_seen=first,
        last_seen=last,
        fault_id=draw(_opt(text(12))),
    )


def priority_cases() -> st.SearchStrategy[PriorityCase]:
    """:class:`~faultkit.feedback.PriorityCase` values."""
    return st.builds(
        PriorityCase,
        id=text(20),
        impact=st.sampled_from(Impact),
        urgency=st.sampled_from(Urgency),
        frequency=st.integers(min_value=1, max_value=10_000),
        reach=st.integers(min_value=0, max_value=10_000),
        tier=st.none() | st.sampled_from(["enterprise", "premium", "basic"]),
        first_seen=aware_datetimes(),
        fault_id=_opt(text(12)),
        priority=st.none() | st.sampled_from(Priority),
    )


def rank_weights() -> st.SearchStrategy[RankWeights]:
    """:class:`~faultkit.feedback.RankWeights` values."""
    points = st.floats(min_value=0, max_value=100, allow_nan=False)
    return st.builds(
        RankWeights,
        priority=points,
        frequency=points,
        reach=points,
        age=points,
        age_cap_days=points,
        tiers=st.dictionaries(text(12), points, max_size=3),
    )


def fault_outcomes() -> st.SearchStrategy[FaultOutcome]:
    """:class:`~faultkit.feedback.FaultOutcome` values."""
    return st.builds(
        FaultOutcome,
        fault_id=text(12),
        found=text(80),
        done=text(80),
        workaround=_opt(text(80)),
        resolved_at=st.none() | aware_datetimes(),
    )


def result_notices() -> st.SearchStrategy[ResultNotice]:
    """:class:`~faultkit.feedback.ResultNotice` values."""
    return st.builds(
        ResultNotice,
        id=text(30),
        fault_id=text(12),
        customer_id=_opt(text(20)),
        customer_name=_opt(text(40)),
        channel=st.sampled_from(IntakeChannel),
        contact=_opt(text(30)),
        feedback_ids=st.lists(text(12), min_size=1, max_size=4).map(tuple),
        found=text(80),
        done=text(80),
        workaround=_opt(text(80)),
        resolved_at=st.none() | aware_datetimes(),
    )


def series() -> st.SearchStrategy[Series]:
    """:class:`~faultkit.feedback.Series` values (points need not be consecutive)."""
    return st.builds(
        Series,
        key=_opt(text(20)),
        period=st.sampled_from(Period),
        points=st.lists(
            st.builds(Point, start=st.dates(), count=st.integers(min_value=0, max_value=10**6)),
            max_size=12,
        ).map(tuple),
    )
