"""Cutting a quote-free file into line-aligned pieces, and finding the lines of a piece.

A CSV file holding no double quote has one row per line, so it can be cut anywhere
after a line end and each piece read on its own, in worker threads. The two columnar
engines that do so cut with the same rule, :func:`line_cut`: ``faultkit score``
(:mod:`faultkit.batch.plain`) reads a file in blocks (:func:`file_blocks`; a stream
that cannot seek with :func:`line_blocks`);
``check-log`` and ``report`` (:mod:`faultkit.batch.logread`) map the file into memory
and cut byte ranges of it (:func:`line_ranges`). :func:`line_bounds` finds the lines
of one piece.

Line ends are those :func:`csv.reader` counts over a file opened with ``newline=""``:
``\\r\\n``, ``\\n`` and a ``\\r`` not followed by ``\\n``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt

__all__ = [
    "BLOCK_SIZE",
    "Int64Array",
    "file_blocks",
    "line_blocks",
    "line_bounds",
    "line_cut",
    "line_ranges",
]

BLOCK_SIZE = 1 << 20
"""Bytes of CSV text Arrow reads per record batch (1 MiB).

Arrow's reader decodes a few blocks ahead, so the peak memory is a multiple of this:
measured on a 1,000,000-row export, 4 MiB blocks peaked at about 360 MB resident and
1 MiB blocks at about 200 MB, in the same time.
"""

Int64Array = npt.NDArray[np.int64]

_LF, _CR = 10, 13


def line_cut(data: Any, start: int, stop: int) -> int:
    """Where to cut ``data[start:stop]`` so that no line is split, or ``-1``: no place.

    Just after its last ``\\n``; without one, just after its last ``\\r`` that is not
    the window's final byte (the byte after it is then known not to be a ``\\n``, so no
    ``\\r\\n`` is split). ``data`` is anything with ``bytes.rfind``'s signature
    (``bytes``, :class:`mmap.mmap`).

    >>> line_cut(b"ab\\ncd\\ref", 0, 9), line_cut(b"ab\\rcd\\r", 0, 6), line_cut(b"abc", 0, 3)
    (3, 3, -1)
    """
    cut = data.rfind(b"\n", start, stop)
    if cut < 0:
        cut = data.rfind(b"\r", start, stop - 1)
    return cut + 1 if cut >= 0 else -1


def line_blocks(source: BinaryIO, block_size: int) -> Iterator[bytes]:
    """The rest of ``source`` in blocks of about ``block_size`` bytes, each ending after a line end.

    Each block is cut at :func:`line_cut`; a block without a place to cut grows by
    another ``block_size`` bytes. The last block ends where the file does, line end or
    not. So no line, and no ``\\r\\n``, is split.
    """
    if block_size < 1:
        raise ValueError(f"block_size must be positive, got {block_size}")
    rest = b""
    while True:
        data = source.read(block_size)
        if not data:
            if rest:
                yield rest
            return
        block = rest + data if rest else data
        cut = line_cut(block, 0, len(block))
        if cut < 0:
            rest = block
            continue
        rest = block[cut:]
        yield block[:cut]


def file_blocks(source: BinaryIO, block_size: int, *, probe: int = 1 << 16) -> Iterator[bytes]:
    """The rest of the file ``source`` in blocks of about ``block_size`` bytes, cut at line ends.

    :func:`line_blocks`'s blocks read without copying them: where a block of
    ``block_size`` bytes from here would end, its last ``probe`` bytes are read to
    find its :func:`line_cut`, and the block is then read up to that cut in one read (a
    stream that cannot seek is read by :func:`line_blocks`). :func:`line_blocks` joins
    each block to the rest of the one before and slices it again: two copies of the
    file's bytes in the thread that reads, about 0.1 s per 343 MB here. A block whose
    probe holds no ``\\n`` (a long line, ``\\r`` line ends) is read whole and cut by
    :func:`line_cut`, growing while it holds no line end. The blocks are
    :func:`line_ranges`' ranges of the file from here (a test checks it): no line, and
    no ``\\r\\n``, is split, and the last block ends where the file does.

    Raises:
        ValueError: ``block_size`` or ``probe`` is not positive.
    """
    if block_size < 1 or probe < 1:
        raise ValueError(f"block_size and probe must be positive, got {block_size} and {probe}")
    if not source.seekable():
        yield from line_blocks(source, block_size)
        return
    start = source.tell()
    end = source.seek(0, os.SEEK_END)
    while start < end:
        stop = min(start + block_size, end)
        near = max(start, stop - probe)
        source.seek(near)
        found = source.read(stop - near).rfind(b"\n")
        source.seek(start)
        if found >= 0:  # the window's last \n is in the probe: line_cut's cut
            block = source.read(near + found + 1 - start)
        else:  # line_cut over the whole window, growing it while it holds no line end
            block = source.read(stop - start)
            cut = line_cut(block, 0, len(block))
            while cut < 0 and start + len(block) < end:
                seen = len(block) - 1  # a \r there may be a \r\n's first byte
                block += source.read(block_size)
                cut = line_cut(block, seen, len(block))
            if cut >= 0:
                block = block[:cut]
        if not block:  # the file shrank while it was read
            return
        yield block
        start += len(block)


def line_ranges(
    data: Any, start: int, size: int, *, parts: int = 0, smallest: int = 1
) -> Iterator[tuple[int, int]]:
    """``(start, end)`` ranges of ``data[start:]`` of about ``size`` bytes, cut at line ends.

    :func:`line_blocks`'s rule over a buffer in memory (``bytes``, :class:`mmap.mmap`):
    each range ends at :func:`line_cut` of its next ``size`` bytes (the last ``size``
    bytes too: like a stream, the rule does not look at where the data ends), a range
    without a place to cut grows by another ``size`` bytes, and the last range ends at
    ``len(data)``.

    With ``parts``, ranges shrink towards the end: each looks at
    ``max(smallest, min(size, left // parts))`` bytes, ``left`` the bytes not yet in a
    range (guided scheduling: worker threads taking the ranges in turn get large ones,
    cheap per byte, while much is left, and finish together on small ones).

    >>> list(line_ranges(b"a\\nbb\\nccc\\nd", 0, 4))
    [(0, 2), (2, 5), (5, 9), (9, 10)]
    >>> [end - start for start, end in line_ranges(b"x\\n" * 64, 0, 32, parts=2, smallest=4)]
    [32, 32, 32, 16, 8, 4, 4]
    """
    if size < 1 or smallest < 1:
        raise ValueError(f"size and smallest must be positive, got {size} and {smallest}")
    if parts < 0:
        raise ValueError(f"parts must be 0 or more, got {parts}")
    total = len(data)
    while start < total:
        step = max(smallest, min(size, (total - start) // parts)) if parts else size
        stop = min(start + step, total)
        cut = line_cut(data, start, stop)
        while cut < 0 and stop < total:
            # no line end before stop - 1 (a \r there was the window's last byte): only
            # the bytes from there on are searched, so a long line costs one pass
            seen, stop = stop - 1, min(stop + step, total)
            cut = line_cut(data, seen, stop)
        end = cut if cut >= 0 else total
        yield start, end
        start = end


def line_bounds(block: bytes) -> tuple[Int64Array, Int64Array]:
    """Where each line of ``block`` starts, and where it ends (its line end excluded).

    Line ends are ``\\r\\n``, ``\\n`` and a ``\\r`` not followed by ``\\n``, as
    :func:`csv.reader` over a file opened with ``newline=""`` counts them. A last line
    without a line end counts as a line.

    >>> starts, ends = line_bounds(b"ab\\r\\nc\\rde\\nf")
    >>> starts.tolist(), ends.tolist()
    ([0, 4, 6, 9], [2, 5, 8, 10])
    """
    data = np.frombuffer(block, np.uint8)
    size = len(data)
    lf = np.flatnonzero(data == _LF)
    if b"\r" in block:
        before = np.maximum(lf - 1, 0)
        crs = int(np.count_nonzero(data == _CR))  # twice as fast as bytes.count here
        if crs == len(lf) and bool(np.all(data[before] == _CR) and lf.all()):
            ends, nexts = lf - 1, lf + 1  # \r\n throughout: every \r is just before a \n
        else:
            ends, nexts = _mixed_ends(data, np.flatnonzero(data == _CR), lf)
    else:
        ends, nexts = lf, lf + 1
    starts = np.concatenate([np.zeros(1, np.int64), nexts[:-1]]).astype(np.int64)
    last = int(nexts[-1]) if len(nexts) else 0
    if last < size:  # the file's last line, without a line end
        starts = np.append(starts[: len(ends)], last)
        ends = np.append(ends, size)
    return starts[: len(ends)].astype(np.int64), ends.astype(np.int64)


def _mixed_ends(data: Any, cr: Int64Array, lf: Int64Array) -> tuple[Int64Array, Int64Array]:
    """Line ends and next line starts of a block mixing ``\\r\\n``, ``\\n`` and ``\\r``."""
    size = len(data)
    after = np.minimum(cr + 1, size - 1)
    lone = cr[(cr + 1 >= size) | (data[after] != _LF)]
    before = np.maximum(lf - 1, 0)
    lf_ends = np.where((lf > 0) & (data[before] == _CR), lf - 1, lf)
    ends = np.concatenate([lf_ends, lone])
    nexts = np.concatenate([lf, lone]) + 1
    order = np.argsort(ends, kind="stable")
    return ends[order], nexts[order]
