"""Stop words per language, as data: words that make unrelated texts look alike.

:func:`faultkit.feedback.text.terms` leaves them out (compared after
:func:`~faultkit.feedback.text.normalise_text`). English words are whole words; Chinese
stop words are cut out of runs of Han characters before those are shingled (longest
first), so ``我的手机坏了`` keeps ``手机`` and ``坏``.

Negations (``no``, ``not``, ``不``, ``没``, ``没有``, ``无``, ``别``, ``未``) are not stop
words in Chinese, where one character flips the meaning of the bigram next to it;
English ``no`` and ``not`` stay stop words, as faultkit always had them. Copy a set and
pass your own (``stopwords=``) to change this.
"""

from __future__ import annotations

__all__ = ["CHINESE_STOPWORDS", "DEFAULT_STOPWORDS", "ENGLISH_STOPWORDS"]

_ENGLISH = """
    a also am an and are as at be been but by can could d did do does for from had has
    have he her his i if in into is it its just ll m me my no not of on or our please re
    really s so t than that the their them then there these they this to too ve very was
    we were what when which who will with would you your
"""
ENGLISH_STOPWORDS: frozenset[str] = frozenset(_ENGLISH.split())
"""Common English function words (the grouping module's list), with the pieces an
apostrophe leaves of a contraction (``s``, ``t``, ``m``, ``d``, ``ll``, ``ve``, ``re``)."""

_CHINESE = """
    的 了 是 我 你 您 他 她 它 我们 你们 他们 她们 咱们 这 那 这个 那个 这些 那些 这样 那样
    就 都 也 还 在 和 与 及 而 或 着 吧 吗 呢 啊 呀 哦 嗯 哈 啦 么 嘛 哟 一个 一下 就是 但是
    可是 还是 不过 因为 所以 如果 然后 而且 并且 已经 非常 很 真的 个 又 把 被
"""
CHINESE_STOPWORDS: frozenset[str] = frozenset(_CHINESE.split())
"""Chinese particles, pronouns and connectives (simplified characters)."""

DEFAULT_STOPWORDS: frozenset[str] = ENGLISH_STOPWORDS | CHINESE_STOPWORDS
"""English and Chinese stop words together: the default of every text function."""
