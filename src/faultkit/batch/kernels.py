"""The Arrow compute kernels the check-log engine calls, without :mod:`pyarrow.compute`.

Importing :mod:`pyarrow.compute` builds a Python wrapper, with its docstring, for each
of Arrow's several hundred kernels: about 45 ms of wall time on this project's
2-core machine (``python -c "import pyarrow, pyarrow.compute"`` against ``import
pyarrow, pyarrow._compute``, min of 15), a quarter of a small ``check-log`` run. The
kernels themselves live in the compiled module ``pyarrow._compute``, whose
``call_function`` is the one :func:`pyarrow.compute.call_function` re-exports; this
module calls them by name through it. The methods of Arrow arrays that run a kernel
(``Array.take``, ``Array.filter``, ``Array.dictionary_encode``) import
:mod:`pyarrow.compute` on first use, so the engine calls the functions below instead.

Each function is the kernel of the same name in :mod:`pyarrow.compute`, with its
default options unless one is named; a test checks each against it.
"""

from __future__ import annotations

from typing import Any

try:
    import pyarrow._compute as _kernels
except ImportError as error:  # pragma: no cover - depends on the installed extras
    raise ImportError("faultkit.batch needs pyarrow: pip install '.[arrow]' in a clone") from error

__all__ = [
    "any_true",
    "call",
    "count_matches",
    "dictionary_encode",
    "keep",
    "matches",
    "member_of",
    "take",
]


def call(name: str, *args: Any, options: Any = None) -> Any:
    """The kernel ``name`` of Arrow's function registry applied to ``args``."""
    return _kernels.call_function(name, list(args), options)


def take(values: Any, indices: Any) -> Any:
    """``values`` (an array or a table) at ``indices``, in their order: ``pc.take``."""
    return _kernels.call_function("take", [values, indices])


def keep(values: Any, mask: Any) -> Any:
    """The values of ``values`` where the boolean array ``mask`` is true: ``pc.filter``."""
    return _kernels.call_function("filter", [values, mask])


def dictionary_encode(values: Any) -> Any:
    """``values`` as a dictionary array (codes in order of first appearance, nulls masked)."""
    return _kernels.call_function("dictionary_encode", [values])


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
