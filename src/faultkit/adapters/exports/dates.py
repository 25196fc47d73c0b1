"""Reading the dates of exports: ISO 8601 first, a named day order, never a guess.

Each cell goes through, in order:

1. :meth:`datetime.fromisoformat` (ISO 8601: ``2016-02-29 01:16``,
   ``2016-02-29T01:16:00+01:00``). ISO dates are never ambiguous.
2. All-numeric day and month (``29-02-2016 01:16``, ``03/05/2016``): read in the order
   the caller named (:attr:`DateOrder.DAY_FIRST` or :attr:`DateOrder.MONTH_FIRST`);
   with :attr:`DateOrder.ISO` (the default) such a date is refused as ambiguous rather
   than guessed. The common fixed-width ``dd-mm-yyyy HH:MM[:SS]`` shape (any of
   ``-/.`` between the parts) is rearranged into ISO 8601 and read by
   :meth:`datetime.fromisoformat`, which checks every digit; other numeric shapes
   (``3/5/2016``) go through a regular expression. The result is the one
   ``dateutil.parser.parse(text, dayfirst=True)`` gives (tests check that they agree).
3. Jira's default ``dd/Mon/yy h:mm AM`` (``25/Nov/26 4:41 PM``; English month
   abbreviations, any case): read directly, with a two-digit year placed as
   ``dateutil`` places it (within 50 years of this year), so the result is the one
   :func:`dateutil.parser.parse` gives, in every order (a month name is never
   ambiguous). It costs a twentieth of ``dateutil``.
4. :func:`dateutil.parser.parse`, with ``dayfirst`` set from the order, for everything
   else (``March 3, 2016``, ``25 November 2026``). A text without a year is refused.
   Of time zones it keeps only UTC offsets (``+01:00``, ``UTC``, ``GMT``, ``Z``):
   a zone name it cannot turn into one (``CEST``, ``EST``, a stray ``T``) and an
   offset of 24 hours or more (``-2360``) are refused (``faultkit._zones``), never
   guessed, dropped with a warning, or returned in a datetime Python cannot use.

A date whose year comes first (``2020-13-05``) is read year, month, day in every order:
a month above 12 there is an impossible date, never a day-first reading.

When a numeric date is impossible in the order named but possible in the other one
(``13-03-2016`` read month first), the data probably has the other order and the
rows that did read were misread (``01-03-2016`` became 3 January). The reader counts
such cells in :attr:`DateReader.contradictions`, keeps the first in
:attr:`DateReader.contradiction_example`, and its reject reason says so; the command
prints the count in its summary (and ``--strict-dates`` makes it an error).

A cell longer than :data:`DATE_LENGTH` characters is refused before any reading.

Naive results take the zone given (UTC by default); aware ones keep their offset. A
fixed-offset zone (:class:`datetime.timezone`, UTC included) is attached by reading
the text with its offset appended, which costs a tenth of :meth:`datetime.replace`;
zones with daylight saving (:class:`zoneinfo.ZoneInfo`) are attached with
:meth:`~datetime.datetime.replace`.
"""

from __future__ import annotations

import enum
import re
import time
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from faultkit._zones import offset_only
from faultkit.errors import InvalidInputError

__all__ = ["CONTRADICTION", "DATE_LENGTH", "DateOrder", "DateReader"]

CONTRADICTION = "so the export may use that order"
"""The end of the reason of a date impossible in the order named, possible in the other.

Each such cell rejects its row and is counted in :attr:`DateReader.contradictions`;
readers whose counts live elsewhere (Dask workers) count the reasons ending so.
"""

DATE_LENGTH = 100
"""The longest date cell read, in characters; longer ones are refused unread.

The longest ISO 8601 text Python writes is 32 characters and a date spelled out with
a zone name stays under 80; without the limit a cell of 60,000 ones reads as
1111-11-11 11:11:11.111111 (``fromisoformat`` takes any separator and truncates the
fraction) and a cell of 20,000 ``01-`` costs ``dateutil`` 0.2 s.
"""


class DateOrder(enum.StrEnum):
    """How an all-numeric date like ``03-05-2016`` is read."""

    ISO = "iso"
    """ISO 8601 only for numeric dates; ``03-05-2016`` is refused as ambiguous."""
    DAY_FIRST = "dayfirst"
    """``03-05-2016`` is 3 May 2016 (Europe, most exports outside the US)."""
    MONTH_FIRST = "monthfirst"
    """``03-05-2016`` is 5 March 2016 (US)."""


_NUMERIC = re.compile(
    r"\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*"
)
_YEAR_FIRST = re.compile(r"\s*\d{4}[-/.](\d{1,2})[-/.]\d{1,2}(?!\d)")
_AMBIGUOUS = re.compile(r"\s*\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}(?!\d)")
_JIRA = re.compile(r"(\d{1,2})/([A-Za-z]{3})/(\d{2}) (\d{1,2}):(\d{2}) ?([AaPp][Mm])")
_NOON_ENDS = frozenset("Mm")
_MAX_DATE_TEXT = 200  # the longest written-out date with a time zone name is about 80
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_NO_YEAR = datetime(1, 1, 1)  # dateutil fills missing parts from this; year 1 = "no year"
_SEPARATORS = frozenset("-/.")
_fromisoformat = datetime.fromisoformat


def _two_digit_years(this_year: int) -> list[int]:
    """The year each two-digit year ``00``-``99`` stands for, indexed by its value.

    dateutil's rule (``parserinfo.convertyear``): the year in this century, moved a
    century back when it is 50 years or more ahead of ``this_year``, a century forward
    when it is more than 50 years behind. Written out here so that the module does not
    import dateutil (a test checks the two agree).

    >>> years = _two_digit_years(2026)
    >>> years[75], years[76], years[26]
    (2075, 1976, 2026)
    """
    century = this_year // 100 * 100
    years = []
    for two_digits in range(100):
        year = century + two_digits
        if year >= this_year + 50:
            year -= 100
        elif year < this_year - 50:
            year += 100
        years.append(year)
    return years


def _offset_suffix(tz: tzinfo) -> str | None:
    """``+HH:MM`` for an unnamed fixed-offset zone of whole minutes, else ``None``.

    Reading a text with this suffix gives a datetime whose zone equals ``tz`` and has
    its name; a named zone (``timezone(offset, "CEST")``) would lose the name.
    """
    if type(tz) is not timezone:
        return None
    offset = tz.utcoffset(None)
    if offset % timedelta(minutes=1) or tz.tzname(None) != timezone(offset).tzname(None):
        return None
    minutes = offset // timedelta(minutes=1)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _without_text(error: Exception) -> str:
    """dateutil's message without the text it quotes (the reject has it as its value).

    ``Unknown string format: 10:00 x`` -> ``Unknown string format``: the reasons of
    rejected rows then group by kind in the summary instead of one per value.
    """
    args = error.args
    if len(args) >= 2 and isinstance(args[0], str) and args[0].endswith(": %s"):
        return args[0][: -len(": %s")]
    return str(error)


class DateReader:
    """Turns the text of a date cell into an aware :class:`~datetime.datetime`.

    Args:
        order: how all-numeric dates are read (:class:`DateOrder`).
        tz: the zone of naive times (UTC by default).

    Calling the reader with ``(text, field)`` returns the datetime or raises
    :class:`~faultkit.errors.InvalidInputError` naming ``field`` and the text: an
    impossible date (``31-02-2016``), an ambiguous one, or no date at all.

    >>> read = DateReader(order=DateOrder.DAY_FIRST)
    >>> read("29-02-2016 01:16", "opened_at").isoformat()
    '2016-02-29T01:16:00+00:00'
    """

    __slots__ = (
        "_century",
        "_day_first",
        "_suffix",
        "contradiction_example",
        "contradictions",
        "order",
        "tz",
    )

    order: DateOrder
    tz: tzinfo
    contradictions: int
    """Cells impossible in :attr:`order` but possible in the other day order."""
    contradiction_example: str | None
    """The first of those cells."""
    _day_first: bool
    _suffix: str | None
    _century: list[int]

    def __init__(self, *, order: DateOrder = DateOrder.ISO, tz: tzinfo = UTC) -> None:
        self.order = DateOrder(order)
        self.tz = tz
        self._day_first = self.order is DateOrder.DAY_FIRST
        self._suffix = _offset_suffix(tz)
        self.contradictions = 0
        self.contradiction_example = None
        self._century = _two_digit_years(time.localtime().tm_year)

    def __call__(self, text: str, field: str = "date") -> datetime:
        """The aware datetime ``text`` stands for; see the class docstring."""
        if not isinstance(text, str):
            raise InvalidInputError(field, text, "expected a date as text")
        if len(text) > DATE_LENGTH:
            raise InvalidInputError(
                field,
                text,
                f"not a date: {len(text)} characters, more than any date ({DATE_LENGTH} at most)",
            )
        if (
            self.order is not DateOrder.ISO
            and (len(text) == 16 or (len(text) == 19 and text[16] == ":"))
            and text[2] in _SEPARATORS
            and text[5] == text[2]
            and text[10] == " "
            and text[13] == ":"
        ):
            # dd-mm-yyyy HH:MM[:SS] (mm-dd-yyyy month first) as ISO 8601
            day, month = (text[:2], text[3:5]) if self._day_first else (text[3:5], text[:2])
            iso = f"{text[6:10]}-{month}-{day}T{text[11:]}"
            try:
                if self._suffix is not None:
                    return _fromisoformat(iso + self._suffix)
                return _fromisoformat(iso).replace(tzinfo=self.tz)
            except ValueError:
                pass  # a sign or a space in a field, an impossible date: the full reading says
        if text[-1:] in _NOON_ENDS:  # "... 4:41 PM": not ISO 8601, maybe Jira's
            jira = _JIRA.fullmatch(text)
            if jira is not None:
                found = self._jira(jira.groups(), text, field)
                if found is not None:
                    return found
        try:
            parsed = _fromisoformat(text)
        except ValueError:
            parsed = self._not_iso(text, field)
        if parsed.tzinfo is None:
            return parsed.replace(tzinfo=self.tz)
        return parsed

    def _not_iso(self, text: str, field: str) -> datetime:
        if any(char < " " for char in text):
            # dateutil skips control characters: "01-03-2016 1\x000:00" read as 10:00
            raise InvalidInputError(field, text, "not a date: it holds a control character")
        match = _NUMERIC.fullmatch(text)
        if match is not None:
            if self.order is DateOrder.ISO:
                raise self._ambiguous(text, field)
            first, second, year, hour, minute, sec = match.groups()
            day, month = (first, second) if self._day_first else (second, first)
            try:
                return datetime(
                    int(year),
                    int(month),
                    int(day),
                    int(hour or 0),
                    int(minute or 0),
                    int(sec or 0),
                )
            except ValueError as error:
                raise self._impossible(
                    text, field, error, int(year), int(day), int(month)
                ) from None
        year_first = _YEAR_FIRST.match(text)
        if year_first is not None and not 1 <= int(year_first[1]) <= 12:
            raise InvalidInputError(
                field,
                text,
                f"impossible date: month {int(year_first[1])} in a year-first (ISO 8601) date",
            )
        day_first = self._day_first and year_first is None  # year first is year-month-day
        if self.order is DateOrder.ISO and _AMBIGUOUS.match(text):
            raise self._ambiguous(text, field)
        if len(text) > _MAX_DATE_TEXT:  # dateutil's reading grows faster than linearly
            raise InvalidInputError(
                field, text, f"not a date: longer than {_MAX_DATE_TEXT} characters"
            )
        from dateutil import parser as dateutil_parser  # 17 ms at start-up: most runs never call it

        try:
            parsed = dateutil_parser.parse(
                text, dayfirst=day_first, default=_NO_YEAR, tzinfos=offset_only
            )
        except (ValueError, OverflowError) as error:
            raise InvalidInputError(field, text, f"not a date: {_without_text(error)}") from None
        if parsed.year == 1:
            raise InvalidInputError(field, text, "not a date: no year given")
        return parsed

    def _jira(self, parts: tuple[str, ...], text: str, field: str) -> datetime | None:
        """``dd/Mon/yy h:mm AM`` as dateutil reads it; ``None`` leaves it to dateutil."""
        day_text, month_text, year_text, hour_text, minute, noon = parts
        month = _MONTHS.get(month_text.lower())
        day, hour = int(day_text), int(hour_text)
        if month is None or day > 31 or hour > 12:  # dateutil's other readings
            return None
        if noon[0] in "Pp":  # the pattern allows [AaPp][Mm] only
            hour = hour + 12 if hour < 12 else hour
        elif hour == 12:
            hour = 0
        year = self._century[int(year_text)]
        try:
            return datetime(year, month, day, hour, int(minute), tzinfo=self.tz)
        except ValueError as error:
            raise InvalidInputError(field, text, f"impossible date: {error}") from None

    def _impossible(
        self, text: str, field: str, error: ValueError, year: int, day: int, month: int
    ) -> InvalidInputError:
        """The error of a numeric date impossible in this order; counts contradictions."""
        try:
            datetime(year, day, month)  # the other order
        except ValueError:
            swapped = False
        else:
            swapped = True
        if swapped:
            other = "month first" if self._day_first else "day first"
            self.contradictions += 1
            if self.contradiction_example is None:
                self.contradiction_example = text
            return InvalidInputError(
                field,
                text,
                f"impossible date: {error}; it reads as a date {other}, {CONTRADICTION}",
            )
        return InvalidInputError(field, text, f"impossible date: {error}")

    @staticmethod
    def _ambiguous(text: str, field: str) -> InvalidInputError:
        return InvalidInputError(
            field,
            text,
            "ambiguous day/month order: not ISO 8601; pass --dayfirst or --monthfirst",
        )

    def __repr__(self) -> str:
        return f"DateReader(order={self.order.value!r}, tz={self.tz!r})"
