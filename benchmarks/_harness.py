"""Shared timing for the benchmark scripts: ratios against a baseline in the same run.

Times are CPU times of the current process (``time.process_time``) with the garbage
collector off during each run, as :mod:`timeit` does: the ratio stays steady when other
processes share the machine. Baseline and candidate runs are interleaved and the best of
``repeat`` is kept for each, so both see the same conditions.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable, Sequence


def cpu_time(fn: Callable[[], object]) -> float:
    """CPU seconds one call of ``fn`` takes, garbage collector off."""
    gc.collect()
    gc.disable()
    try:
        start = time.process_time()
        fn()
        return time.process_time() - start
    finally:
        gc.enable()


def best_times(fns: Sequence[Callable[[], object]], repeat: int) -> list[float]:
    """Best CPU time of each function over ``repeat`` interleaved rounds."""
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for index, fn in enumerate(fns):
            best[index] = min(best[index], cpu_time(fn))
    return best


def main(
    description: str,
    run: Callable[[int, int], float],
    *,
    default_n: int,
    default_repeat: int = 5,
    argv: list[str] | None = None,
) -> int:
    """Parse ``--n``, ``--repeat``, ``--check``; call ``run(n, repeat)`` for the ratio.

    Returns the exit status: 1 when ``--check`` is given and the ratio is above it.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--n", type=int, default=default_n, help="input size")
    parser.add_argument("--repeat", type=int, default=default_repeat, help="rounds, best kept")
    parser.add_argument("--check", type=float, default=None, help="fail above this ratio")
    args = parser.parse_args(argv)
    ratio = run(args.n, args.repeat)
    if args.check is not None and ratio > args.check:
        print(f"FAIL: ratio {ratio:.2f}x is above {args.check}x", file=sys.stderr)
        return 1
    return 0
