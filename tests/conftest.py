"""Fixtures shared by the test modules."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Timing is not what the property tests check: CI machines are shared and can be slow,
# so no per-example deadline and no too-slow health check.
settings.register_profile(
    "faultkit", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "faultkit"))

# The shared data beside the checkout, or where FAULTKIT_SHARED_DATA says (a worktree
# checked out elsewhere).
SHARED_DATA = Path(
    os.environ.get("FAULTKIT_SHARED_DATA")
    or Path(__file__).resolve().parents[1].parent / "shared" / "data"
)
SERVICENOW_EXPORT = SHARED_DATA / "servicenow_incident_event_log_sample.csv"


@pytest.fixture(scope="session")
def servicenow_export() -> Path:
    """The real ServiceNow event log beside the checkout (``../shared/data``).

    Skipped on a developer's machine without it; in CI (``CI`` set) its absence fails.
    """
    if not SERVICENOW_EXPORT.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"the shared export is missing beside the checkout: {SERVICENOW_EXPORT}")
        pytest.skip("the shared export (../shared/data) is not beside this checkout")
    return SERVICENOW_EXPORT
