"""Records for fault reporting: the fault report, the people around it, and their parts.

These are the values the reporting part of the procedure produces (see the
:doc:`overview <../index>`): the symptom and when it was observed, the steps and the
environment, error codes, attachments (as references only), a preliminary cause, a
suggested fix and the urgency the reporter marked. Every record is an immutable
``attrs`` class, validated when it is built: bad values raise
:class:`~faultkit.errors.InvalidInputError` naming the field and the value.
"""

from __future__ import annotations

import enum
from datetime import datetime

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError

__all__ = [
    "Assignee",
    "Attachment",
    "AttachmentKind",
    "CauseCategory",
    "Environment",
    "FaultReport",
    "Frequency",
    "ImpactScope",
    "IntakeChannel",
    "Person",
    "PreliminaryCause",
    "Reporter",
    "ReproductionStep",
    "Reviewer",
    "Severity",
    "Training",
    "Urgency",
]


# --------------------------------------------------------------------------- enumerations


class Frequency(enum.StrEnum):
    """How often the symptom occurs."""

    ONCE = "once"
    """Seen a single time."""
    INTERMITTENT = "intermittent"
    """Comes and goes with no pattern the reporter can name."""
    RECURRING = "recurring"
    """Comes back under conditions that can be named (time, load, action)."""
    CONTINUOUS = "continuous"
    """Present all the time since it started."""


class ImpactScope(enum.StrEnum):
    """How far the fault reaches, from one user to the whole system (worst last)."""

    SINGLE_USER = "single_user"
    """One user or one unit."""
    USER_GROUP = "user_group"
    """A group of users: a team, a customer, a batch of units."""
    SITE_OR_REGION = "site_or_region"
    """A site, a region or a data centre."""
    WHOLE_SYSTEM = "whole_system"
    """Every user of the product or service."""


class IntakeChannel(enum.StrEnum):
    """Where the report came in."""

    HOTLINE = "hotline"
    """The 24-hour telephone hotline."""
    ONLINE_FORM = "online_form"
    """The web or portal form."""
    SOCIAL_MEDIA = "social_media"
    """A public or private social media message."""
    EMAIL = "email"
    """An e-mail to support."""
    IN_PRODUCT_SURVEY = "in_product_survey"
    """A survey or feedback widget inside the product."""
    MONITORING = "monitoring"
    """An automated alert from monitoring."""
    STAFF = "staff"
    """Raised by an employee: field service, QA, operations."""


class CauseCategory(enum.StrEnum):
    """The category of a cause: the procedure's four, process / method, and unknown.

    One enumeration for every place a cause is classified: the report's preliminary
    cause, the diagnosis, and the root causes of a five-whys analysis (which takes
    every member but ``UNKNOWN`` as its default categories, and any other labels the
    user gives).
    """

    HARDWARE = "hardware"
    """A physical component failed or is out of specification."""
    SOFTWARE_DEFECT = "software_defect"
    """The software does not behave as specified."""
    USER_OPERATION = "user_operation"
    """The product was operated outside its instructions."""
    ENVIRONMENT = "environment"
    """Temperature, humidity, electromagnetic interference, power or network conditions."""
    PROCESS_METHOD = "process_method"
    """A process, procedure or working method allowed the fault."""
    UNKNOWN = "unknown"
    """Not known yet."""


class Urgency(enum.IntEnum):
    """How soon the reporter needs it handled; 1 is the most urgent (ITIL numbering)."""

    HIGH = 1
    """Work is stopped or the business is at risk now."""
    MEDIUM = 2
    """Work is impaired; it can wait for hours, not days."""
    LOW = 3
    """It can be planned."""


class Severity(enum.IntEnum):
    """How bad a fault is, SEV1 the most severe; ``faultkit.scoring`` derives it from impact.

    Compare by value: a smaller number is more severe (``Severity.SEV1 < Severity.SEV3``).
    """

    SEV1 = 1
    """Critical: whole service down, permanent data loss, or a safety exposure."""
    SEV2 = 2
    """Major: a large part of the service is down or degraded for many users."""
    SEV3 = 3
    """Moderate: a function is impaired for some users; a workaround may exist."""
    SEV4 = 4
    """Minor: small impact, a workaround exists."""
    SEV5 = 5
    """Cosmetic or informational."""

    @property
    def is_severe(self) -> bool:
        """SEV1 and SEV2: containment must be recorded before root-cause work starts."""
        return self <= Severity.SEV2


class AttachmentKind(enum.StrEnum):
    """What an attachment holds."""

    LOG = "log"
    SCREENSHOT = "screenshot"
    DUMP = "dump"
    TRACE = "trace"
    VIDEO = "video"
    PHOTO = "photo"
    DOCUMENT = "document"
    OTHER = "other"


# --------------------------------------------------------------------------- people


@attrs.frozen(kw_only=True)
class Person:
    """Someone who takes part in handling a fault.

    Attributes:
        id: stable identifier of the person in the caller's directory; not blank.
        name: display name; not blank.
        email: contact address, if known.
    """

    id: str = attrs.field(validator=v.non_empty_str)
    name: str = attrs.field(validator=v.non_empty_str)
    email: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)


@attrs.frozen(kw_only=True)
class Reporter(Person):
    """The person who reported the fault.

    Attributes:
        is_customer: ``True`` when the reporter is a customer (then the result must be
            fed back to them before closure), ``False`` for staff and monitoring.
        organisation: the customer's or the department's name, if known.
    """

    is_customer: bool = attrs.field(default=True, validator=v.is_bool)
    organisation: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)


@attrs.frozen(kw_only=True)
class Training:
    """A reviewer's training for one product area, valid until it expires.

    Attributes:
        product_area: the product or component the training covers; not blank.
        expires_at: when the qualification lapses (timezone-aware); ``None`` for never.
    """

    product_area: str = attrs.field(validator=v.non_empty_str)
    expires_at: datetime | None = attrs.field(
        default=None, validator=v.optional_aware_datetime, eq=v.optional_since_epoch
    )

    def valid_at(self, at: datetime) -> bool:
        """Whether the training is still valid at ``at`` (a timezone-aware datetime)."""
        v.check_aware("at", at)
        return self.expires_at is None or at < self.expires_at


@attrs.frozen(kw_only=True)
class Reviewer(Person):
    """A person trained to review fault reports against the written standard.

    Attributes:
        trainings: the product areas the reviewer is trained for, each with its expiry.
    """

    trainings: tuple[Training, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.instance(Training))
    )

    def is_qualified(self, product_area: str, at: datetime) -> bool:
        """Whether a training for ``product_area`` is valid at ``at``."""
        return any(t.product_area == product_area and t.valid_at(at) for t in self.trainings)


@attrs.frozen(kw_only=True)
class Assignee(Person):
    """The person (or the team, through ``team``) the fault is assigned to.

    Attributes:
        team: the assignment group, if any.
    """

    team: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)


# --------------------------------------------------------------------------- report parts


@attrs.frozen(kw_only=True)
class ReproductionStep:
    """One step to reproduce the fault, in the order the reporter took them.

    Attributes:
        action: what was done; not blank.
        expected: what should have happened, if said.
        actual: what happened instead, if said.
        at: when the step was taken (timezone-aware), if known.
    """

    action: str = attrs.field(validator=v.non_empty_str)
    expected: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    actual: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    at: datetime | None = attrs.field(
        default=None, validator=v.optional_aware_datetime, eq=v.optional_since_epoch
    )


@attrs.frozen(kw_only=True)
class Environment:
    """The conditions the fault was observed in.

    Attributes:
        os: operating system and version (``"Windows 11 23H2"``).
        product_version: version of the product as installed there.
        hardware: hardware model or configuration.
        temperature_c: ambient temperature in degrees Celsius (-273.15 to 1000).
        humidity_pct: relative humidity in percent (0 to 100).
        electromagnetic_interference: ``True`` when interference was present or
            suspected, ``False`` when checked and absent, ``None`` when unknown.
        extra: any other conditions, as free text keys and values.
    """

    os: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    product_version: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    hardware: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    temperature_c: float | None = attrs.field(
        default=None, validator=v.optional_float_between(-273.15, 1000.0)
    )
    humidity_pct: float | None = attrs.field(
        default=None, validator=v.optional_float_between(0.0, 100.0)
    )
    electromagnetic_interference: bool | None = attrs.field(default=None, validator=v.optional_bool)
    extra: dict[str, str] = attrs.field(factory=dict, validator=v.str_mapping)


@attrs.frozen(kw_only=True)
class Attachment:
    """A reference to evidence stored elsewhere; faultkit never holds the content.

    Attributes:
        kind: what the attachment holds (log, screenshot, dump, ...).
        uri: where it is stored; not blank.
        media_type: its media type, such as ``text/plain`` or ``image/png``.
        size_bytes: its size in bytes, if known; not negative.
        sha256: its SHA-256 digest as 64 hexadecimal characters (stored lower-case),
            if known.
    """

    kind: AttachmentKind = attrs.field(validator=v.member_of(AttachmentKind))
    uri: str = attrs.field(validator=v.non_empty_str)
    media_type: str = attrs.field(validator=v.media_type)
    size_bytes: int | None = attrs.field(default=None, validator=v.optional_non_negative_int)
    sha256: str | None = attrs.field(
        default=None, converter=v.lower_if_str, validator=v.optional_sha256
    )


@attrs.frozen(kw_only=True)
class PreliminaryCause:
    """The reporter's or first-line's first idea of the cause.

    Attributes:
        category: hardware, software defect, user operation, environment or unknown.
        text: the cause in words, if given.
    """

    category: CauseCategory = attrs.field(validator=v.member_of(CauseCategory))
    text: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)


# --------------------------------------------------------------------------- the report


@attrs.frozen(kw_only=True)
class FaultReport:
    """A fault as reported: what was seen, when, where, by whom, and how bad it looks.

    Attributes:
        id: the fault's identifier; not blank.
        title: a one-line summary; not blank.
        description: the symptom in the reporter's words; not blank.
        observed_at: when the symptom was first observed (timezone-aware).
        reported_at: when the report was made (timezone-aware; not before
            ``observed_at``).
        reporter: who reported it.
        channel: where the report came in.
        product: the product concerned; not blank.
        component: the component or module, if known.
        version: the product version, if known.
        frequency: how often the symptom occurs.
        impact_scope: how far it reaches, from one user to the whole system.
        affected_users: how many users are affected, if known; not negative.
        steps: the steps to reproduce, in order.
        environment: the conditions it was observed in, if recorded.
        error_codes: error codes shown or logged, in the order seen.
        attachments: references to logs, screenshots, dumps (never the content).
        preliminary_cause: a first idea of the cause, if any.
        suggested_fix: the reporter's suggested fix, if any.
        urgency: the urgency the reporter marked.
    """

    id: str = attrs.field(validator=v.non_empty_str)
    title: str = attrs.field(validator=v.non_empty_str)
    description: str = attrs.field(validator=v.non_empty_str)
    observed_at: datetime = attrs.field(validator=v.aware_datetime, eq=v.since_epoch)
    reported_at: datetime = attrs.field(validator=v.aware_datetime, eq=v.since_epoch)
    reporter: Reporter = attrs.field(validator=v.instance(Reporter))
    channel: IntakeChannel = attrs.field(validator=v.member_of(IntakeChannel))
    product: str = attrs.field(validator=v.non_empty_str)
    component: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    version: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    frequency: Frequency = attrs.field(validator=v.member_of(Frequency))
    impact_scope: ImpactScope = attrs.field(validator=v.member_of(ImpactScope))
    affected_users: int | None = attrs.field(default=None, validator=v.optional_non_negative_int)
    steps: tuple[ReproductionStep, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.instance(ReproductionStep))
    )
    environment: Environment | None = attrs.field(
        default=None, validator=v.optional_instance(Environment)
    )
    error_codes: tuple[str, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.non_empty_str)
    )
    attachments: tuple[Attachment, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.instance(Attachment))
    )
    preliminary_cause: PreliminaryCause | None = attrs.field(
        default=None, validator=v.optional_instance(PreliminaryCause)
    )
    suggested_fix: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    urgency: Urgency = attrs.field(validator=v.member_of(Urgency))

    def __attrs_post_init__(self) -> None:
        if self.observed_at > self.reported_at:
            raise InvalidInputError(
                "observed_at",
                self.observed_at,
                f"observed after it was reported (reported_at={self.reported_at.isoformat()})",
            )
