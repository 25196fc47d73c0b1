"""The ``faultkit`` command line (install the ``cli`` extra: ``pip install "faultkit[cli]"``)."""

from faultkit.cli.main import main

__all__ = ["main"]
