"""Small statistics helpers for the feedback part, in pure Python (no numpy, no scipy).

- :func:`z_value`: the two-sided standard normal quantile, from
  :class:`statistics.NormalDist`.
- :func:`wilson`: the Wilson score interval for a binomial proportion
  (Wilson, E. B. (1927), "Probable inference, the law of succession, and statistical
  inference", *JASA* 22:209-212)::

      centre    = (p + z^2 / 2n) / (1 + z^2 / n)
      half-width = z * sqrt(p (1 - p) / n + z^2 / 4n^2) / (1 + z^2 / n)

- :func:`t_value`: the two-sided Student *t* quantile, found by bisection on the *t*
  distribution function, itself written with the regularised incomplete beta function
  (continued fraction, modified Lentz method; Press et al., *Numerical Recipes*, 3rd ed.,
  section 6.4)::

      P(T <= t) = 1 - I_{df / (df + t^2)}(df / 2, 1 / 2) / 2      for t >= 0
"""

from __future__ import annotations

import math
from statistics import NormalDist

__all__ = ["t_value", "wilson", "z_value"]

_EPS = 1e-15
_TINY = 1e-300


def z_value(level: float) -> float:
    """The standard normal quantile for a two-sided interval of confidence ``level``."""
    return NormalDist().inv_cdf(0.5 + level / 2)


def wilson(successes: int, n: int, level: float) -> tuple[float, float]:
    """Wilson score interval ``(low, high)`` for ``successes`` out of ``n`` (fractions)."""
    z = z_value(level)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    # Exact algebra puts p inside and gives 0 (1) when successes is 0 (n); keep that
    # true under floating-point rounding.
    return max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half))


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    qab, qap, qam = a + b, a + 1, a - 1
    c, d = 1.0, 1 - qab * x / qap
    d = 1 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d
        d = 1 / (d if abs(d) > _TINY else _TINY)
        c = 1 + aa / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d
        d = 1 / (d if abs(d) > _TINY else _TINY)
        c = 1 + aa / c
        c = c if abs(c) > _TINY else _TINY
        delta = d * c
        h *= delta
        if abs(delta - 1) < _EPS:
            break
    return h


def _incomplete_beta(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta function I_x(a, b) for 0 <= x <= 1."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1) / (a + b + 2):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1 - front * _beta_continued_fraction(b, a, 1 - x) / b


def _t_cdf(t: float, df: float) -> float:
    tail = _incomplete_beta(df / 2, 0.5, df / (df + t * t)) / 2
    return 1 - tail if t >= 0 else tail


def t_value(level: float, df: int) -> float:
    """The Student *t* quantile for a two-sided interval of confidence ``level``."""
    target = 0.5 + level / 2
    low, high = 0.0, 1.0
    while _t_cdf(high, df) < target:
        high *= 2
    for _ in range(200):
        middle = (low + high) / 2
        if _t_cdf(middle, df) < target:
            low = middle
        else:
            high = middle
        if high - low < 1e-12:
            break
    return (low + high) / 2
