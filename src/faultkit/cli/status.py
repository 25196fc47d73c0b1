"""The exit statuses of the ``faultkit`` process (the table is in :mod:`faultkit.cli._guard`).

A module of its own, without click, so that the process entry
(:mod:`faultkit.cli.entry`) can name a status before the command is imported.
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
