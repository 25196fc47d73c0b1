"""faultkit: product fault handling and customer feedback, as a typed domain SDK.

The top level re-exports the public records, enumerations and errors; nothing else
lives here. Subpackages hold each part of the procedure.
"""

from importlib.metadata import PackageNotFoundError, version

from faultkit.errors import FaultkitError, InvalidInputError
from faultkit.models import (
    Assignee,
    Attachment,
    AttachmentKind,
    CauseCategory,
    Environment,
    FaultReport,
    Frequency,
    ImpactScope,
    IntakeChannel,
    Person,
    PreliminaryCause,
    Reporter,
    ReproductionStep,
    Reviewer,
    Severity,
    Training,
    Urgency,
)

try:
    __version__ = version("faultkit")
except PackageNotFoundError:  # pragma: no cover - running from a source tree not installed
    __version__ = "0+unknown"

__all__ = [
    "Assignee",
    "Attachment",
    "AttachmentKind",
    "CauseCategory",
    "Environment",
    "FaultReport",
    "FaultkitError",
    "Frequency",
    "ImpactScope",
    "IntakeChannel",
    "InvalidInputError",
    "Person",
    "PreliminaryCause",
    "Reporter",
    "ReproductionStep",
    "Reviewer",
    "Severity",
    "Training",
    "Urgency",
    "__version__",
]
