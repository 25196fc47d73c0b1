"""The ``faultkit`` command line (the ``cli`` extra: ``pip install ".[cli]"`` in a clone)."""

from faultkit.cli.main import main

__all__ = ["main"]
