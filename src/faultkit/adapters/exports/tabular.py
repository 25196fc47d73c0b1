"""Reading and writing CSV and JSONL exports: formats, files or standard streams, rejects.

Kept apart from the scoring so that both the scorer and the event-log reader share
one way to open a file (``-`` for stdin / stdout; UTF-8 with or without BOM by
default), one rejects file and one spreadsheet-safe writer.
"""

from __future__ import annotations

import csv
import enum
import io
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any, TextIO

import attrs

from faultkit.errors import InvalidInputError

__all__ = [
    "EXCEL_TRIGGERS",
    "FIELD_LIMIT",
    "ExportFormat",
    "Reject",
    "RejectsFile",
    "default_rejects_path",
    "detect_format",
    "excel_safe",
    "json_cell",
    "open_input",
    "open_output",
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


class _StandardStream(io.TextIOWrapper):
    """A text layer over standard input's or output's bytes that leaves them open.

    Closing it (or losing it) flushes and detaches it instead of closing the process's
    stream, so a command run in-process (``main.main([...])``, ``CliRunner``) can still
    print afterwards, and can run again.
    """

    _released = False

    def close(self) -> None:
        if not self._released:
            self._released = True
            self.flush()
            self.detach()


def open_input(path: str, encoding: str = "utf-8-sig") -> TextIO:
    """Open ``path`` (``-`` for standard input) as text for the csv and json readers.

    ``utf-8-sig`` (the default) reads UTF-8 with or without a byte-order mark. Lines
    are not translated (``newline=""``), as the csv module needs. Closing the result
    of ``-`` leaves standard input open.
    """
    if path == "-":
        return _StandardStream(sys.stdin.buffer, encoding=encoding, newline="")
    return open(path, encoding=encoding, newline="")


def open_output(path: str, encoding: str = "utf-8") -> TextIO:
    """Open ``path`` (``-`` for standard output) for writing text, without line translation.

    Closing the result of ``-`` flushes it and leaves standard output open.
    """
    if path == "-":
        return _StandardStream(sys.stdout.buffer, encoding=encoding, newline="")
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


def csv_record(cells: Sequence[str]) -> str:
    """``cells`` as one CSV line (no line end): how a rejected CSV row is kept."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


class RejectsFile:
    """The rejects file: created on the first rejected row, never when all rows are good.

    CSV with the columns ``line, column, value, reason, record`` (or JSON Lines with
    those keys when the path ends in ``.jsonl``).

    Args:
        path: where to write; ``-`` for standard error.
        excel_safe: neutralise cells a spreadsheet would run as formulas.
    """

    COLUMNS = ("line", "column", "value", "reason", "record")

    def __init__(self, path: str, *, excel_safe: bool = False) -> None:
        self.path = path
        self.count = 0
        self._excel_safe = excel_safe
        self._handle: IO[str] | None = None
        self._writer: Any = None
        self._jsonl = detect_format(path) is ExportFormat.JSONL

    def write(self, reject: Reject) -> None:
        """Append one rejected row."""
        if self._handle is None:
            self._open()
        self.count += 1
        if self._jsonl:
            assert self._handle is not None
            self._handle.write(json.dumps(attrs.asdict(reject), ensure_ascii=False) + "\n")
            return
        cells = [str(reject.line), reject.column, reject.value, reject.reason, reject.record]
        if self._excel_safe:
            cells = [excel_safe(cell) for cell in cells]
        self._writer.writerow(cells)

    def _open(self) -> None:
        if self.path == "-":
            self._handle = sys.stderr
        else:
            self._handle = open(self.path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        if not self._jsonl:
            self._writer = csv.writer(self._handle)
            self._writer.writerow(self.COLUMNS)

    def close(self) -> None:
        """Flush and close (standard error is only flushed)."""
        if self._handle is None:
            return
        if self._handle is sys.stderr:
            self._handle.flush()
        else:
            self._handle.close()
        self._handle = None

    def __enter__(self) -> RejectsFile:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def iter_jsonl(source: TextIO) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of each non-blank line of ``source``."""
    for number, text in enumerate(source, start=1):
        if text.strip():
            yield number, text
