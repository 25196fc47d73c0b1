"""Feedback records for each intake channel, and normalisers from raw helpdesk payloads.

The procedure names five channels: the 24-hour hotline, the online form (web or in-app),
social media, e-mail and in-product surveys. Each has its record, a subclass of
:class:`Feedback` holding what every channel shares (identifier, time, text, product,
customer) plus what is particular to it. Other channels (monitoring, staff) use
:class:`Feedback` itself.

Fields holding personal data are marked with the :data:`~faultkit.feedback.privacy.PERSONAL`
metadata key; :func:`~faultkit.feedback.privacy.redact` returns a copy without them.

Normalisers (:func:`normalise_hotline`, ..., or :func:`normalise` for any channel) turn a
raw payload - a plain ``dict`` as a helpdesk hands it over - into the record. Each field
is read from the first of its accepted keys present in the payload (the tables
``*_KEYS`` below list them); pass ``keys={"text": "Notes"}`` to read a field from a key of
your own. Date-times may be ISO 8601 strings, other date strings (parsed by
``dateutil``; ``dayfirst=True`` for ``dd-mm-yyyy``; of zones only UTC offsets, a zone
name such as ``CEST`` is refused), ``datetime`` objects or Unix epoch seconds; naive
ones are refused unless ``default_tz`` is given. Identifiers may be
integers (stored as their decimal string) and whole numbers (a call's duration, a survey
score) may be digit strings, as helpdesk exports often write them; nothing else is
converted. Keys the normaliser does not read are ignored, or refused with
``strict=True``. A bad payload raises :class:`~faultkit.errors.InvalidInputError`
naming the payload key and its value.
"""

from __future__ import annotations

import enum
import functools
import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, tzinfo
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.utils import parseaddr
from typing import Any, TypeAlias

import attrs
from dateutil import parser as dateutil_parser

from faultkit import _validators as v
from faultkit._zones import offset_only
from faultkit.errors import MISSING, InvalidInputError
from faultkit.feedback.privacy import PERSONAL
from faultkit.feedback.surveys import SurveyKind, SurveyResponse
from faultkit.models import IntakeChannel
from faultkit.serialization import from_dict

__all__ = [
    "COMMON_KEYS",
    "EMAIL_KEYS",
    "FORM_KEYS",
    "HOTLINE_KEYS",
    "RATING_KEYS",
    "SOCIAL_KEYS",
    "SURVEY_KEYS",
    "AnyFeedback",
    "EmailFeedback",
    "Feedback",
    "FormFeedback",
    "FormSurface",
    "HotlineFeedback",
    "SocialFeedback",
    "SurveyFeedback",
    "feedback_class",
    "feedback_from_dict",
    "normalise",
    "normalise_email",
    "normalise_form",
    "normalise_hotline",
    "normalise_rating",
    "normalise_social",
    "normalise_survey",
    "survey_response",
]

_PERSONAL = {PERSONAL: True}
_PHONE = re.compile(r"\+?\d{3,20}")
# Domain labels hold no dot, so no part can match the same text two ways: linear time.
_EMAIL = re.compile(r"[^@\s<>]+@[^@\s<>.]+(?:\.[^@\s<>.]+)+")
_URL = re.compile(r"https?://\S+")
_MAX_HEADER = 998


def _phone(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (type(value) is not str or not _PHONE.fullmatch(value)):
        raise InvalidInputError(
            attribute.name, value, "expected a phone number: digits, optionally after '+'"
        )


def _email(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (type(value) is not str or not _EMAIL.fullmatch(value)):
        raise InvalidInputError(attribute.name, value, "expected an e-mail address")


def _url(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (type(value) is not str or not _URL.fullmatch(value)):
        raise InvalidInputError(attribute.name, value, "expected an http(s) URL")


def _channel(expected: IntakeChannel) -> v.Validator:
    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not expected:
            raise InvalidInputError(attribute.name, value, f"must be {expected.value!r} here")

    return check


class FormSurface(enum.StrEnum):
    """Where an online form was filled in."""

    WEB = "web"
    """The web site or the customer portal."""
    IN_APP = "in_app"
    """A form inside the product (an app or the device's own UI)."""


# --------------------------------------------------------------------------- records


@attrs.frozen(kw_only=True)
class Feedback:
    """A piece of customer feedback, whatever the channel.

    Attributes:
        id: the feedback's identifier; not blank.
        channel: where it came in. The five channels of the procedure have their own
            record class (:class:`HotlineFeedback`, ...); this class takes the others.
        received_at: when it came in (timezone-aware).
        text: what the customer said; not blank.
        subject: a subject line or title, if any.
        product: the product concerned, if known.
        version: the product version, if known.
        customer_id: the customer's identifier (personal data).
        customer_name: the customer's name (personal data).
        customer_tier: the customer's service tier or plan (``"enterprise"``), if known.
    """

    id: str = attrs.field(validator=v.non_empty_str)
    channel: IntakeChannel = attrs.field(validator=v.member_of(IntakeChannel))
    received_at: datetime = attrs.field(validator=v.aware_datetime, eq=v.since_epoch)
    text: str = attrs.field(validator=v.non_empty_str)
    subject: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    product: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    version: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    customer_id: str | None = attrs.field(
        default=None, validator=v.optional_non_empty_str, metadata=_PERSONAL
    )
    customer_name: str | None = attrs.field(
        default=None, validator=v.optional_non_empty_str, metadata=_PERSONAL
    )
    customer_tier: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)

    def __attrs_post_init__(self) -> None:
        expected = _CLASSES.get(self.channel, Feedback)
        if not isinstance(self, expected):
            raise InvalidInputError(
                "channel", self.channel, f"use {expected.__name__} for this channel"
            )


def _not_after_receipt(inst: Any, attribute: attrs.Attribute[Any], value: datetime) -> None:
    """The call came first: it cannot start after the feedback was received (instants)."""
    if v.since_epoch(value) > v.since_epoch(inst.received_at):
        raise InvalidInputError(
            attribute.name, value, f"is after received_at ({inst.received_at.isoformat()})"
        )


@attrs.frozen(kw_only=True)
class HotlineFeedback(Feedback):
    """A call to the 24-hour hotline.

    Attributes:
        channel: always ``IntakeChannel.HOTLINE``.
        call_started_at: when the call started (timezone-aware; not after
            ``received_at``).
        call_duration_s: how long the call lasted, in seconds, if known.
        agent: the agent who took the call (identifier or name); not blank.
        callback_number: the number to call the customer back on, digits with an
            optional leading ``+`` (personal data).
    """

    channel: IntakeChannel = attrs.field(
        default=IntakeChannel.HOTLINE, validator=_channel(IntakeChannel.HOTLINE)
    )
    call_started_at: datetime = attrs.field(
        validator=[v.aware_datetime, _not_after_receipt], eq=v.since_epoch
    )
    call_duration_s: int | None = attrs.field(default=None, validator=v.optional_non_negative_int)
    agent: str = attrs.field(validator=v.non_empty_str)
    callback_number: str | None = attrs.field(default=None, validator=_phone, metadata=_PERSONAL)


@attrs.frozen(kw_only=True)
class FormFeedback(Feedback):
    """An online form, on the web or inside the product.

    Attributes:
        channel: always ``IntakeChannel.ONLINE_FORM``.
        surface: web or in-app.
        form_id: which form, if there are several.
        page: the page URL or the app screen the form was sent from, if known.
        email: the contact address the customer gave (personal data).
    """

    channel: IntakeChannel = attrs.field(
        default=IntakeChannel.ONLINE_FORM, validator=_channel(IntakeChannel.ONLINE_FORM)
    )
    surface: FormSurface = attrs.field(validator=v.member_of(FormSurface))
    form_id: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    page: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    email: str | None = attrs.field(default=None, validator=_email, metadata=_PERSONAL)


@attrs.frozen(kw_only=True)
class SocialFeedback(Feedback):
    """A post or message on social media.

    Attributes:
        channel: always ``IntakeChannel.SOCIAL_MEDIA``.
        platform: the network, lower-case (``"x"``, ``"facebook"``, ``"reddit"``).
        public_url: the post's public URL (personal data: it leads to the author).
        author_handle: the author's handle, without a leading ``@`` (ASCII or full-width
            U+FF20; personal data).
        is_public: ``True`` for a public post, ``False`` for a private message.
    """

    channel: IntakeChannel = attrs.field(
        default=IntakeChannel.SOCIAL_MEDIA, validator=_channel(IntakeChannel.SOCIAL_MEDIA)
    )
    platform: str = attrs.field(converter=v.lower_if_str, validator=v.non_empty_str)
    public_url: str | None = attrs.field(default=None, validator=_url, metadata=_PERSONAL)
    author_handle: str | None = attrs.field(
        default=None, validator=v.optional_non_empty_str, metadata=_PERSONAL
    )
    is_public: bool = attrs.field(default=True, validator=v.is_bool)


@attrs.frozen(kw_only=True)
class EmailFeedback(Feedback):
    """An e-mail to support.

    Attributes:
        channel: always ``IntakeChannel.EMAIL``.
        from_address: the sender's address (personal data).
        message_id: the ``Message-ID`` header, if known.
        thread_id: the conversation it belongs to, if known.
    """

    channel: IntakeChannel = attrs.field(
        default=IntakeChannel.EMAIL, validator=_channel(IntakeChannel.EMAIL)
    )
    from_address: str | None = attrs.field(default=None, validator=_email, metadata=_PERSONAL)
    message_id: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    thread_id: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)


@attrs.frozen(kw_only=True)
class SurveyFeedback(Feedback):
    """An answer to a survey or feedback widget inside the product.

    Attributes:
        channel: always ``IntakeChannel.IN_PRODUCT_SURVEY``.
        survey_id: which survey; not blank.
        question: the question asked, if known.
        kind: NPS, CSAT or CES when the survey carries a score.
        score: the score given, if any (its range depends on ``kind``).
        screen: the screen or feature the survey was shown on, if known.
    """

    channel: IntakeChannel = attrs.field(
        default=IntakeChannel.IN_PRODUCT_SURVEY,
        validator=_channel(IntakeChannel.IN_PRODUCT_SURVEY),
    )
    survey_id: str = attrs.field(validator=v.non_empty_str)
    question: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    kind: SurveyKind | None = attrs.field(default=None, validator=v.optional_member_of(SurveyKind))
    score: int | None = attrs.field(default=None, validator=v.optional_non_negative_int)
    screen: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)


AnyFeedback: TypeAlias = (
    Feedback | HotlineFeedback | FormFeedback | SocialFeedback | EmailFeedback | SurveyFeedback
)
"""Any feedback record."""

_CLASSES: dict[IntakeChannel, type[Feedback]] = {
    IntakeChannel.HOTLINE: HotlineFeedback,
    IntakeChannel.ONLINE_FORM: FormFeedback,
    IntakeChannel.SOCIAL_MEDIA: SocialFeedback,
    IntakeChannel.EMAIL: EmailFeedback,
    IntakeChannel.IN_PRODUCT_SURVEY: SurveyFeedback,
}


def feedback_class(channel: IntakeChannel) -> type[Feedback]:
    """The record class for ``channel`` (:class:`Feedback` for channels without one)."""
    return _CLASSES.get(v.enum_member("channel", channel, IntakeChannel), Feedback)


def feedback_from_dict(data: Any) -> Feedback:
    """Structure a feedback record of any channel, as written by ``to_dict``.

    The ``channel`` key picks the record class, so a mixed list of feedback can be
    read back with ``[feedback_from_dict(d) for d in rows]``.

    Raises:
        InvalidInputError: no valid ``channel``, or the data does not describe a record
            of that channel's class.
    """
    if not isinstance(data, Mapping):
        raise InvalidInputError("", data, "expected an object describing a feedback record")
    raw = data.get("channel", MISSING)
    channels = {c.value: c for c in IntakeChannel}
    channel = channels.get(raw) if type(raw) is str else None
    if channel is None:
        allowed = ", ".join(repr(c.value) for c in IntakeChannel)
        raise InvalidInputError("channel", raw, f"expected one of {allowed}")
    return from_dict(data, _CLASSES.get(channel, Feedback))


# --------------------------------------------------------------------------- key tables

COMMON_KEYS: Mapping[str, tuple[str, ...]] = {
    "id": ("id", "ticket_id", "ticket", "case_id"),
    "received_at": ("received_at", "created_at", "timestamp", "date"),
    "text": ("text", "body", "message", "description", "comment", "notes"),
    "subject": ("subject", "title"),
    "product": ("product",),
    "version": ("version", "product_version", "app_version"),
    "customer_id": ("customer_id", "customer", "account_id", "user_id"),
    "customer_name": ("customer_name", "name", "caller_name"),
    "customer_tier": ("customer_tier", "tier", "plan"),
}
"""Payload keys read for the fields every channel shares, in order of preference."""

HOTLINE_KEYS: Mapping[str, tuple[str, ...]] = {
    "call_started_at": ("call_started_at", "call_time", "call_start"),
    "call_duration_s": ("call_duration_s", "duration_s", "duration"),
    "agent": ("agent", "agent_id", "agent_name"),
    "callback_number": ("callback_number", "caller_number", "phone"),
}
"""Payload keys of a hotline call (``received_at`` defaults to the call time)."""

FORM_KEYS: Mapping[str, tuple[str, ...]] = {
    "surface": ("surface", "source"),
    "form_id": ("form_id", "form"),
    "page": ("page", "url", "screen"),
    "email": ("email", "contact_email"),
}
"""Payload keys of an online form (``surface``: ``web``, ``in_app`` or ``in-app``)."""

SOCIAL_KEYS: Mapping[str, tuple[str, ...]] = {
    "platform": ("platform", "network"),
    "public_url": ("public_url", "url", "permalink"),
    "author_handle": ("author_handle", "handle", "author", "username"),
    "is_public": ("is_public", "public"),
}
"""Payload keys of a social media post."""

EMAIL_KEYS: Mapping[str, tuple[str, ...]] = {
    "from_address": ("from_address", "from", "sender"),
    "message_id": ("message_id", "Message-ID"),
    "thread_id": ("thread_id", "conversation_id"),
}
"""Payload keys of an e-mail (a ``Name <address>`` sender also fills ``customer_name``)."""

SURVEY_KEYS: Mapping[str, tuple[str, ...]] = {
    "survey_id": ("survey_id", "survey"),
    "question": ("question",),
    "kind": ("kind", "metric"),
    "score": ("score", "rating"),
    "screen": ("screen", "feature"),
}
"""Payload keys of an in-product survey answer."""

RATING_KEYS: Mapping[str, tuple[str, ...]] = {
    "score": ("score", "rating", "stars", "star_rating", "overall"),
    "kind": ("kind", "metric"),
}
"""Payload keys of a rating (a review's stars) read by :func:`normalise_rating`."""


# --------------------------------------------------------------------------- normalising


class _Reader:
    """Reads fields from a raw payload by their accepted keys, remembering what it read."""

    def __init__(
        self,
        raw: Any,
        tables: tuple[Mapping[str, tuple[str, ...]], ...],
        keys: Mapping[str, str] | None,
        default_tz: tzinfo | None,
        dayfirst: bool,
    ) -> None:
        if not isinstance(raw, Mapping):
            raise InvalidInputError("", raw, "expected a payload mapping of keys to values")
        self.raw = raw
        self.aliases: dict[str, tuple[str, ...]] = {}
        for table in tables:
            self.aliases.update(table)
        for name, key in (keys or {}).items():
            if name not in self.aliases:
                raise InvalidInputError(
                    f"keys.{name}", key, f"not a field here ({', '.join(self.aliases)})"
                )
            self.aliases[name] = (key,)
        self.default_tz = default_tz
        self.dayfirst = dayfirst
        self.used: set[str] = set()

    def find(self, name: str) -> tuple[str, Any]:
        for key in self.aliases[name]:
            if key in self.raw and self.raw[key] is not None:
                self.used.add(key)
                return key, self.raw[key]
        return self.aliases[name][0], MISSING

    def _require(self, name: str, key: str, value: Any) -> None:
        if value is MISSING:
            also = self.aliases[name][1:]
            hint = f" (also read from: {', '.join(also)})" if also else ""
            raise InvalidInputError(key, MISSING, f"required field is missing{hint}")

    def text(self, name: str, *, required: bool = False) -> str | None:
        key, value = self.find(name)
        if value is MISSING:
            if required:
                self._require(name, key, value)
            return None
        if type(value) is not str:
            raise InvalidInputError(key, value, f"expected a string, not {type(value).__name__}")
        value = value.strip()
        if not value:
            if required:
                raise InvalidInputError(key, self.raw[key], "must not be empty or blank")
            return None
        return value

    def ident(self, name: str, *, required: bool = False) -> str | None:
        _, value = self.find(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return self.text(name, required=required)

    def integer(self, name: str) -> int | None:
        key, value = self.find(name)
        if value is MISSING:
            return None
        return v.parse_whole(key, value)

    def boolean(self, name: str, default: bool) -> bool:
        key, value = self.find(name)
        if value is MISSING:
            return default
        if type(value) is not bool:
            raise InvalidInputError(key, value, "expected true or false")
        return value

    def when(self, name: str, *, required: bool = False) -> datetime | None:
        key, value = self.find(name)
        if value is MISSING:
            if required:
                self._require(name, key, value)
            return None
        parsed = self._parse_datetime(key, value)
        if parsed.utcoffset() is None:
            if self.default_tz is None:
                raise InvalidInputError(
                    key, value, "date-time without a time zone: give one, or pass default_tz="
                )
            parsed = parsed.replace(tzinfo=self.default_tz)
        return parsed

    def _parse_datetime(self, key: str, value: Any) -> datetime:
        if isinstance(value, datetime):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            try:
                return datetime.fromtimestamp(value, tz=UTC)
            except (OverflowError, OSError, ValueError):
                raise InvalidInputError(key, value, "epoch seconds out of range") from None
        if type(value) is not str or not value.strip():
            raise InvalidInputError(key, value, "expected a date-time")
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            pass
        try:
            return dateutil_parser.parse(value, dayfirst=self.dayfirst, tzinfos=offset_only)
        except (ValueError, OverflowError):
            raise InvalidInputError(key, value, "not a date-time faultkit can read") from None

    def check_unknown(self, strict: bool) -> None:
        if not strict:
            return
        known = {key for aliases in self.aliases.values() for key in aliases}
        for key in self.raw:
            if key not in known:
                raise InvalidInputError(str(key), self.raw[key], "unknown key (strict=True)")

    def build(self, cls: type[Any], **fields: Any) -> Any:
        try:
            return cls(**fields)
        except InvalidInputError as exc:
            # Name the payload key the offending field was read from.
            name = exc.field.split("[", 1)[0].split(".", 1)[0]
            key = next((k for k in self.aliases.get(name, ()) if k in self.used), None)
            if key is None:
                raise InvalidInputError(name, exc.value, exc.reason) from None
            raise InvalidInputError(key, self.raw[key], exc.reason) from None


def _common(reader: _Reader) -> dict[str, Any]:
    return {
        "id": reader.ident("id", required=True),
        "text": reader.text("text", required=True),
        "subject": reader.text("subject"),
        "product": reader.text("product"),
        "version": reader.text("version"),
        "customer_id": reader.ident("customer_id"),
        "customer_name": reader.text("customer_name"),
        "customer_tier": reader.text("customer_tier"),
    }


Keys: TypeAlias = Mapping[str, str] | None

_Fill: TypeAlias = Callable[[_Reader, dict[str, Any]], None]
"""Reads a channel's own fields into the common ones (in the order the channel reads them)."""


def _normalise(
    raw: Mapping[str, Any],
    cls: type[Any],
    table: Mapping[str, tuple[str, ...]] | None,
    fill: _Fill,
    keys: Keys,
    default_tz: tzinfo | None,
    dayfirst: bool,
    strict: bool,
) -> Any:
    """What every normaliser does: read the common fields, the channel's, then build."""
    tables = (COMMON_KEYS,) if table is None else (COMMON_KEYS, table)
    reader = _Reader(raw, tables, keys, default_tz, dayfirst)
    fields = _common(reader)
    fill(reader, fields)
    reader.check_unknown(strict)
    return reader.build(cls, **fields)


def _received(reader: _Reader, fields: dict[str, Any]) -> None:
    fields["received_at"] = reader.when("received_at", required=True)


def _lookup(reader: _Reader, name: str, members: Mapping[str, Any], expected: str) -> Any:
    """The enum member named by a text field (``None`` when absent); refused otherwise."""
    key, _ = reader.find(name)
    text = reader.text(name)
    if text is None:
        return None
    member = members.get(text.lower().replace("-", "_"))
    if member is None:
        raise InvalidInputError(key, text, f"expected {expected}")
    return member


def _hotline_fields(reader: _Reader, fields: dict[str, Any]) -> None:
    call = reader.when("call_started_at", required=True)
    received = reader.when("received_at") or call
    number = reader.text("callback_number")
    if number is not None:
        number = re.sub(r"[\s().-]", "", number)
    fields.update(
        received_at=received,
        call_started_at=call,
        call_duration_s=reader.integer("call_duration_s"),
        agent=reader.ident("agent", required=True),
        callback_number=number,
    )


def _form_fields(reader: _Reader, fields: dict[str, Any]) -> None:
    surfaces = {f.value: f for f in FormSurface}
    surface = _lookup(reader, "surface", surfaces, "'web' or 'in_app'") or FormSurface.WEB
    _received(reader, fields)
    fields.update(
        surface=surface,
        form_id=reader.ident("form_id"),
        page=reader.text("page"),
        email=reader.text("email"),
    )


def _social_fields(reader: _Reader, fields: dict[str, Any]) -> None:
    handle = reader.text("author_handle")
    if handle is not None:
        # the at sign as typed in ASCII, full width (U+FF20, a CJK input method) or small
        handle = handle.lstrip("@\uff20\ufe6b") or None
    _received(reader, fields)
    fields.update(
        platform=reader.text("platform", required=True),
        public_url=reader.text("public_url"),
        author_handle=handle,
        is_public=reader.boolean("is_public", True),
    )
    if fields["customer_id"] is None and handle is not None:
        fields["customer_id"] = f"{fields['platform'].lower()}:{handle}"


def _parse_sender(sender: str) -> tuple[str, str]:
    """``(name, address)`` of a From header; ``("", "")`` when it cannot be one.

    A header line holds at most 998 characters (RFC 5322, 2.1.1); longer values, and
    values nested so deep that the standard library's parser recurses past Python's
    limit (998 ``(`` or ``:``), are not addresses.
    """
    if len(sender) > _MAX_HEADER:
        return "", ""
    try:
        return parseaddr(sender)
    except RecursionError:
        return "", ""


def _decode_words(value: str) -> str:
    """``value`` with its RFC 2047 encoded-words decoded (``=?iso-2022-jp?b?...?=``:
    Japanese, Korean and Chinese subjects and sender names come so); as it came when it
    holds none, is longer than a header line may be, holds characters outside ASCII
    (it was decoded already), or when a word cannot be decoded (unknown charset, bad
    base64) or decodes to control characters."""
    if "=?" not in value or len(value) > _MAX_HEADER or not value.isascii():
        return value
    try:
        decoded = str(make_header(decode_header(value))).strip()
    except (HeaderParseError, LookupError, UnicodeError, ValueError):
        return value
    if not decoded or any(unicodedata.category(char) == "Cc" for char in decoded):
        return value
    return decoded


def _email_fields(reader: _Reader, fields: dict[str, Any]) -> None:
    sender_key, _ = reader.find("from_address")
    sender = reader.text("from_address", required=True)
    name, address = _parse_sender(sender or "")
    name = _decode_words(name)
    if fields["subject"] is not None:
        fields["subject"] = _decode_words(fields["subject"])
    if not address or not _EMAIL.fullmatch(address):
        raise InvalidInputError(sender_key, sender, "expected an e-mail address")
    _received(reader, fields)
    fields.update(
        from_address=address,
        message_id=reader.text("message_id"),
        thread_id=reader.ident("thread_id"),
    )
    if fields["customer_name"] is None and name:
        fields["customer_name"] = name
    if fields["customer_id"] is None:
        fields["customer_id"] = address.lower()


def _survey_fields(reader: _Reader, fields: dict[str, Any]) -> None:
    kinds = {k.value: k for k in SurveyKind}
    kind = _lookup(reader, "kind", kinds, "'nps', 'csat' or 'ces'")
    score_key, _ = reader.find("score")
    score = reader.integer("score")
    if score is not None and kind is not None:
        low, high = _SCORE_RANGES[kind]
        if not low <= score <= high:
            raise InvalidInputError(
                score_key, score, f"{kind.value.upper()} scores run from {low} to {high}"
            )
    _received(reader, fields)
    fields.update(
        survey_id=reader.ident("survey_id", required=True),
        question=reader.text("question"),
        kind=kind,
        score=score,
        screen=reader.text("screen"),
    )


_SCORE_RANGES = {SurveyKind.NPS: (0, 10), SurveyKind.CSAT: (1, 5), SurveyKind.CES: (1, 7)}

_CHANNELS: dict[IntakeChannel, tuple[type[Feedback], Mapping[str, tuple[str, ...]], _Fill]] = {
    IntakeChannel.HOTLINE: (HotlineFeedback, HOTLINE_KEYS, _hotline_fields),
    IntakeChannel.ONLINE_FORM: (FormFeedback, FORM_KEYS, _form_fields),
    IntakeChannel.SOCIAL_MEDIA: (SocialFeedback, SOCIAL_KEYS, _social_fields),
    IntakeChannel.EMAIL: (EmailFeedback, EMAIL_KEYS, _email_fields),
    IntakeChannel.IN_PRODUCT_SURVEY: (SurveyFeedback, SURVEY_KEYS, _survey_fields),
}
"""Each channel with a record of its own: the class, its key table, its field reader."""


def normalise_hotline(
    raw: Mapping[str, Any],
    *,
    keys: Keys = None,
    default_tz: tzinfo | None = None,
    dayfirst: bool = False,
    strict: bool = False,
) -> HotlineFeedback:
    """Build a :class:`HotlineFeedback` from a raw call record.

    Args:
        raw: the payload (see :data:`COMMON_KEYS` and :data:`HOTLINE_KEYS`).
        keys: field name -> payload key, for payloads with keys of their own.
        default_tz: the time zone of naive date-times (refused when ``None``).
        dayfirst: read ambiguous dates as day first (``01-02-2024`` = 1 February).
        strict: refuse keys the normaliser does not read.

    Returns:
        The record; the callback number keeps only its digits and a leading ``+``.

    Raises:
        InvalidInputError: a required key is missing or a value is bad; ``field`` is the
            payload key.
    """
    result: HotlineFeedback = _normalise(
        raw, *_CHANNELS[IntakeChannel.HOTLINE], keys, default_tz, dayfirst, strict
    )
    return result


def normalise_form(
    raw: Mapping[str, Any],
    *,
    keys: Keys = None,
    default_tz: tzinfo | None = None,
    dayfirst: bool = False,
    strict: bool = False,
) -> FormFeedback:
    """Build a :class:`FormFeedback` from a raw form submission.

    Args:
        raw: the payload (see :data:`COMMON_KEYS` and :data:`FORM_KEYS`); ``surface``
            defaults to ``web``.
        keys: field name -> payload key, for payloads with keys of their own.
        default_tz: the time zone of naive date-times (refused when ``None``).
        dayfirst: read ambiguous dates as day first.
        strict: refuse keys the normaliser does not read.

    Returns:
        The record.

    Raises:
        InvalidInputError: a required key is missing or a value is bad; ``field`` is the
            payload key.
    """
    result: FormFeedback = _normalise(
        raw, *_CHANNELS[IntakeChannel.ONLINE_FORM], keys, default_tz, dayfirst, strict
    )
    return result


def normalise_social(
    raw: Mapping[str, Any],
    *,
    keys: Keys = None,
    default_tz: tzinfo | None = None,
    dayfirst: bool = False,
    strict: bool = False,
) -> SocialFeedback:
    """Build a :class:`SocialFeedback` from a raw social media post.

    Args:
        raw: the payload (see :data:`COMMON_KEYS` and :data:`SOCIAL_KEYS`).
        keys: field name -> payload key, for payloads with keys of their own.
        default_tz: the time zone of naive date-times (refused when ``None``).
        dayfirst: read ambiguous dates as day first.
        strict: refuse keys the normaliser does not read.

    Returns:
        The record; the handle loses a leading ``@`` (or full-width U+FF20, as a
        Chinese or Japanese input method types it), the platform is lower-cased.

    Raises:
        InvalidInputError: a required key is missing or a value is bad; ``field`` is the
            payload key.
    """
    result: SocialFeedback = _normalise(
        raw, *_CHANNELS[IntakeChannel.SOCIAL_MEDIA], keys, default_tz, dayfirst, strict
    )
    return result


def normalise_email(
    raw: Mapping[str, Any],
    *,
    keys: Keys = None,
    default_tz: tzinfo | None = None,
    dayfirst: bool = False,
    strict: bool = False,
) -> EmailFeedback:
    """Build an :class:`EmailFeedback` from a raw e-mail.

    Args:
        raw: the payload (see :data:`COMMON_KEYS` and :data:`EMAIL_KEYS`); the sender
            may be ``"Ann Example <ann@example.com>"``. RFC 2047 encoded-words in the
            subject and the sender's name (``=?iso-2022-jp?b?...?=``, as Japanese and
            Korean mail carries them) are decoded.
        keys: field name -> payload key, for payloads with keys of their own.
        default_tz: the time zone of naive date-times (refused when ``None``).
        dayfirst: read ambiguous dates as day first.
        strict: refuse keys the normaliser does not read.

    Returns:
        The record; a display name in the sender fills ``customer_name`` when absent,
        and the address is the default ``customer_id``.

    Raises:
        InvalidInputError: a required key is missing or a value is bad; ``field`` is the
            payload key.
    """
    result: EmailFeedback = _normalise(
        raw, *_CHANNELS[IntakeChannel.EMAIL], keys, default_tz, dayfirst, strict
    )
    return result


def normalise_survey(
    raw: Mapping[str, Any],
    *,
    keys: Keys = None,
    default_tz: tzinfo | None = None,
    dayfirst: bool = False,
    strict: bool = False,
) -> SurveyFeedback:
    """Build a :class:`SurveyFeedback` from a raw in-product survey answer.

    Args:
        raw: the payload (see :data:`COMMON_KEYS` and :data:`SURVEY_KEYS`); ``kind`` is
            ``nps``, ``csat`` or ``ces`` (any case) when a score is given.
        keys: field name -> payload key, for payloads with keys of their own.
        default_tz: the time zone of naive date-times (refused when ``None``).
        dayfirst: read ambiguous dates as day first.
        strict: refuse keys the normaliser does not read.

    Returns:
        The record.

    Raises:
        InvalidInputError: a required key is missing or a value is bad (an NPS score
            outside 0-10, a CSAT score outside 1-5, a CES score outside 1-7); ``field``
            is the payload key.
    """
    result: SurveyFeedback = _normalise(
        raw, *_CHANNELS[IntakeChannel.IN_PRODUCT_SURVEY], keys, default_tz, dayfirst, strict
    )
    return result


def normalise(
    raw: Mapping[str, Any],
    channel: IntakeChannel,
    *,
    keys: Keys = None,
    default_tz: tzinfo | None = None,
    dayfirst: bool = False,
    strict: bool = False,
) -> Feedback:
    """Build the feedback record of ``channel`` from a raw payload.

    Channels without their own record (monitoring, staff) give a :class:`Feedback`
    read from :data:`COMMON_KEYS`. See :func:`normalise_hotline` for the arguments.

    Raises:
        InvalidInputError: ``channel`` is not an :class:`~faultkit.models.IntakeChannel`,
            or the payload is bad (``field`` is the payload key).
    """
    if not isinstance(channel, IntakeChannel):
        raise InvalidInputError("channel", channel, "expected an IntakeChannel")
    plain = (Feedback, None, functools.partial(_plain_fields, channel))
    cls, table, fill = _CHANNELS.get(channel, plain)
    result: Feedback = _normalise(raw, cls, table, fill, keys, default_tz, dayfirst, strict)
    return result


def _plain_fields(channel: IntakeChannel, reader: _Reader, fields: dict[str, Any]) -> None:
    fields["channel"] = channel
    _received(reader, fields)


def survey_response(item: SurveyFeedback) -> SurveyResponse | None:
    """The :class:`~faultkit.feedback.SurveyResponse` an in-product survey answer carries.

    Lets in-product answers join the NPS / CSAT / CES scores and breakdowns of
    :mod:`faultkit.feedback.surveys`. The channel, product, customer and comment are
    carried over.

    Returns:
        ``None`` when the answer has no ``kind`` or no ``score``.

    Raises:
        InvalidInputError: ``item`` is not a :class:`SurveyFeedback`.
    """
    if not isinstance(item, SurveyFeedback):
        raise InvalidInputError("item", item, "expected a SurveyFeedback")
    if item.kind is None or item.score is None:
        return None
    return SurveyResponse(
        id=item.id,
        kind=item.kind,
        score=item.score,
        answered_at=item.received_at,
        channel=item.channel,
        product=item.product,
        customer_id=item.customer_id,
        comment=item.text,
    )


def normalise_rating(
    raw: Mapping[str, Any],
    *,
    kind: SurveyKind = SurveyKind.CSAT,
    channel: IntakeChannel | None = None,
    keys: Keys = None,
    default_tz: tzinfo | None = None,
    dayfirst: bool = False,
    strict: bool = False,
) -> SurveyResponse:
    """Read a rating (a review's stars, with or without text) as a survey answer.

    A review with a star rating and no text is not feedback to triage (there is
    nothing to classify), but it is an answer to "how satisfied are you": this reads
    it as a :class:`~faultkit.feedback.SurveyResponse` so it counts in CSAT / NPS /
    CES scores and breakdowns. Text, when there is some, becomes the comment (read
    the same payload with :func:`normalise_survey` or :func:`normalise` to triage it).

    Args:
        raw: the payload: ``id`` and ``received_at`` as :data:`COMMON_KEYS` name them,
            the score and an optional kind as :data:`RATING_KEYS` name them, and the
            optional ``text``, ``product`` and ``customer_id``.
        kind: the scale of the score when the payload does not say (five-star
            reviews are CSAT, 1-5).
        channel: the channel the rating came through, if known.
        keys: field name -> payload key, for payloads with keys of their own.
        default_tz: the time zone of naive date-times (refused when ``None``).
        dayfirst: read ambiguous dates as day first.
        strict: refuse keys this function does not read.

    Raises:
        InvalidInputError: no id, time or score, or a score outside the kind's scale
            (NPS 0-10, CSAT 1-5, CES 1-7); ``field`` is the payload key.

    Example:
        >>> normalise_rating({"id": 7, "date": "2024-05-01T10:00Z", "stars": "4"}).score
        4
    """
    if channel is not None and not isinstance(channel, IntakeChannel):
        raise InvalidInputError("channel", channel, "expected an IntakeChannel or None")
    kind = v.enum_member("kind", kind, SurveyKind)
    reader = _Reader(raw, (COMMON_KEYS, RATING_KEYS), keys, default_tz, dayfirst)
    kinds = {k.value: k for k in SurveyKind}
    kind = _lookup(reader, "kind", kinds, "'nps', 'csat' or 'ces'") or kind
    score_key, found = reader.find("score")
    if type(found) is float and found.is_integer():  # 4.0 stars, as review exports write
        score: int | None = int(found)
    elif isinstance(found, str) and not found.strip():  # a blank cell: no rating given
        raise InvalidInputError(score_key, found, "no rating: the value is blank")
    else:
        score = reader.integer("score")
    if score is None:
        reader._require("score", score_key, MISSING)
    low, high = _SCORE_RANGES[kind]
    if score is None or not low <= score <= high:
        raise InvalidInputError(
            score_key, score, f"{kind.value.upper()} scores run from {low} to {high}"
        )
    fields = {
        "id": reader.ident("id", required=True),
        "answered_at": reader.when("received_at", required=True),
        "kind": kind,
        "score": score,
        "channel": channel,
        "product": reader.text("product"),
        "customer_id": reader.ident("customer_id"),
        "comment": reader.text("text"),
    }
    reader.check_unknown(strict)
    result: SurveyResponse = reader.build(SurveyResponse, **fields)
    return result
