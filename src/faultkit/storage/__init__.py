"""Storage: the repository protocols, the in-memory reference store and the record codecs.

The SQL store lives in :mod:`faultkit.adapters.sql` (extra ``sql``); the contract
tests any store must pass are in :mod:`faultkit.testing.storage_contract`.
"""

from faultkit.storage.cases import MemoryFeedbackCaseRepository
from faultkit.storage.codec import FaultCodec, RecordKind
from faultkit.storage.due import DEFAULT_DUE, ResolutionDue
from faultkit.storage.kinds import (
    MAINTENANCE_PLANS,
    NOTICES,
    SLA_POLICIES,
    SURVEY_RESPONSES,
    TRAINING_RECORDS,
    WORKFLOWS,
    NamedSlaPolicy,
    training_key,
)
from faultkit.storage.memory import (
    ACTIONS,
    CLUSTERS,
    FEEDBACK,
    RISKS,
    MemoryEventLog,
    MemoryFaultRepository,
    MemoryRecordRepository,
    MemoryStore,
)
from faultkit.storage.problems import MemoryProblemRepository, ProblemQuery
from faultkit.storage.protocols import (
    EventLog,
    FaultRepository,
    FeedbackCaseRepository,
    ProblemRepository,
    RecordRepository,
    Store,
)
from faultkit.storage.records import (
    DEFAULT_PAGE_SIZE,
    MAX_KEY_LENGTH,
    MAX_PAGE_SIZE,
    CorruptRecord,
    Event,
    FaultQuery,
    FeedbackQuery,
    Page,
    Versioned,
)
from faultkit.storage.retry import (
    DEFAULT_RETRY,
    RetryPolicy,
    Updated,
    VersionedRepository,
    update_with_retry,
)

__all__ = [
    "ACTIONS",
    "CLUSTERS",
    "DEFAULT_DUE",
    "DEFAULT_PAGE_SIZE",
    "DEFAULT_RETRY",
    "FEEDBACK",
    "MAINTENANCE_PLANS",
    "MAX_KEY_LENGTH",
    "MAX_PAGE_SIZE",
    "NOTICES",
    "RISKS",
    "SLA_POLICIES",
    "SURVEY_RESPONSES",
    "TRAINING_RECORDS",
    "WORKFLOWS",
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
    "MemoryProblemRepository",
    "MemoryRecordRepository",
    "MemoryStore",
    "NamedSlaPolicy",
    "Page",
    "ProblemQuery",
    "ProblemRepository",
    "RecordKind",
    "RecordRepository",
    "ResolutionDue",
    "RetryPolicy",
    "Store",
    "Updated",
    "Versioned",
    "VersionedRepository",
    "training_key",
    "update_with_retry",
]
