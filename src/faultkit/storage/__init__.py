"""Storage: the repository protocols, the in-memory reference store and the record codecs.

The SQL store lives in :mod:`faultkit.adapters.sql` (extra ``sql``); the contract
tests any store must pass are in :mod:`faultkit.testing.storage_contract`.
"""

from faultkit.storage.codec import FaultCodec, RecordKind
from faultkit.storage.memory import (
    ACTIONS,
    CLUSTERS,
    FEEDBACK,
    RISKS,
    MemoryEventLog,
    MemoryFaultRepository,
    MemoryFeedbackCaseRepository,
    MemoryRecordRepository,
    MemoryStore,
)
from faultkit.storage.protocols import (
    EventLog,
    FaultRepository,
    FeedbackCaseRepository,
    RecordRepository,
    Store,
)
from faultkit.storage.records import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    CorruptRecord,
    Event,
    FaultQuery,
    FeedbackQuery,
    Page,
    Versioned,
)

__all__ = [
    "ACTIONS",
    "CLUSTERS",
    "DEFAULT_PAGE_SIZE",
    "FEEDBACK",
    "MAX_PAGE_SIZE",
    "RISKS",
    "CorruptRecord",
    "Event",
    "EventLog",
    "FaultCodec",
    "FaultQuery",
    "FaultRepository",
    "FeedbackCaseRepository",
    "FeedbackQuery",
    "MemoryEventLog",
    "MemoryFaultRepository",
    "MemoryFeedbackCaseRepository",
    "MemoryRecordRepository",
    "MemoryStore",
    "Page",
    "RecordKind",
    "RecordRepository",
    "Store",
    "Versioned",
]
