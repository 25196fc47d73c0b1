"""Reading and writing CSV and JSONL exports: formats, files or standard streams, rejects.

Kept apart from the scoring so that both the scorer and the event-log reader share
one way to open a file (``-`` for stdin / stdout; UTF-8 with or without BOM by
default), one rejects file and one spreadsheet-safe writer.
"""

from __future__ import annotations

import csv
import enum
import io
import itertools
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

import attrs

from faultkit.adapters.files import AtomicWriter, StandardStream, standard_buffer
from faultkit.errors import InvalidInputError

__all__ = [
    "DELIMITERS",
    "EXCEL_TRIGGERS",
    "FIELD_LIMIT",
    "NUL_HINT",
    "ExportFormat",
    "Header",
    "Reject",
    "RejectsFile",
    "RowError",
    "SepLineReader",
    "default_rejects_path",
    "detect_format",
    "excel_safe",
    "is_rejects_file",
    "json_cell",
    "missing_columns",
    "open_input",
    "open_output",
    "ragged_reject",
    "read_csv",
    "sniff_delimiter",
    "too_deep",
    "unexpected_reject",
]

FIELD_LIMIT = 131_072
"""The longest CSV field (and JSONL line) read, in characters; longer ones are rejected rows.

The figure is the standard library's default ``csv.field_size_limit()``.
"""

EXCEL_TRIGGERS = frozenset("=+-@\t\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)."""


class ExportFormat(enum.StrEnum):
    """The file formats an export can have."""

    CSV = "csv"
    """Comma-separated values with a header row (RFC 4180)."""
    JSONL = "jsonl"
    """One JSON object per line (JSON Lines)."""


_EXTENSIONS = {
    ".csv": ExportFormat.CSV,
    ".jsonl": ExportFormat.JSONL,
    ".ndjson": ExportFormat.JSONL,
}


def detect_format(path: str) -> ExportFormat | None:
    """The format named by ``path``'s extension (``.csv``, ``.jsonl``, ``.ndjson``), if any."""
    if path == "-":
        return None
    return _EXTENSIONS.get(Path(path).suffix.lower())


def excel_safe(cell: str) -> str:
    """``cell`` with a leading ``'`` when a spreadsheet would run it as a formula.

    >>> excel_safe("=HYPERLINK(1)"), excel_safe("plain")
    ("'=HYPERLINK(1)", 'plain')
    """
    if cell[:1] in EXCEL_TRIGGERS and cell:
        return "'" + cell
    return cell


def json_cell(value: Any) -> str:
    """The text of a JSON value read as a cell: ``None`` is empty, booleans lower case."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def open_input(path: str, encoding: str = "utf-8-sig") -> TextIO:
    """Open ``path`` (``-`` for standard input) as text for the csv and json readers.

    ``utf-8-sig`` (the default) reads UTF-8 with or without a byte-order mark. Lines
    are not translated (``newline=""``), as the csv module needs. Closing the result
    of ``-`` leaves standard input open.
    """
    if path == "-":
        return StandardStream(standard_buffer("stdin"), encoding=encoding, newline="")
    return open(path, encoding=encoding, newline="")


def open_output(path: str, encoding: str = "utf-8") -> TextIO:
    """Open ``path`` (``-`` for standard output) for writing text, without line translation.

    Closing the result of ``-`` flushes it and leaves standard output open. The file is
    written in place: for a file a user keeps, use
    :class:`~faultkit.adapters.files.AtomicWriter` (what the command uses), which
    replaces it only when the whole run went well.
    """
    if path == "-":
        return StandardStream(standard_buffer("stdout"), encoding=encoding, newline="")
    return open(path, "w", encoding=encoding, newline="")


def default_rejects_path(output: str, input_path: str) -> str:
    """Where rejected rows go when no ``--rejects`` is given: next to the output.

    ``out.csv`` -> ``out.rejects.csv``. When the output is standard output, next to the
    input; when both are standard streams, ``faultkit.rejects.csv`` in the current
    directory.
    """
    base = output if output != "-" else input_path
    if base == "-":
        return "faultkit.rejects.csv"
    path = Path(base)
    return str(path.with_name(f"{path.stem}.rejects.csv"))


@attrs.frozen(kw_only=True)
class Reject:
    """A row that was not scored, and why.

    Attributes:
        line: the line of the input the row starts on (1 is the header of a CSV file).
        column: the column whose value is wrong; empty for a row that is wrong as a
            whole (ragged, unreadable).
        value: the offending value (or a description of the row).
        reason: why it was refused.
        record: the row as it was read (CSV cells or JSON object), for fixing and
            re-running; empty when it could not be read.
    """

    line: int
    column: str
    value: str
    reason: str
    record: str = ""

    @classmethod
    def from_error(cls, error: InvalidInputError, *, line: int, column: str, record: str) -> Reject:
        """A reject from the :class:`~faultkit.errors.InvalidInputError` a row raised."""
        value = error.value
        return cls(
            line=line,
            column=column,
            value=value if isinstance(value, str) else json_cell(value),
            reason=error.reason,
            record=record,
        )


def too_deep(line: int, record: str) -> Reject:
    """The reject of a JSON line nested deeper than Python's parser goes (``RecursionError``)."""
    return Reject(
        line=line,
        column="",
        value=record[:80],
        reason="not JSON faultkit can read: nested too deeply",
        record=record if len(record) <= FIELD_LIMIT else "",
    )


def unexpected_reject(error: Exception, line: int, record: str | Sequence[str]) -> Reject:
    """The reject of a row whose reading failed in a way no rule foresaw (a bug, not input).

    The row is rejected with the error's type and message as its reason and the run
    goes on: a reader never stops on one bad row. Please report such rows.
    """
    text = record if isinstance(record, str) else csv_record(record)
    return Reject(
        line=line,
        column="",
        value="",
        reason=f"unexpected error, please report it: {type(error).__name__}: {error}"[:500],
        record=text,
    )


def ragged_reject(
    row: Sequence[str], header: Sequence[str], *, line: int, end: int, delimiter: str = ","
) -> Reject:
    """The reject of a CSV row of another number of cells than the header.

    Args:
        row: the cells read.
        header: the export's columns.
        line: the line the row starts on.
        end: the line it ends on (more than ``line`` when a quoted cell held line breaks).
        delimiter: the export's delimiter.

    Rule: a ragged row that spans several lines, with a cell whose lines after the first
    hold the delimiter (whole rows, not a line break in a text), has a quote that was
    opened and not closed where the writer meant (``"New,...`` without its closing
    quote): the reader took the lines after it, up to the next quote or the end of the
    file, as one cell. The reason says so, with the line the quote opened on (the start
    of the last such cell) and the column it opened in, instead of a cell count
    that hides the rows it swallowed.

    >>> reject = ragged_reject(
    ...     ["INC2", "New,1\\nINC3,New,1\\n"], ["id", "state", "x"], line=4, end=6
    ... )
    >>> reject.line, reject.column
    (4, 'state')
    >>> reject.reason.split(", so ")[1]
    'lines 4-6 were read as one row of 2 cells where the header has 3'
    """
    width = len(header)
    count = f"{len(row)} cells where the header has {width}"
    broken = [
        i for i, cell in enumerate(row) if any(delimiter in part for part in cell.splitlines()[1:])
    ]
    if end <= line or not broken:
        return Reject(
            line=line,
            column="",
            value=f"{len(row)} cells",
            reason=f"ragged row: {count}",
            record=csv_record(row),
        )
    last = broken[-1]
    opened = line + sum(cell.count("\n") for cell in row[:last])
    column = header[last] if last < width else f"#{last + 1}"
    return Reject(
        line=line,
        column=column,
        value=row[last][:80],
        reason=(
            f"unclosed quote: the quote opened on line {opened} in column {column!r} is "
            f"not closed where the row ends, so lines {line}-{end} were read as one row "
            f"of {count}"
        ),
        record=csv_record(row),
    )


def csv_record(cells: Sequence[str]) -> str:
    """``cells`` as one CSV line (no line end): how a rejected CSV row is kept.

    Written as :func:`csv.writer` writes a row of the output (``\\r\\n`` line end,
    minimal quoting), then the line end cut off: a cell holding a line break (``\\r``,
    ``\\n``) is quoted, so :func:`csv.reader` reads the record back as the same cells.
    (Without a line end, Python 3.11's writer quotes only for the delimiter and the
    quote: a cell's lone ``\\r`` or ``\\n`` was left bare.)
    """
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()[:-2]


class RejectsFile:
    """The rejects file: written only when a row is rejected, in full or not at all.

    CSV with the columns ``line, column, value, reason, record`` (or JSON Lines with
    those keys when the path ends in ``.jsonl``).

    The rows go to a temporary file (:class:`~faultkit.adapters.files.AtomicWriter`)
    renamed over ``path`` when the run ends well (:meth:`close`); a run that fails
    (an exception through ``with``) leaves an existing file at ``path`` as it was. A
    run that rejects nothing removes the file at ``path`` when it is a rejects file
    faultkit wrote (its first line is faultkit's rejects header, see
    :func:`is_rejects_file`), so no stale rejects sit beside a clean output; any other
    file there is left alone.

    Args:
        path: where to write; ``-`` for standard error.
        excel_safe: neutralise cells a spreadsheet would run as formulas.

    Attributes:
        count: rows rejected so far.
        reasons: rows rejected per ``(column, reason)``, for the summary.
        removed_stale: :meth:`close` removed an earlier run's rejects file.
    """

    COLUMNS = ("line", "column", "value", "reason", "record")

    def __init__(self, path: str, *, excel_safe: bool = False) -> None:
        self.path = path
        self.count = 0
        self.reasons: Counter[tuple[str, str]] = Counter()
        self.removed_stale = False
        self._excel_safe = excel_safe
        self._out: AtomicWriter | None = None
        self._handle: Any = None
        self._writer: Any = None
        self._jsonl = detect_format(path) is ExportFormat.JSONL

    def write(self, reject: Reject) -> None:
        """Append one rejected row."""
        if self._handle is None:
            self._open()
        self.count += 1
        self.reasons[reject.column, reject.reason] += 1
        if self._jsonl:
            self._handle.write(json.dumps(attrs.asdict(reject), ensure_ascii=False) + "\n")
            return
        cells = [str(reject.line), reject.column, reject.value, reject.reason, reject.record]
        if self._excel_safe:
            cells = [excel_safe(cell) for cell in cells]
        self._writer.writerow(cells)

    def top_reasons(self, n: int = 5) -> list[tuple[str, str, int]]:
        """The ``n`` most frequent ``(column, reason, rows)``, most rows first."""
        return [(column, reason, rows) for (column, reason), rows in self.reasons.most_common(n)]

    def _open(self) -> None:
        if self.path == "-":
            self._handle = sys.stderr
        else:
            self._out = AtomicWriter(self.path)
            self._handle = self._out.stream
        if not self._jsonl:
            self._writer = csv.writer(self._handle)
            self._writer.writerow(self.COLUMNS)

    def close(self) -> None:
        """The run went well: rename the rejects into place, or remove a stale file.

        Standard error is only flushed.
        """
        if self._handle is None:
            if self.path != "-" and is_rejects_file(self.path):
                Path(self.path).unlink()
                self.removed_stale = True
            return
        if self._out is not None:
            self._out.commit()
        else:
            self._handle.flush()
        self._handle = None

    def discard(self) -> None:
        """The run failed: drop this run's rejects; a file at ``path`` stays as it was."""
        if self._out is not None:
            self._out.discard()
        elif self._handle is not None:
            self._handle.flush()
        self._handle = None

    def __enter__(self) -> RejectsFile:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.discard()


def is_rejects_file(path: str) -> bool:
    """Whether ``path`` is a rejects file faultkit wrote (and may remove when stale).

    True when its first line is the rejects header (``line,column,value,reason,record``)
    or, for JSON Lines, a JSON object with exactly those keys; false for anything else,
    a folder or a file that does not exist.
    """
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            first = handle.readline(FIELD_LIMIT)
    except (OSError, UnicodeDecodeError):
        return False
    if first.rstrip("\r\n") == ",".join(RejectsFile.COLUMNS):
        return True
    try:
        obj = json.loads(first)
    except (ValueError, RecursionError):
        return False
    return isinstance(obj, dict) and tuple(obj) == RejectsFile.COLUMNS


def iter_jsonl(source: TextIO) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of each non-blank line of ``source``."""
    for number, text in enumerate(source, start=1):
        if text.strip():
            yield number, text


DELIMITERS = (",", ";", "\t", "|")
"""The delimiters :func:`sniff_delimiter` chooses from (comma first on a tie)."""


def sniff_delimiter(header: str) -> str:
    """The delimiter of a CSV file, read from its header line.

    The rule: count each of :data:`DELIMITERS` outside double quotes; the most
    frequent wins, comma on a tie or when none occurs. Excel writes ``;`` where the
    decimal separator is a comma, so ``id;impact;urgency`` reads as three columns.

    >>> sniff_delimiter("id;impact;urgency"), sniff_delimiter('"a;b",c'), sniff_delimiter("id")
    (';', ',', ',')
    """
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: (counts[d], -DELIMITERS.index(d)))
    return best if counts[best] else ","


_EXCEL_SEP = re.compile(r"sep=(.)\r?\n?")


class SepLineReader:
    """A ``csv.reader`` after Excel's ``sep=;`` first line: line numbers count that line.

    The engines that read the file again themselves give way to the row engine when
    :func:`read_csv` returns one of these (``isinstance``).
    """

    def __init__(self, reader: Any) -> None:
        self._reader = reader

    def __iter__(self) -> SepLineReader:
        return self

    def __next__(self) -> list[str]:
        row: list[str] = next(self._reader)
        return row

    @property
    def line_num(self) -> int:
        """The line of the file the last row ended on (the ``sep=`` line is line 1)."""
        return int(self._reader.line_num) + 1


def read_csv(source: TextIO, delimiter: str | None = None) -> tuple[Any, str]:
    """A ``csv.reader`` over ``source`` and its delimiter (sniffed from the header if ``None``).

    Sniffing reads the first line and hands it back to the reader, so it works on
    standard input too; line numbers (``reader.line_num``) are unchanged.

    Rule (Excel): a first line ``sep=X`` names the delimiter and is no row; the header
    is the next line. A delimiter given wins over it; line numbers still count it
    (:class:`SepLineReader`).

    >>> import io
    >>> reader, found = read_csv(io.StringIO("sep=;\\nid;state\\nA;New\\n"))
    >>> found, next(reader), next(reader), reader.line_num
    (';', ['id', 'state'], ['A', 'New'], 3)
    """
    first = source.readline()
    sep = _EXCEL_SEP.fullmatch(first)
    if sep is not None:
        found = delimiter or sep.group(1)
        return SepLineReader(csv.reader(source, delimiter=found)), found
    found = delimiter or sniff_delimiter(first)
    lines: Iterable[str] = itertools.chain([first], source) if first else source
    return csv.reader(lines, delimiter=found), found


class Header:
    """The columns of an export's header, found by name, by ``Name#k`` or by ``#n``.

    A name the header holds once is found by itself. A name it repeats is ambiguous:
    asking for it raises :class:`~faultkit.errors.InvalidInputError` naming the
    positions; ``Name#2`` picks the second column of that name (counting from 1),
    ``#7`` the seventh column of the header.

    >>> header = Header(["id", "Sprint", "Sprint", "state"])
    >>> header.find("id"), header.find("Sprint#2"), header.find("#4"), header.find("x")
    (0, 2, 3, None)
    >>> header.find("Sprint")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    faultkit.errors.InvalidInputError: line 1: columns: the header has 2 columns called ...
    """

    def __init__(self, names: Sequence[str]) -> None:
        self.names = list(names)
        positions: dict[str, list[int]] = {}
        for i, name in enumerate(self.names):
            positions.setdefault(name, []).append(i)
        self._positions = positions

    def find(self, column: str) -> int | None:
        """The index of ``column`` (a name, ``Name#k`` or ``#n``), ``None`` when absent.

        Raises:
            InvalidInputError: ``column`` names a column the header repeats.
        """
        found = self._positions.get(column)
        if found is not None:
            if len(found) > 1:
                where = ", ".join(str(i + 1) for i in found)
                raise InvalidInputError(
                    "columns",
                    column,
                    f"the header has {len(found)} columns called {column!r} (columns "
                    f"{where}); name one as '{column}#1' ... '{column}#{len(found)}' "
                    "in the profile or with --map",
                    line=1,
                )
            return found[0]
        name, sep, number = column.rpartition("#")
        if not sep or not (number.isascii() and number.isdigit()) or int(number) < 1:
            return None
        if not name:
            return int(number) - 1 if int(number) <= len(self.names) else None
        repeated = self._positions.get(name)
        if repeated is None or int(number) > len(repeated):
            return None
        return repeated[int(number) - 1]


def missing_columns(
    missing: Sequence[tuple[str, str | None]], header: Sequence[str]
) -> InvalidInputError:
    """The error for an export without a column the preset needs (wrong preset or ``--map``).

    Args:
        missing: ``(field, column)`` of each missing column; ``column`` is ``None`` when
            the profile maps no column to the field (said so, not shown as a name).
        header: the columns the export has (named in the message).

    >>> error = missing_columns([("impact", None), ("urgency", "U")], ["id"])
    >>> str(error).split("; ")[0].split(" for ")[1]
    "impact (the profile maps none), urgency (column 'U')"
    """
    wanted = ", ".join(
        f"{field} (column {column!r})" if column is not None else f"{field} (the profile maps none)"
        for field, column in missing
    )
    shown = ", ".join(repr(column) for column in header[:12])
    if len(header) > 12:
        shown += ", ..."
    return InvalidInputError(
        "columns",
        # the columns looked for; the fields when the profile names no column at all
        [column for _field, column in missing if column is not None]
        or [field for field, _column in missing],
        f"the export has no column for {wanted}; its columns are {shown}. "
        "Pick another --preset or move a field with --map field=column",
        line=1,
    )


NUL_HINT = (
    "(the cell holds a NUL byte: a file in UTF-16 or a binary file read as UTF-8? "
    "pass --encoding utf-16 or check the export)"
)
"""Added to the reason of a bad cell holding a NUL byte (``\\x00``), which no text export
has: the cell was read from a file in another encoding, or from bytes that are no text."""


class RowError(InvalidInputError):
    """A cell of an export row is wrong: which column, which value, why.

    Raised by the cell readers of :class:`~faultkit.adapters.exports.Scorer`
    (``level``, ``date``, ``sla_due``) and the event-log readers; the scorers turn it
    into a rejected row (:class:`~faultkit.adapters.exports.Reject`) and go on.
    ``field`` is the export's column name, also given as :attr:`column`.

    >>> error = RowError("impact", "9", "expected a level 1-3")
    >>> error.column, error.value
    ('impact', '9')
    >>> str(error)
    "impact: expected a level 1-3 (got '9')"
    """

    def __init__(self, column: str, value: str, reason: str, *, line: int | None = None) -> None:
        if isinstance(value, str) and "\x00" in value and NUL_HINT not in reason:
            reason = f"{reason} {NUL_HINT}"
        super().__init__(column, value, reason, line=line)

    @property
    def column(self) -> str:
        """The export's column the value is in (the same as ``field``)."""
        return self.field
