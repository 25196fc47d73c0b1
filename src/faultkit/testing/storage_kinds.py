"""The contract of the record kinds of :mod:`faultkit.storage.kinds`, for every store.

:class:`~faultkit.testing.storage_contract.StorageContract` inherits
:class:`RecordKindsContract`, so a store that runs the contract kit also proves it
keeps result notices, survey responses, maintenance plans, training records, SLA
policies and workflows: each round-trips, is kept once by its key, is versioned and
pages like the other records.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faultkit.errors import StorageConflictError
from faultkit.storage.codec import RecordKind
from faultkit.storage.kinds import (
    MAINTENANCE_PLANS,
    NOTICES,
    SLA_POLICIES,
    SURVEY_RESPONSES,
    TRAINING_RECORDS,
    WORKFLOWS,
    NamedSlaPolicy,
)
from faultkit.storage.protocols import RecordRepository, Store
from faultkit.storage.records import Versioned
from faultkit.testing.feedback import result_notices, survey_responses
from faultkit.testing.lifecycle import sla_policies, workflows
from faultkit.testing.rca import maintenance_plans, training_records
from faultkit.testing.storage_data import unique_id

__all__ = ["KINDS", "RecordKindsContract"]


def _by_id(item: Any, key: str) -> Any:
    return attrs.evolve(item, id=key)


def _by_name(item: Any, key: str) -> Any:
    return attrs.evolve(item, name=key)


def _by_person(item: Any, key: str) -> Any:
    # The key is "<person id>/<product area>": an area a key cannot hold (NUL) is
    # refused by every store, as a key would be; here it is replaced.
    area = item.training.product_area
    if "\x00" in area or len(area) > 100:
        area = "area"
    return attrs.evolve(
        item,
        person=attrs.evolve(item.person, id=key),
        training=attrs.evolve(item.training, product_area=area),
    )


KINDS: dict[str, tuple[st.SearchStrategy[Any], Callable[[Any, str], Any]]] = {
    "notices": (result_notices(), _by_id),
    "survey_responses": (survey_responses(), _by_id),
    "plans": (maintenance_plans(), _by_id),
    "training": (training_records(), _by_person),
    "sla_policies": (
        sla_policies().map(lambda policy: NamedSlaPolicy(name="p", policy=policy)),
        _by_name,
    ),
    "workflows": (workflows(), _by_name),
}
"""Store attribute -> (its records, how to give one a fresh key)."""

_RECORD_KINDS: dict[str, RecordKind[Any]] = {
    "notices": NOTICES,
    "survey_responses": SURVEY_RESPONSES,
    "plans": MAINTENANCE_PLANS,
    "training": TRAINING_RECORDS,
    "sla_policies": SLA_POLICIES,
    "workflows": WORKFLOWS,
}

_KIND_SETTINGS = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _key_of(attribute: str, item: Any) -> str:
    return _RECORD_KINDS[attribute].key(item)


class RecordKindsContract:
    """Round trips, versions, conflicts and pages of every record kind of a store."""

    @pytest.mark.parametrize("attribute", sorted(KINDS))
    def test_record_kind_round_trip(self, store: Store, attribute: str) -> None:
        records, rekey = KINDS[attribute]
        repository: RecordRepository[Any] = getattr(store, attribute)

        @_KIND_SETTINGS
        @given(item=records)
        def round_trip(item: Any) -> None:
            item = rekey(item, unique_id(attribute[:2]))
            key = _key_of(attribute, item)
            assert repository.add(item) == 1
            assert repository.get(key) == Versioned(item, 1)
            with pytest.raises(StorageConflictError):
                repository.add(item)  # kept once
            assert repository.save(item, expected_version=1) == 2
            assert repository.get(key) == Versioned(item, 2)
            with pytest.raises(StorageConflictError):
                repository.save(item, expected_version=1)

        round_trip()

    @pytest.mark.parametrize("attribute", sorted(KINDS))
    def test_record_kind_pages_hold_each_record_once(self, store: Store, attribute: str) -> None:
        records, rekey = KINDS[attribute]
        repository: RecordRepository[Any] = getattr(store, attribute)

        @settings(_KIND_SETTINGS, max_examples=1)
        @given(example=records)
        def pages(example: Any) -> None:
            keys = set()
            for _ in range(7):
                item = rekey(example, unique_id("pg"))
                keys.add(_key_of(attribute, item))
                assert repository.add(item) == 1
            seen: list[str] = []
            cursor = None
            for _ in range(10):
                page = repository.query(limit=3, cursor=cursor)
                seen.extend(_key_of(attribute, v.item) for v in page.items)
                cursor = page.next_cursor
                if cursor is None:
                    break
            assert [key for key in seen if key in keys] == sorted(keys)
            assert len(seen) == len(set(seen))

        pages()
