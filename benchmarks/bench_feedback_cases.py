"""Loading a stored feedback case: linear in its events, and what the replay adds.

Two ratios, both against baselines measured in the same run:

- scaling: ``from_dict(data, FeedbackCase)`` on a case of ``10 n`` events vs one of
  ``n`` events (linear is ~10x; a quadratic replay, as a tuple grown per event would
  be, is ~100x). Stored data is not trusted, so a case with many events must not be a
  way to stall a reader.
- replay: the same load vs structuring the feedback and every event with
  :func:`faultkit.serialization.from_dict` alone (no checks against the workflow, no
  state): the cost of checking and folding the events.

Run: ``python benchmarks/bench_feedback_cases.py --n 20000 --repeat 5 --check 12``
(``--check`` applies to the scaling ratio; the replay ratio is printed).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import best_times, main

from faultkit.feedback import EVENT_TYPES, FeedbackCase, SocialFeedback
from faultkit.feedback.intake import feedback_from_dict
from faultkit.models import Person
from faultkit.serialization import from_dict, to_dict

AGENT = Person(id="agent-1", name="Agent")
T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def stored_case(events: int) -> dict[str, Any]:
    """A stored case of about ``events`` events: replies, status changes, assignments."""
    item = SocialFeedback(id="fb-1", received_at=T0, text="Router drops wifi", platform="X")
    case = FeedbackCase.open(item)
    data = to_dict(case)
    at = T0
    for step in range(4):  # one reply-answer-reopen round, as stored data
        at += timedelta(minutes=1)
        case = case.reply(author=AGENT, at=at, text_ref=f"r-{step}")
        case = case.assign(actor=AGENT, at=at, agent=f"agent-{step % 2}")  # a change
        case = case.fire("answer", actor=AGENT, at=at)
        case = case.fire("reopen", actor=AGENT, at=at, reason="again")
    cycle = to_dict(case)["events"][-4:]  # reply, assign, answer, reopen
    first = to_dict(case)["events"][:4]
    rounds = max(0, (events - 4) // 4)
    # each round's reply its own (the same reply twice is refused on replay)
    data["events"] = first + [
        {**raw, "text_ref": f"r-{4 + n}"} if "text_ref" in raw else raw
        for n in range(rounds)
        for raw in cycle
    ]
    return data


def plain_structure(data: dict[str, Any]) -> list[Any]:
    """The baseline: structure the feedback and each event, nothing else."""
    out: list[Any] = [feedback_from_dict(data["feedback"])]
    for raw in data["events"]:
        body = {k: v for k, v in raw.items() if k != "type"}
        out.append(from_dict(body, EVENT_TYPES[raw["type"]]))
    return out


def run(n: int, repeat: int) -> float:
    small, large = stored_case(n), stored_case(10 * n)
    assert from_dict(large, FeedbackCase).status == "reopened"
    t_small, t_large, t_plain = best_times(
        [
            lambda: from_dict(small, FeedbackCase),
            lambda: from_dict(large, FeedbackCase),
            lambda: plain_structure(large),
        ],
        repeat,
    )
    scaling = t_large / t_small
    replay = t_large / t_plain
    print(f"load {len(small['events']):,} events: {t_small * 1e3:.1f} ms")
    print(f"load {len(large['events']):,} events: {t_large * 1e3:.1f} ms")
    print(f"scaling 10x events: {scaling:.2f}x (linear ~10x)")
    print(f"replay vs structuring alone: {replay:.2f}x")
    return scaling


if __name__ == "__main__":
    raise SystemExit(main("Feedback case load: scaling and replay cost", run, default_n=20_000))
