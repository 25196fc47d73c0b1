"""The storage contract kit: tests that prove a store behaves like the reference.

Subclass :class:`StorageContract` in a test module, name the subclass ``Test...`` so
pytest collects it, and give it a way to make an empty store::

    from faultkit.testing.storage_contract import StorageContract

    class TestMyStore(StorageContract):
        def make_store(self):
            return MyStore(...)

Every test of the contract then runs against your store: versions and conflicts,
copies, queries and cursor pagination (compared with a plain filter over what was
stored, on generated faults), the event log, feedback and clusters, and threads
racing to update the same faults. Override :meth:`StorageContract.close_store` if
your store needs closing, and :meth:`StorageContract.corrupt_fault` /
:meth:`StorageContract.corrupt_event` to let the contract check that a corrupted
record is reported with its key (those tests are skipped otherwise).

Needs the ``test`` extra (pytest and hypothesis).
"""

from __future__ import annotations

from faultkit.testing.storage_cases import FeedbackCasesContract
from faultkit.testing.storage_data import (
    fact_change,
    fault_queries,
    faults,
    feedback_queries,
    rebuilt,
    sample_case,
    sample_fault,
    with_note,
)
from faultkit.testing.storage_events import EventsContract
from faultkit.testing.storage_faults import FaultsContract
from faultkit.testing.storage_kinds import RecordKindsContract
from faultkit.testing.storage_problems import ProblemsContract
from faultkit.testing.storage_queries import HelpdeskQueriesContract
from faultkit.testing.storage_race import (
    NOTE_EVERY,
    ConcurrencyContract,
    Success,
    check_no_lost_update,
    race,
)
from faultkit.testing.storage_records import RecordsContract

__all__ = [
    "NOTE_EVERY",
    "StorageContract",
    "Success",
    "check_no_lost_update",
    "fact_change",
    "fault_queries",
    "faults",
    "feedback_queries",
    "race",
    "rebuilt",
    "sample_case",
    "sample_fault",
    "with_note",
]


class StorageContract(
    FaultsContract,
    EventsContract,
    RecordsContract,
    FeedbackCasesContract,
    ConcurrencyContract,
    RecordKindsContract,
    HelpdeskQueriesContract,
    ProblemsContract,
):
    """The contract every store must meet; subclass it as ``Test<YourStore>``.

    It joins the contract's parts, one module each: faults
    (:class:`~faultkit.testing.storage_faults.FaultsContract`), the event log
    (:class:`~faultkit.testing.storage_events.EventsContract`), records
    (:class:`~faultkit.testing.storage_records.RecordsContract`), feedback cases
    (:class:`~faultkit.testing.storage_cases.FeedbackCasesContract`), concurrency
    (:class:`~faultkit.testing.storage_race.ConcurrencyContract`), the record kinds,
    the helpdesk queries and problems. The hooks to override are those of
    :class:`~faultkit.testing.storage_hooks.StoreHooks`: :meth:`make_store` (required),
    :meth:`close_store`, :meth:`corrupt_fault`, :meth:`corrupt_event`.

    Attributes:
        concurrency_threads: threads racing in the concurrency test.
        concurrency_operations: store operations over all threads; each
            read-change-save round is two (a ``get`` and a ``save``).
        concurrency_faults: faults they race on.
    """
