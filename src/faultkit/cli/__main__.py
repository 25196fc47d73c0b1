"""``python -m faultkit.cli``: the same as the ``faultkit`` command."""

from faultkit.cli.main import main

main(prog_name="faultkit")
