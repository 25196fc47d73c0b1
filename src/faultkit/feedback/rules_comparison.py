"""Default rules that read a comparison with an earlier product, as data.

"比上次好多了" (much better than last time) praises this product; the complaint it
may carry ("上次的太难吃了") is about the earlier one. One rule here types such a review
praise before the problem rules read its complaint words, unless the review as a whole
weighs clearly negative; the other types a complaint a review that finds this product
worse than an earlier one ("不如以前", "比上次买的小太多了"), which names no word of
complaint the other rules know. Both are in :data:`faultkit.feedback.rules.DEFAULT_RULES`.

Source: written for faultkit from the Chinese reviews of the labelled public corpora
the default rules are checked on (see :mod:`faultkit.feedback.rules`); the words for an
earlier purchase are the data :data:`faultkit.feedback.lexicon.CHINESE_EARLIER_PRODUCT`.
"""

from __future__ import annotations

from faultkit.feedback.classify import FeedbackType, Rule
from faultkit.feedback.lexicon import CHINESE_EARLIER_PRODUCT
from faultkit.feedback.rule_words import MOSTLY_COMPLAINT
from faultkit.models import Severity

__all__ = [
    "BETTER_THAN_EARLIER",
    "COMPLAINT_AGAINST_EARLIER_PRODUCT",
    "PRAISE_OVER_EARLIER_PRODUCT",
    "WORSE_THAN_EARLIER",
]

BETTER_THAN_EARLIER: tuple[str, ...] = (
    "好",
    "强",
    "快",
    "棒",
    "香",
    "新鲜",
    "便宜",
    "实惠",
    "舒服",
    "清楚",
    "清晰",
    "流畅",
    "耐用",
    "省电",
    "安静",
    "干净",
    "进步",
)
"""Chinese words that say this product beats the earlier one, after "比上次" (than
last time): better, stronger, faster, fresher, cheaper, clearer, quieter, cleaner.
Not 大 / 多 (bigger, more), which praise or complain by what is measured."""


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_SAME_CLAUSE = r"[^，。！？,.!?\x{ff0c}\x{3002}\x{ff01}\x{ff1f}\n]{0,8}?"
"""Up to eight characters of the same clause ("比上次买的那个好")."""


PRAISE_OVER_EARLIER_PRODUCT = Rule(
    name="praise-over-earlier-product",
    type=FeedbackType.PRAISE,
    severity=Severity.SEV5,
    # 比 (than), optionally "my", an earlier purchase, up to eight characters of the
    # same clause ("比上次买的那个好"), then a word of "better"; not after 没 / 不
    # ("没比以前好", no better than before)
    pattern=(
        r"(?:^|[^没不])比(?:我们|我)?(?:"
        + _alternation(CHINESE_EARLIER_PRODUCT)
        + r")"
        + _SAME_CLAUSE
        + "(?:"
        + _alternation(BETTER_THAN_EARLIER)
        + ")"
    ),
    sentiment_above=MOSTLY_COMPLAINT,
)
"""A Chinese review that finds this product better than an earlier one ("比上次好多了",
"比之前的好", "比以前快") is praise, unless it weighs clearly negative as a whole
(its sentiment at or below :data:`~faultkit.feedback.rule_words.MOSTLY_COMPLAINT`:
"比以前好一点，但还是太难吃了，再也不买了")."""


WORSE_THAN_EARLIER: tuple[str, ...] = (
    "差",
    "小",
    "少",
    "贵",
    "慢",
    "硬",
    "薄",
    "短",
    "咸",
    "油",
    "淡",
    "难吃",
    "难喝",
    "难用",
    "粗糙",
    "毛糙",
    "退步",
    "下降",
    "降低",
)
"""Chinese words that say this product falls short of the earlier one, after "比上次"
(than last time): worse, smaller, fewer, dearer, slower, harder, thinner, saltier,
oilier, blander, rougher; gone down."""

COMPLAINT_AGAINST_EARLIER_PRODUCT = Rule(
    name="complaint-against-earlier-product",
    type=FeedbackType.COMPLAINT,
    # "不如上次" (not as good as last time), or 比 (than), an earlier purchase, up to
    # eight characters of the same clause, then a word of "worse" ("比上次买的小太多了");
    # not after 没 / 不
    pattern=(
        r"不如(?:我们|我)?(?:"
        + _alternation(CHINESE_EARLIER_PRODUCT)
        + r")|(?:^|[^没不])比(?:我们|我)?(?:"
        + _alternation(CHINESE_EARLIER_PRODUCT)
        + r")"
        + _SAME_CLAUSE
        + "(?:"
        + _alternation(WORSE_THAN_EARLIER)
        + ")"
    ),
)
"""A Chinese review that finds this product worse than an earlier one ("不如以前",
"比上次买的小太多了", "比以前贵了") is a complaint, unless its praise clearly outweighs it
(the rule comes after ``mostly-praise``: "这次的价格比以前贵一点，但是环境非常好的，服务也好"
stays praise)."""
