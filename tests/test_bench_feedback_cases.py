"""The stored case ``benchmarks/bench_feedback_cases.py`` loads is one a case accepts.

The benchmark (run by CI) built its history by assigning the same agent again and
repeating one stored reply; once a case refused a no-op assignment and a reply
recorded twice, it stopped with an ``InvalidInputError`` before timing anything.
"""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

from faultkit.feedback import FeedbackCase, ReplySent
from faultkit.serialization import from_dict

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_feedback_cases.py"
BENCH: dict[str, Any] = runpy.run_path(str(SCRIPT))


def test_the_benchmarks_stored_case_reads_back() -> None:
    data = BENCH["stored_case"](400)
    case = from_dict(data, FeedbackCase)
    assert len(case.events) == len(data["events"]) >= 396
    assert case.status == "reopened"
    replies = [e for e in case.events if isinstance(e, ReplySent)]
    assert len({r.text_ref for r in replies}) == len(replies) >= 99
    assert len(BENCH["plain_structure"](data)) == len(data["events"]) + 1
