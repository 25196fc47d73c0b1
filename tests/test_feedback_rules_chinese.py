"""The default rules on Chinese reviews: mixed reviews, words inside other words, hedges.

Short sentences in the shape of the reviews of issue 18 (food delivery, e-commerce,
hotels), written for these tests: the misses found on the tune halves.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faultkit.feedback import Feedback, FeedbackType, RuleClassifier
from faultkit.feedback.lexicon import CHINESE_TERMS, DEFAULT_LEXICON
from faultkit.feedback.rule_words import (
    CHINESE_FIGURATIVE_HARM,
    CHINESE_NEGATORS,
    CHINESE_PRAISE,
    MOSTLY_COMPLAINT,
)
from faultkit.feedback.rules import DEFAULT_RULES
from faultkit.feedback.sentiment import SentimentScorer
from faultkit.models import IntakeChannel, Severity

AT = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
CLASSIFIER = RuleClassifier()
SCORER = SentimentScorer(DEFAULT_LEXICON)
PROBLEMS = {
    FeedbackType.DEFECT,
    FeedbackType.COMPLAINT,
    FeedbackType.PERFORMANCE,
    FeedbackType.USABILITY,
}


def classify(text: str) -> tuple[FeedbackType, Severity | None, str | None]:
    result = CLASSIFIER.classify(
        Feedback(id="f", channel=IntakeChannel.STAFF, received_at=AT, text=text)
    )
    return result.type, result.severity, result.type_rule


@pytest.mark.parametrize(
    "text",
    [
        # praise, and a complaint that does not clearly outweigh it
        "饭菜不错，速度太慢了",
        "喜欢吃，但是量少",
        "味道还可以，就是送错了一个菜",
        # "特别" and "别的" hold 别, which is no negator there
        "送得特别快，味道一般",
        "土豆丝不好吃，别的都不错",
        # a slowness hedged after the word is a remark
        "味道不错，送得慢了点",
    ],
)
def test_a_mixed_review_that_names_praise_is_praise(text: str) -> None:
    kind, severity, _rule = classify(text)
    assert (kind, severity) == (FeedbackType.PRAISE, Severity.SEV5)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("好吃，但是太咸了，再也不买了", FeedbackType.COMPLAINT),
        ("好吃，但是太咸了", FeedbackType.COMPLAINT),
        ("送的好慢啊", FeedbackType.PERFORMANCE),
        ("等了两个小时，饭都凉了", FeedbackType.PERFORMANCE),
        ("粥里有头发，没法吃", FeedbackType.DEFECT),
        ("米饭是生的", FeedbackType.DEFECT),
        ("勺子断了", FeedbackType.DEFECT),  # no word of praise or complaint weighed
        ("窗户打不开", FeedbackType.DEFECT),
        ("床太硬，隔音不好", FeedbackType.COMPLAINT),
    ],
)
def test_a_complaint_stays_a_problem(text: str, kind: FeedbackType) -> None:
    assert classify(text)[0] is kind


@pytest.mark.parametrize(
    "text",
    [
        "洗完头发很柔顺，没有头屑",  # 头发 is the subject, not a foreign object
        "出差住了两晚，房间干净",  # 出差 holds 差
        "硬盘很大，运行流畅",  # 硬盘 holds 硬
        "不知道发生的事情，书写得很精彩",  # 发生的 holds 生的
        "优点很多，缺点是有点重",  # 缺点 holds 缺
        "用了半年，没有发现什么问题",  # a denial further off than a negator reaches
        "慢慢看，很感人",  # 慢慢 holds 慢
        "评论晚了，很好吃",
        "都是我的错，送餐很准时",
    ],
)
def test_words_inside_other_words_are_not_problems(text: str) -> None:
    kind, severity, rule = classify(text)
    assert kind not in PROBLEMS, rule
    assert severity is not Severity.SEV1


@pytest.mark.parametrize(
    "text",
    [
        "这次很受伤",
        "电脑中毒了，重装了系统，现在很快",
        "一家人吃着火锅，很开心",
        "酒店挨着火车站，很方便",
    ],
)
def test_a_figure_of_speech_is_not_harm(text: str) -> None:
    assert any(phrase in text for phrase in CHINESE_FIGURATIVE_HARM)
    assert classify(text)[1] is not Severity.SEV1


@pytest.mark.parametrize("text", ["厨房着火了", "充电器着火，吓死了", "吃完食物中毒"])
def test_real_harm_next_to_the_guards_is_still_sev1(text: str) -> None:
    assert classify(text)[1] is Severity.SEV1


def test_a_window_that_does_not_open_is_no_outage() -> None:
    assert classify("房间不错，就是窗户打不开")[1] is not Severity.SEV2
    assert classify("系统崩溃，所有用户都登不上")[1] is Severity.SEV2


def test_the_praise_words_come_from_the_lexicon() -> None:
    assert set(CHINESE_PRAISE) == {t for t, v in CHINESE_TERMS.items() if v >= 0.5}
    assert {"好吃", "不错", "还可以"} <= set(CHINESE_PRAISE)
    assert not {"可以", "还行", "快递"} & set(CHINESE_PRAISE)
    assert "别" not in CHINESE_NEGATORS
    rule = next(r for r in DEFAULT_RULES if r.name == "mixed-praise-chinese")
    assert rule.sentiment_above == MOSTLY_COMPLAINT


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("送得特别快", 1.5 * 1),  # 特别 is an intensifier, not 别 a negator
        ("送得慢了点", -0.75),
        ("细腻", 1.5),  # not 腻 (greasy)
        ("没有发现什么问题", 1),
        ("香港", 0),  # not 香 (fragrant)
    ],
)
def test_chinese_golden_scores(text: str, expected: float) -> None:
    assert SCORER.score(text).score == pytest.approx(expected)


COMPLAINTS = ("太慢了", "送错了", "米饭是生的", "汤洒了", "太咸了", "分量太少", "难吃", "勺子断了")
# praise none of the keyword rules of praise holds alone ("很好吃" is praise-overall)
PRAISE = ("不错", "送得很快", "还可以", "挺新鲜")


@given(
    st.lists(st.sampled_from(COMPLAINTS), min_size=1, max_size=6),
    st.sampled_from(["，", "。", "！", ""]),
)
def test_complaints_without_praise_are_always_a_problem(clauses: list[str], sep: str) -> None:
    assert classify(sep.join(clauses))[0] in PROBLEMS


@given(
    st.sampled_from(PRAISE),
    st.lists(st.sampled_from(COMPLAINTS), min_size=1, max_size=6),
)
def test_praise_then_complaints_is_a_problem_only_when_they_outweigh_it(
    praise: str, complaints: list[str]
) -> None:
    """Praise, then "但是" and complaints: a praise while the score stays above
    MOSTLY_COMPLAINT, a problem below it - never anything in between."""
    text = f"{praise}，但是" + "，".join(complaints)
    kind, _severity, _rule = classify(text)
    score = SCORER.score(text).score
    if score > MOSTLY_COMPLAINT:
        assert kind is FeedbackType.PRAISE
    else:
        assert kind in PROBLEMS
