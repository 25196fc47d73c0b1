"""The public surface of faultkit.scoring: names other parts import, kept stable and light."""

from __future__ import annotations

import subprocess
import sys

import faultkit.scoring as scoring

CONTRACT = {
    # priority (lifecycle SLA targets, feedback prioritisation, the CLI)
    "Impact",
    "Priority",
    "PriorityMatrix",
    "SERVICENOW_MATRIX",
    "SERVICENOW_MATRIX_NO_PLANNING",
    "coded_level",
    "priority",
    # FMEA (the RCA risk register)
    "ActionPriority",
    "FmeaRating",
    "action_priority",
    "rpn",
    # severity (lifecycle, feedback classification, the CLI)
    "ImpactAssessment",
    "assess_severity",
    # report quality (the lifecycle's review gate, review metrics)
    "report_quality",
    "ReviewStandard",
}


def test_all_is_complete_and_keeps_the_contract() -> None:
    # The order is ruff's (RUF022: constants, classes, functions, each sorted).
    assert len(set(scoring.__all__)) == len(scoring.__all__)
    for name in scoring.__all__:
        assert hasattr(scoring, name), name
    assert set(scoring.__all__) >= CONTRACT


def test_import_stays_light() -> None:
    code = (
        "import sys, faultkit.scoring; "
        "print(sorted(m for m in ('hypothesis', 'pytest', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
