"""The zones :func:`dateutil.parser.parse` may attach: UTC offsets only, never a guess.

Passed as its ``tzinfos``, :func:`offset_only` is called with the zone name and the
offset in seconds dateutil found in the text (``None`` for either when absent; ``UTC``,
``GMT`` and ``Z`` come with offset 0). Without it dateutil, given a name it cannot turn
into an offset (``CEST``, ``EST``, a stray ``T``), emits an ``UnknownTimezoneWarning``
and returns a naive datetime (the time is then read in some default zone: misread);
given the name of the machine's own zone, it returns the local zone (a result that
depends on the machine); and given ``-2360`` it returns an offset of 24 hours, which
Python's :class:`~datetime.datetime` refuses with a ``ValueError`` on first use.
"""

from __future__ import annotations

from datetime import tzinfo

__all__ = ["offset_only"]

_DAY_SECONDS = 24 * 60 * 60


def offset_only(name: str | None, offset: int | None) -> tzinfo | None:
    """The zone dateutil builds from an offset (``None``: no zone in the text).

    Raises:
        ValueError: a zone name without an offset, or an offset of 24 hours or more.
            Its ``args`` are a message ending in ``: %s`` and the name or offset, as
            dateutil's own errors are.
    """
    if offset is None:
        if name is None:
            return None
        raise ValueError("unknown time zone name (only UTC offsets are read): %s", name)
    if not -_DAY_SECONDS < offset < _DAY_SECONDS:
        raise ValueError("UTC offset of 24 hours or more: %s", f"{offset} s")
    from dateutil import tz as dateutil_tz  # loaded by then: only dateutil calls this

    if offset == 0:
        return dateutil_tz.UTC
    return dateutil_tz.tzoffset(name, offset)
