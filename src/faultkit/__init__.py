"""faultkit: product fault handling and customer feedback, as a typed domain SDK.

The top level re-exports the public records, enumerations and errors; nothing else
lives here. Subpackages hold each part of the procedure. The names are imported on
first use (:mod:`faultkit._lazy`), so that ``import faultkit.batch`` or the
``faultkit`` command does not pay for the records it does not use; ``__version__`` is
read from the installed package's metadata on first use too.
"""

from faultkit._lazy import lazy_exports

TYPE_CHECKING = False  # typing's constant without importing typing (mypy reads it as true)

if TYPE_CHECKING:
    from faultkit._version import __version__
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
else:
    __getattr__ = lazy_exports(
        __name__,
        {
            "FaultkitError": "faultkit.errors",
            "InvalidInputError": "faultkit.errors",
            "Assignee": "faultkit.models",
            "Attachment": "faultkit.models",
            "AttachmentKind": "faultkit.models",
            "CauseCategory": "faultkit.models",
            "Environment": "faultkit.models",
            "FaultReport": "faultkit.models",
            "Frequency": "faultkit.models",
            "ImpactScope": "faultkit.models",
            "IntakeChannel": "faultkit.models",
            "Person": "faultkit.models",
            "PreliminaryCause": "faultkit.models",
            "Reporter": "faultkit.models",
            "ReproductionStep": "faultkit.models",
            "Reviewer": "faultkit.models",
            "Severity": "faultkit.models",
            "Training": "faultkit.models",
            "Urgency": "faultkit.models",
            "__version__": "faultkit._version",
        },
    )

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
