"""``python -m faultkit.cli``: the same as the ``faultkit`` command."""

from faultkit.cli.entry import start

start()
