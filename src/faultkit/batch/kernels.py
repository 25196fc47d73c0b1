"""The Arrow compute kernels the columnar engines call, without :mod:`pyarrow.compute`.

Importing :mod:`pyarrow.compute` builds a Python wrapper, with its docstring, for each
of Arrow's several hundred kernels: about 45 ms of wall time on this project's
2-core machine (``python -c "import pyarrow, pyarrow.compute"`` against ``import
pyarrow, pyarrow._compute``, min of 15), a quarter of a small ``check-log`` run and a
sixth of a small ``score`` run. The
kernels themselves live in the compiled module ``pyarrow._compute``, whose
``call_function`` is the one :func:`pyarrow.compute.call_function` re-exports; this
module calls them by name through it. The methods of Arrow arrays that run a kernel
(``Array.take``, ``Array.filter``, ``Array.dictionary_encode``) import
:mod:`pyarrow.compute` on first use, so the engine calls the functions below instead.

Each function's docstring names the :mod:`pyarrow.compute` function it stands for,
called with that function's default options unless one is named; a test checks each
against it.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

try:
    import pyarrow as pa
    import pyarrow._compute as _compiled
except ImportError as error:  # pragma: no cover - depends on the installed extras
    raise ImportError("faultkit.batch needs pyarrow: pip install '.[arrow]' in a clone") from error

#: The names this module takes from the kernels module; :mod:`pyarrow.compute` has each.
KERNEL_NAMES = (
    "call_function",
    "CastOptions",
    "DictionaryEncodeOptions",
    "MatchSubstringOptions",
    "SetLookupOptions",
    "TrimOptions",
)


def kernel_module(compiled: ModuleType) -> ModuleType:
    """``compiled`` when it has every name of :data:`KERNEL_NAMES`, else :mod:`pyarrow.compute`.

    ``pyarrow._compute`` is not a public module: a pyarrow release that moves one of
    these names costs the 45 ms of importing :mod:`pyarrow.compute`, not a failed run.
    """
    if all(hasattr(compiled, name) for name in KERNEL_NAMES):
        return compiled
    import pyarrow.compute as public  # only when the compiled module lacks a name

    module: ModuleType = public
    return module


_kernels = kernel_module(_compiled)

__all__ = [
    "any_true",
    "as_text",
    "call",
    "coalesce",
    "count_matches",
    "dictionary_encode",
    "join_each",
    "keep",
    "matches",
    "member_of",
    "take",
    "trim_right",
]


_STRING = pa.string()


def call(name: str, *args: Any, options: Any = None) -> Any:
    """The kernel ``name`` of Arrow's function registry applied to ``args``."""
    return _kernels.call_function(name, list(args), options)


def take(values: Any, indices: Any) -> Any:
    """``values`` (an array or a table) at ``indices``, in their order: ``pc.take``."""
    return _kernels.call_function("take", [values, indices])


def keep(values: Any, mask: Any) -> Any:
    """The values of ``values`` where the boolean array ``mask`` is true: ``pc.filter``."""
    return _kernels.call_function("filter", [values, mask])


def dictionary_encode(values: Any, *, nulls: str = "mask") -> Any:
    """``values`` as a dictionary array, codes in order of first appearance.

    ``nulls``: ``"mask"`` leaves a null a null, ``"encode"`` gives it a code of its own
    (``pc.dictionary_encode``'s ``null_encoding``).
    """
    options = _kernels.DictionaryEncodeOptions(nulls)
    return _kernels.call_function("dictionary_encode", [values], options)


def as_text(values: Any) -> Any:
    """``values`` cast to Arrow strings, refusing a lossy cast: ``pc.cast(values, pa.string())``."""
    return _kernels.call_function("cast", [values], _kernels.CastOptions(_STRING))


def coalesce(values: Any, fill: Any) -> Any:
    """``values`` with each null replaced by the scalar ``fill``: ``pc.fill_null``."""
    return _kernels.call_function("coalesce", [values, fill])


def trim_right(texts: Any, characters: str) -> Any:
    """Each text without the ``characters`` at its end: ``pc.utf8_rtrim``."""
    return _kernels.call_function("utf8_rtrim", [texts], _kernels.TrimOptions(characters))


def join_each(*arrays_and_separator: Any) -> Any:
    """Row by row, the texts of the arrays joined by the last argument (a null gives null):
    ``pc.binary_join_element_wise``."""
    return _kernels.call_function("binary_join_element_wise", list(arrays_and_separator))


def any_true(values: Any) -> bool:
    """Whether any value of a boolean array is true (nulls are skipped): ``pc.any``."""
    return bool(_kernels.call_function("any", [values]).as_py())


def matches(texts: Any, pattern: str) -> Any:
    """Per text, whether the RE2 ``pattern`` matches it anywhere: ``pc.match_substring_regex``."""
    return _kernels.call_function(
        "match_substring_regex", [texts], _kernels.MatchSubstringOptions(pattern)
    )


def count_matches(texts: Any, pattern: str) -> Any:
    """Per text, how many times the RE2 ``pattern`` matches it: ``pc.count_substring_regex``."""
    return _kernels.call_function(
        "count_substring_regex", [texts], _kernels.MatchSubstringOptions(pattern)
    )


def member_of(values: Any, value_set: Any) -> Any:
    """Per value, whether it is one of the array ``value_set``: ``pc.is_in``."""
    return _kernels.call_function("is_in", [values], _kernels.SetLookupOptions(value_set))
