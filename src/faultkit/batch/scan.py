"""Cheap looks at a CSV file and at Arrow text columns, for the columnar engines.

The columnar engines (:mod:`faultkit.batch.stream`, :mod:`faultkit.batch.eventlog`)
must give the row engine's answer; these functions tell them, at ``memchr`` speed,
when a file or a batch needs the careful reading: quotes anywhere in the file, lines
long enough to hold a cell past the row engine's field limit, cells holding bytes
:func:`csv.writer` quotes, bytes that are not UTF-8, and the line each row ends on.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np

from faultkit.adapters.exports.tabular import FIELD_LIMIT
from faultkit.batch.buffers import numpy_ints
from faultkit.batch.kernels import any_true, call, count_matches, matches

try:
    import pyarrow as pa
except ImportError as error:  # pragma: no cover - depends on the installed extras
    raise ImportError("faultkit.batch needs pyarrow: pip install '.[arrow]' in a clone") from error

__all__ = ["FileScan", "holds", "lone_cr", "longest", "row_ends", "scan_file", "utf8"]

_WINDOW = 1 << 16  # half the field limit: a longer line leaves a window without a line end
_LINE_BREAKS = (b"\n", b"\r")


@attrs.frozen
class FileScan:
    """What one pass over a file's bytes found.

    Attributes:
        quotes: a double quote somewhere. Without one no cell holds the delimiter or a
            line break (only a quoted cell can), so Arrow may read without looking for
            line breaks inside values (the faster way) and no batch needs searching for
            cells :func:`csv.writer` would quote.
        long_lines: some aligned 64 KiB window holds no line end, so a line (and maybe
            a cell) may be longer than :data:`~faultkit.adapters.exports.FIELD_LIMIT`;
            without one, no cell is.
    """

    quotes: bool
    long_lines: bool


def scan_file(path: str, chunk: int = 1 << 20) -> FileScan:
    """One ``memchr`` pass over the file, 1 MiB at a time (see :class:`FileScan`).

    Measured on the 343 MB bench export: about 0.06 s of CPU.
    """
    if chunk % _WINDOW:
        raise ValueError(f"chunk must be a multiple of {_WINDOW} bytes, got {chunk}")
    buffer = bytearray(chunk)
    view = memoryview(buffer)
    quotes = long_lines = False
    with open(path, "rb", buffering=0) as source:
        while True:
            size = source.readinto(buffer)
            if not size:
                return FileScan(quotes, long_lines)
            data = buffer if size == chunk else bytes(view[:size])
            quotes = quotes or b'"' in data
            if not long_lines:
                long_lines = any(
                    data.find(b"\n", start, start + _WINDOW) < 0
                    and data.find(b"\r", start, start + _WINDOW) < 0
                    for start in range(0, size - _WINDOW + 1, _WINDOW)
                )
            if size < chunk:
                return FileScan(quotes, long_lines)


def utf8(data: Any) -> bool:
    """Whether the bytes of ``data`` (an Arrow buffer) are UTF-8 as :meth:`bytes.decode` takes it.

    ASCII (the largest byte below 0x80: numpy, about 11 GB/s here) is; anything else is
    checked by Arrow's validation (about 7 GB/s). No copy of the bytes. A reader that
    converts only some columns must still refuse text that is not UTF-8 in the others:
    the row engine decodes the whole file and stops on it. A property test compares
    this with :meth:`bytes.decode`.
    """
    if data.size == 0 or int(np.frombuffer(data, np.uint8).max()) < 0x80:
        return True
    offsets = pa.py_buffer(np.array([0, data.size], np.int64))
    text = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, data])
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def holds(column: Any, needles: tuple[bytes, ...]) -> bool:
    """Whether any text of ``column`` may hold one of ``needles`` (a fast byte search).

    The whole value buffer of each chunk is searched (a copy of its bytes, then one
    ``in`` per needle: ``memchr`` speed; a regular expression's character class was
    measured ten times slower), so a hit may be a false alarm (bytes outside a slice);
    a miss is certain.
    """
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    for chunk in chunks:
        if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
            continue
        data = chunk.buffers()[2]
        if data is None:
            continue
        raw = data.to_pybytes()
        if any(needle in raw for needle in needles):
            return True
    return False


def lone_cr(column: Any) -> bool:
    """Whether a text of ``column`` holds a ``\\r`` not followed by ``\\n``.

    pyarrow 26's CSV reader loses the ``\\n`` of a ``\\r\\n`` inside a quoted value
    when a block ends between the two bytes (found by this project's property test:
    ``"1\\r\\n2"`` is read ``"1\\r2"``). A lone ``\\r`` is therefore suspect, and the
    engines give the file to the row engine (a lone ``\\r`` in a cell is rare; ``\\r\\n``
    in a multi-line text field is common and stays on the columnar engines).
    """
    if not holds(column, (b"\r",)):
        return False
    return any_true(matches(column, "\r(?:[^\n]|$)"))


def longest(column: Any) -> int:
    """The byte length of the longest text of ``column`` (at least its character length).

    A column whose text buffers hold at most
    :data:`~faultkit.adapters.exports.FIELD_LIMIT` bytes in all gives their size (no
    cell can be longer) without looking at the cells.
    """
    if len(column) == 0:
        return 0
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    buffered = 0
    for chunk in chunks:
        data = chunk.buffers()[-1]
        buffered += FIELD_LIMIT + 1 if data is None else data.size
    if buffered <= FIELD_LIMIT:
        return buffered
    found = call("max", call("binary_length", column)).as_py()
    return 0 if found is None else int(found)


def row_ends(table: Any, line: int, special: list[bool]) -> Any:
    """The line each row of ``table`` ends on, the previous row having ended on ``line``.

    A row takes one line plus one per line break inside its cells, counted as the
    file iterator under :func:`csv.reader` counts them (``\\r\\n``, ``\\r`` or ``\\n``).
    Only the columns flagged in ``special`` (they may hold a quote, the delimiter or a
    line break) are searched.
    """
    rows = table.num_rows
    extra = np.zeros(rows, np.int64)
    for column, flagged in zip(table.columns, special, strict=True):
        if flagged and holds(column, _LINE_BREAKS):
            counts = count_matches(column, r"\r\n|\r|\n")
            extra += numpy_ints(counts)
    return line + np.cumsum(extra + 1)
