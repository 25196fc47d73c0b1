"""Feedback intake: records per channel, normalisers from raw payloads, redaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from hypothesis import given, settings

from faultkit.errors import MISSING, InvalidInputError
from faultkit.feedback import (
    PERSONAL,
    REDACTED,
    EmailFeedback,
    Feedback,
    FormFeedback,
    FormSurface,
    HotlineFeedback,
    SocialFeedback,
    SurveyFeedback,
    SurveyKind,
    SurveyResponse,
    feedback_class,
    feedback_from_dict,
    normalise,
    normalise_email,
    normalise_form,
    normalise_hotline,
    normalise_social,
    normalise_survey,
    personal_fields,
    redact,
    scrub,
    survey_response,
)
from faultkit.models import IntakeChannel
from faultkit.serialization import from_dict, to_dict, to_json
from faultkit.testing.feedback import any_feedback

AT = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)


# --------------------------------------------------------------------------- normalisers


def test_hotline_payload() -> None:
    item = normalise_hotline(
        {
            "ticket": 4711,
            "call_time": "2024-05-01T11:30:00+02:00",
            "duration": "95",
            "agent": "agent-7",
            "caller_number": "+44 (20) 7946-0958",
            "notes": "  Printer jams after firmware update  ",
            "product": "PrintHub",
            "tier": "enterprise",
        }
    )
    assert isinstance(item, HotlineFeedback)
    assert item.id == "4711"
    assert item.channel is IntakeChannel.HOTLINE
    assert item.received_at == item.call_started_at == AT
    assert item.call_duration_s == 95
    assert item.callback_number == "+442079460958"
    assert item.text == "Printer jams after firmware update"
    assert item.customer_tier == "enterprise"


def test_form_payload_in_app_and_naive_time_with_default_tz() -> None:
    item = normalise_form(
        {
            "id": "F1",
            "created_at": "01-05-2024 11:30",
            "description": "The export button does nothing",
            "source": "In-App",
            "screen": "reports/export",
            "contact_email": "ann@example.com",
        },
        default_tz=timezone(timedelta(hours=2)),
        dayfirst=True,
    )
    assert isinstance(item, FormFeedback)
    assert item.surface is FormSurface.IN_APP
    assert item.received_at == AT
    assert item.page == "reports/export"
    assert item.email == "ann@example.com"


def test_social_payload() -> None:
    item = normalise_social(
        {
            "id": "S1",
            "timestamp": 1714555800,  # epoch seconds: 2024-05-01T09:30:00Z
            "message": "App crashes on login since the update #fail",
            "network": "X",
            "permalink": "https://x.example/anne/status/1",
            "handle": "@anne",
        }
    )
    assert isinstance(item, SocialFeedback)
    assert item.received_at == AT
    assert item.platform == "x"
    assert item.author_handle == "anne"
    assert item.customer_id == "x:anne"
    assert item.is_public


@pytest.mark.parametrize("handle", ["@yamada", "\uff20yamada", "\ufe6byamada", "@@yamada"])
def test_a_handle_typed_with_a_full_width_at_sign_is_the_same_customer(handle: str) -> None:
    # A Japanese or Chinese input method types the at sign as U+FF20: the handle
    # "\uff20yamada" was the customer "x:\uff20yamada", another than "x:yamada".
    raw = {"id": "S2", "timestamp": 1714555800, "message": "画面割れ", "network": "X"}
    item = normalise_social({**raw, "handle": handle})
    assert (item.author_handle, item.customer_id) == ("yamada", "x:yamada")


def test_email_payload_with_display_name_and_rfc2822_date() -> None:
    item = normalise_email(
        {
            "id": "M1",
            "from": "Ann Example <Ann@Example.com>",
            "date": "Wed, 01 May 2024 11:30:00 +0200",
            "subject": "Invoice PDF is blank",
            "body": "The PDF invoice opens blank.",
            "Message-ID": "<abc@example.com>",
        }
    )
    assert isinstance(item, EmailFeedback)
    assert item.received_at == AT
    assert item.customer_name == "Ann Example"
    assert item.from_address == "Ann@Example.com"
    assert item.customer_id == "ann@example.com"
    assert item.message_id == "<abc@example.com>"


def test_encoded_words_in_a_japanese_or_korean_mail_header_are_decoded() -> None:
    # Japanese mail carries its subject and sender name as RFC 2047 encoded-words in
    # ISO-2022-JP; email.message_from_bytes (policy compat32) hands them over undecoded.
    from email.header import Header

    subject = Header("画面が割れていました", "iso-2022-jp").encode()
    sender = Header("山田太郎", "iso-2022-jp").encode() + " <taro@example.jp>"
    assert subject.startswith("=?iso-2022-jp?b?")
    item = normalise_email(
        {
            "id": "M2",
            "from": sender,
            "date": "2024-05-01T18:30:00+09:00",
            "subject": subject,
            "body": "届いた商品の画面が割れていました",
        }
    )
    assert (item.subject, item.customer_name) == ("画面が割れていました", "山田太郎")
    assert item.from_address == "taro@example.jp"
    korean = normalise_email(
        {
            "id": "M3",
            "from": "=?UTF-8?B?6rmA66+87IiY?= <kim@example.kr>",
            "date": "2024-05-01T18:30:00+09:00",
            "subject": "=?UTF-8?Q?=ED=99=98=EB=B6=88?= =?UTF-8?Q?_=EC=9A=94=EC=B2=AD?=",
            "body": "x",
        }
    )
    assert (korean.subject, korean.customer_name) == ("환불 요청", "김민수")
    # what cannot be decoded stays as it came: an unknown charset, bad base64, no word
    # nor a header already holding decoded text (it would come back as "\\u753b..."),
    # nor one that decodes to control characters
    for kept in (
        "=?x-unknown?B?aGVsbG8=?=",
        "=?UTF-8?B?###?=",
        "Re: =? not a word ?=",
        "Re: 画面 =?UTF-8?B?5Ymy44KM?=",
        "=?UTF-8?B?AAAA?=",
    ):
        item = normalise_email(
            {
                "id": "M4",
                "from": "a@example.com",
                "date": "2024-05-01T18:30:00+09:00",
                "subject": kept,
                "body": "x",
            }
        )
        assert item.subject == kept


def test_survey_payload() -> None:
    item = normalise_survey(
        {
            "id": "Q1",
            "received_at": "2024-05-01T09:30:00Z",
            "comment": "Search is slow",
            "survey": "in-app-nps",
            "metric": "NPS",
            "rating": 4,
        }
    )
    assert isinstance(item, SurveyFeedback)
    assert (item.kind, item.score, item.survey_id) == (SurveyKind.NPS, 4, "in-app-nps")


def test_dispatcher_and_channels_without_a_record() -> None:
    raw = {"id": "X", "date": "2024-05-01T09:30:00+00:00", "text": "disk alarm"}
    item = normalise(raw, IntakeChannel.MONITORING)
    assert type(item) is Feedback
    assert item.channel is IntakeChannel.MONITORING
    email = normalise({**raw, "from": "a@b.co"}, IntakeChannel.EMAIL)
    assert isinstance(email, EmailFeedback)
    assert feedback_class(IntakeChannel.STAFF) is Feedback
    assert feedback_class(IntakeChannel.HOTLINE) is HotlineFeedback


def test_custom_keys() -> None:
    item = normalise_email(
        {"Nr": "7", "Von": "a@b.co", "Datum": "2024-05-01T09:30:00Z", "Text": "kaputt"},
        keys={"id": "Nr", "from_address": "Von", "received_at": "Datum", "text": "Text"},
    )
    assert (item.id, item.text) == ("7", "kaputt")
    with pytest.raises(InvalidInputError) as info:
        normalise_email({}, keys={"colour": "x"})
    assert info.value.field == "keys.colour"


_GOOD_EMAIL: dict[str, Any] = {
    "id": "M1",
    "from": "a@b.co",
    "date": "2024-05-01T09:30:00Z",
    "body": "hi",
}


@pytest.mark.parametrize(
    ("change", "field", "value"),
    [
        ({"from": "not an address"}, "from", "not an address"),
        ({"date": "2024-05-01 09:30"}, "date", "2024-05-01 09:30"),
        ({"date": "yesterday-ish"}, "date", "yesterday-ish"),
        ({"body": "   "}, "body", "   "),
        ({"body": 42}, "body", 42),
        ({"subject": ["a"]}, "subject", ["a"]),
        ({"id": None}, "id", MISSING),
    ],
)
def test_bad_email_payload_names_key_and_value(
    change: dict[str, Any], field: str, value: Any
) -> None:
    with pytest.raises(InvalidInputError) as info:
        normalise_email({**_GOOD_EMAIL, **change})
    assert info.value.field == field
    assert info.value.value == value or info.value.value is value


@pytest.mark.parametrize(
    ("normaliser", "raw", "field", "value"),
    [
        (normalise_hotline, {"id": 1, "text": "x", "agent": "a"}, "call_started_at", MISSING),
        (
            normalise_hotline,
            {"id": 1, "text": "x", "agent": "a", "call_time": AT, "phone": "call me"},
            "phone",
            "call me",
        ),
        (
            normalise_hotline,
            {"id": 1, "text": "x", "agent": "a", "call_time": AT, "duration": -3},
            "duration",
            -3,
        ),
        (normalise_form, {"id": 1, "text": "x", "date": AT, "surface": "fax"}, "surface", "fax"),
        (normalise_form, {"id": 1, "text": "x", "date": AT, "email": "nope"}, "email", "nope"),
        (
            normalise_social,
            {"id": 1, "text": "x", "date": AT, "platform": "x", "url": "ftp://a"},
            "url",
            "ftp://a",
        ),
        (
            normalise_social,
            {"id": 1, "text": "x", "date": AT, "platform": "x", "public": "yes"},
            "public",
            "yes",
        ),
        (
            normalise_survey,
            {"id": 1, "text": "x", "date": AT, "survey": "s", "kind": "nps", "score": 11},
            "score",
            11,
        ),
        (
            normalise_survey,
            {"id": 1, "text": "x", "date": AT, "survey": "s", "kind": "stars"},
            "kind",
            "stars",
        ),
    ],
)
def test_bad_payloads_name_key_and_value(normaliser, raw, field, value) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInputError) as info:
        normaliser(raw)
    assert info.value.field == field
    assert info.value.value == value or info.value.value is value
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    "when",
    [
        "Wed, 01 May 2024 11:30:00 CEST",  # dateutil: a warning and 11:30 in default_tz
        "01-05-2024 11:30 T",
        "0000:0-2360T100",  # dateutil: a -24:00 offset, a ValueError on first use
    ],
)
def test_zone_names_and_day_long_offsets_are_refused_never_guessed(when: str) -> None:
    raw = {"id": "M1", "from": "ann@example.com", "date": when, "body": "blank PDF"}
    with pytest.raises(InvalidInputError) as info:
        normalise_email(raw, default_tz=UTC, dayfirst=True)
    assert (info.value.field, info.value.value) == ("date", when)


def test_utc_names_and_offsets_are_still_read() -> None:
    raw = {"id": "M1", "from": "ann@example.com", "body": "blank PDF"}
    for when in ("Wed, 01 May 2024 09:30:00 GMT", "Wed, 01 May 2024 11:30:00 +0200"):
        assert normalise_email({**raw, "date": when}).received_at == AT


def test_payload_must_be_a_mapping_and_strict_refuses_unknown_keys() -> None:
    with pytest.raises(InvalidInputError):
        normalise_email(["a"])  # type: ignore[arg-type]
    assert normalise_email({**_GOOD_EMAIL, "x-spam": 1}).id == "M1"
    with pytest.raises(InvalidInputError) as info:
        normalise_email({**_GOOD_EMAIL, "x-spam": 1}, strict=True)
    assert info.value.field == "x-spam"
    with pytest.raises(InvalidInputError):
        normalise({}, "email")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- records


def test_channel_record_classes_are_enforced() -> None:
    with pytest.raises(InvalidInputError) as info:
        Feedback(id="x", channel=IntakeChannel.EMAIL, received_at=AT, text="t")
    assert info.value.field == "channel"
    with pytest.raises(InvalidInputError):
        EmailFeedback(id="x", channel=IntakeChannel.HOTLINE, received_at=AT, text="t")
    with pytest.raises(InvalidInputError):
        Feedback(id="x", channel=IntakeChannel.STAFF, received_at=AT.replace(tzinfo=None), text="t")


@settings(max_examples=120, deadline=None)
@given(any_feedback())
def test_any_feedback_round_trips(item: Feedback) -> None:
    data = to_dict(item)
    assert feedback_from_dict(data) == item
    assert type(feedback_from_dict(data)) is type(item)
    assert from_dict(data, type(item)) == item
    assert to_json(item)


def test_feedback_from_dict_refuses_bad_channel() -> None:
    with pytest.raises(InvalidInputError) as info:
        feedback_from_dict({"channel": "pigeon"})
    assert (info.value.field, info.value.value) == ("channel", "pigeon")
    with pytest.raises(InvalidInputError):
        feedback_from_dict("nope")


# --------------------------------------------------------------------------- privacy


def test_personal_fields_are_marked() -> None:
    assert personal_fields(HotlineFeedback) == ("customer_id", "customer_name", "callback_number")
    assert set(personal_fields(EmailFeedback)) == {"customer_id", "customer_name", "from_address"}
    assert set(personal_fields(SocialFeedback)) >= {"public_url", "author_handle"}
    assert personal_fields(SurveyResponse) == ("customer_id",)
    assert attrs.fields(FormFeedback).email.metadata[PERSONAL] is True
    with pytest.raises(InvalidInputError):
        personal_fields(42)


@settings(max_examples=120, deadline=None)
@given(any_feedback())
def test_redact_removes_every_personal_field_and_keeps_the_rest(item: Feedback) -> None:
    clean = redact(item)
    assert type(clean) is type(item)
    for attribute in attrs.fields(type(item)):
        if attribute.metadata.get(PERSONAL):
            assert getattr(clean, attribute.name) is None
        else:
            assert getattr(clean, attribute.name) == getattr(item, attribute.name)
    assert redact(clean) == clean


def test_redact_scrubs_text_on_request() -> None:
    item = EmailFeedback(
        id="m",
        received_at=AT,
        text="Reach me at ann@example.com or +44 20 7946 0958 about order 12345.",
        from_address="ann@example.com",
    )
    assert redact(item).text == item.text
    scrubbed = redact(item, scrub_text=True)
    assert scrubbed.text == f"Reach me at {REDACTED} or {REDACTED} about order 12345."
    assert scrubbed.from_address is None
    assert item.from_address == "ann@example.com"  # the original is untouched


def test_scrub_leaves_dates_and_short_numbers() -> None:
    assert scrub("on 2024-05-01, 01.05.2024, error 4711") == "on 2024-05-01, 01.05.2024, error 4711"


def test_redact_recurses_into_nested_records() -> None:
    @attrs.frozen
    class Box:
        items: tuple[EmailFeedback, ...]

    box = Box(items=(EmailFeedback(id="m", received_at=AT, text="t", from_address="a@b.co"),))
    assert redact(box).items[0].from_address is None
    with pytest.raises(InvalidInputError):
        redact("not a record")


def test_survey_feedback_becomes_a_survey_response() -> None:
    item = normalise_survey(
        {
            "id": "Q1",
            "date": "2024-05-01T09:30:00Z",
            "text": "Search is slow",
            "survey": "s",
            "kind": "csat",
            "score": 4,
            "product": "App",
            "customer_id": "c1",
        }
    )
    response = survey_response(item)
    assert response == SurveyResponse(
        id="Q1",
        kind=SurveyKind.CSAT,
        score=4,
        answered_at=AT,
        channel=IntakeChannel.IN_PRODUCT_SURVEY,
        product="App",
        customer_id="c1",
        comment="Search is slow",
    )
    no_score = normalise_survey({"id": "Q2", "date": AT, "text": "hi", "survey": "s"})
    assert survey_response(no_score) is None
    with pytest.raises(InvalidInputError):
        survey_response("Q1")  # type: ignore[arg-type]


def test_a_call_cannot_start_after_its_feedback_was_received() -> None:
    with pytest.raises(InvalidInputError) as caught:
        HotlineFeedback(
            id="h", received_at=AT, call_started_at=AT + timedelta(seconds=1), agent="a", text="x"
        )
    assert caught.value.field == "call_started_at"
    # the same instant written in another zone is no later
    same = AT.astimezone(timezone(timedelta(hours=-5)))
    assert HotlineFeedback(id="h", received_at=AT, call_started_at=same, agent="a", text="x")
    with pytest.raises(InvalidInputError, match="call_time: is after received_at"):
        normalise_hotline(
            {
                "ticket": 1,
                "call_time": "2024-05-01T11:30:00+02:00",
                "received_at": "2024-05-01T09:00:00+00:00",
                "agent": "a",
                "notes": "x",
            }
        )
