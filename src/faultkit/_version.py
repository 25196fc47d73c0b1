"""``faultkit.__version__``: the installed distribution's version, read on first use.

Reading package metadata imports :mod:`importlib.metadata` (about 40 ms), which the
``faultkit`` command does not otherwise need; :mod:`faultkit` re-exports this name
lazily.
"""

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__ = version("faultkit")
except PackageNotFoundError:  # pragma: no cover - running from a source tree not installed
    __version__ = "0+unknown"
