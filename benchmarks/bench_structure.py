"""Structuring fault reports from dicts: faultkit's converter against a hand-written loop.

Both sides build the same validated records from the same JSON-ready dicts (parse
datetimes with ``datetime.fromisoformat``, look enums up by value, build nested
records); the ratio is what the converter costs on top.

    python benchmarks/bench_structure.py [--n 100000] [--repeat 5] [--check 1.3]
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any

from _harness import best_times, main

from faultkit.models import (
    Attachment,
    AttachmentKind,
    CauseCategory,
    Environment,
    FaultReport,
    Frequency,
    ImpactScope,
    IntakeChannel,
    PreliminaryCause,
    Reporter,
    ReproductionStep,
    Urgency,
)
from faultkit.serialization import from_dict


def make_rows(n: int) -> list[dict[str, Any]]:
    """``n`` distinct report dicts of a realistic shape (steps, environment, attachment)."""
    rows = []
    for i in range(n):
        rows.append(
            {
                "id": f"F-{i:07d}",
                "title": "Printer queue stalls after firmware update",
                "description": "Jobs stay in the queue; the device shows E-301 and stops.",
                "observed_at": f"2024-03-{1 + i % 28:02d}T08:{i % 60:02d}:00+01:00",
                "reported_at": f"2024-03-{1 + i % 28:02d}T09:{i % 60:02d}:00+01:00",
                "reporter": {"id": f"u{i % 500}", "name": "Ann Example", "is_customer": True},
                "channel": "hotline",
                "product": "PrintHub",
                "component": "spooler",
                "version": "4.2.1",
                "frequency": "recurring",
                "impact_scope": "user_group",
                "affected_users": i % 40,
                "steps": [
                    {"action": "Update firmware to 4.2.1"},
                    {"action": "Send a 20-page job", "expected": "printed", "actual": "stalls"},
                ],
                "environment": {"os": "Windows 11", "temperature_c": 21.5, "humidity_pct": 40},
                "error_codes": ["E-301"],
                "attachments": [
                    {"kind": "log", "uri": f"s3://logs/{i}.txt", "media_type": "text/plain"}
                ],
                "preliminary_cause": {"category": "software_defect", "text": "spooler deadlock"},
                "urgency": 2,
            }
        )
    return rows


def _opt_dt(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def hand_written(d: dict[str, Any]) -> FaultReport:
    """The baseline: what a careful developer would write by hand for this one class."""
    env = d.get("environment")
    cause = d.get("preliminary_cause")
    r = d["reporter"]
    return FaultReport(
        id=d["id"],
        title=d["title"],
        description=d["description"],
        observed_at=datetime.fromisoformat(d["observed_at"]),
        reported_at=datetime.fromisoformat(d["reported_at"]),
        reporter=Reporter(
            id=r["id"],
            name=r["name"],
            email=r.get("email"),
            is_customer=r.get("is_customer", True),
            organisation=r.get("organisation"),
        ),
        channel=IntakeChannel(d["channel"]),
        product=d["product"],
        component=d.get("component"),
        version=d.get("version"),
        frequency=Frequency(d["frequency"]),
        impact_scope=ImpactScope(d["impact_scope"]),
        affected_users=d.get("affected_users"),
        steps=tuple(
            ReproductionStep(
                action=s["action"],
                expected=s.get("expected"),
                actual=s.get("actual"),
                at=_opt_dt(s.get("at")),
            )
            for s in d.get("steps", ())
        ),
        environment=None
        if env is None
        else Environment(
            os=env.get("os"),
            product_version=env.get("product_version"),
            hardware=env.get("hardware"),
            temperature_c=env.get("temperature_c"),
            humidity_pct=env.get("humidity_pct"),
            electromagnetic_interference=env.get("electromagnetic_interference"),
            extra=dict(env.get("extra", {})),
        ),
        error_codes=tuple(d.get("error_codes", ())),
        attachments=tuple(
            Attachment(
                kind=AttachmentKind(a["kind"]),
                uri=a["uri"],
                media_type=a["media_type"],
                size_bytes=a.get("size_bytes"),
                sha256=a.get("sha256"),
            )
            for a in d.get("attachments", ())
        ),
        preliminary_cause=None
        if cause is None
        else PreliminaryCause(category=CauseCategory(cause["category"]), text=cause.get("text")),
        suggested_fix=d.get("suggested_fix"),
        urgency=Urgency(d["urgency"]),
    )


def run(n: int, repeat: int) -> float:
    """Time both loops, interleaved, best CPU time of ``repeat``; print and return the ratio."""
    rows = make_rows(n)
    assert [hand_written(d) for d in rows[:50]] == [from_dict(d, FaultReport) for d in rows[:50]]
    baseline, faultkit = best_times(
        [
            lambda: [hand_written(d) for d in rows],
            lambda: [from_dict(d, FaultReport) for d in rows],
        ],
        repeat,
    )
    ratio = faultkit / baseline
    print(
        f"structure {n:,} reports: hand-written {baseline:.3f}s, "
        f"faultkit.from_dict {faultkit:.3f}s, ratio {ratio:.2f}x"
    )
    return ratio


if __name__ == "__main__":
    sys.exit(main(__doc__.splitlines()[0], run, default_n=100_000))
