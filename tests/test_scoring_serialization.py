"""Scoring records round-trip through faultkit's JSON wire format."""

from __future__ import annotations

from hypothesis import given

from faultkit.scoring import FmeaRating, QueueItem
from faultkit.serialization import from_json, to_json
from faultkit.testing.scoring import fmea_ratings, queue_items


@given(fmea_ratings())
def test_fmea_rating_round_trip(rating: FmeaRating) -> None:
    assert from_json(to_json(rating), FmeaRating) == rating


@given(queue_items())
def test_queue_item_round_trip(item: QueueItem) -> None:
    assert from_json(to_json(item), QueueItem) == item
