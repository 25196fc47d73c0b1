"""How the default classification rules do on a labelled corpus of real reviews.

Reads a CSV of reviews with a sentiment label or a star rating, classifies every review
with the DEFAULT rules (``RuleClassifier()``) and prints, for the negative and the
positive reviews apart:

- the share classified as a problem: defect, complaint, performance or usability;
- the share at SEV1 (safety or data loss);
- the count per type, and (with ``--show N``) N examples of the misses.

The corpora are public but not shipped with faultkit; give the path of one you have:

- ``--format waimai``: waimai_10k.csv (``label,review``; 1 positive, 0 negative);
  ChnSentiCorp_htl_all.csv has the same shape.
- ``--format shopping``: online_shopping_10_cats.csv (``cat,label,review``).
- ``--format stars``: any CSV with a text column and a 1-5 star column (``--text``,
  ``--stars``; 1-2 stars negative, 4-5 positive, 3 left out), such as Datafiniti's
  Amazon reviews (``reviews.text``, ``reviews.rating``), a Flipkart export
  (``review``, ``rating``) or the JD.com phone reviews of the repository
  YuleZhang/NLP_Analysis_JDcomment (``data/tmp_test_data.csv``: ``评论内容``, ``得分``;
  five stars only).
- ``--format airline``: the Twitter US Airline Sentiment tweets (CrowdFlower, ``Tweets.csv``:
  ``airline_sentiment`` negative / positive, neutral left out; ``text``).
- ``--format support``: unlabelled customer-support messages, one per row of column
  ``--text`` (the first tweets of the "Customer Support on Twitter" conversations, for
  example); the table row gives the share of every message typed ``other`` and the
  share typed as a problem, and ``--show N`` prints N of them (seeded) to check by hand;
  every message at SEV1 is printed. Also for reviews in a language the rules do not
  cover (``--text review``): they should be ``other``, and none SEV1.

The last line printed is the row of the figures table in ``docs/feedback.md``.

``--half tune`` / ``--half report`` keep the even / odd rows, so rules tuned on one
half are judged on the other (``all`` by default).

Example::

    python benchmarks/classify_corpus.py waimai_10k.csv --format waimai --half report
    python benchmarks/classify_corpus.py 1429_1.csv --format stars \\
        --text reviews.text --stars reviews.rating --half report
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from faultkit.feedback import Feedback, FeedbackType, RuleClassifier
from faultkit.feedback.rules import DEFAULT_RULES
from faultkit.models import IntakeChannel, Severity

PROBLEM = {
    FeedbackType.DEFECT,
    FeedbackType.COMPLAINT,
    FeedbackType.PERFORMANCE,
    FeedbackType.USABILITY,
}
AT = datetime(2024, 1, 1, tzinfo=UTC)
# The ASAPP export of the support tweets wraps each in "<cust__ __company__ ... __cust>".
SUPPORT_WRAPPER = re.compile(r"<cust__|__cust>|__company__|__cust__|__email__|__url__")


def read(path: Path, fmt: str, text_col: str, stars_col: str) -> list[tuple[str, str]]:
    """(sentiment, text) pairs: sentiment is "negative" or "positive"."""
    rows: list[tuple[str, str]] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if fmt in {"waimai", "shopping"}:
                label, text = row.get("label", ""), row.get("review") or ""
                sentiment = {"0": "negative", "1": "positive"}.get(label.strip())
            elif fmt == "airline":
                text = row.get("text") or ""
                sentiment = (row.get("airline_sentiment") or "").strip()
                sentiment = sentiment if sentiment in {"negative", "positive"} else None
            elif fmt == "support":
                text = SUPPORT_WRAPPER.sub(" ", row.get(text_col) or "").strip()
                sentiment = "support"
            else:
                text = row.get(text_col) or ""
                stars = (row.get(stars_col) or "").strip()
                sentiment = (
                    "negative"
                    if stars in {"1", "2", "1.0", "2.0"}
                    else "positive"
                    if stars in {"4", "5", "4.0", "5.0"}
                    else None
                )
            # Flipkart's scrape glues "READ MORE" (a button) to the last word: not the text.
            text = text.removesuffix("READ MORE")
            rows.append((sentiment or "", text))
    return rows


def coverage(rows: list[tuple[str, str]], keep: tuple[int, ...]) -> None:
    """Print how many occurrences of the default Chinese keywords are found."""
    # Imported here: the rest of the script also runs on older faultkit code (the
    # "before" figures), which had no text.fold.
    from faultkit.feedback.matching import KeywordMatcher
    from faultkit.feedback.text import fold

    keywords = sorted(
        {k for r in DEFAULT_RULES for k in r.keywords if "\u4e00" <= k[0] <= "\u9fff"}
    )
    matchers = {k: KeywordMatcher([k]) for k in keywords}
    old = {k: re.compile(rf"(?<!\w){re.escape(k)}(?!\w)") for k in keywords}
    pairs = found = found_old = 0
    for index, (_sentiment, text) in enumerate(rows):
        if index % 2 not in keep:
            continue
        folded = fold(text)
        for k in keywords:
            if k in folded:
                pairs += 1
                found += matchers[k].search(folded)
                found_old += old[k].search(folded) is not None
    print(
        f"  Chinese keywords: {pairs} (review, keyword) pairs where it occurs; found "
        f"{found} ({100 * found / (pairs or 1):.1f}%), old whole-word pattern {found_old}"
    )


def main(argv: list[str] | None = None) -> int:
    """Classify the corpus and print the shares; exit 1 when a --check fails."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument(
        "--format", choices=["waimai", "shopping", "stars", "airline", "support"], required=True
    )
    parser.add_argument("--name", help="the corpus's name in the table row (the file's name)")
    parser.add_argument("--text", default="reviews.text", help="text column (stars format)")
    parser.add_argument("--stars", default="reviews.rating", help="stars column (stars format)")
    parser.add_argument("--half", choices=["all", "tune", "report"], default="all")
    parser.add_argument("--show", type=int, default=0, help="examples of misses to print")
    parser.add_argument(
        "--coverage",
        action="store_true",
        help="also count the (review, Chinese keyword) pairs where the keyword occurs, and "
        "how many a keyword matcher finds, against the old whole-word (\\b) pattern",
    )
    parser.add_argument("--check-negative", type=float, help="fail below this negative share")
    parser.add_argument("--check-positive", type=float, help="fail above this positive share")
    parser.add_argument("--check-sev1", type=float, help="fail above this positive SEV1 share")
    args = parser.parse_args(argv)

    rows = read(args.corpus, args.format, args.text, args.stars)
    keep = {"all": (0, 1), "tune": (0,), "report": (1,)}[args.half]
    classifier = RuleClassifier()
    sample = set(random.Random(0).sample(range(len(rows)), min(args.show, len(rows))))
    totals: Counter[str] = Counter()
    problems: Counter[str] = Counter()
    sev1: Counter[str] = Counter()
    types: dict[str, Counter[str]] = {
        "negative": Counter(),
        "positive": Counter(),
        "support": Counter(),
    }
    misses: dict[str, list[str]] = {"negative": [], "positive": [], "support": []}
    sev1_texts: list[str] = []
    skipped = 0
    for index, (sentiment, text) in enumerate(rows):
        if index % 2 not in keep:
            continue
        if not sentiment or not text.strip():
            skipped += 1
            continue
        item = Feedback(
            id=str(index), channel=IntakeChannel.STAFF, received_at=AT, text=text.strip()
        )
        result = classifier.classify(item)
        totals[sentiment] += 1
        types[sentiment][result.type.value] += 1
        is_problem = result.type in PROBLEM
        problems[sentiment] += is_problem
        sev1[sentiment] += result.severity is Severity.SEV1
        wrong = sentiment == "support" or (
            (sentiment == "negative") != is_problem
            or (sentiment == "positive" and result.severity is Severity.SEV1)
        )
        if sentiment == "support":
            if index in sample:
                misses[sentiment].append(f"[{result.type.value}/{result.type_rule}] {text[:160]}")
            if result.severity is Severity.SEV1:  # every one is printed, to be read
                sev1_texts.append(f"[{result.severity_rule}] {text[:160]}")
        elif wrong and len(misses[sentiment]) < args.show:
            misses[sentiment].append(f"[{result.type.value}/{result.type_rule}] {text[:160]}")
    print(
        f"{args.corpus.name} ({args.half} half): {sum(totals.values())} reviews, {skipped} left out"
    )
    name = args.name or args.corpus.name
    if args.format == "support":
        n = totals["support"] or 1
        other = 100 * types["support"]["other"] / n
        print(
            f"  messages n={totals['support']:6}  other {other:5.1f}%  problem "
            f"{100 * problems['support'] / n:5.1f}%  SEV1={sev1['support']}  "
            + " ".join(f"{k}={v}" for k, v in types["support"].most_common())
        )
        for line in misses["support"]:
            print(f"    sample: {line}")
        for line in sev1_texts:
            print(f"    SEV1: {line}")
        problem = 100 * problems["support"] / n
        print(f"| {name} | {totals['support']} | {other:.1f}% | {problem:.1f}% |")
        return 0
    shares = {}
    for sentiment in ("negative", "positive"):
        n = totals[sentiment] or 1
        shares[sentiment] = 100 * problems[sentiment] / n
        print(
            f"  {sentiment:8} n={totals[sentiment]:6}  problem {shares[sentiment]:5.1f}%"
            f"  SEV1 {100 * sev1[sentiment] / n:5.2f}%  "
            + " ".join(f"{k}={v}" for k, v in types[sentiment].most_common())
        )
        for line in misses[sentiment]:
            print(f"    miss: {line}")
    if args.coverage:
        coverage(rows, keep)
    sev1_positive = 100 * sev1["positive"] / (totals["positive"] or 1)
    half = {"all": "", "tune": ", tune half", "report": ", half not tuned on"}[args.half]
    print(
        f"| {name}{half} | {shares['negative']:.1f}% (n={totals['negative']}) "
        f"| {shares['positive']:.1f}% (n={totals['positive']}) | {sev1_positive:.2f}% |"
    )
    failed = (
        (args.check_negative is not None and shares["negative"] < args.check_negative)
        or (args.check_positive is not None and shares["positive"] > args.check_positive)
        or (args.check_sev1 is not None and sev1_positive > args.check_sev1)
    )
    if failed:
        print("FAIL: a share is outside the target", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
