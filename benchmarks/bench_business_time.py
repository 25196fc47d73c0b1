"""Business-time arithmetic: the per-year window tables against the day-by-day walk.

``BusinessCalendar.add`` and ``between`` read per-year tables of working windows
(running totals, bisection); the baseline, measured in the same run on the same
inputs, is the exact day-by-day walk the calendar keeps for out-of-order years
(``_walk_add`` / ``_walk_between``: one zone conversion per working day). Inputs: the
default 8x5 UTC calendar, an 8x5 Europe/Berlin calendar with a Christmas holiday rule
and the 24x7 calendar; ``add`` of the default policy's targets (15 minutes to 10
business days), ``between`` over spans of an hour to a quarter, starts spread over
2023-2025 (daylight-saving changes included). The ratio printed (and checked) is the
worse of the two operations, table time over walk time (lower is better).

    python benchmarks/bench_business_time.py [--n 20000] [--repeat 5] [--check 0.8]
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta

from _harness import best_times, main

from faultkit.lifecycle.sla import DEFAULT_SLA_POLICY, ROUND_THE_CLOCK, BusinessCalendar

CALENDARS = (
    BusinessCalendar(),
    BusinessCalendar(
        zone="Europe/Berlin",
        holiday_rules=["DTSTART:20200101\nRRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25,26"],
    ),
    ROUND_THE_CLOCK,
)
TARGETS = tuple(
    duration
    for target in DEFAULT_SLA_POLICY.targets.values()
    for duration in (target.response, target.resolution)
)


def make_inputs(n: int) -> list[tuple[BusinessCalendar, datetime, timedelta, datetime]]:
    """``n`` (calendar, start, target, end) tuples, the same on both sides."""
    rng = random.Random(7)
    first = datetime(2023, 1, 1, tzinfo=UTC)
    rows = []
    for _ in range(n):
        start = first + timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
        span = timedelta(minutes=rng.choice((60, 8 * 60, 3 * 24 * 60, 14 * 24 * 60, 91 * 24 * 60)))
        rows.append((rng.choice(CALENDARS), start, rng.choice(TARGETS), start + span))
    return rows


def run(n: int, repeat: int) -> float:
    rows = make_inputs(n)
    for calendar in CALENDARS:  # build the year tables outside the timing
        for year in range(2022, 2027):
            calendar._year(year)

    def add() -> object:
        return [calendar.add(start, target) for calendar, start, target, _ in rows]

    def walk_add() -> object:
        return [calendar._walk_add(start, target) for calendar, start, target, _ in rows]

    def between() -> object:
        return [calendar.between(start, end) for calendar, start, _, end in rows]

    def walk_between() -> object:
        return [calendar._walk_between(start, end) for calendar, start, _, end in rows]

    if add() != walk_add() or between() != walk_between():
        raise SystemExit("the tables and the day walk disagree")
    t_add, t_walk_add, t_between, t_walk_between = best_times(
        [add, walk_add, between, walk_between], repeat
    )
    per = 1e6 / n
    add_ratio, between_ratio = t_add / t_walk_add, t_between / t_walk_between
    print(f"{n:,} calls each, three calendars, starts over 2023-2025")
    print(
        f"add:     tables {t_add * per:6.2f} us/call, day walk {t_walk_add * per:7.2f} us/call, "
        f"ratio {add_ratio:.3f}x"
    )
    print(
        f"between: tables {t_between * per:6.2f} us/call, "
        f"day walk {t_walk_between * per:7.2f} us/call, ratio {between_ratio:.3f}x"
    )
    return max(add_ratio, between_ratio)


if __name__ == "__main__":
    sys.exit(main(__doc__ or "", run, default_n=20_000))
