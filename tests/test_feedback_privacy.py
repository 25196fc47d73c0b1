"""Scrubbing phone numbers and e-mail addresses out of free text, Chinese text included."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faultkit.errors import InvalidInputError
from faultkit.feedback import REDACTED, scrub

HAN_TEXT = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=12)
# Text around a number or an address: Chinese, Chinese punctuation, spaces.
AROUND = st.text(
    st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.sampled_from(list("，。！？：；（）、 ")),
    ),
    max_size=12,
)
DIGIT = st.sampled_from("0123456789")


@st.composite
def mainland_mobiles(draw: st.DrawFn) -> str:
    """A mainland China mobile number as people type it: +86, spaces or dashes, or none."""
    digits = (
        "1"
        + draw(st.sampled_from("3456789"))
        + "".join(draw(st.lists(DIGIT, min_size=9, max_size=9)))
    )
    sep = draw(st.sampled_from(["", " ", "-"]))
    number = digits if not sep else sep.join([digits[:3], digits[3:7], digits[7:]])
    prefix = draw(st.sampled_from(["", "+86", "+86 ", "+86-", "(+86)", "0086 "]))
    return prefix + number


@st.composite
def emails(draw: st.DrawFn) -> str:
    local = draw(st.from_regex(r"[a-z0-9]([a-z0-9._+-]{0,10}[a-z0-9])?", fullmatch=True))
    labels = draw(st.lists(st.from_regex(r"[a-z0-9]{1,8}", fullmatch=True), min_size=1, max_size=3))
    tld = draw(st.from_regex(r"[a-z]{2,6}", fullmatch=True))
    return f"{local}@{'.'.join(labels)}.{tld}"


@given(AROUND, mainland_mobiles(), AROUND)
def test_a_mobile_number_inside_chinese_text_is_found_and_nothing_around_it(
    before: str, number: str, after: str
) -> None:
    assert scrub(before + number + after) == before + REDACTED + after


@given(HAN_TEXT, emails(), HAN_TEXT)
def test_an_address_inside_chinese_text_is_found_and_nothing_around_it(
    before: str, address: str, after: str
) -> None:
    assert scrub(before + address + after) == before + REDACTED + after


@given(st.text().filter(lambda t: not any(c.isdigit() or c == "@" for c in t)))
def test_text_without_digits_or_at_signs_is_left_alone(text: str) -> None:
    assert scrub(text) == text


@given(AROUND, st.integers(0, 9_999_999), AROUND)
def test_short_numbers_are_left_alone(before: str, number: int, after: str) -> None:
    text = f"{before}{number}{after}"
    assert scrub(text) == text


@pytest.mark.parametrize(
    "number",
    [
        "+44 20 7946 0958",
        "+1 (555) 123-4567",
        "(555) 123-4567",
        "555-123-4567",
        "+49-30-1234567",
        "+33 1 23 45 67 89",
        "+81 3-1234-5678",
        "010-12345678",
        "0755 8888 7777",
        "02112345678",
    ],
)
def test_international_and_landline_forms(number: str) -> None:
    assert scrub(f"Ring {number} today") == f"Ring {REDACTED} today"
    assert scrub(f"请拨打{number}谢谢") == f"请拨打{REDACTED}谢谢"


@pytest.mark.parametrize(
    "text",
    [
        "on 2024-05-01, 01.05.2024, error 4711",
        "订单号123456789012，金额3.1415926535元",
        "server 192.168.100.200 is down",
        "v1.2.3 build 20240501",
        "等了40分钟，打了12345678次",  # eight digits, no separator, not a mobile
        "an @handle, a lone @ sign, user@localhost",
        "价格 1,299.00 元",
        "2001-2006都住过，评价日期:2008.02.23优点",  # real hotel review shapes
        "见bbs.example.com/thread-1368750-1-2.html补充",
        "id=12345678901234&ref=98765432",
    ],
)
def test_what_is_not_a_phone_or_an_address_stays(text: str) -> None:
    assert scrub(text) == text


def test_real_looking_reviews() -> None:
    # Shapes seen in real Chinese reviews and English support messages.
    assert scrub("有问题联系我手机13912345678或者QQ邮箱12345@qq.com") == (
        f"有问题联系我手机{REDACTED}或者QQ邮箱{REDACTED}"
    )
    assert scrub("客服电话：400-820-8820，送餐员电话18612345678不接") == (
        f"客服电话：{REDACTED}，送餐员电话{REDACTED}不接"
    )
    assert scrub("Two numbers: 13812345678 13912345678.") == f"Two numbers: {REDACTED} {REDACTED}."
    assert scrub("@AmazonHelp my email is Ann.Lee@Example.CO.UK!") == (
        f"@AmazonHelp my email is {REDACTED}!"
    )


def test_bad_input_names_the_field() -> None:
    with pytest.raises(InvalidInputError, match="text"):
        scrub(None)  # type: ignore[arg-type]


FULL_WIDTH = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in map(chr, range(0x21, 0x7F))})


@given(HAN_TEXT, emails(), HAN_TEXT, st.sampled_from(["all", "local", "at", "domain"]))
def test_a_full_width_address_inside_chinese_text_is_found_and_nothing_around_it(
    before: str, address: str, after: str, part: str
) -> None:
    local, domain = address.split("@")
    wide = {
        "all": address.translate(FULL_WIDTH),
        "local": local.translate(FULL_WIDTH) + "@" + domain,
        "at": local + "\uff20" + domain,
        "domain": local + "@" + domain.translate(FULL_WIDTH),
    }[part]
    assert scrub(before + wide + after) == before + REDACTED + after


@given(AROUND, mainland_mobiles(), AROUND)
def test_a_full_width_mobile_number_inside_chinese_text_is_found(
    before: str, number: str, after: str
) -> None:
    wide = number.translate(
        str.maketrans("0123456789", "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19")
    )
    assert scrub(before + wide + after) == before + REDACTED + after


@pytest.mark.parametrize(
    "text",
    [
        "订单号\uff11\uff12\uff13\uff14\uff15\uff16",  # a short full-width number is not a phone
        "\uff12\uff10\uff12\uff14\uff0d\uff10\uff15\uff0d\uff10\uff11到货",
        "\uff41\uff4e\uff4e\uff20\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45",  # no top-level domain
        "满分\uff11\uff10分给\uff19分",
    ],
)
def test_full_width_text_that_is_not_an_address_or_a_phone_stays(text: str) -> None:
    assert scrub(text) == text


# Look-alikes of the phone number's characters: the full-width forms (U+FF01-U+FF5E)
# a Chinese input method types, the other Unicode spaces and dashes.
WIDE = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "0123456789+-()."})
LOOK_ALIKE_SPACES = ["\u3000", "\u00a0", "\u2009", "\u202f"]
LOOK_ALIKE_DASHES = ["\uff0d", "\u2010", "\u2011", "\u2013", "\u2014", "\u2212", "\u30fc"]


@given(
    AROUND,
    mainland_mobiles(),
    AROUND,
    st.booleans(),
    st.sampled_from(LOOK_ALIKE_SPACES),
    st.sampled_from(LOOK_ALIKE_DASHES),
)
def test_a_mobile_written_with_full_width_or_unicode_separators_is_found(
    before: str, number: str, after: str, wide: bool, space: str, dash: str
) -> None:
    typed = number.replace(" ", space).replace("-", dash)
    if wide:
        typed = typed.translate(WIDE)
    assert scrub(before + typed + after) == before + REDACTED + after


@pytest.mark.parametrize(
    "text",
    [
        "\uff11\uff13\uff18\uff0d\uff11\uff12\uff13\uff14\uff0d\uff15\uff16\uff17\uff18",
        "138\u30001234\u30005678",
        "\uff0b\uff14\uff14\u3000\uff12\uff10\u3000\uff17\uff19\uff14\uff16\u3000\uff10\uff19\uff15\uff18",
        "\uff08\uff10\uff12\uff10\uff09\uff17\uff19\uff14\uff16\uff0d\uff10\uff19\uff15\uff18",
        "020\u20137946\u20130958",
    ],
)
def test_look_alike_separators_do_not_hide_a_phone(text: str) -> None:
    assert scrub(f"电话：{text}。") == f"电话：{REDACTED}。"


def test_numbers_side_by_side_keep_their_full_width_text() -> None:
    wide = "\uff11\uff13\uff18\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18"
    assert scrub(f"{wide}\u3000123456789") == f"{REDACTED}\u3000123456789"


ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")
"""Characters that show nothing: zero-width space, non-joiner and joiner, word joiner,
byte order mark, soft hyphen."""


@given(AROUND, mainland_mobiles(), AROUND, st.data())
def test_a_mobile_split_by_zero_width_characters_is_found(
    before: str, number: str, after: str, data: st.DataObject
) -> None:
    cuts = data.draw(st.lists(st.integers(1, len(number) - 1), min_size=1, max_size=4))
    split = number
    for cut in sorted(set(cuts), reverse=True):
        split = split[:cut] + data.draw(st.sampled_from(ZERO_WIDTH)) + split[cut:]
    assert scrub(before + split + after) == before + REDACTED + after


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("电话138\u200b1234\u200b5678谢谢", f"电话{REDACTED}谢谢"),
        ("call +44\u200b20\u20607946\ufeff0958 now", f"call {REDACTED} now"),
        ("mail ann\u200b@example\u200b.com", f"mail {REDACTED}"),
        ("订单2024\u200b0501\u200b12345", "订单2024\u200b0501\u200b12345"),  # an order number
        ("v1.2\u200b.3", "v1.2\u200b.3"),
    ],
)
def test_zero_width_characters_do_not_hide_a_number_or_an_address(text: str, expected: str) -> None:
    assert scrub(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # RFC 6531: a local part in letters beyond ASCII
        ("mail josé@example.com now", f"mail {REDACTED} now"),
        ("jose\u0301@example.com", REDACTED),  # the accent as a combining mark
        ("пишите иван@example.ru", f"пишите {REDACTED}"),
        ("δοκιμή@example.gr", REDACTED),
        # a Chinese local part set off on its left, of at most four characters
        ("张三@example.com", REDACTED),
        ("联系人：张三@example.com谢谢", f"联系人：{REDACTED}谢谢"),
        ("邮箱 欧阳娜娜@example.com", f"邮箱 {REDACTED}"),
        ("(张三2024@example.com)", f"(张三{REDACTED})"),  # the run after a name
        # Chinese text around an @ is not swallowed
        ("我的邮箱是abc@qq.com谢谢", f"我的邮箱是{REDACTED}谢谢"),
        ("请联系我@客服", "请联系我@客服"),
        ("请联系我@客服，谢谢@example", "请联系我@客服，谢谢@example"),
    ],
)
def test_an_address_with_a_local_part_beyond_ascii(text: str, expected: str) -> None:
    assert scrub(text) == expected


def test_a_chinese_local_part_that_runs_on_from_the_text_is_not_taken_with_it() -> None:
    # where the name starts cannot be told: the text before it is kept
    assert scrub("请发邮件给张三@example.com").startswith("请发邮件给")


LATIN_LOCAL = st.text(st.sampled_from("abcdeéèüñçøåßłžš"), min_size=1, max_size=10)


@given(HAN_TEXT, LATIN_LOCAL, emails(), HAN_TEXT)
def test_an_accented_address_inside_chinese_text_is_found_and_nothing_around_it(
    before: str, local: str, address: str, after: str
) -> None:
    assert scrub(before + local + address + after) == before + REDACTED + after


@given(
    HAN_TEXT,
    st.sampled_from(["：", ":", "，", " ", "（", "<", "\n"]),
    st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=4),
    emails(),
    HAN_TEXT,
)
def test_a_chinese_local_part_set_off_on_its_left_is_found(
    before: str, mark: str, name: str, address: str, after: str
) -> None:
    domain = address.partition("@")[2]
    text = f"{before}{mark}{name}@{domain}{after}"
    assert scrub(text) == before + mark + REDACTED + after


def mod_11_2(digits: str) -> str:
    """The ISO 7064 MOD 11-2 check character of ``digits``, by the standard's recursive
    (Horner) form: ``p = (p + digit) * 2 mod 11``, check ``(12 - p) mod 11``, 10 is X."""
    p = 0
    for digit in digits:
        p = (p + int(digit)) * 2 % 11
    check = (12 - p) % 11
    return "X" if check == 10 else str(check)


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    """A Chinese resident ID number (GB 11643-1999): region, birth date, sequence, check."""
    region = str(draw(st.integers(110000, 829999)))
    birth = draw(st.dates(date(1900, 1, 1), date(2030, 12, 31))).strftime("%Y%m%d")
    body = region + birth + f"{draw(st.integers(0, 999)):03d}"
    return body + mod_11_2(body)


@pytest.mark.parametrize(
    "number",
    ["11010519491231002X", "440524188001010014", "11010519491231002x"],  # GB 11643 examples
)
def test_a_resident_id_number_is_scrubbed(number: str) -> None:
    assert scrub(f"身份证号{number}，谢谢") == f"身份证号{REDACTED}，谢谢"
    assert scrub(f"ID {number}") == f"ID {REDACTED}"


@given(AROUND, resident_ids(), AROUND)
def test_a_resident_id_inside_chinese_text_is_found_and_nothing_around_it(
    before: str, number: str, after: str
) -> None:
    assert scrub(before + number + after) == before + REDACTED + after
    full_width = number.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    assert scrub(before + full_width + after) == before + REDACTED + after


@given(AROUND, resident_ids(), st.sampled_from("0123456789X"), AROUND)
def test_an_eighteen_character_number_with_a_wrong_check_stays(
    before: str, number: str, check: str, after: str
) -> None:
    wrong = number[:17] + check
    if check != number[17]:
        assert scrub(before + wrong + after) == before + wrong + after


@pytest.mark.parametrize(
    "text",
    [
        "订单号110105194912310021",  # the check character does not match
        "订单号110105194913310021",  # month 13 (the check matches)
        "订单号110105194902300020",  # 30 February (the check matches)
        "订单号a11010519491231002X",  # touches a letter: a piece of an identifier
        "订单号11010519491231002X1",  # nineteen characters
    ],
)
def test_what_is_not_a_resident_id_stays(text: str) -> None:
    assert scrub(text) == text
