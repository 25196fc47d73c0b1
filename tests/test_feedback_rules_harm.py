"""The SEV1 rule (safety or data loss) on Chinese text: figures of speech, worries, slang.

Short sentences in the shape of the reviews of issue 18, written for these tests: the
false SEV1 an adversarial reading found, and the real harm that must stay SEV1 beside
them.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faultkit.feedback.rule_words import CHINESE_GUARDS, CHINESE_HARM
from faultkit.models import Severity
from feedback_rules_kit import classify


@pytest.mark.parametrize(
    "text",
    [
        # the particle 着 and a word that starts with 火
        "想念那种围着火炉吃雪糕的感觉！",
        "透着火辣辣的香味，好吃",
        # hurt feelings, a hurt wallet, fruit bruised in the box
        "等了这么久，心都受伤了",
        "东西不错，就是钱包受伤了",
        "内心受伤，再也不买了",
        # a worry or a precaution, not a loss or an injury
        "担心资料丢失，先备份了，升级很顺利",
        "怕过敏，先在手腕试了一下，没问题",
        "害怕漏电，特意买了这款，很安全",
        "加了一层保护，以免数据丢失",
        "防止触电的设计很贴心",
        "担心会食物中毒，结果很新鲜",
        # slang: an explosion of information, a hairstyle, sales, taste, looks
        "信息爆炸的时代，这本书很有用",
        "爆炸头很可爱",
        "销量爆炸，好评如潮",
        "好吃到爆炸！",
        "颜值爆炸，很喜欢",
        "游戏性能很爆炸",
        "气得我都要冒烟了",
        "充电发烫的要爆炸了一样",
        "我是过敏体质，用着挺好",
        "不知道是不是正品，万一过敏了怎么办",
    ],
)
def test_a_figure_worry_or_slang_is_not_sev1(text: str) -> None:
    assert classify(text)[1] is not Severity.SEV1


@pytest.mark.parametrize(
    "text",
    [
        "手机充电时着火了",
        "吃完拉肚子",
        "数据全部丢失",
        "电动车着火了，吓死人",
        "充电器爆炸了",
        "孩子玩的时候受伤了",
        "恐怕是食物中毒了",  # 恐怕 is "probably", not a worry
        "担心的事发生了：数据丢失",  # the worry is in another clause
        "怕是过敏了，脸都肿了",
    ],
)
def test_real_harm_beside_the_guards_is_still_sev1(text: str) -> None:
    assert classify(text)[1] is Severity.SEV1


@given(st.sampled_from(CHINESE_GUARDS), st.sampled_from(CHINESE_HARM))
def test_a_worry_before_a_harm_word_is_not_sev1(guard: str, harm: str) -> None:
    assert classify(f"{guard}{harm}")[1] is not Severity.SEV1
    # up to two characters between, in the same clause ("担心孩子过敏", "以免造成数据丢失")
    assert classify(f"{guard}孩子{harm}")[1] is not Severity.SEV1
    assert classify(f"结果{harm}了")[1] is Severity.SEV1
    assert classify(f"{guard}了很久，结果{harm}了")[1] is Severity.SEV1


@pytest.mark.parametrize(
    "text",
    ["おかげで、アメリカドラマ中毒になりそうで、マズいです", "このゲームは中毒性があります"],
)
def test_a_japanese_addiction_is_no_poisoning(text: str) -> None:
    assert classify(text)[1] is not Severity.SEV1


def test_a_japanese_food_poisoning_is_still_harm() -> None:
    assert classify("食べた後、食中毒になりました")[1] is Severity.SEV1
