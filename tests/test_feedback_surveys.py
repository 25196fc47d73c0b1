"""Satisfaction surveys: NPS, CSAT, CES, their intervals, response rates and breakdowns."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit.errors import InvalidInputError
from faultkit.feedback import (
    SURVEY_DIMENSIONS,
    CesResult,
    CsatResult,
    Dimension,
    IntervalMethod,
    NpsResult,
    Period,
    SurveyGroup,
    SurveyKind,
    SurveyResponse,
    ces,
    csat,
    nps,
    survey_breakdown,
)
from faultkit.feedback._stats import t_value, wilson
from faultkit.models import IntakeChannel
from faultkit.serialization import from_dict, to_dict
from faultkit.testing.feedback import ces_results, csat_results, nps_results, survey_responses

# --------------------------------------------------------------------------- golden values


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        # Newcombe, R. G. (1998), "Two-sided confidence intervals for the single
        # proportion: comparison of seven methods", Statistics in Medicine 17:857-872,
        # table II, method 3 (Wilson score, no continuity correction).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_newcombe_1998(successes: int, n: int, low: float, high: float) -> None:
    got_low, got_high = wilson(successes, n, 0.95)
    assert round(got_low, 4) == low
    assert round(got_high, 4) == high


def test_csat_interval_is_wilson_in_percent_newcombe_example() -> None:
    # 81 of 263 in the top two boxes: Newcombe (1998) example (i), as percentages.
    result = csat([5] * 40 + [4] * 41 + [3] * 100 + [1] * 82)
    assert result.satisfied == 81
    assert result.n == 263
    assert result.score == pytest.approx(100 * 81 / 263)
    assert round(result.interval.low, 2) == 25.53
    assert round(result.interval.high, 2) == 36.62
    assert result.interval.method is IntervalMethod.WILSON


@pytest.mark.parametrize(
    ("level", "df", "expected"),
    [
        # NIST/SEMATECH e-Handbook of Statistical Methods, section 1.3.6.7.2,
        # "Critical values of the Student's t distribution" (upper tail 0.025 and 0.005).
        (0.95, 1, 12.706),
        (0.95, 2, 4.303),
        (0.95, 9, 2.262),
        (0.95, 10, 2.228),
        (0.95, 30, 2.042),
        (0.95, 100, 1.984),
        (0.99, 5, 4.032),
        (0.99, 30, 2.750),
    ],
)
def test_t_quantiles_match_nist_table(level: float, df: int, expected: float) -> None:
    assert round(t_value(level, df), 3) == expected


def test_nps_reichheld_definition() -> None:
    # Reichheld (2003), HBR: promoters 9-10, passives 7-8, detractors 0-6;
    # NPS = % promoters - % detractors. 5 promoters, 3 passives, 2 detractors of 10.
    result = nps([10, 10, 9, 9, 9, 8, 7, 7, 6, 0])
    assert (result.promoters, result.passives, result.detractors, result.n) == (5, 3, 2, 10)
    assert result.score == pytest.approx(30.0)


def test_nps_interval_uses_the_documented_variance() -> None:
    # 50 promoters, 30 passives, 20 detractors: pP = .5, pD = .2, NPS = .3;
    # Var = (.5 + .2 - .3^2) / 100 = .0061; half-width = 1.959964 * sqrt(.0061) = .153078.
    result = nps([10] * 50 + [8] * 30 + [3] * 20)
    assert result.score == pytest.approx(30.0)
    assert result.interval.low == pytest.approx(30.0 - 15.3078, abs=1e-3)
    assert result.interval.high == pytest.approx(30.0 + 15.3078, abs=1e-3)
    assert result.interval.method is IntervalMethod.WALD_MULTINOMIAL


def test_ces_mean_and_t_interval() -> None:
    # mean 6, sum of squares 6, s = sqrt(6 / 9); half = t(.975, 9) * s / sqrt(10)
    # = 2.262157 * 0.816497 / 3.162278 = 0.584087 (t from the NIST table above).
    result = ces([7, 6, 5, 7, 6, 5, 7, 6, 5, 6])
    assert result.score == pytest.approx(6.0)
    assert result.std_dev == pytest.approx(math.sqrt(6 / 9))
    assert result.interval is not None
    assert result.interval.low == pytest.approx(6 - 0.584087, abs=1e-5)
    assert result.interval.high == pytest.approx(6 + 0.584087, abs=1e-5)


def test_csat_top_two_box_on_other_scales() -> None:
    assert csat([7, 6, 5, 1], scale=7).score == 50.0
    assert csat([3, 2, 1], scale=3).satisfied == 2


def test_ces_single_answer_has_no_interval() -> None:
    result = ces([4])
    assert result.interval is None
    assert result.std_dev is None


def test_response_rate() -> None:
    assert nps([10, 0], surveyed=8).response_rate == 25.0
    assert csat([5], surveyed=4).response_rate == 25.0
    assert ces([5, 6], surveyed=2).response_rate == 100.0
    assert nps([10]).response_rate is None


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("function", "scores", "bad"),
    [
        (nps, [10, 11], 11),
        (nps, [-1], -1),
        (nps, [5, 7.0], 7.0),
        (nps, [True], True),
        (csat, [0, 5], 0),
        (csat, [6], 6),
        (ces, [8], 8),
        (ces, ["7"], "7"),
    ],
)
def test_scores_outside_the_scale_name_the_value(function, scores, bad) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInputError) as info:
        function(scores)
    assert info.value.field == f"scores[{scores.index(bad)}]"
    assert info.value.value == bad
    assert repr(bad) in str(info.value)


def test_other_bad_arguments() -> None:
    with pytest.raises(InvalidInputError, match="at least one"):
        nps([])
    with pytest.raises(InvalidInputError, match="surveyed"):
        nps([10, 9], surveyed=1)
    with pytest.raises(InvalidInputError, match="level"):
        csat([5], level=1.5)
    with pytest.raises(InvalidInputError, match="scale"):
        csat([1], scale=2)


# --------------------------------------------------------------------------- properties


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=200))
def test_nps_properties(scores: list[int]) -> None:
    result = nps(scores)
    assert result.promoters + result.passives + result.detractors == result.n == len(scores)
    assert -100 <= result.interval.low <= result.score <= result.interval.high <= 100
    expected = 100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores)
    assert result.score == pytest.approx(expected)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=200))
def test_csat_interval_contains_the_score(scores: list[int]) -> None:
    result = csat(scores)
    assert 0 <= result.interval.low <= result.score <= result.interval.high <= 100


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=7), min_size=2, max_size=100))
def test_ces_interval_contains_the_mean_and_stays_on_the_scale(scores: list[int]) -> None:
    result = ces(scores)
    assert result.interval is not None
    assert 1 <= result.interval.low <= result.score <= result.interval.high <= 7


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=10), min_size=5, max_size=80),
    st.sampled_from([0.8, 0.9, 0.95]),
)
def test_wider_level_gives_wider_interval(scores: list[int], level: float) -> None:
    narrow, wide = nps(scores, level=level), nps(scores, level=0.99)
    assert wide.interval.low <= narrow.interval.low
    assert wide.interval.high >= narrow.interval.high


@settings(max_examples=60, deadline=None)
@given(st.one_of(nps_results(), csat_results(), ces_results()))
def test_results_round_trip(result: NpsResult | CsatResult | CesResult) -> None:
    assert from_dict(to_dict(result), type(result)) == result
    group = SurveyGroup(key="k", result=result)
    assert from_dict(to_dict(group), SurveyGroup) == group


@settings(max_examples=60, deadline=None)
@given(survey_responses())
def test_survey_response_round_trip(response: SurveyResponse) -> None:
    assert from_dict(to_dict(response), SurveyResponse) == response


# --------------------------------------------------------------------------- breakdowns

_T0 = datetime(2024, 3, 31, 22, 30, tzinfo=UTC)


def _answer(i: int, score: int, **kw: object) -> SurveyResponse:
    return SurveyResponse(
        id=f"r{i}",
        kind=kw.pop("kind", SurveyKind.NPS),  # type: ignore[arg-type]
        score=score,
        answered_at=kw.pop("at", _T0),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def test_breakdown_by_channel_leaves_other_kinds_out() -> None:
    answers = [
        _answer(1, 10, channel=IntakeChannel.EMAIL),
        _answer(2, 0, channel=IntakeChannel.EMAIL),
        _answer(3, 9, channel=IntakeChannel.HOTLINE),
        _answer(4, 5, kind=SurveyKind.CSAT, channel=IntakeChannel.HOTLINE),
        _answer(5, 9),
    ]
    groups = survey_breakdown(answers, SurveyKind.NPS, Dimension.CHANNEL, surveyed={"email": 4})
    assert [g.key for g in groups] == [None, "email", "hotline"]
    email = groups[1].result
    assert isinstance(email, NpsResult)
    assert (email.score, email.n, email.response_rate) == (0.0, 2, 50.0)
    assert groups[2].result.score == 100.0


def test_breakdown_by_period_uses_the_time_zone() -> None:
    berlin = timezone(timedelta(hours=2))
    answers = [
        _answer(1, 5, kind=SurveyKind.CSAT, at=_T0),  # 31 March UTC, 1 April in +02:00
        _answer(2, 1, kind=SurveyKind.CSAT, at=_T0 - timedelta(days=2)),
    ]
    utc = survey_breakdown(answers, SurveyKind.CSAT, Dimension.PERIOD)
    assert [(g.key, g.result.n) for g in utc] == [("2024-03-01", 2)]
    local = survey_breakdown(answers, SurveyKind.CSAT, Dimension.PERIOD, tz=berlin)
    assert [(g.key, g.result.score) for g in local] == [("2024-03-01", 0.0), ("2024-04-01", 100.0)]
    weekly = survey_breakdown(answers, SurveyKind.CSAT, Dimension.PERIOD, period=Period.WEEK)
    assert [g.key for g in weekly] == ["2024-03-25"]


def test_breakdown_by_product_ces_and_bad_score_names_the_answer() -> None:
    answers = [
        _answer(1, 7, kind=SurveyKind.CES, product="A"),
        _answer(2, 5, kind=SurveyKind.CES, product="A"),
        _answer(3, 9, kind=SurveyKind.CES, product="B"),
    ]
    with pytest.raises(InvalidInputError) as info:
        survey_breakdown(answers, SurveyKind.CES, Dimension.PRODUCT)
    assert info.value.field == "responses[r3].score"
    assert info.value.value == 9
    groups = survey_breakdown(answers[:2], SurveyKind.CES, Dimension.PRODUCT)
    assert isinstance(groups[0].result, CesResult)
    assert groups[0].result.score == 6.0


@settings(max_examples=25, deadline=None)
@given(st.lists(survey_responses(SurveyKind.NPS), max_size=15))
def test_breakdown_groups_partition_the_answers(answers: list[SurveyResponse]) -> None:
    for by in SURVEY_DIMENSIONS:
        groups = survey_breakdown(answers, SurveyKind.NPS, by)
        assert sum(g.result.n for g in groups) == len(answers)
        assert isinstance(groups, tuple)
    assert all(isinstance(g.result, NpsResult | CsatResult | CesResult) for g in groups)


@pytest.mark.parametrize(
    "by", [Dimension.PRIORITY, Dimension.TYPE, "severity", "nosuch", 3, ["team"]]
)
def test_breakdown_refuses_a_dimension_surveys_do_not_carry(by: object) -> None:
    with pytest.raises(InvalidInputError) as caught:
        survey_breakdown([], SurveyKind.NPS, by)  # type: ignore[arg-type]
    assert caught.value.field == "by"
    assert "agent, channel, fault, period, product, team" in caught.value.reason


def test_breakdown_takes_a_dimension_by_its_text() -> None:
    assert survey_breakdown([], SurveyKind.NPS, "team") == ()  # type: ignore[arg-type]
