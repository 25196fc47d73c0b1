"""Test helpers for faultkit and for code built on it (needs the ``test`` extra).

``faultkit.testing.strategies`` holds a hypothesis strategy for every public record,
so users can property-test their own code against valid faultkit values.
"""

from faultkit.testing.strategies import (
    assignees,
    attachments,
    aware_datetimes,
    environments,
    fault_reports,
    persons,
    preliminary_causes,
    reporters,
    reproduction_steps,
    reviewers,
    text,
    trainings,
)

__all__ = [
    "assignees",
    "attachments",
    "aware_datetimes",
    "environments",
    "fault_reports",
    "persons",
    "preliminary_causes",
    "reporters",
    "reproduction_steps",
    "reviewers",
    "text",
    "trainings",
]
