"""Kaplan-Meier on many durations: faultkit's fit against lifelines' fit.

Both sides fit the same right-censored durations and give the same curve, checked
first (survival function to 1e-9, same median):

- baseline: ``lifelines.KaplanMeierFitter().fit(durations, observed)`` with numpy
  arrays (its best case: the conversion from lists is not timed); the fit computes
  the survival function, its confidence band and the median;
- faultkit: ``KaplanMeier.fit(durations, observed)`` with Python lists (reading them
  into arrays is timed on this side), which computes the same three and returns them
  as tuples. With numpy installed (it is: lifelines needs it) this is the numpy
  engine; the pure-Python engine (``engine="python"``, the fallback without numpy) is
  timed too and printed, not checked.

Two shapes of data, each with 20 % still open (censored): durations in whole seconds
(lognormal around an hour: many ties, ~60,000 distinct values per million) and
distinct float durations (every value distinct: the most work for both). The ratio
faultkit / lifelines is printed for each; the checked ratio is the worse one of the
default engine. When lifelines is not installed (it comes with the ``dev`` extra) the
script says so and exits 0.

    python benchmarks/bench_km.py [--n 1000000] [--repeat 3] [--check 1.3]
"""

from __future__ import annotations

import random
import sys
from typing import Any

from _harness import best_times, main

from faultkit.scoring import KaplanMeier


def make_data(n: int, *, distinct: bool, seed: int = 19) -> tuple[list[float], list[bool]]:
    """``n`` durations (seconds) and flags, 20 % censored, seeded."""
    rng = random.Random(seed)
    if distinct:
        durations: list[float] = [rng.lognormvariate(8.2, 1.3) for _ in range(n)]
    else:
        durations = [float(round(rng.lognormvariate(8.2, 1.3))) for _ in range(n)]
    observed = [rng.random() >= 0.2 for _ in range(n)]
    return durations, observed


def run(n: int, repeat: int) -> float:
    try:
        import numpy as np
        from lifelines import KaplanMeierFitter
    except ImportError:
        print("lifelines is not installed (pip install -e '.[dev]'): no baseline, nothing measured")
        return 0.0
    worst = 0.0
    for distinct in (False, True):
        durations, observed = make_data(n, distinct=distinct)
        array_d, array_o = np.asarray(durations), np.asarray(observed)

        def ours(d: list[float] = durations, o: list[bool] = observed) -> KaplanMeier:
            return KaplanMeier.fit(d, o)

        def pure(d: list[float] = durations, o: list[bool] = observed) -> KaplanMeier:
            return KaplanMeier.fit(d, o, engine="python")

        def theirs(d: Any = array_d, o: Any = array_o) -> Any:
            return KaplanMeierFitter().fit(d, o)

        km, kmf = ours(), theirs()
        curve = kmf.survival_function_.iloc[:, 0]
        for fitted in (km, pure()):
            at_rows = np.asarray([fitted.survival_at(t) for t in curve.index])
            if float(np.max(np.abs(curve.to_numpy() - at_rows))) > 1e-9:
                print("FAIL: the survival functions differ", file=sys.stderr)
                sys.exit(2)
        if kmf.median_survival_time_ != km.median:
            print(f"note: medians {kmf.median_survival_time_} vs {km.median} (LEVEL_TOLERANCE)")
        base, cand, python = best_times([theirs, ours, pure], repeat)
        ratio = cand / base
        worst = max(worst, ratio)
        shape = "distinct floats" if distinct else "whole seconds"
        print(
            f"{n:,} durations ({shape}, {len(curve):,} distinct, 20% censored): "
            f"lifelines {base:.3f} s, faultkit {cand:.3f} s, ratio {ratio:.2f}x "
            f"(pure Python {python:.3f} s, {python / base:.2f}x)"
        )
    print(f"worse ratio faultkit / lifelines: {worst:.2f}x (target at most 1.3x)")
    return worst


if __name__ == "__main__":
    sys.exit(main(__doc__.splitlines()[0], run, default_n=1_000_000, default_repeat=3))
