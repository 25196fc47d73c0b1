"""Text in any script, reduced for grouping and classification.

One normalisation serves every text function of the feedback package:

1. **Unicode NFKC** (full-width letters and digits become ASCII ones, compatibility
   characters their plain form), then **case folding** (``str.casefold``: ``Straße``
   and ``STRASSE`` compare equal), then accents removed from Latin and Greek letters
   (``café`` is ``cafe``; Cyrillic ``й``, Japanese voiced marks and Indic vowel signs
   stay: there they make another letter).
2. **Entities** are recognised as such, not read as words: web addresses (``<url>``),
   e-mail addresses (``<email>``), ``@handles`` (``<handle>``), numbers, dates, times
   and phone numbers (``<number>``) become typed placeholders; ``#tags`` (Twitter
   ``#word`` and Weibo ``#话题#``) stay as one token that starts with ``#``. A number
   glued to letters of a spaced script is a word (``20mm``, ``iphone12``, Korean
   ``20년이상``); before a character of an unspaced script it is a number (``40分钟``).
3. **Words**: runs of letters and digits of the scripts written with spaces (Latin,
   Cyrillic, Greek, Arabic, Hebrew, Hangul, Indic scripts with their vowel signs);
   an apostrophe separates words (``don't`` is ``don t``, ``l'ouverture`` is
   ``l ouverture``): a pattern for words with apostrophes inside nests one repeat in
   another, which ``re`` runs in more than linear time on a long ``a'a'a'...``.
4. **Runs of a script written without spaces** (Han, Hiragana, Katakana, Thai, Lao,
   Khmer, Myanmar) are kept whole by :func:`normalise_text`; :func:`terms` cuts the stop
   words out of them (longest first) and splits each piece into character bigrams
   (a single character stays a unigram): ``屏幕坏了`` gives ``屏幕``, ``幕坏`` and, the
   stop word ``了`` cut, nothing more. Bigrams are the standard unsegmented indexing of
   CJK text (Kwok, K. L. (1997), "Comparing representations in Chinese information
   retrieval", SIGIR; Lucene's ``CJKAnalyzer``); they need no dictionary and one changed
   character changes at most two of them.

Every step runs in time linear in the length of the text: the patterns below are
written so that a match can only start at the first character of a run, and no
quantified part can match the same text two ways (see ``benchmarks/bench_text.py``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.feedback.confusables import CONFUSABLES
from faultkit.feedback.stopwords import DEFAULT_STOPWORDS

__all__ = [
    "EMAIL_PATTERN",
    "PLACEHOLDERS",
    "UNSPACED",
    "URL_PATTERN",
    "fold",
    "normalise_text",
    "shingles",
    "terms",
    "tokens",
]

UNSPACED = (
    "\u0e00-\u0eff"  # Thai, Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\u3005-\u3007"  # iteration mark, closing mark, ideographic zero
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u31f0-\u31ff"  # Katakana phonetic extensions
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\U00020000-\U0003134f"  # CJK extensions B-G
)
"""The scripts written without spaces between words, as the body of a regex character
class: Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar (after NFKC, so half-width
katakana is gone). The one table of them: grouping cuts their runs into bigrams, rules
match keywords inside their running text."""
# Vowel signs and other marks of spaced scripts that are not word characters to ``re``.
_MARKS = "\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u0900-\u0963\u0966-\u0dff"
_LETTER_OR_DIGIT = rf"[^\W_{UNSPACED}]"  # a word character of a spaced script
_LETTER = rf"[^\W\d_{UNSPACED}]"
# Runs, not single characters, repeated: one iteration per run keeps ``re`` linear (a
# repeated alternation of single characters grew 32x from 20 to 200 kB of one letter).
_WORD_RUN = rf"(?:{_LETTER_OR_DIGIT}+|[{_MARKS}]+)+"
# Each ASCII class with its full-width forms (U+FF01-U+FF5E), as typed with a Chinese or
# Japanese input method (U+FF20 for @, U+FF0E for the dot): an address too.
_ALNUM = "A-Za-z0-9\uff21-\uff3a\uff41-\uff5a\uff10-\uff19"
# Letters beyond ASCII that a local part may hold (RFC 6531): Latin (not the signs
# U+00D7, U+00F7), combining accents, Greek, Cyrillic, Hangul syllables.
_LOCAL_LETTERS = (
    "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0300-\u036f\u0370-\u03ff\u0400-\u052f"
    "\u1e00-\u1fff\uac00-\ud7a3"
)
_LOCAL = f"[{_ALNUM}._%+\\-\uff0e\uff3f\uff05\uff0b\uff0d{_LOCAL_LETTERS}]"
_LABEL = f"[{_ALNUM}\\-\uff0d]"
_DOT = "[.\uff0e]"
_TLD = "[A-Za-z\uff21-\uff3a\uff41-\uff5a]"

EMAIL_PATTERN = (
    rf"(?:(?<!\w)[{UNSPACED}]{{1,4}}|(?<!{_LOCAL}){_LOCAL}+)"
    rf"[@\uff20]{_LABEL}+(?:{_DOT}{_LABEL}+)*{_DOT}{_TLD}{{2,63}}(?!{_LABEL})"
)
"""An e-mail address, found inside any text (Chinese around it too).

The domain is letter-and-digit labels and a top-level domain of letters. The local
part (RFC 6531 allows it in any script) is, just before the ``@``, either

- the run of letters, digits and ``._%+-`` of scripts written with spaces: ASCII,
  Latin letters with accents (``josé``, the accent precomposed or combining), Greek,
  Cyrillic, Hangul; a character of Chinese or Japanese ends it, so Chinese text
  before it is not swallowed (``我的邮箱是abc@qq.com`` gives ``abc@qq.com``); or
- one to four characters of a script written without spaces (a Chinese name:
  ``张三@example.com``), only where they are set off on their left by the start of
  the text, white space or punctuation (``联系人：张三@example.com``). Where such a
  name runs on from the text before it (``请发邮件给张三@example.com``), where it
  starts cannot be told, and the address is not found rather than the text
  swallowed; where a name is followed by a run of the first kind (``张三2024@...``),
  the address found is that run.

Each ASCII character may also be in its full-width form (U+FF01-U+FF5E, as a Chinese or
Japanese input method types them). An ``@`` with no domain after it (``请联系我@客服``)
is no address. A match starts only where no local-part character (nor, for a Chinese
name, any letter) precedes it, and a Chinese name is at most four characters, so the
pattern runs in linear time on any input.
"""

URL_PATTERN = r"(?:https?://|www\.)[^\s<>\"'\x80-\U0010ffff]*[^\s<>\"'.,;:!?)\]\x80-\U0010ffff]"
"""A web address, found inside any text: ``http://``, ``https://`` or ``www.`` and the
ASCII characters after it up to a space, a quote, an angle bracket or a character
outside ASCII (Chinese or Thai text right after it is not swallowed), less trailing
punctuation (``.,;:!?)]``). A match starts only at its prefix, so the pattern runs in
linear time on any input."""

_ENTITY_PATTERN = (
    rf"(?P<url>{URL_PATTERN})"
    rf"|(?P<email>{EMAIL_PATTERN})"
    rf"|(?P<handle>(?<![A-Za-z0-9._%+@-])@[A-Za-z0-9_]+)"
    r"|(?P<tag>#[^#\s]{1,40}#|(?<![\w#&])#[A-Za-z0-9_]*[A-Za-z][A-Za-z0-9_]*)"
    # Atomic: a number followed by a letter is a word ("20mm", "20년이상"), never a shorter
    # number and the rest ("2" and "0mm") found by backtracking.
    rf"|(?P<number>(?<!{_LETTER_OR_DIGIT})(?>[+]?\d+(?:[.,:/-]\d+)*%?)(?!{_LETTER}))"
)
_TOKEN = re.compile(_ENTITY_PATTERN + rf"|(?P<unspaced>[{UNSPACED}]+)" + rf"|(?P<word>{_WORD_RUN})")
_LATIN_ACCENTED = re.compile("[\u00c0-\u03ff\u1e00-\u1eff]")

PLACEHOLDERS: dict[str, str] = {
    "url": "<url>",
    "email": "<email>",
    "handle": "<handle>",
    "number": "<number>",
}
"""The typed placeholder each kind of entity becomes (``#tags`` stay as they are)."""


_APOSTROPHES = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\uff07": "'",
        # Invisible characters that only split a word: zero-width space, word joiner,
        # the invisible operators (function application, times, separator, plus), byte
        # order mark, soft hyphen. (Zero-width joiner and non-joiner stay: they shape
        # Persian and Indic words and emoji sequences.)
        **dict.fromkeys(("\u200b", "\u2060", "\u2061", "\u2062", "\u2063", "\u2064"), None),
        **dict.fromkeys(("\ufeff", "\u00ad"), None),
    }
)


_TO_LATIN = str.maketrans(CONFUSABLES)
_CONFUSABLE = re.compile("[" + "".join(CONFUSABLES) + "]")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")
_ANY_WORD = re.compile(r"[^\W_]+")


def _unconfuse(match: re.Match[str]) -> str:
    """A word with its Cyrillic and Greek look-alikes made Latin, if it has a Latin letter."""
    word = match.group()
    if _LATIN_LETTER.search(word) is None or _CONFUSABLE.search(word) is None:
        return word
    return word.translate(_TO_LATIN)


def _latin_skeleton(text: str) -> str:
    """``text`` with the look-alikes of each mixed-script word made Latin."""
    if _CONFUSABLE.search(text) is None or _LATIN_LETTER.search(text) is None:
        return text
    return _ANY_WORD.sub(_unconfuse, text)


def fold(text: str, *, strip_accents: bool = False) -> str:
    """``text`` as faultkit compares it: the one fold of rules, sentiment and grouping.

    Unicode NFKC (full-width letters and digits become ASCII ones), typographic
    apostrophes (U+2018, U+2019, U+02BC) made ``'``, the invisible characters that
    only split a word removed (zero-width space U+200B, word joiner U+2060, the
    invisible operators U+2061-U+2064, byte order mark U+FEFF, soft hyphen U+00AD:
    ``cr\u200bash`` is ``crash``), then case folding
    (``str.casefold``); with ``strip_accents=True`` also the accents off Latin and
    Greek letters (``café`` is ``cafe``; Cyrillic ``й``, Japanese voiced marks and
    Indic vowel signs stay: there they make another letter). Rules keep accents (a
    keyword ``café`` is not ``cafe``); grouping strips them.

    Before case folding, a word (a run of letters and digits) that mixes Latin letters
    with Cyrillic or Greek look-alikes has those made Latin
    (:data:`faultkit.feedback.confusables.CONFUSABLES`, from Unicode TS #39): ``\u0441rash``
    with a Cyrillic es is ``crash``, ``br\u043eken`` with a Cyrillic o is ``broken``,
    so a keyword is not dodged that way. A word with no Latin letter is left as it is:
    Russian and Greek text keep their letters. Linear in the text (each word is read a
    bounded number of times).

    Examples:
        >>> fold("\uff26\uff49\uff52\uff45 TV doesn\u2019t START")  # full-width "Fire"
        "fire tv doesn't start"
        >>> fold("Le CAFÉ", strip_accents=True), fold("Le CAFÉ")
        ('le cafe', 'le café')
        >>> fold("App \u0441rashes, \u043f\u0440\u0438\u043b\u043e\u0436\u0435\u043d\u0438\u0435")
        'app crashes, приложение'
    """
    if type(text) is not str:
        raise InvalidInputError("text", text, f"expected a string, not {type(text).__name__}")
    if text.isascii():
        return text.lower()
    # Look-alikes are made Latin before case folding (Cyrillic capital ve is B, its small
    # letter no b) and after (a small letter that case folding or taking accents off made).
    plain = _latin_skeleton(unicodedata.normalize("NFKC", text).translate(_APOSTROPHES))
    folded = plain.casefold()
    if not strip_accents or _LATIN_ACCENTED.search(folded) is None:
        return _latin_skeleton(folded)
    out: list[str] = []
    base_is_latin = False
    for char in unicodedata.normalize("NFD", folded):
        if unicodedata.combining(char):
            if base_is_latin:
                continue
        else:
            code = ord(char)
            base_is_latin = code < 0x0400 or 0x1E00 <= code <= 0x1EFF  # Latin, Greek
        out.append(char)
    return _latin_skeleton(unicodedata.normalize("NFC", "".join(out)))


def _check_text(text: object) -> str:
    if type(text) is not str:
        raise InvalidInputError("text", text, "expected a string")
    return text


def normalise_text(text: str, *, entities: bool = True) -> str:
    """``text`` reduced for comparison: folded, entities typed, words and runs by spaces.

    The steps are those of the module documentation: NFKC, case folding, accents off
    Latin letters, entities as placeholders (or left out with ``entities=False``), then
    the words and the runs of unspaced scripts, separated by single spaces; punctuation
    and symbols are gone.

    Examples:
        >>> normalise_text("  Le café   CRASHES!!  ")
        'le cafe crashes'
        >>> normalise_text("@AmazonHelp order #123 https://t.co/xY ann@example.com 屏幕坏了！")
        '<handle> order <number> <url> <email> 屏幕坏了'
        >>> normalise_text("送餐慢了40分钟 #外卖#", entities=False)
        '送餐慢了 分钟 #外卖#'
    """
    folded = fold(_check_text(text), strip_accents=True)
    out: list[str] = []
    for match in _TOKEN.finditer(folded):
        kind = match.lastgroup
        if kind in PLACEHOLDERS:
            if entities:
                out.append(PLACEHOLDERS[kind])
        else:
            out.append(match.group())
    return " ".join(out)


def shingles(run: str, size: int = 2) -> list[str]:
    """The character ``size``-grams of ``run``, in order; a shorter run is one shingle.

    Example:
        >>> shingles("屏幕坏了")
        ['屏幕', '幕坏', '坏了']
    """
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise InvalidInputError("size", size, "expected a positive integer")
    if type(run) is not str:
        raise InvalidInputError("run", run, f"expected a string, not {type(run).__name__}")
    if len(run) <= size:
        return [run] if run else []
    return [run[i : i + size] for i in range(len(run) - size + 1)]


class _Stops:
    """A stop-word set split for lookup: whole words, and pieces cut out of runs."""

    __slots__ = ("longest", "run_words", "words")

    def __init__(self, words: frozenset[str]) -> None:
        self.words = words
        self.run_words = frozenset(w for w in words if UNSPACED_RUN.fullmatch(w))
        self.longest = max(map(len, self.run_words), default=0)


UNSPACED_RUN = re.compile(f"[{UNSPACED}]+")


@functools.lru_cache(maxsize=16)
def _stops(words: frozenset[str]) -> _Stops:
    return _Stops(words)


def _stop_set(stopwords: Iterable[str]) -> _Stops:
    if isinstance(stopwords, frozenset):
        words = stopwords
    else:
        words = frozenset(v.items_of("stopwords", stopwords))
    if not all(type(word) is str for word in words):
        bad = next(word for word in words if type(word) is not str)
        raise InvalidInputError("stopwords", bad, "expected strings")
    return _stops(words)


def _run_terms(run: str, stops: _Stops, size: int) -> list[str]:
    """Bigrams of the pieces of ``run`` left between its stop words (longest first)."""
    if not stops.longest:
        return shingles(run, size)
    out: list[str] = []
    start = i = 0
    n = len(run)
    while i < n:
        for length in range(min(stops.longest, n - i), 0, -1):
            if run[i : i + length] in stops.run_words:
                out.extend(shingles(run[start:i], size))
                i += length
                start = i
                break
        else:
            i += 1
    out.extend(shingles(run[start:], size))
    return out


def terms(
    text: str,
    *,
    stopwords: Iterable[str] = DEFAULT_STOPWORDS,
    entities: bool = False,
    ngram: int = 2,
) -> list[str]:
    """The terms of ``text`` in order: words, character n-grams of unspaced runs, tags.

    Words in ``stopwords`` are left out; runs of unspaced scripts lose their stop words
    (longest first) and the pieces left become character ``ngram``-grams. Entities
    become their placeholder with ``entities=True`` and are left out otherwise.

    Example:
        >>> terms("The app crashes; 我的手机屏幕坏了 @help")
        ['app', 'crashes', '手机', '机屏', '屏幕', '幕坏']
    """
    if isinstance(ngram, bool) or not isinstance(ngram, int) or ngram < 1:
        raise InvalidInputError("ngram", ngram, "expected a positive integer")
    stops = _stop_set(stopwords)
    out: list[str] = []
    for match in _TOKEN.finditer(fold(_check_text(text), strip_accents=True)):
        kind = match.lastgroup
        if kind == "unspaced":
            out.extend(_run_terms(match.group(), stops, ngram))
        elif kind in PLACEHOLDERS:
            if entities:
                out.append(PLACEHOLDERS[kind])
        else:
            word = match.group()
            if word not in stops.words:
                out.append(word)
    return out


def tokens(
    text: str, *, stopwords: Iterable[str] = DEFAULT_STOPWORDS, shingle_size: int = 1
) -> frozenset[str]:
    """The token set of ``text``: its :func:`terms`, or runs of ``shingle_size`` terms.

    Args:
        text: any text.
        stopwords: words to leave out (compared after normalisation).
        shingle_size: 1 for single terms, ``k`` for runs of ``k`` consecutive terms
            (a text with fewer terms gives one shingle of all of them).

    Examples:
        >>> sorted(tokens("The printer is jammed again"))
        ['again', 'jammed', 'printer']
        >>> sorted(tokens("外卖送得太慢了"))
        ['卖送', '外卖', '太慢', '得太', '送得']
    """
    if isinstance(shingle_size, bool) or not isinstance(shingle_size, int) or shingle_size < 1:
        raise InvalidInputError("shingle_size", shingle_size, "expected a positive integer")
    words = terms(text, stopwords=stopwords)
    if shingle_size <= 1:
        return frozenset(words)
    if len(words) <= shingle_size:
        return frozenset([" ".join(words)]) if words else frozenset()
    return frozenset(
        " ".join(words[i : i + shingle_size]) for i in range(len(words) - shingle_size + 1)
    )
