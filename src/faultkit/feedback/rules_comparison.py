"""Default rules that read a comparison with an earlier product, as data.

"比上次好多了" (much better than last time) praises this product; the complaint it
may carry ("上次的太难吃了") is about the earlier one. The rule here types such a review
praise before the problem rules read its complaint words, unless the review as a whole
weighs clearly negative. It is one of :data:`faultkit.feedback.rules.DEFAULT_RULES`.

Source: written for faultkit from the Chinese reviews of the labelled public corpora
the default rules are checked on (see :mod:`faultkit.feedback.rules`); the words for an
earlier purchase are the data :data:`faultkit.feedback.lexicon.CHINESE_EARLIER_PRODUCT`.
"""

from __future__ import annotations

from faultkit.feedback.classify import FeedbackType, Rule
from faultkit.feedback.lexicon import CHINESE_EARLIER_PRODUCT
from faultkit.feedback.rule_words import MOSTLY_COMPLAINT
from faultkit.models import Severity

__all__ = ["BETTER_THAN_EARLIER", "PRAISE_OVER_EARLIER_PRODUCT"]

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
        + r")[^，。！？,.!?\x{ff0c}\x{3002}\x{ff01}\x{ff1f}\n]{0,8}?(?:"
        + _alternation(BETTER_THAN_EARLIER)
        + ")"
    ),
    sentiment_above=MOSTLY_COMPLAINT,
)
"""A Chinese review that finds this product better than an earlier one ("比上次好多了",
"比之前的好", "比以前快") is praise, unless it weighs clearly negative as a whole
(its sentiment at or below :data:`~faultkit.feedback.rule_words.MOSTLY_COMPLAINT`:
"比以前好一点，但还是太难吃了，再也不买了")."""
