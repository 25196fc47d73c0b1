"""The ``faultkit`` process: the console script and ``python -m faultkit.cli`` start here.

:func:`start` imports the command (click and :mod:`faultkit.cli.main`) under its own
guard: Ctrl-C while they load ends the process with status 130 and one line, as an
interrupt during a run does (:mod:`faultkit.cli._guard`), instead of a traceback.
Nothing is written before the command runs, so nothing is left half-written. Only
Python's own start-up and the import of ``faultkit`` and this package (a few
milliseconds, no third-party module) come before the guard.
"""

from __future__ import annotations

import contextlib
import os
import sys

from faultkit.cli.status import EXIT_INTERRUPTED

__all__ = ["start"]


def start() -> None:
    """Run the ``faultkit`` command in this process (see :func:`faultkit.cli.main.run`)."""
    try:
        from faultkit.cli.main import run
    except KeyboardInterrupt:
        with contextlib.suppress(OSError, ValueError):  # standard error closed: say nothing
            sys.stderr.write("faultkit: error: interrupted while starting\n")
            sys.stderr.flush()
        os._exit(EXIT_INTERRUPTED)
    run()
