"""numpy arrays to and from Arrow arrays through their buffers, without pandas.

pyarrow imports pandas (when it is installed) the first time :func:`pyarrow.array` or
``Array.to_numpy`` meets any Python or numpy object, to ask whether it is a pandas
object: measured here, that costs the command about 0.3 s and 54 MB of resident memory
for nothing. The columnar engine builds and reads its arrays from their buffers
instead (Arrow's columnar format: a validity bitmap, least significant bit first, then
the values; for text, 32-bit offsets and the UTF-8 bytes), which is also zero-copy
where the layout allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

try:
    import pyarrow as pa
except ImportError as error:  # pragma: no cover - depends on the installed extras
    raise ImportError("faultkit.batch needs pyarrow: pip install '.[arrow]' in a clone") from error

__all__ = ["arrow_booleans", "arrow_ints", "arrow_texts", "numpy_ints"]

Int64Array = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def numpy_ints(array: Any) -> Int64Array:
    """The values of an Arrow integer array without nulls, as 64-bit numpy integers.

    A chunked array gives its chunks' values one after the other.

    Raises:
        ValueError: the array has nulls or is not of a signed or unsigned integer type.
    """
    if isinstance(array, pa.ChunkedArray):
        parts = [numpy_ints(chunk) for chunk in array.chunks]
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)
    kind = array.type
    if not pa.types.is_integer(kind) or array.null_count:
        raise ValueError(f"expected integers without nulls, got {kind} ({array.null_count} nulls)")
    width = kind.bit_width // 8
    dtype = np.dtype(f"{'i' if pa.types.is_signed_integer(kind) else 'u'}{width}")
    values = np.frombuffer(
        array.buffers()[1], dtype=dtype, count=len(array), offset=array.offset * width
    )
    return values.astype(np.int64, copy=False)


def _validity(mask: BoolArray | None, length: int) -> Any:
    """The validity bitmap of ``length`` values, ``mask`` true where a value is null."""
    if mask is None or not mask.any():
        return None
    return pa.py_buffer(np.packbits(~mask, bitorder="little"))


def arrow_ints(values: Int64Array, mask: BoolArray | None = None) -> Any:
    """An Arrow ``int64`` array of ``values``, null where ``mask`` is true."""
    data = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(
        pa.int64(), len(data), [_validity(mask, len(data)), pa.py_buffer(data)]
    )


def arrow_booleans(values: BoolArray, mask: BoolArray | None = None) -> Any:
    """An Arrow ``bool`` array of ``values``, null where ``mask`` is true."""
    bits = np.packbits(np.asarray(values, dtype=np.bool_), bitorder="little")
    return pa.Array.from_buffers(
        pa.bool_(), len(values), [_validity(mask, len(values)), pa.py_buffer(bits)]
    )


def arrow_texts(texts: Sequence[str | None]) -> Any:
    """An Arrow ``string`` array of ``texts`` (``None`` is null)."""
    encoded = [b"" if text is None else text.encode("utf-8") for text in texts]
    ends = np.cumsum([0, *(len(b) for b in encoded)], dtype=np.int64)
    if ends[-1] >= 1 << 31:
        raise ValueError(f"{int(ends[-1])} bytes of text: more than one string array holds")
    offsets = ends.astype(np.int32)
    mask = np.fromiter((text is None for text in texts), np.bool_, count=len(texts))
    return pa.Array.from_buffers(
        pa.string(),
        len(encoded),
        [_validity(mask, len(encoded)), pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))],
    )
