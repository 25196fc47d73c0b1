"""How stores turn records other than faults into JSON-ready data and back.

Faults have their own codec, :class:`faultkit.lifecycle.FaultCodec` (re-exported here).
Other records (feedback, clusters, actions, risk items) are described by a
:class:`RecordKind`: a name, the record class, how to read one back and its key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import attrs

from faultkit.lifecycle.codec import FaultCodec
from faultkit.serialization import from_dict, to_dict

__all__ = ["FaultCodec", "RecordKind"]

T = TypeVar("T")


def _attr_id(record: Any) -> str:
    key: str = record.id
    return key


@attrs.frozen
class RecordKind(Generic[T]):
    """A kind of record a store keeps in a :class:`~faultkit.storage.RecordRepository`.

    Attributes:
        name: the kind's name in the store (``"feedback"``); not blank.
        type: the record class; saved records must be instances of it.
        load: reads a record back from the data :func:`~faultkit.serialization.to_dict`
            wrote (``from_dict(data, type)`` by default).
        key: the record's key (its ``id`` by default).
    """

    name: str
    type: type[T]
    load: Callable[[Any], T] | None = None
    key: Callable[[T], str] = _attr_id

    def fault_of(self, record: T) -> str | None:
        """The fault ``record`` is linked to: its ``fault_id`` when it has one (a text)."""
        linked = getattr(record, "fault_id", None)
        return linked if isinstance(linked, str) else None

    def dump(self, record: T) -> Any:
        """``record`` as JSON-ready data."""
        return to_dict(record)

    def read(self, data: Any) -> T:
        """The record described by ``data``."""
        if self.load is not None:
            return self.load(data)
        return from_dict(data, self.type)
