"""A database written by the released schema (version 2) opens with this faultkit, in place.

``tests/data/storage_schema_v2.sql`` holds that schema and rows the release wrote. It is
loaded into SQLite and PostgreSQL as is; opening a ``SqlStore`` on it upgrades it (if
the schema moved on) and every record reads back, the queries find it, and it can be
changed and saved.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from faultkit.adapters.sql import SCHEMA_VERSION, SqlStore, schema_version
from faultkit.models import Person, Severity
from faultkit.storage import FaultQuery
from test_storage_sql import db_url  # noqa: F401 - the fixture (SQLite and PostgreSQL)

FIXTURE = Path(__file__).parent / "data" / "storage_schema_v2.sql"
T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def load_release_database(url: str) -> None:
    """Create the released schema and its rows in the empty database at ``url``."""
    engine = sa.create_engine(url)
    key = 'TEXT COLLATE "C"' if engine.dialect.name == "postgresql" else "TEXT"
    script = FIXTURE.read_text(encoding="utf-8").replace("{key}", key)
    statements = [
        "\n".join(line for line in chunk.splitlines() if not line.startswith("--")).strip()
        for chunk in script.split(";\n")
    ]
    try:
        with engine.begin() as conn:
            for statement in statements:
                if statement:
                    conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


def test_the_release_database_opens_and_reads_back(db_url: str) -> None:  # noqa: F811
    load_release_database(db_url)
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        assert schema_version(conn) == 2
    with SqlStore(db_url) as store:
        with store.engine.connect() as conn:
            assert schema_version(conn) == SCHEMA_VERSION

        first = store.faults.get("F-1")
        assert first.version == 2
        fault = first.item
        assert (fault.state, fault.severity, fault.priority) == ("cancelled", Severity.SEV2, 2)
        assert fault.report.component == "billing"
        assert fault.report.description == "The nightly export stops with E42 — «ñ»."
        assert fault.containment is not None
        assert fault.containment.workaround == "run it by hand"
        assert fault.analysis is not None
        assert not hasattr(fault.analysis, "actions")  # moved to the fault, held once
        assert [a.id for a in fault.actions] == ["A-1"]
        assert [e.record.trigger for e in store.events.for_fault("F-1")] == ["cancel"]
        assert store.faults.get("F-2").item.report.component is None
        assert store.faults.get("F-3").item.severity is Severity.SEV4

        assert store.feedback.get("FB-1").item.text == "Export broken again"
        assert store.clusters.get("C-1").item.fault_id == "F-1"
        linked = store.clusters.query(fault_id="F-1")  # the link was indexed in the upgrade
        assert [v.item.id for v in linked.items] == ["C-1"]
        assert store.actions.get("A-1").item.title == "Retry the export job"
        assert store.risks.get("R-1").item.rating.severity == 6

        cancelled = store.faults.query(FaultQuery(states="cancelled"))
        assert [v.item.id for v in cancelled.items] == ["F-1", "F-3"]
        assert cancelled.corrupt == ()
        billing = store.faults.query(FaultQuery(components="billing", priorities={2}))
        assert [v.item.id for v in billing.items] == ["F-1"]
        day = store.events.between(T0, T0 + timedelta(days=1))
        assert [(e.fault_id, e.seq) for e in day.items] == [("F-3", 0), ("F-1", 0)]
        assert [v.item.id for v in store.feedback.query().items] == ["FB-1"]

        second = store.faults.get("F-2")
        desk = Person(id="desk", name="Desk")
        second.item.set_priority(3, actor=desk, at=second.item.last_event_at)
        assert store.faults.save(second.item, expected_version=second.version) == 2
    with SqlStore(db_url, upgrade=False) as reopened:  # upgraded once, in place
        assert reopened.faults.get("F-2").item.priority == 3
    engine.dispose()
