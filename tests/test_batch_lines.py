""":func:`~faultkit.batch.lines.line_ranges` with ``parts`` (shrinking ranges, same cut rule), and
:func:`~faultkit.batch.scan.utf8`."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

pa = pytest.importorskip("pyarrow")  # faultkit.batch needs it

from faultkit.batch.lines import line_ranges  # noqa: E402
from faultkit.batch.scan import utf8  # noqa: E402

_DATA = st.binary(max_size=400).map(lambda b: b.replace(b'"', b"")) | st.lists(
    st.sampled_from([b"x", b"yy,z", b"\n", b"\r\n", b"\r"]), max_size=200
).map(b"".join)


@given(
    data=_DATA,
    start=st.integers(0, 20),
    size=st.integers(1, 60),
    parts=st.integers(1, 6),
    smallest=st.integers(1, 60),
)
def test_shrinking_ranges_tile_the_data_cut_at_line_ends(
    data: bytes, start: int, size: int, parts: int, smallest: int
) -> None:
    """Each range is the first fixed-size range from its start, at the size the rule gives."""
    start = min(start, len(data))
    ranges = list(line_ranges(data, start, size, parts=parts, smallest=smallest))
    assert [a for a, _ in ranges[1:]] == [b for _, b in ranges[:-1]]
    assert all(a < b for a, b in ranges)
    if ranges:
        assert (ranges[0][0], ranges[-1][1]) == (start, len(data))
    for a, b in ranges:
        step = max(smallest, min(size, (len(data) - a) // parts))
        assert next(line_ranges(data, a, step)) == (a, b)


def test_ranges_shrink_towards_the_end_and_parts_zero_is_fixed_size() -> None:
    data = b"0123456\n" * 4096  # 32 KiB of 8-byte lines
    sizes = [b - a for a, b in line_ranges(data, 0, 4096, parts=4, smallest=512)]
    assert sizes[0] == 4096
    assert sizes[-1] <= 512
    assert sizes == sorted(sizes, reverse=True)
    fixed = list(line_ranges(data, 0, 4096))
    assert fixed == list(line_ranges(data, 0, 4096, parts=0, smallest=512))
    assert {b - a for a, b in fixed} == {4096}


@pytest.mark.parametrize(("size", "parts", "smallest"), [(0, 1, 1), (1, -1, 1), (1, 1, 0)])
def test_bad_sizes_are_refused(size: int, parts: int, smallest: int) -> None:
    with pytest.raises(ValueError, match="must be"):
        list(line_ranges(b"a\n", 0, size, parts=parts, smallest=smallest))


_VALID = [b"a", b",", b"\n", b"\xc3\xa9", b"\xe4\xb8\xad", b"\xf0\x9f\x98\x80", b"\xef\xbb\xbf"]
_INVALID = [b"\xed\xa0\x80", b"\xc0\x80", b"\xf4\x90\x80\x80", b"\xff", b"\x80", b"\xe4\xb8"]
_UTF8_PIECES = st.sampled_from([*_VALID, *_INVALID])


@given(data=st.binary(max_size=64) | st.lists(_UTF8_PIECES, max_size=30).map(b"".join))
def test_utf8_is_what_bytes_decode_takes(data: bytes) -> None:
    """Surrogates, overlong forms, past U+10FFFF, cut sequences: refused as Python does."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        expected = False
    else:
        expected = True
    assert utf8(pa.py_buffer(data)) is expected
