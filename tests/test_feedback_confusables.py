"""Look-alike letters: a word mixing Latin with Cyrillic or Greek letters folds to Latin.

"\u0441rash" with a Cyrillic es, "br\u043eken" with a Cyrillic o dodged the English keywords;
Russian and Greek words must stay as they are.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faultkit.feedback import FeedbackType, normalise_text, terms
from faultkit.feedback.confusables import CONFUSABLES
from faultkit.feedback.text import fold
from feedback_rules_kit import classify

CYRILLIC = st.characters(min_codepoint=0x0400, max_codepoint=0x04FF, categories=("Ll", "Lu"))
GREEK = st.characters(min_codepoint=0x0370, max_codepoint=0x03FF, categories=("Ll", "Lu"))
LOOK_ALIKES: dict[str, list[str]] = {}
for _other, _latin in CONFUSABLES.items():
    LOOK_ALIKES.setdefault(_latin, []).append(_other)


def test_the_table_maps_cyrillic_and_greek_letters_to_basic_latin_ones() -> None:
    for other, latin in CONFUSABLES.items():
        assert unicodedata.name(other).startswith(("CYRILLIC", "GREEK")), other
        assert latin.isascii()
        assert latin.isalpha()
        assert len(latin) == 1
        assert other.isupper() == latin.isupper()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The app keeps \u0441rashing", FeedbackType.DEFECT),  # Cyrillic es
        ("The screen is br\u043eken", FeedbackType.DEFECT),  # Cyrillic o
        ("The screen is \u0412ROKEN", FeedbackType.DEFECT),  # Cyrillic capital ve
        ("The app keeps cr\u03b1shing", FeedbackType.DEFECT),  # Greek alpha
    ],
)
def test_a_look_alike_letter_does_not_dodge_a_keyword(text: str, kind: FeedbackType) -> None:
    assert classify(text)[0] is kind


def test_russian_and_greek_text_keep_their_letters() -> None:
    assert fold("Приложение работает, спасибо") == "приложение работает, спасибо"
    assert fold("ΚΑΛΟ ΠΡΟΪΟΝ") == "ΚΑΛΟ ΠΡΟΪΟΝ".casefold()
    # a Latin word beside a Russian one: each keeps its script
    assert normalise_text("Kindle сломался") == "kindle сломался"


@given(st.text(CYRILLIC, min_size=1, max_size=20) | st.text(GREEK, min_size=1, max_size=20))
def test_a_word_without_latin_letters_is_unchanged(word: str) -> None:
    assert fold(word) == unicodedata.normalize("NFKC", word).casefold()


@st.composite
def mixed_words(draw: st.DrawFn) -> tuple[str, str]:
    """A Latin word and the same word with some letters swapped for look-alikes (at
    least one swapped, at least one Latin letter kept)."""
    latin = draw(st.text(st.sampled_from(sorted(LOOK_ALIKES)), min_size=2, max_size=15))
    keep = draw(st.integers(0, len(latin) - 1))
    swaps = draw(st.lists(st.booleans(), min_size=len(latin), max_size=len(latin)))
    swaps[keep] = False
    if not any(swaps):
        swaps[(keep + 1) % len(latin)] = True
    mixed = "".join(
        draw(st.sampled_from(LOOK_ALIKES[c])) if swap else c
        for c, swap in zip(latin, swaps, strict=True)
    )
    return latin, mixed


@given(mixed_words())
def test_a_mixed_word_folds_to_its_latin_skeleton(pair: tuple[str, str]) -> None:
    latin, mixed = pair
    assert fold(mixed) == latin.casefold()
    assert fold(mixed, strip_accents=True) == latin.casefold()
    assert terms(f"{mixed} и {mixed}", stopwords=()) == [latin.casefold(), "и", latin.casefold()]


@given(st.text(max_size=40))
def test_fold_is_stable(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert fold(fold(text, strip_accents=True), strip_accents=True) == fold(
        text, strip_accents=True
    )
