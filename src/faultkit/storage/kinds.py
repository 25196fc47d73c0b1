"""The record kinds the procedure produces beyond faults, feedback, clusters, actions, risks.

Each is kept once, by its key, in a :class:`~faultkit.storage.RecordRepository` of
every store (the store's attribute, the record, the key):

- ``notices``: :class:`~faultkit.feedback.ResultNotice`, the outcome told to a
  customer (part 5 of the procedure), by ``id``;
- ``survey_responses``: :class:`~faultkit.feedback.SurveyResponse` (part 5), by ``id``;
- ``plans``: :class:`~faultkit.rca.MaintenancePlan`, maintenance and inspection plans
  (part 3, prevention), by ``id``;
- ``training``: :class:`~faultkit.rca.TrainingRecord`, staff training (part 3), by
  ``"<person id>/<product area>"`` (:func:`training_key`);
- ``sla_policies``: :class:`NamedSlaPolicy`, an :class:`~faultkit.lifecycle.SlaPolicy`
  under a name, by ``name``;
- ``workflows``: :class:`~faultkit.lifecycle.Workflow`, the workflow tables as data, by
  ``name``.

A training record has no id of its own: one person's training in one product area is
one record, renewed by saving it again (the version counts the renewals).

Aggregates kept as append-only event streams are described the same way, by a
:class:`~faultkit.storage.streams.StreamKind` (a record kind with a stream, an index
and a query): :data:`~faultkit.storage.cases.FEEDBACK_CASES` and
:data:`~faultkit.storage.problems.PROBLEMS`.
"""

from __future__ import annotations

import attrs

from faultkit import _validators as v
from faultkit.feedback import ResultNotice, SurveyResponse
from faultkit.lifecycle import SlaPolicy, Workflow
from faultkit.rca import MaintenancePlan, TrainingRecord
from faultkit.storage.codec import RecordKind

__all__ = [
    "MAINTENANCE_PLANS",
    "NOTICES",
    "SLA_POLICIES",
    "SURVEY_RESPONSES",
    "TRAINING_RECORDS",
    "WORKFLOWS",
    "NamedSlaPolicy",
    "training_key",
]


@attrs.frozen(kw_only=True)
class NamedSlaPolicy:
    """An SLA policy as a store keeps it: under a name (``"standard"``, ``"gold"``).

    Attributes:
        name: the policy's name; not blank.
        policy: the targets by priority and their calendar.
    """

    name: str = attrs.field(validator=v.non_empty_str)
    policy: SlaPolicy = attrs.field(validator=v.instance(SlaPolicy))


def training_key(record: TrainingRecord) -> str:
    """The key of a training record: ``"<person id>/<product area>"``."""
    return f"{record.person.id}/{record.training.product_area}"


def _name(record: NamedSlaPolicy | Workflow) -> str:
    return record.name


NOTICES: RecordKind[ResultNotice] = RecordKind("notice", ResultNotice)
"""Result notices sent to customers (by id)."""

SURVEY_RESPONSES: RecordKind[SurveyResponse] = RecordKind("survey_response", SurveyResponse)
"""Answers to satisfaction surveys (by id)."""

MAINTENANCE_PLANS: RecordKind[MaintenancePlan] = RecordKind("maintenance_plan", MaintenancePlan)
"""Maintenance and inspection plans (by id)."""

TRAINING_RECORDS: RecordKind[TrainingRecord] = RecordKind(
    "training_record", TrainingRecord, key=training_key
)
"""Training records (by person and product area, :func:`training_key`)."""

SLA_POLICIES: RecordKind[NamedSlaPolicy] = RecordKind("sla_policy", NamedSlaPolicy, key=_name)
"""Named SLA policies (by name)."""

WORKFLOWS: RecordKind[Workflow] = RecordKind("workflow", Workflow, key=_name)
"""Workflow tables (by name)."""
