"""Where a file stops being in its encoding, and which encoding it is probably in.

Python's text reader reports an undecodable byte at its offset *within the block it
was decoding* (8 KiB or so), not within the file: ``byte 631`` of a file whose bad
byte is at 148,087. :func:`first_undecodable` reads the file again as bytes and gives
the true offset and line. :func:`guess_encoding` then names the encoding a sample of
the file most probably has, among the ones exports are met in: UTF-16 (Excel's
"Unicode text", a byte-order mark or a NUL in every other byte), UTF-8 (a file read
with another encoding), GB18030 (GBK, Chinese Windows), Windows-1251 (Cyrillic
Windows) and Windows-1252 (Western Windows, a superset of Latin-1 for text).

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "export.csv"
>>> data = "id,title\\r\\n" + "1,ok\\r\\n" * 5000 + "2,Solicitação\\r\\n"
>>> _ = path.write_bytes(data.encode("cp1252"))
>>> fault = first_undecodable(str(path), "utf-8-sig")
>>> (fault.offset, fault.line) == (10 + 6 * 5000 + len("2,Solicita"), 5002)
True
>>> fault.guess
'cp1252'
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import BinaryIO

__all__ = [
    "BLOCK_BYTES",
    "DecodeFault",
    "describe_fault",
    "first_undecodable",
    "guess_encoding",
]

BLOCK_BYTES = 1 << 20
"""Bytes :func:`first_undecodable` decodes at a time (a test makes it tiny)."""
_SAMPLE = 1 << 15
"""Bytes taken on each side of the bad byte for :func:`guess_encoding`."""

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class DecodeFault:
    """The first byte of a file that its encoding cannot decode.

    Attributes:
        offset: the byte's offset in the file, from 0 (a byte-order mark counts).
        line: its line, from 1 (line feeds before it + 1).
        reason: the codec's reason (``invalid continuation byte``).
        guess: the encoding the file probably has (:func:`guess_encoding`), or ``None``.
    """

    offset: int
    line: int
    reason: str
    guess: str | None


def first_undecodable(path: str, encoding: str) -> DecodeFault | None:
    """The first byte of ``path`` that ``encoding`` cannot decode, ``None`` when all can.

    The file is decoded again, as bytes, by an incremental decoder in blocks of 1 MiB:
    the offset is the bytes fed before the block, less those the decoder still held
    (a character cut by the block's end), plus the codec's offset in what it was given;
    a UTF-8 byte-order mark that ``utf-8-sig`` skips is counted. The guess comes from up
    to 32 KiB on each side of the byte, cut at line ends.

    Raises:
        OSError: the file cannot be read.
        LookupError: ``encoding`` is no codec.
    """
    name = codecs.lookup(encoding).name
    with open(path, "rb") as handle:
        head = handle.read(3)
        skipped = 0
        if name == "utf-8-sig":
            name = "utf-8"
            if head == codecs.BOM_UTF8:
                skipped = 3
        handle.seek(skipped)
        decoder = codecs.getincrementaldecoder(name)(errors="strict")
        fed = skipped
        newlines = 0
        while True:
            block = handle.read(BLOCK_BYTES)
            held = decoder.getstate()[0]
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as error:
                offset = fed - len(held) + error.start
                newlines += block[: max(0, offset - fed)].count(b"\n")
                sample = _sample(handle, offset)
                return DecodeFault(offset, newlines + 1, error.reason, guess_encoding(sample))
            if not block:
                return None
            fed += len(block)
            newlines += block.count(b"\n")


def describe_fault(fault: DecodeFault | None) -> str:
    """Where the file stops decoding and what it looks like, for an error message.

    >>> describe_fault(DecodeFault(offset=238, line=4, reason="invalid start byte", guess="cp1252"))
    'invalid start byte at byte 238, line 4; it looks like cp1252'
    >>> describe_fault(None)
    'a byte it cannot decode'
    """
    if fault is None:
        return "a byte it cannot decode"
    where = f"{fault.reason} at byte {fault.offset}, line {fault.line}"
    return where if fault.guess is None else f"{where}; it looks like {fault.guess}"


def _sample(handle: BinaryIO, offset: int) -> bytes:
    """Up to :data:`_SAMPLE` bytes on each side of ``offset``, cut at line ends."""
    start = max(0, offset - _SAMPLE)
    handle.seek(start)
    data = handle.read(offset - start + _SAMPLE)
    if start > 0 and b"\n" in data[: offset - start]:
        data = data[data.index(b"\n") + 1 :]
    cut = data.rfind(b"\n")
    if cut > 0 and len(data) > _SAMPLE:
        data = data[: cut + 1]
    return data


def guess_encoding(sample: bytes) -> str | None:
    """The encoding ``sample`` (bytes of a text file) most probably has, or ``None``.

    Rules, in order (each a plain property of the encodings, no statistics table):

    1. a UTF-16 byte-order mark, or a NUL in at least a third of the even (odd) bytes:
       ``utf-16`` (Excel's "Unicode text" and PowerShell write it; ASCII text in UTF-16
       has a NUL in every other byte);
    2. the sample decodes as UTF-8 and has a byte above 127: ``utf-8``;
    3. it decodes as GB18030 and at least 90 % of its bytes above 127 sit in runs of
       even length, some run holding two characters or more: ``gb18030`` (Chinese text is
       runs of two-byte characters; accented Latin letters mostly stand alone between
       ASCII letters);
    4. at least 90 % of its bytes above 127 are 0xC0-0xFF and at least half sit in runs
       of three or more: ``cp1251`` (Windows Cyrillic: words of letters, each a byte
       from 0xC0; a Russian Mantis export is written so);
    5. it decodes as Windows-1252: ``cp1252``;
    6. otherwise ``None`` (Latin-1 would decode anything, so naming it says nothing).

    >>> guess_encoding("投诉,处理中".encode("gbk"))
    'gb18030'
    >>> guess_encoding("Descrição,Situação,Prioridade".encode("cp1252"))
    'cp1252'
    >>> guess_encoding("Номер,Проект,Состояние".encode("cp1251"))
    'cp1251'
    >>> guess_encoding("id,state".encode("utf-16"))
    'utf-16'
    >>> guess_encoding(b"plain ascii") is None
    True
    """
    if sample.startswith(_UTF16_BOMS):
        return "utf-16"
    half = len(sample) // 2
    if half and max(sample[0::2].count(0), sample[1::2].count(0)) * 3 >= half:
        return "utf-16"
    if not any(byte > 127 for byte in sample):
        return None
    if _decodes(sample, "utf-8"):
        return "utf-8"
    if _decodes(sample, "gb18030") and _paired(sample):
        return "gb18030"
    if _cyrillic_words(sample):
        return "cp1251"
    if _decodes(sample, "cp1252"):
        return "cp1252"
    return None


def _decodes(sample: bytes, encoding: str) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)(errors="strict").decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _runs(sample: bytes) -> list[int]:
    """The lengths of the runs of bytes above 127."""
    runs: list[int] = []
    length = 0
    for byte in sample:
        if byte > 127:
            length += 1
        elif length:
            runs.append(length)
            length = 0
    if length:
        runs.append(length)
    return runs


def _cyrillic_words(sample: bytes) -> bool:
    """Rule 4 of :func:`guess_encoding`: Windows-1252 letters stand alone, Cyrillic ones do not."""
    high = [byte for byte in sample if byte > 127]
    letters = sum(byte >= 0xC0 for byte in high)
    runs = _runs(sample)
    in_words = sum(run for run in runs if run >= 3)
    return bool(high) and letters * 10 >= len(high) * 9 and in_words * 2 >= len(high)


def _paired(sample: bytes) -> bool:
    """At least 90 % of the high bytes in runs of even length, one run of 4 or more."""
    runs = _runs(sample)
    even = sum(run for run in runs if run % 2 == 0)
    return even * 10 >= sum(runs) * 9 and max(runs) >= 4
