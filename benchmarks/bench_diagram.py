"""Drawing a five-whys tree as SVG: 10x the steps should cost at most 10x the time.

One round lays out a five-whys tree (:func:`faultkit.rca.five_whys_layout`: labels
wrapped by estimated width, the layered tidy layout, the edges) and writes it as SVG
(:func:`faultkit.rca.layout_svg`). The ratio is the time for a tree of ``--n`` steps
over the time for one of ``--n / 10`` steps, measured in the same run: linear work
gives about 10x, a quadratic step (a label or box compared with every other) 100x.

Trees are random but seeded, shaped like real analyses: each step answers one of
the last dozen steps less than six whys deep, so depth stays near real five-whys
depth while the tree grows wide. Labels are a mix of English and Chinese sentences
of 20 to 60 characters. The limits are raised to the tree's size
(``DiagramLimits(max_nodes=n)``); the default refuses trees over 150 steps.

The fishbone (40 causes) is timed and printed for scale, not checked.

    python benchmarks/bench_diagram.py [--n 1000] [--repeat 5] [--check 10]
"""

from __future__ import annotations

import random
import sys

from _harness import best_times, main

from faultkit.rca import (
    DiagramLimits,
    Fishbone,
    FishboneCause,
    FiveWhys,
    WhyStep,
    fishbone_svg,
    five_whys_svg,
)

WORDS = (
    "the connection pool was exhausted at peak load because retries were not capped",
    "the operator skipped a checklist step during the night shift handover",
    "数据库连接池在高峰期耗尽 客户端重试没有上限 机房湿度超过百分之八十",
)


def _label(rng: random.Random) -> str:
    text = rng.choice(WORDS)
    start = rng.randrange(len(text) // 2)
    return text[start : start + rng.randrange(20, 60)].strip() or text


def make_tree(n: int, seed: int = 1) -> FiveWhys:
    """A seeded five-whys tree of ``n`` steps, at most six whys deep."""
    rng = random.Random(seed)
    steps: list[WhyStep] = []
    depth: list[int] = []
    for i in range(n):
        shallow = [j for j in range(max(0, i - 40), i) if depth[j] < 6]
        parent = None if i < 3 or not shallow else rng.choice(shallow[-12:])
        depth.append(1 if parent is None else depth[parent] + 1)
        steps.append(
            WhyStep(
                id=f"s{i}",
                parent=None if parent is None else f"s{parent}",
                answer=_label(rng),
                verified=rng.random() < 0.3,
            )
        )
    return FiveWhys(id="W", problem="Checkout API returned HTTP 503 for 47 minutes", steps=steps)


def make_fishbone(n: int = 40, seed: int = 2) -> Fishbone:
    """A seeded fishbone of ``n`` causes on the 6M bones."""
    rng = random.Random(seed)
    bones = ("Manpower", "Machine", "Method", "Material", "Measurement", "Environment")
    causes = [
        FishboneCause(id=f"c{i}", text=_label(rng), category=bones[i % 6], votes=rng.randrange(4))
        for i in range(n)
    ]
    return Fishbone(id="F", effect="Checkout outage", categories=bones, causes=causes)


def run(n: int, repeat: int) -> float:
    """Print and return the ratio of the large tree's time over the small one's."""
    small = max(1, n // 10)
    limits = DiagramLimits(max_nodes=n)
    trees = {size: make_tree(size) for size in (small, n)}
    fishbone = make_fishbone()
    t_small, t_large, t_fish = best_times(
        [
            lambda: five_whys_svg(trees[small], limits=limits),
            lambda: five_whys_svg(trees[n], limits=limits),
            lambda: fishbone_svg(fishbone),
        ],
        repeat,
    )
    ratio = t_large / t_small
    print(
        f"five-whys to SVG: {small:,} steps {t_small * 1000:.1f} ms, "
        f"{n:,} steps {t_large * 1000:.1f} ms, ratio {ratio:.2f}x"
    )
    print(f"fishbone to SVG (40 causes, for scale): {t_fish * 1000:.1f} ms")
    return ratio


if __name__ == "__main__":
    sys.exit(main(__doc__.splitlines()[0], run, default_n=1000))
