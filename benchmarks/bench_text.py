"""Linear time on hostile text: every text function of faultkit, 20 kB vs 2 kB.

For each function that reads free text or a text field (normalisation, terms, tokens,
privacy scrubbing, the intake's e-mail address validator and e-mail normaliser, the
default classification rules, the export date reader), the time on 20 kB of each
hostile shape of :data:`faultkit.testing.hostile.HOSTILE_UNITS` over its time on 2 kB.
Linear time gives about 10x; the target is at most 25x for the worst shape. The worst
shape and its ratio are printed per function (``--all`` prints every shape).

    python benchmarks/bench_text.py [--small 2000] [--large 20000] [--repeat 3]
        [--only NAME] [--all] [--check 25]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime

from faultkit.adapters.exports.dates import DateReader
from faultkit.feedback import (
    EmailFeedback,
    Feedback,
    RuleClassifier,
    normalise_email,
    normalise_text,
    scrub,
    terms,
    tokens,
)
from faultkit.models import IntakeChannel
from faultkit.testing.hostile import HOSTILE_UNITS, growth_ratio

AT = datetime(2024, 5, 1, tzinfo=UTC)
_CLASSIFIER = RuleClassifier()
_DATES = DateReader()


def _email_field(text: str) -> object:
    return EmailFeedback(id="m", received_at=AT, text="x", from_address=text)


def _email_payload(text: str) -> object:
    return normalise_email({"id": "m", "from": text, "date": "2024-05-01T10:00:00Z", "body": "x"})


def _classify(text: str) -> object:
    return _CLASSIFIER.classify(
        Feedback(id="f", channel=IntakeChannel.STAFF, received_at=AT, text=text)
    )


FUNCTIONS: dict[str, Callable[[str], object]] = {
    "normalise_text": normalise_text,
    "terms": terms,
    "tokens": tokens,
    "scrub": scrub,
    "EmailFeedback.from_address": _email_field,
    "normalise_email": _email_payload,
    "RuleClassifier (default rules)": _classify,
    "DateReader": _DATES,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=2_000)
    parser.add_argument("--large", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default=None, help="one function (a name printed)")
    parser.add_argument("--all", action="store_true", help="print every shape")
    parser.add_argument("--check", type=float, default=None, help="fail above this ratio")
    args = parser.parse_args(argv)
    worst_overall = 0.0
    for name, fn in FUNCTIONS.items():
        if args.only and args.only != name:
            continue
        ratios = {
            shape: growth_ratio(fn, shape, small=args.small, large=args.large, repeat=args.repeat)
            for shape in HOSTILE_UNITS
        }
        worst = max(ratios, key=ratios.__getitem__)
        worst_overall = max(worst_overall, ratios[worst])
        print(
            f"{name}: worst shape {worst!r}: {args.large:,} vs {args.small:,} chars "
            f"{ratios[worst]:.1f}x (linear ~{args.large / args.small:.0f}x)"
        )
        if args.all:
            for shape, ratio in ratios.items():
                print(f"    {shape:22} {ratio:6.1f}x")
    if args.check is not None and worst_overall > args.check:
        print(f"FAIL: a ratio of {worst_overall:.1f}x is above {args.check}x", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
