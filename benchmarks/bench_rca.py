"""Validating and rendering RCA trees: 10x the nodes should cost at most 12x the time.

One round reads a five-whys tree from its nested dict (``five_whys_from_dict``: every
node structured and validated, the tree indexed), runs ``check()``, and renders it as
Mermaid and as an outline. The same is done for a fishbone. The ratio is the time for a
tree of ``--n`` nodes over the time for one of ``--n / 10`` nodes, measured in the same
run (linear work gives about 10x).

Trees are random but seeded: each node's parent is any node before it (a random
recursive tree, depth about ``ln n``). An outline's size grows with depth times nodes
(indentation), so a chain-shaped tree is not a fair test of linear scaling.

A control line times plain Python doing similar per-node work (dicts, f-strings, one
dict lookup per node) at the same two sizes: on a busy machine even that scales worse
than 10x, because the larger working set falls out of the CPU caches.

    python benchmarks/bench_rca.py [--n 10000] [--repeat 5] [--check 12]
"""

from __future__ import annotations

import random
import sys
from typing import Any

from _harness import best_times, main

from faultkit import CauseCategory
from faultkit.rca import (
    Fishbone,
    FishboneCause,
    FiveWhys,
    StepRole,
    TreeLimits,
    WhyStep,
    fishbone_from_dict,
    fishbone_mermaid,
    fishbone_outline,
    fishbone_to_dict,
    five_whys_from_dict,
    five_whys_mermaid,
    five_whys_outline,
    five_whys_to_dict,
)


def make_tree(n: int, seed: int = 1) -> FiveWhys:
    """A seeded random five-whys tree of ``n`` steps."""
    rng = random.Random(seed)
    steps = []
    for i in range(n):
        parent = None if i == 0 else f"s{rng.randrange(i)}"
        steps.append(
            WhyStep(
                id=f"s{i}",
                parent=parent,
                answer=f'Because component {rng.randrange(1000)} <{i}> ran out of "buffer"',
                evidence=(f"log:{i}",),
                verified=rng.random() < 0.5,
            )
        )
    tree = FiveWhys(id="W", problem="Jobs stall", steps=steps, max_depth=n)
    for leaf in tree.leaves()[:50]:
        tree = tree.with_step(
            WhyStep(
                id=leaf.id,
                parent=leaf.parent,
                answer=leaf.answer,
                evidence=leaf.evidence,
                verified=True,
                role=StepRole.ROOT_CAUSE,
                category=CauseCategory.SOFTWARE_DEFECT,
            )
        )
    return tree


def make_fishbone(n: int, seed: int = 2) -> Fishbone:
    """A seeded random fishbone of ``n`` causes on the 6M bones."""
    rng = random.Random(seed)
    bones = ("Manpower", "Machine", "Method", "Material", "Measurement", "Environment")
    causes = []
    for i in range(n):
        top = i < 30 or rng.random() < 0.05
        causes.append(
            FishboneCause(
                id=f"c{i}",
                text=f"Cause {i}: {rng.choice(bones).lower()} drift",
                category=rng.choice(bones) if top else None,
                parent=None if top else f"c{rng.randrange(i)}",
                votes=rng.randrange(5),
            )
        )
    return Fishbone(id="F", effect="Jobs stall", categories=bones, causes=causes)


def _control(n: int) -> str:
    """Plain Python with a similar per-node pattern: a dict per node, a parent lookup."""
    rng = random.Random(3)
    nodes = {
        f"s{i}": {"id": f"s{i}", "parent": f"s{rng.randrange(i)}" if i else None, "text": f"a {i}"}
        for i in range(n)
    }
    lines = []
    for key, node in nodes.items():
        parent = node["parent"]
        target = nodes[parent]["id"] if parent is not None else "problem"
        lines.append(f'    {key}["{node["text"].replace("<", "#lt;")}"] --> {target}')
    return "\n".join(lines)


def _tree_work(data: dict[str, Any], limits: TreeLimits) -> None:
    tree = five_whys_from_dict(data, limits=limits)
    tree.check()
    five_whys_mermaid(tree)
    five_whys_outline(tree)


def _fish_work(data: dict[str, Any], limits: TreeLimits) -> None:
    fish = fishbone_from_dict(data, limits=limits)
    fishbone_mermaid(fish)
    fishbone_outline(fish)


def run(n: int, repeat: int) -> float:
    """Print and return the larger of the two ratios (five-whys, fishbone)."""
    small = max(1, n // 10)
    limits = TreeLimits(max_depth=n, max_nodes=n)
    trees = {size: five_whys_to_dict(make_tree(size)) for size in (small, n)}
    fishes = {size: fishbone_to_dict(make_fishbone(size)) for size in (small, n)}
    assert five_whys_from_dict(trees[n], limits=limits) == make_tree(n)
    t_small, t_large, f_small, f_large, c_small, c_large = best_times(
        [
            lambda: _tree_work(trees[small], limits),
            lambda: _tree_work(trees[n], limits),
            lambda: _fish_work(fishes[small], limits),
            lambda: _fish_work(fishes[n], limits),
            lambda: _control(small),
            lambda: _control(n),
        ],
        repeat,
    )
    tree_ratio = t_large / t_small
    fish_ratio = f_large / f_small
    print(
        f"five-whys read+check+render: {small:,} steps {t_small * 1000:.1f} ms, "
        f"{n:,} steps {t_large * 1000:.1f} ms, ratio {tree_ratio:.2f}x"
    )
    print(
        f"fishbone read+render: {small:,} causes {f_small * 1000:.1f} ms, "
        f"{n:,} causes {f_large * 1000:.1f} ms, ratio {fish_ratio:.2f}x"
    )
    print(
        f"control (plain dicts and f-strings): {small:,} nodes {c_small * 1000:.1f} ms, "
        f"{n:,} nodes {c_large * 1000:.1f} ms, ratio {c_large / c_small:.2f}x (not checked)"
    )
    return max(tree_ratio, fish_ratio)


if __name__ == "__main__":
    sys.exit(main(__doc__.splitlines()[0], run, default_n=10_000))
