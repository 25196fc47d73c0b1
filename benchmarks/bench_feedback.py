"""Grouping near-duplicate feedback: MinHash + LSH against comparing exhaustively.

Two ratios from one run:

- scaling: the time to group 100,000 texts over the time to group 10,000 (a linear
  method gives about 10x; the target is at most 15x), for English-like text and, with
  ``--lang zh``, for Chinese text written without spaces (character bigrams);
- speed-up: at 10,000 texts, the time ``group_texts_exhaustive`` takes (each text
  compared with every representative: n x clusters comparisons) over the time
  ``group_texts`` takes.

It also prints how well the LSH groups agree with the exhaustive ones (pairs of items
grouped together by both, over pairs grouped by the exhaustive method), and checks
that every member of an LSH group is similar to its representative.

The texts are synthetic: a tenth as many "problems" as texts, each a run of 8-14 words
from a 5,000-word vocabulary (``--lang zh``: words of 1-3 Han characters, written
without spaces), and each text one problem with 0-2 words replaced, dropped or added.

    python benchmarks/bench_feedback.py [--small 10000] [--large 100000] [--repeat 3]
        [--lang en|zh] [--check-scaling 15] [--check-speedup 3]
"""

from __future__ import annotations

import argparse
import random
import sys
from itertools import combinations

from _harness import best_times, cpu_time

from faultkit.feedback.grouping import group_texts, group_texts_exhaustive, jaccard
from faultkit.feedback.text import tokens

_HAN = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]


def make_texts(n: int, seed: int = 1, lang: str = "en") -> list[str]:
    """``n`` synthetic feedback texts, about ten per underlying problem."""
    rng = random.Random(seed)
    if lang == "zh":
        vocabulary = ["".join(rng.choices(_HAN, k=rng.randint(1, 3))) for _ in range(5_000)]
    else:
        vocabulary = [
            "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
            for _ in range(5_000)
        ]
    space = "" if lang == "zh" else " "
    problems = [
        [rng.choice(vocabulary) for _ in range(rng.randint(8, 14))] for _ in range(max(1, n // 10))
    ]
    texts = []
    for _ in range(n):
        words = list(rng.choice(problems))
        for _ in range(rng.randint(0, 2)):
            edit = rng.random()
            if edit < 1 / 3:
                words[rng.randrange(len(words))] = rng.choice(vocabulary)
            elif edit < 2 / 3 and len(words) > 1:
                del words[rng.randrange(len(words))]
            else:
                words.insert(rng.randrange(len(words) + 1), rng.choice(vocabulary))
        texts.append(space.join(words))
    return texts


def _pairs(groups: list[list[int]]) -> set[tuple[int, int]]:
    return {pair for group in groups for pair in combinations(group, 2)}


def run(small: int, large: int, repeat: int, threshold: float, lang: str) -> tuple[float, float]:
    """Time both sizes (CPU time, best of ``repeat``, interleaved) and the exhaustive
    baseline (once: it is slow and steady); print and return (scaling, speed-up)."""
    small_texts = make_texts(small, lang=lang)
    large_texts = make_texts(large, seed=2, lang=lang)
    lsh_small, lsh_large = best_times(
        [
            lambda: group_texts(small_texts, threshold=threshold),
            lambda: group_texts(large_texts, threshold=threshold),
        ],
        repeat,
    )
    exhaustive_groups: list[list[int]] = []
    exhaustive = cpu_time(
        lambda: exhaustive_groups.extend(group_texts_exhaustive(small_texts, threshold=threshold))
    )
    lsh_groups = group_texts(small_texts, threshold=threshold)
    sets = [tokens(t) for t in small_texts]
    assert all(
        jaccard(sets[group[0]], sets[i]) >= threshold for group in lsh_groups for i in group[1:]
    ), "a member is not similar to its representative"
    wanted, found = _pairs(exhaustive_groups), _pairs(lsh_groups)
    recall = len(found & wanted) / len(wanted) if wanted else 1.0
    scaling, speedup = lsh_large / lsh_small, exhaustive / lsh_small
    print(
        f"[{lang}] group {small:,} texts: {lsh_small:.3f}s CPU; {large:,} texts: {lsh_large:.3f}s; "
        f"scaling {scaling:.2f}x (target <= 15x)"
    )
    print(
        f"exhaustive at {small:,}: {exhaustive:.3f}s; speed-up {speedup:.1f}x; "
        f"pair recall vs exhaustive {recall:.4f}; groups {len(lsh_groups):,} vs "
        f"{len(exhaustive_groups):,}"
    )
    return scaling, speedup


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--lang", choices=("en", "zh"), default="en")
    parser.add_argument("--check-scaling", type=float, default=None, help="fail above this")
    parser.add_argument("--check-speedup", type=float, default=None, help="fail below this")
    args = parser.parse_args(argv)
    scaling, speedup = run(args.small, args.large, args.repeat, args.threshold, args.lang)
    failed = False
    if args.check_scaling is not None and scaling > args.check_scaling:
        print(f"FAIL: scaling {scaling:.2f}x is above {args.check_scaling}x", file=sys.stderr)
        failed = True
    if args.check_speedup is not None and speedup < args.check_speedup:
        print(f"FAIL: speed-up {speedup:.1f}x is below {args.check_speedup}x", file=sys.stderr)
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
