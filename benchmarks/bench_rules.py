"""Classification rules on hostile text: time on 20 kB vs 2 kB (linear is ~10x).

For each hostile shape of text (negators repeated, one long white-space run, one long
token, Chinese without punctuation, prefixes of phrase keywords, empty lines before a
question word, ...), classifies one item of ``--small`` characters and one of
``--large`` characters with the DEFAULT rules, and with a user rule whose pattern makes
Python's backtracking ``re`` explode (``(a+)+$``, ``(\\w+\\s?)+$``). Prints the ratio of
each shape and the worst; ``--check`` fails above it (the target is 25x for 10x the
text). Also prints ``re`` against RE2 on ``(a+)+$`` over ``--re-chars`` characters, the
case issue 18 measured at 31.9 s on 29 characters.

Example::

    python benchmarks/bench_rules.py --small 2000 --large 20000 --repeat 3 --check 25
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from datetime import UTC, datetime

from _harness import best_times

from faultkit.feedback import Feedback, FeedbackType, Rule, RuleClassifier
from faultkit.feedback.matching import compile_pattern
from faultkit.feedback.rules import DEFAULT_RULES
from faultkit.models import IntakeChannel

AT = datetime(2024, 1, 1, tzinfo=UTC)

SHAPES: dict[str, Callable[[int], str]] = {
    "negators": lambda n: ("not " * n)[:n] + "broken",
    "chinese negators": lambda n: ("没有不" * n)[:n] + "问题",
    "white space run": lambda n: "not" + " " * n + "x",
    "one long token": lambda n: "a" * n,
    "chinese run": lambda n: ("送餐很快味道不错" * n)[:n],
    "phrase prefixes": lambda n: ("data lost all " * n)[:n],
    "empty lines": lambda n: "how" + "\n" * n,
    "question without mark": lambda n: "how " + "x " * (n // 2),
    "apostrophes": lambda n: ("don't " * n)[:n],
    "review text": lambda n: (
        ("Love my Fire TV but the remote is a bit slow. 送餐很快，没有问题，很好吃。") * n
    )[:n],
}


def classifier_with_user_patterns() -> RuleClassifier:
    user = (
        Rule(name="user-nested", pattern="(a+)+$", type=FeedbackType.DEFECT),
        Rule(name="user-words", pattern=r"(\w+\s?)+$", type=FeedbackType.DEFECT),
    )
    return RuleClassifier((*user, *DEFAULT_RULES))


def main(argv: list[str] | None = None) -> int:
    """Print the ratios; exit 1 when ``--check`` is given and the worst is above it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=2_000)
    parser.add_argument("--large", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--re-chars", type=int, default=22)
    parser.add_argument("--check", type=float, default=None)
    args = parser.parse_args(argv)

    classifier = classifier_with_user_patterns()

    def run(text: str) -> Callable[[], object]:
        item = Feedback(id="x", channel=IntakeChannel.STAFF, received_at=AT, text=text)
        return lambda: classifier.classify(item)

    worst = 0.0
    for name, shape in SHAPES.items():
        small, large = best_times([run(shape(args.small)), run(shape(args.large))], args.repeat)
        ratio = large / max(small, 1e-9)
        worst = max(worst, ratio)
        print(f"{name:24} {small * 1e3:8.2f} ms {large * 1e3:8.2f} ms  {ratio:5.1f}x")
    print(f"worst ratio {args.large} vs {args.small} characters: {worst:.1f}x")

    text = "a" * args.re_chars + "!"
    backtracking = re.compile("(a+)+$")
    linear = compile_pattern("(a+)+$")
    slow, fast = best_times([lambda: backtracking.search(text), lambda: linear.search(text)], 1)
    print(
        f"(a+)+$ on {len(text)} characters: re {slow * 1e3:.1f} ms, RE2 {fast * 1e3:.3f} ms"
        f" ({slow / max(fast, 1e-9):.0f}x)"
    )
    if args.check is not None and worst > args.check:
        print(f"FAIL: worst ratio {worst:.1f}x is above {args.check}x", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
