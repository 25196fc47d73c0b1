"""Planted near-duplicates of real reviews: how many are grouped with their source?

Reads a CSV corpus of real customer text (the path on the command line, one text per
row in ``--column``), plants ``--plant`` near-duplicates of randomly chosen reviews
(at least ``--min-terms`` terms long), one edit each, in turn:

- one character (a language written without spaces: a character of its script) or one
  word (a language written with spaces) replaced by one drawn from the corpus;
- one punctuation mark dropped (a review without any gets a character or word changed);
- a few words appended (without spaces: 2-6 characters, with spaces: 2-4 words, taken
  from another review).

``--lang`` says which: ``zh`` (Han), ``ja`` (Han and kana) and ``th`` (Thai) are written
without spaces, ``en`` (Latin letters), ``vi`` (letters with their diacritics) and ``ko``
(Hangul words) with spaces.

The planted texts go after the corpus, in a random order, and everything is grouped
with :func:`faultkit.feedback.group_texts` (defaults unless given). Printed: the share
of planted texts in the same group as their source (the target is at least 95%), the
share of all items in the largest group (at most 1% on a Chinese corpus of ~12k, 2% on
an English one of ~3k) and the grouping time. With ``--segmenter jieba`` the Chinese
text is cut into words by jieba (if installed) instead of character bigrams, for
comparison.

Corpora are not shipped (keep them out of the repository); for example the waimai_10k
and ChnSentiCorp hotel reviews of ChineseNlpCorpus, or an Amazon product review export:

    python benchmarks/bench_neardup.py waimai_10k.csv --column review --lang zh
    python benchmarks/bench_neardup.py amazon.csv --column reviews --lang en --limit 3000
        [--plant 200] [--seed 0] [--threshold 0.5] [--check-recall 0.95]
        [--check-largest 0.01]
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import time
import unicodedata
from collections.abc import Iterable, Sequence

from faultkit.feedback import group_texts, terms

# Per language: the characters changed and appended in a script written without spaces
# (a Thai vowel sign or tone mark is never picked alone: it belongs to its consonant), or
# the words of a script written with spaces.
_CHARS = {
    "zh": re.compile(r"[\u4e00-\u9fff]"),
    "ja": re.compile(r"[\u3041-\u30ff\u4e00-\u9fff]"),
    "th": re.compile(r"[\u0e01-\u0e30\u0e40-\u0e46]"),
}
_WORDS = {
    "en": re.compile(r"[A-Za-z]+"),
    "ko": re.compile(r"[\uac00-\ud7a3]+"),
    "vi": re.compile(r"[^\W\d_]+"),
}


def read_texts(path: str, column: str, limit: int | None) -> list[str]:
    """The non-empty texts of ``column`` (the first ``limit`` of them)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        texts = [row[column].strip() for row in csv.DictReader(handle) if row.get(column)]
    texts = [t for t in texts if t]
    return texts[:limit] if limit else texts


def _punctuation(text: str) -> list[int]:
    return [i for i, c in enumerate(text) if unicodedata.category(c).startswith("P")]


def plant(
    texts: Sequence[str], lang: str, count: int, min_terms: int, rng: random.Random
) -> list[tuple[int, str, str]]:
    """``count`` (source index, edit, near-duplicate) triples."""
    unspaced = lang in _CHARS
    pattern = _CHARS[lang] if unspaced else _WORDS[lang]
    eligible = [i for i, t in enumerate(texts) if len(terms(t)) >= min_terms and pattern.search(t)]
    pieces = [c for t in texts[:2000] for c in pattern.findall(t)]
    out = []
    for k, source in enumerate(rng.sample(eligible, min(count, len(eligible)))):
        text = texts[source]
        edit = ("change", "drop punctuation", "append")[k % 3]
        marks = _punctuation(text)
        if edit == "drop punctuation" and marks:
            at = rng.choice(marks)
            planted = text[:at] + text[at + 1 :]
        elif edit == "append":
            other = texts[rng.randrange(len(texts))]
            if unspaced:
                piece = "".join(pattern.findall(other))
                size = rng.randint(2, 6)
                start = rng.randrange(max(1, len(piece) - size))
                planted = text + piece[start : start + size]
            else:
                extra = pattern.findall(other) or ["again" if lang == "en" else pieces[0]]
                size = rng.randint(2, 4)
                start = rng.randrange(max(1, len(extra) - size))
                planted = text + " " + " ".join(extra[start : start + size])
        else:
            edit = "change"
            places = list(pattern.finditer(text))
            m = rng.choice(places)
            planted = text[: m.start()] + rng.choice(pieces) + text[m.end() :]
        out.append((source, edit, planted))
    return out


def use_jieba() -> None:
    """Make grouping take jieba's words (stop words left out) as the tokens of Chinese
    text, instead of character bigrams (jieba must be installed; measured only)."""
    import jieba  # type: ignore[import-not-found]  # measured only, not a dependency

    from faultkit.feedback import DEFAULT_STOPWORDS, grouping, normalise_text

    jieba.setLogLevel(60)

    def jieba_tokens(
        text: str, *, stopwords: Iterable[str] = DEFAULT_STOPWORDS, shingle_size: int = 1
    ) -> frozenset[str]:
        stop = frozenset(stopwords)
        words = jieba.lcut(normalise_text(text, entities=False))
        return frozenset(w for w in words if w.strip() and w not in stop)

    grouping.tokens = jieba_tokens  # type: ignore[assignment]


def run(args: argparse.Namespace) -> tuple[float, float]:
    rng = random.Random(args.seed)
    corpus = read_texts(args.corpus, args.column, args.limit)
    planted = plant(corpus, args.lang, args.plant, args.min_terms, rng)
    order = list(range(len(planted)))
    rng.shuffle(order)
    texts = corpus + [planted[k][2] for k in order]
    if args.segmenter == "jieba":
        use_jieba()
    start = time.perf_counter()
    groups = group_texts(texts, threshold=args.threshold, seed=args.seed)
    seconds = time.perf_counter() - start
    where = {i: g for g, members in enumerate(groups) for i in members}
    hits: dict[str, list[int]] = {}
    for position, k in enumerate(order):
        source, edit, _ = planted[k]
        together = where[source] == where[len(corpus) + position]
        hits.setdefault(edit, []).append(int(together))
    found = sum(sum(v) for v in hits.values())
    recall = found / len(planted)
    largest = max(len(g) for g in groups)
    share = largest / len(texts)
    detail = ", ".join(f"{edit} {sum(v)}/{len(v)}" for edit, v in sorted(hits.items()))
    print(
        f"{args.corpus} ({args.lang}, {len(corpus):,} texts + {len(planted)} planted, "
        f"threshold {args.threshold}): grouped with their source {found}/{len(planted)} "
        f"= {recall:.1%} ({detail}); largest group {largest} items = {share:.2%}; "
        f"{len(groups):,} groups, {sum(len(g) > 1 for g in groups):,} of 2+; {seconds:.2f}s"
    )
    if args.show_largest:
        biggest = max(groups, key=len)
        for i in biggest[: args.show_largest]:
            print("   ", texts[i][:100])
    return recall, share


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="CSV file of real texts (not shipped)")
    parser.add_argument("--column", default="review")
    parser.add_argument("--lang", choices=(*_CHARS, *_WORDS), default="zh")
    parser.add_argument("--limit", type=int, default=None, help="first N texts only")
    parser.add_argument("--plant", type=int, default=200)
    parser.add_argument("--min-terms", type=int, default=6)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--segmenter", choices=("bigrams", "jieba"), default="bigrams")
    parser.add_argument("--show-largest", type=int, default=0, help="print N of its texts")
    parser.add_argument("--check-recall", type=float, default=None, help="fail below this")
    parser.add_argument("--check-largest", type=float, default=None, help="fail above this")
    args = parser.parse_args(argv)
    recall, share = run(args)
    failed = False
    if args.check_recall is not None and recall < args.check_recall:
        print(f"FAIL: {recall:.1%} grouped, below {args.check_recall:.0%}", file=sys.stderr)
        failed = True
    if args.check_largest is not None and share > args.check_largest:
        print(f"FAIL: largest group {share:.2%}, above {args.check_largest:.0%}", file=sys.stderr)
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
