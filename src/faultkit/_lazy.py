"""Lazy re-exports for heavy package ``__init__`` files (PEP 562, issue 17).

A package whose ``__init__`` re-exports many names imports every submodule the moment
any one of them is imported (``import faultkit.lifecycle.sla`` runs
``faultkit/lifecycle/__init__.py`` first). A lazy package keeps the same public names:
its ``__init__`` lists them in ``__all__``, imports them under ``TYPE_CHECKING`` (so
mypy and the documentation see each name and where it comes from) and, at run time,
sets ``__getattr__ = lazy_exports(__name__, {...})``, which imports a name's defining
module on first use. ``from package import name`` and ``from package import *`` work
as before.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable, Mapping

__all__ = ["lazy_exports"]


def lazy_exports(package: str, table: Mapping[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` for ``package`` that imports ``table[name]`` on first use.

    ``table`` maps each re-exported name to the module that defines it. The first
    access to any name of a module imports that module and binds *all* of its names
    from ``table`` on the package (later lookups are plain attribute reads, and a name
    equal to a submodule's name, such as ``faultkit.metrics.feedback_loop``, is the
    function, not the submodule the import just bound). A name not in ``table`` raises
    ``AttributeError``, as a missing module attribute does. ``dir(package)`` lists the
    re-exported names before their first use too (completion in a shell).

    The package's module object also becomes a subclass of :class:`types.ModuleType`
    that, when the import system binds a submodule whose name is also a re-exported
    name of that submodule (``import faultkit.metrics.feedback_loop`` before any use
    of the package), binds the re-exported object instead, as the eager ``__init__``
    did.
    """
    by_module: dict[str, list[str]] = {}
    for name, module in table.items():
        by_module.setdefault(module, []).append(name)

    def lookup(name: str) -> object:
        module_name = table.get(name)
        if module_name is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = importlib.import_module(module_name)
        namespace = sys.modules[package].__dict__
        for each in by_module[module_name]:
            namespace[each] = getattr(module, each)
        return namespace[name]

    class LazyPackage(types.ModuleType):
        def __dir__(self) -> list[str]:
            return sorted(set(super().__dir__()) | set(table))

        def __setattr__(self, name: str, value: object) -> None:
            if isinstance(value, types.ModuleType) and table.get(name) == value.__name__:
                value = getattr(value, name)
            super().__setattr__(name, value)

    sys.modules[package].__class__ = LazyPackage
    return lookup
