"""Storage: the repository protocols, the in-memory reference store and the record codecs.

The SQL store lives in :mod:`faultkit.adapters.sql` (extra ``sql``); the contract
tests any store must pass are in :mod:`faultkit.testing.storage_contract`.
"""

from typing import TYPE_CHECKING

from faultkit._lazy import lazy_exports

if TYPE_CHECKING:
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
else:
    __getattr__ = lazy_exports(
        __name__,
        {
            "MemoryFeedbackCaseRepository": "faultkit.storage.cases",
            "FaultCodec": "faultkit.storage.codec",
            "RecordKind": "faultkit.storage.codec",
            "DEFAULT_DUE": "faultkit.storage.due",
            "ResolutionDue": "faultkit.storage.due",
            "MAINTENANCE_PLANS": "faultkit.storage.kinds",
            "NOTICES": "faultkit.storage.kinds",
            "SLA_POLICIES": "faultkit.storage.kinds",
            "SURVEY_RESPONSES": "faultkit.storage.kinds",
            "TRAINING_RECORDS": "faultkit.storage.kinds",
            "WORKFLOWS": "faultkit.storage.kinds",
            "NamedSlaPolicy": "faultkit.storage.kinds",
            "training_key": "faultkit.storage.kinds",
            "ACTIONS": "faultkit.storage.memory",
            "CLUSTERS": "faultkit.storage.memory",
            "FEEDBACK": "faultkit.storage.memory",
            "RISKS": "faultkit.storage.memory",
            "MemoryEventLog": "faultkit.storage.memory",
            "MemoryFaultRepository": "faultkit.storage.memory",
            "MemoryRecordRepository": "faultkit.storage.memory",
            "MemoryStore": "faultkit.storage.memory",
            "MemoryProblemRepository": "faultkit.storage.problems",
            "ProblemQuery": "faultkit.storage.problems",
            "EventLog": "faultkit.storage.protocols",
            "FaultRepository": "faultkit.storage.protocols",
            "FeedbackCaseRepository": "faultkit.storage.protocols",
            "ProblemRepository": "faultkit.storage.protocols",
            "RecordRepository": "faultkit.storage.protocols",
            "Store": "faultkit.storage.protocols",
            "DEFAULT_PAGE_SIZE": "faultkit.storage.records",
            "MAX_KEY_LENGTH": "faultkit.storage.records",
            "MAX_PAGE_SIZE": "faultkit.storage.records",
            "CorruptRecord": "faultkit.storage.records",
            "Event": "faultkit.storage.records",
            "FaultQuery": "faultkit.storage.records",
            "FeedbackQuery": "faultkit.storage.records",
            "Page": "faultkit.storage.records",
            "Versioned": "faultkit.storage.records",
            "DEFAULT_RETRY": "faultkit.storage.retry",
            "RetryPolicy": "faultkit.storage.retry",
            "Updated": "faultkit.storage.retry",
            "VersionedRepository": "faultkit.storage.retry",
            "update_with_retry": "faultkit.storage.retry",
        },
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
