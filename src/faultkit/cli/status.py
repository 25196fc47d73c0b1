"""The exit statuses of the ``faultkit`` process (the table is in :mod:`faultkit.cli._guard`).

A module of its own, without click, so that the process entry
(:mod:`faultkit.cli.entry`) can name a status, and say a failure as the guard says it,
before the command is imported.
"""

from __future__ import annotations

__all__ = [
    "BROKEN_PIPE",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_IO",
    "EXIT_OK",
    "EXIT_REJECTED",
    "EXIT_TERMINATED",
    "EXIT_USAGE",
    "failure_json",
    "failure_text",
]

BROKEN_PIPE = "the reader of standard output stopped reading (broken pipe)"
"""The message of a run whose standard output was closed by its reader."""

EXIT_OK = 0
"""Every row was good (and, for check-log, no violation)."""
EXIT_REJECTED = 1
"""Some rows were rejected, or violations were found."""
EXIT_USAGE = 2
"""Bad options or an input the options do not fit (click's own code for usage errors)."""
EXIT_IO = 3
"""Reading or writing a file failed (a missing folder, a full disk, no permission)."""
EXIT_INTERNAL = 4
"""A bug in faultkit: an error no rule foresaw (the message asks to report it)."""
EXIT_INTERRUPTED = 130
"""Interrupted by Ctrl-C (SIGINT): 128 + the signal's number, as shells report it."""
EXIT_TERMINATED = 143
"""Stopped by SIGTERM (``kill``, ``timeout``, a service manager): 128 + 15."""


def failure_text(message: str) -> str:
    """The one line a failed run writes on standard error: ``faultkit: error: MESSAGE``."""
    return f"faultkit: error: {message}"


def failure_json(message: str, kind: str, exit_code: int) -> str:
    """What a failed run with ``--json`` writes on standard output instead: one object.

    >>> failure_json("interrupted", "interrupted", EXIT_INTERRUPTED)
    '{"error": "interrupted", "kind": "interrupted", "exit_code": 130}'
    """
    import json  # here: the process entry names a status before anything else loads

    body = {"error": message, "kind": kind, "exit_code": exit_code}
    return json.dumps(body, ensure_ascii=False)
