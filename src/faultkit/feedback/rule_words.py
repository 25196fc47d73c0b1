"""The words and thresholds the default classification rules are written with.

Negators, hedges, product names, the Chinese figures of speech that are no harm, the
Chinese words of praise and masks (taken from the sentiment lexicon), and the sentiment
scores past which a text is mostly praise or mostly complaint. The rules themselves
are :data:`faultkit.feedback.rules.DEFAULT_RULES`; use these lists in your own rules
(``Rule(..., negators=MILD, exclude=PRODUCT_NAMES)``).

Source: written for faultkit and checked on labelled public reviews, as the rules are
(see :mod:`faultkit.feedback.rules`).
"""

from __future__ import annotations

from faultkit.feedback.lexicon import (
    CHINESE_DISTANT_DENIALS,
    CHINESE_TERMS,
    ENGLISH_NEGATED_AUXILIARIES,
    ENGLISH_TERMS,
)

__all__ = [
    "CHINESE_CLEAR_PRAISE",
    "CHINESE_FIGURATIVE_HARM",
    "CHINESE_GUARDS",
    "CHINESE_HARM",
    "CHINESE_MASKS",
    "CHINESE_NEGATORS",
    "CHINESE_NOT_GUARDS",
    "CHINESE_NO_COMPLAINT",
    "CHINESE_PRAISE",
    "CLEAR_PRAISE",
    "COMPLAINT_OVER_PRAISE_SPACED",
    "ENGLISH_DOWN_SUBJECTS",
    "ENGLISH_MASKS",
    "ENGLISH_NEGATORS",
    "ENGLISH_NO_DEFECT",
    "ENGLISH_NO_OUTAGE",
    "ENGLISH_PRAISE",
    "HEDGES",
    "MILD",
    "MIXED_PRAISE_CHINESE",
    "MOSTLY_COMPLAINT",
    "MOSTLY_COMPLAINT_SPACED",
    "MOSTLY_PRAISE",
    "MOSTLY_PRAISE_SPACED",
    "NEGATORS",
    "PRODUCT_NAMES",
]

ENGLISH_NEGATORS: tuple[str, ...] = (
    "not",
    "no",
    "never",
    "without",
    "zero",
    "nor",
    "hardly",
    *ENGLISH_NEGATED_AUXILIARIES,
)
"""English words that cancel a keyword within the next two words ("never had a problem")."""

CHINESE_NEGATORS: tuple[str, ...] = (
    "不",
    "没",
    "没有",
    "无",
    "未",
    "毫无",
    "并不",
    *CHINESE_DISTANT_DENIALS,
)
"""Chinese words that cancel a keyword within the next two characters ("没什么问题").

Not ``别`` ("don't"): it is also the second character of ``特别`` (especially) and the
first of ``别的`` (the other), so "特别快" and "别的都不错" were denied praise."""

NEGATORS: tuple[str, ...] = ENGLISH_NEGATORS + CHINESE_NEGATORS
"""Every negator, English and Chinese."""

HEDGES: tuple[str, ...] = (
    "a bit",
    "a little",
    "a tad",
    "slightly",
    "somewhat",
    "kind of",
    "kinda",
    "bit",
    "little",
    "有点",
    "有点儿",
    "有些",
    "稍微",
    "稍",
    "略",
    "略微",
    "一点",
)
"""Words that make a complaint a mild remark ("a bit slow", "有点咸"): for the types of
dissatisfaction (performance, usability, complaint), not for defects or harm."""

MILD: tuple[str, ...] = NEGATORS + HEDGES

PRODUCT_NAMES: tuple[str, ...] = (
    "fire tv",
    "fire stick",
    "firestick",
    "fire hd",
    "fire tablet",
    "fire tablets",
    "fire kids",
    "fire 7",
    "fire 8",
    "fire 10",
    "kindle fire",
    "amazon fire",
    "the fire",
    "my fire",
    "a fire",
    "this fire",
    "security camera",
    "security cameras",
    "security system",
    "home security",
    "security settings",
    "security update",
    "security updates",
)
"""Product names and phrases in which the words of the SEV1 rule do not mean harm."""

_LOST = tuple(
    thing + how + lost
    for thing in ("数据", "资料", "文件", "照片")
    for how in ("", "全部", "全", "都", "全都")
    for lost in ("丢失", "丢了")
    if lost == "丢失" or thing in ("数据", "照片")
)
"""Data lost: "数据丢失", "数据全部丢失", "照片都丢了" (not "资料丢了" nor "文件丢了": papers
left behind, as often as files)."""

CHINESE_HARM: tuple[str, ...] = (
    # data loss and theft
    *_LOST,
    "丢失数据",
    "数据被删",
    "隐私泄露",
    "信息泄露",
    "泄露隐私",
    "账号被盗",
    "被盗号",
    # fire, electricity, injury, poisoning, illness
    "着火",
    "起火",
    "冒烟",
    "爆炸",
    "自燃",
    "漏电",
    "触电",
    "烫伤",
    "烧伤",
    "受伤",
    "食物中毒",
    "中毒",
    "拉肚子",
    "吃坏肚子",
    "腹泻",
    "上吐下泻",
    "呕吐",
    "过敏",
)
"""The Chinese words of real harm or data loss: the Chinese keywords of the SEV1 rule
(``safety-or-data-loss``) of :data:`faultkit.feedback.rules.DEFAULT_RULES`."""

_FIRE_WORDS = "车锅柴炬腿烧炉候山辣红热龙鸡"
"""Second characters of words that start with 火 (火车 train, 火锅 hotpot, 火炉 stove,
火候 cooking heat, 火辣 spicy, 火红 fiery red...) that the particle 着 may come before.
Not 焰, 光 nor 星 ("冒着火焰", flames), nor 爆 ("着火爆炸", caught fire and exploded)."""

CHINESE_FIGURATIVE_HARM: tuple[str, ...] = (
    # hurt feelings, a hurt wallet, fruit bruised in the box
    "很受伤",
    "受伤的心",
    "心受伤",
    "心都受伤",
    "心灵受伤",
    "感情受伤",
    "钱包受伤",
    "荷包受伤",
    "果子受伤",
    "水果受伤",
    # a computer virus
    "网络中毒",
    "电脑中毒",
    "手机中毒",
    "系统中毒",
    "中毒太深",
    # Japanese, where 中毒 is an addiction ("ドラマ中毒になりそう", hooked on dramas) and a
    # kana ending tells it from Chinese
    "中毒になりそう",
    "中毒性があ",
    # slang: an explosion of information, a hairstyle, sales, looks; "好吃到爆炸"
    "信息爆炸",
    "知识爆炸",
    "人口爆炸",
    "爆炸头",
    "爆炸性",
    "爆炸式",
    "销量爆炸",
    "人气爆炸",
    "流量爆炸",
    "颜值爆炸",
    "性能爆炸",
    "到爆炸",
    "很爆炸",
    "像要爆炸",
    "爆炸一样",
    "爆炸了一样",
    # an allergy as a standing condition ("我是过敏体质")
    "过敏体质",
    # anger and thirst ("气得冒烟", "嗓子冒烟")
    "都要冒烟",
    "气得冒烟",
    "气的冒烟",
    "嗓子冒烟",
    "喉咙冒烟",
    # "挨着火车站", "吃着火锅", "围着火炉": the particle 着 before a word that starts with 火
    *("着火" + second for second in _FIRE_WORDS),
)
"""Chinese phrases in which the words of the SEV1 rule are a figure of speech ("这次很受伤",
"心都受伤了", hurt feelings; "钱包受伤", money spent), slang ("信息爆炸", "颜值爆炸",
"好吃到爆炸"), a computer virus ("电脑中毒"), or no word at all: ``着火`` (caught fire)
read across the particle ``着`` and a word that starts with ``火`` ("吃着火锅", eating
hotpot; "挨着火车站", next to the railway station; "围着火炉", round the stove)."""

CHINESE_GUARDS: tuple[str, ...] = (
    "担心",
    "担忧",
    "万一",
    "怕",
    "害怕",
    "生怕",
    "唯恐",
    "以免",
    "以防",
    "防止",
    "避免",
    "预防",
    "防",
    "抗",
)
"""Chinese words of worry, precaution and supposition ("担心资料丢失", worried about losing
data; "以免数据丢失", so that no data is lost; "抗过敏", anti-allergy; "万一过敏了", what if
it causes an allergy): negators of the SEV1 rule, so a harm word up to two characters
after one ("担心会中毒", "以免造成数据丢失", "担心孩子过敏"), in the same clause, names a
harm feared or guarded against, not one that came ("担心的事发生了：数据丢失" stays SEV1)."""

CHINESE_NOT_GUARDS: tuple[str, ...] = ("恐怕", "哪怕", "可怕", "怕是")
"""Words that hold 怕 but are no worry ("恐怕是食物中毒", probably food poisoning;
"怕是过敏了", it must be an allergy): exclusions of the SEV1 rule, which take the 怕
before it can deny the harm word after it."""

CHINESE_NO_COMPLAINT: tuple[str, ...] = (
    "不差",
    "不错",
    "差不多",
    "差点",
    "隔三差五",
    "出差",
    "差别",
    "差异",
    "差价",
    "时差",
    "相差",
    "一般情况",
    "一般来说",
    "一般都",
    "一般人",
    "比一般",
    "好不好",
    "硬盘",
    "硬件",
    "硬朗",
    "硬币",
    "依旧",
    "仍旧",
    "照旧",
    "怀旧",
    "折旧",
    "旧款",
    "坑坑洼洼",
    "再也不用",
    "咸了点",
    "咸了一点",
    "贵了点",
    "贵了一点",
    "硬了点",
    "硬了一点",
    "飞一般",
    "天气不好",
    "不好意思",
    "不容易",
    "一般会",
    "一般选择",
    "垃圾袋",
    "带走垃圾",
    "垃圾带",
)
"""Chinese words and phrases in which a complaint keyword is no complaint: words that
hold one (``出差`` holds 差, ``硬盘`` 硬, ``依旧`` 旧, ``一般人`` 一般, ``垃圾袋`` 垃圾),
a denial (``不差``, ``再也不用``), a hedge after the word (``咸了点``) and idioms
(``不好意思``, ``飞一般``)."""

MOSTLY_PRAISE = 0.5
"""The sentiment score above which a text is praise whatever problem it names."""

MOSTLY_COMPLAINT = -1.0
"""The sentiment score below which a text no other rule typed is a complaint."""

CHINESE_PRAISE: tuple[str, ...] = tuple(
    term for term, valence in CHINESE_TERMS.items() if valence >= 0.5
)
"""The Chinese words of praise of the lexicon (valence 0.5 or more: ``好吃``, ``不错``,
``快``, ``还可以``; not the weaker ``可以``, ``还行``), for the rule that keeps a mixed
Chinese review a praise."""

MIXED_PRAISE_CHINESE = -2.0
"""The sentiment score above which a Chinese review that names clear praise
(:data:`CHINESE_CLEAR_PRAISE`) stays a praise with remarks: its complaints outweigh its
praise by less than one clear complaint ("好吃，但是太咸了", -1.25, is praise; "早餐太差，
房间也旧，只有位置还行" is not). With weaker praise the bar stays :data:`MOSTLY_COMPLAINT`.

A trade, measured on the tune halves: the rule that uses it
(``mixed-praise-chinese-clear``) took 114 positive reviews out of the problems (hotels
40, e-commerce 69, food delivery 5) and 187 negative ones (22, 134, 31). Many texts in
that band are complaints with a word of praise; the rule gives up that recall so that a
pleased customer who names what could be better is not filed as a problem. Drop the
rule (or set it to ``MOSTLY_COMPLAINT``) if a missed complaint costs you more."""

CLEAR_PRAISE = 1.5
"""The valence from which a word of praise is clear praise (``不错``, ``好吃``, ``干净``;
not ``快``, ``便宜``, ``还可以``)."""

CHINESE_CLEAR_PRAISE: tuple[str, ...] = tuple(
    term for term, valence in CHINESE_TERMS.items() if valence >= CLEAR_PRAISE
)
"""The Chinese words of clear praise of the lexicon (valence :data:`CLEAR_PRAISE` or
more), for the rule that keeps a Chinese review with one clear complaint a praise
(:data:`MIXED_PRAISE_CHINESE`): "不太好吃，只是便宜" names only weak praise and stays a
complaint."""

CHINESE_MASKS: tuple[str, ...] = tuple(
    term for term, valence in CHINESE_TERMS.items() if valence == 0
)
"""The Chinese masks of the lexicon (``快递``, ``香菜``): no praise inside them."""

MOSTLY_COMPLAINT_SPACED = -0.75
"""The same, for a text with no character of a script written without spaces
(:data:`faultkit.feedback.text.UNSPACED`)."""

MOSTLY_PRAISE_SPACED = -0.6
"""The sentiment score above which a text with no character of a script written without
spaces, and that names praise (:data:`ENGLISH_PRAISE`), is praise whatever problem it
names: English reviewers who weigh a problem against praise about evenly have mostly
given four or five stars (measured on the tune halves of the Amazon and Flipkart
reviews and of the airline tweets).

A trade, measured on the tune halves: moving the bar from -0.3 to -0.6 took 19
positive reviews out of the problems (Amazon 9, Flipkart 10) and 5 negative ones (1, 4;
the airline tweets: 7 negative, no positive). The reviews in that band name praise and
a problem about evenly ("good tablet, but the battery dies fast"); their verdict is the
star rating, mostly four or five stars. Raise the bar if a missed complaint costs you
more."""

ENGLISH_PRAISE: tuple[str, ...] = tuple(
    term for term, valence in ENGLISH_TERMS.items() if valence >= 1
)
"""The English words of praise of the lexicon (valence 1 or more: ``great``,
``works well``, ``no complaints``; not ``ok``, ``fine`` nor ``better``, which support
messages use in complaints: "you need to do better"), for the rules that weigh a mixed
review's verdict."""

ENGLISH_MASKS: tuple[str, ...] = tuple(
    term for term, valence in ENGLISH_TERMS.items() if valence == 0
)
"""The English masks of the lexicon (``best buy``, ``good morning``): no praise inside
them."""

COMPLAINT_OVER_PRAISE_SPACED = -1.5
"""The sentiment score below which a text with no character of a script written without
spaces is a complaint though it names praise: the rules that count words of praise
(``praise-overall``, ``praise-mixed``) come after it (measured on the tune halves of
the Amazon and Flipkart reviews and of the airline tweets)."""

ENGLISH_NO_DEFECT: tuple[str, ...] = (
    # breakage that may come, not that came ("cheap, so no worry if it gets broken")
    "gets broken",
    "get broken",
    "getting broken",
    "ends up broken",
    "lost or broken",
    "broken or lost",
    "gets damaged",
    "get damaged",
    "if it breaks",
    # problems not had, or solved ("haven't heard of any issues", "this solves both problems")
    "any issues",
    "any problems",
    "any problem",
    "any issue",
    "solves both problems",
    "solves the problem",
    "solves that problem",
    "solves that issue",
    "solves the issue",
    "math problems",
    # another device's failure, which this one replaces ("a replacement for a broken one")
    "replacement for a broken",
    "replacement for my broken",
    "replace a broken",
    "replace my broken",
    "replace the broken",
    "replace our broken",
    "replace her broken",
    "replace his broken",
)
"""English phrases in which a word of the defect rule names no defect of the product
reviewed: a breakage that may come, a problem not had or solved."""

ENGLISH_DOWN_SUBJECTS: tuple[str, ...] = (
    "site",
    "website",
    "app",
    "system",
    "network",
    "server",
    "servers",
    "service",
    "everything",
)
"""What an outage report says went down ("the site went down"): the outage rule needs one
of them before "went down", never the bare phrase ("i went down a size", "the price
went down")."""

ENGLISH_NO_OUTAGE: tuple[str, ...] = (
    "everyone loves",
    "everyone in the family",
    "everyone in my family",
    # a price, not a service ("happy to find the price went down")
    "price went down",
    "prices went down",
    "price has gone down",
)
"""English phrases in which a word of the outage rule names no outage: the whole family
("everyone") and a price that went down."""
