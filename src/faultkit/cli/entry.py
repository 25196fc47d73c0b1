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

from faultkit.cli.status import EXIT_INTERRUPTED, failure_json, failure_text

TYPE_CHECKING = False  # typing's constant: typing is not imported before the guard
if TYPE_CHECKING:
    from typing import NoReturn

__all__ = ["start"]


def start() -> None:
    """Run the ``faultkit`` command in this process (see :func:`faultkit.cli.main.run`)."""
    try:
        from faultkit.cli.main import run
    except KeyboardInterrupt:
        _interrupted("--json" in sys.argv[1:])
    run()


def _interrupted(as_json: bool) -> NoReturn:
    """Say the start was interrupted as the guard says it of a run, and exit 130."""
    message = "interrupted while starting"
    if as_json:
        stream, line = sys.stdout, failure_json(message, "interrupted", EXIT_INTERRUPTED)
    else:
        stream, line = sys.stderr, failure_text(message)
    if stream is not None:  # a stream closed at start: nothing to say it on
        with contextlib.suppress(OSError, ValueError):
            stream.write(line + "\n")
            stream.flush()
    os._exit(EXIT_INTERRUPTED)
