"""Text normalisation in any script: folding, entities, words, CJK bigrams, stop words."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faultkit.errors import InvalidInputError
from faultkit.feedback import (
    CHINESE_STOPWORDS,
    DEFAULT_STOPWORDS,
    ENGLISH_STOPWORDS,
    normalise_text,
    shingles,
    terms,
    tokens,
)

HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
ASCII_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", max_size=60)


def test_stop_words_are_data_per_language() -> None:
    assert DEFAULT_STOPWORDS == ENGLISH_STOPWORDS | CHINESE_STOPWORDS
    assert {"the", "and"} <= ENGLISH_STOPWORDS
    assert {"的", "了"} <= CHINESE_STOPWORDS
    # negations flip the meaning of a Chinese bigram: never stop words
    assert not {"不", "没", "没有", "无", "别", "未"} & CHINESE_STOPWORDS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Le Café   CRASHES!! ", "le cafe crashes"),
        ("\uff26\uff35\uff2c\uff2c width", "full width"),
        ("STRASSE straße", "strasse strasse"),
        ("请联系ann.lee+x@example.com.cn谢谢", "请联系 <email> 谢谢"),
        ("见https://t.co/AbC12。很好", "见 <url> 很好"),
        ("@AmazonHelp my order #fail", "<handle> my order #fail"),
        ("#华为手机#屏幕坏了", "#华为手机# 屏幕坏了"),
        ("等了40分钟, 3.5 stars on 2024-05-01", "等了 <number> 分钟 <number> stars on <number>"),
        ("iPhone12 4k", "iphone12 4k"),
        ("don\u2019t DON'T l'ouverture", "don t don t l ouverture"),
        ("がっかり \uff76\uff9e\uff6f\uff76\uff98", "がっかり ガッカリ"),  # half-width kana
        ("Ünïcödé ΣΊΣΥΦΟΣ Привет й", "unicode σισυφοσ привет й"),
        ("हिन्दी ภาษาไทย", "हिन्दी ภาษาไทย"),  # Indic vowel signs stay in the word
        ("", ""),
        ("!!! ... ???", ""),
    ],
)
def test_normalise_text_examples(text: str, expected: str) -> None:
    assert normalise_text(text) == expected


@given(
    number=st.from_regex(r"[1-9][0-9]{1,5}(?:[.,][0-9]{1,3})?", fullmatch=True),
    unit=st.sampled_from(["mm", "gb", "kg", "년이상", "원", "번째", "мм"]),
)
def test_a_number_glued_to_letters_is_not_cut_in_two(number: str, unit: str) -> None:
    # "20mm" once read as the number "2" and the word "0mm", "10,000원" as "10,00" and
    # "0원": the number backtracked to a shorter one that no letter followed.
    words = normalise_text(f"{number}{unit} ok").split()
    assert "<number>" not in words
    assert "".join(words[:-1]) == f"{number}{unit}".replace(",", "").replace(".", "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20mm 20년이상 3시간짜리", "20mm 20년이상 3시간짜리"),
        ("10,000원 1.5kg", "10 000원 1 5kg"),
        ("20分钟 20 mm 2回目 10ครั้ง", "<number> 分钟 <number> mm <number> 回目 <number> ครั้ง"),
    ],
)
def test_numbers_glued_to_letters_in_korean_and_english(text: str, expected: str) -> None:
    assert normalise_text(text) == expected


def test_entities_are_not_words() -> None:
    tweet = "@AmazonHelp see https://t.co/xYz123 or mail me at bob@mail.co.uk, 555 1234"
    assert terms(tweet) == ["see", "mail"]
    assert terms(tweet, entities=True) == [
        "<handle>",
        "see",
        "<url>",
        "mail",
        "<email>",
        "<number>",
        "<number>",
    ]


def test_chinese_runs_lose_stop_words_and_become_bigrams() -> None:
    assert terms("我的手机屏幕坏了") == ["手机", "机屏", "屏幕", "幕坏"]
    assert terms("太慢") == ["太慢"]
    assert terms("慢") == ["慢"]
    assert terms("不好吃", stopwords=()) == ["不好", "好吃"]
    assert terms("送餐 慢", ngram=1) == ["送", "餐", "慢"]


def test_word_shingles() -> None:
    assert tokens("The printer is jammed") == frozenset({"printer", "jammed"})
    assert tokens("a b c", stopwords=(), shingle_size=2) == frozenset({"a b", "b c"})
    assert tokens("one", stopwords=(), shingle_size=3) == frozenset({"one"})
    assert tokens("the", shingle_size=2) == frozenset()


def test_bad_input_names_the_field() -> None:
    with pytest.raises(InvalidInputError, match="text"):
        normalise_text(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="size"):
        shingles("abc", 0)
    with pytest.raises(InvalidInputError, match="ngram"):
        terms("送餐太慢", ngram=0)


@given(ASCII_WORDS)
def test_case_and_width_do_not_matter(text: str) -> None:
    wide = "".join(chr(ord(c) + 0xFEE0) if c != " " else "\u3000" for c in text.upper())
    assert normalise_text(wide) == normalise_text(text) == normalise_text(text.upper())


@given(st.text(max_size=80))
def test_normalised_text_is_stable(text: str) -> None:
    once = normalise_text(text, entities=False)
    assert normalise_text(once, entities=False) == once
    assert once == once.strip()
    assert "  " not in once


@given(st.text(HAN, min_size=3, max_size=40), st.data())
def test_one_changed_character_changes_at_most_two_bigrams(run: str, data: st.DataObject) -> None:
    at = data.draw(st.integers(0, len(run) - 1))
    other = data.draw(HAN.filter(lambda c: c != run[at]))
    changed = run[:at] + other + run[at + 1 :]
    before = shingles(run)
    after = shingles(changed)
    assert sum(a != b for a, b in zip(before, after, strict=True)) <= 2


@given(st.text(max_size=60))
def test_terms_come_from_the_normalised_text(text: str) -> None:
    plain = normalise_text(text, entities=False)
    for term in terms(text, stopwords=()):
        assert term in plain or all(c in plain for c in term)
        assert unicodedata.is_normalized("NFC", term)


def test_one_fold_keeps_accents_for_rules_and_strips_them_for_grouping() -> None:
    from faultkit.feedback import fold

    assert fold("Le CAF\u00c9 doesn\u2019t") == "le caf\u00e9 doesn't"
    assert fold("Le CAF\u00c9 doesn\u2019t", strip_accents=True) == "le cafe doesn't"
    assert fold("\uff21\uff2e\uff2e\uff20\uff25\uff38.\uff23\uff2f\uff2d") == "ann@ex.com"
    assert fold("\u0439\u0430", strip_accents=True) == "\u0439\u0430"  # Cyrillic \u0439 stays


@pytest.mark.parametrize(
    "run",
    [
        "\u5c4f\u5e55\u574f\u4e86",
        "\u3072\u3089\u304c\u306a",
        "\u30ab\u30bf\u30ab\u30ca",
        "\u0e20\u0e32\u0e29\u0e32\u0e44\u0e17\u0e22",
    ],  # Han, Hiragana, Katakana, Thai
)
def test_rules_and_grouping_share_one_table_of_unspaced_scripts(run: str) -> None:
    from faultkit.feedback import fold, terms
    from faultkit.feedback.matching import KeywordMatcher

    # grouping cuts the run into bigrams; a rule finds a piece of it inside running text
    assert terms(run, stopwords=()) == [run[i : i + 2] for i in range(len(run) - 1)]
    assert KeywordMatcher([run[1:3]]).search(fold(f"x{run}y"))
