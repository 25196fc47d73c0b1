"""``python -m faultkit.cli``: the same as the ``faultkit`` command."""

from faultkit.cli.main import run

run()
