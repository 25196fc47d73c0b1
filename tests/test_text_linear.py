"""Every text function runs in time linear in its input, on the most hostile shapes.

The time on 8,000 characters over the time on 1,000 is about 8 for a linear function and
about 64 for a quadratic one; the margin (25) is generous for a shared machine. The full
figures (2 kB vs 20 kB) come from ``benchmarks/bench_text.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from faultkit.adapters.exports.dates import DateReader
from faultkit.feedback import (
    EmailFeedback,
    HotlineFeedback,
    normalise_email,
    normalise_text,
    scrub,
    terms,
    tokens,
)
from faultkit.feedback.lexicon import DEFAULT_LEXICON
from faultkit.feedback.sentiment import SentimentScorer
from faultkit.testing.hostile import HOSTILE_UNITS, growth_ratio, hostile_text, worst_growth

AT = datetime(2024, 5, 1, tzinfo=UTC)


def _email_field(text: str) -> object:
    return EmailFeedback(id="m", received_at=AT, text="x", from_address=text)


def _email_payload(text: str) -> object:
    return normalise_email({"id": "m", "from": text, "date": "2024-05-01T10:00:00Z", "body": "x"})


def _callback_number(text: str) -> object:
    return HotlineFeedback(
        id="h", received_at=AT, call_started_at=AT, text="x", agent="a", callback_number=text
    )


FUNCTIONS: dict[str, Callable[[str], object]] = {
    "normalise_text": normalise_text,
    "terms": terms,
    "tokens": tokens,
    "scrub": scrub,
    "EmailFeedback.from_address": _email_field,
    "HotlineFeedback.callback_number": _callback_number,
    "normalise_email": _email_payload,
    "DateReader": DateReader(),
    "SentimentScorer.score": SentimentScorer(DEFAULT_LEXICON).score,
}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_time_grows_linearly_on_every_hostile_shape(name: str) -> None:
    shape, ratio = worst_growth(
        FUNCTIONS[name], small=1_000, large=8_000, repeat=2, min_seconds=0.001
    )
    assert ratio < 25, f"{name}: {ratio:.1f}x on {shape!r} (linear is about 8x)"


def test_the_check_can_fail() -> None:
    # A quadratic function (a pattern that scans to the end from every start) is caught.
    import re

    quadratic = re.compile(r"[\w.+-]+@\w+\.\w+")  # the old e-mail pattern of scrub
    ratio = growth_ratio(quadratic.findall, "letters", small=500, large=4_000, repeat=2)
    assert ratio > 25


def test_hostile_text_has_the_size_asked() -> None:
    for shape in HOSTILE_UNITS:
        assert len(hostile_text(shape, 1_001)) == 1_001


def test_entry_points_refuse_hostile_input_with_an_error_naming_the_field() -> None:
    for text in (":" * 998, "(" * 998, "<" * 5_000, hostile_text("url prefix", 20_000)):
        with pytest.raises(ValueError, match="from"):
            _email_payload(text)
