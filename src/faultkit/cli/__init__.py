"""The ``faultkit`` command line (the ``cli`` extra: ``pip install ".[cli]"`` in a clone).

This package only re-exports, lazily: the process entry
(:func:`faultkit.cli.entry.start`) imports it before click, so that an interrupt
while the command's modules load still ends in one line, not a traceback.
"""

from faultkit._lazy import lazy_exports

TYPE_CHECKING = False  # typing's constant without importing typing (mypy reads it as true)

if TYPE_CHECKING:
    from faultkit.cli.main import main
else:
    __getattr__ = lazy_exports(__name__, {"main": "faultkit.cli.main"})

__all__ = ["main"]
