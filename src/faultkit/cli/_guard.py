"""The command's last line of defence: every failure ends in one line and its exit code.

:class:`GuardedGroup` is the ``faultkit`` group. Whatever a subcommand raises becomes
one message on standard error (or, when ``--json`` was given, one JSON object on
standard output) and the exit code of its kind, never a traceback:

=========================  ==========================================================
exit code                  when
=========================  ==========================================================
0 (``EXIT_OK``)            every row was good (and, for check-log, no violation)
1 (``EXIT_REJECTED``)      rows were rejected or violations were found
2 (``EXIT_USAGE``)         bad options, an input the options do not fit, an output
                           that is the input, ``--strict-dates`` on contradicting dates
3 (``EXIT_IO``)            reading or writing a file failed (missing folder, full disk,
                           permission, broken pipe)
4 (``EXIT_INTERNAL``)      a bug in faultkit (please report it with the message)
130 (``EXIT_INTERRUPTED``) Ctrl-C (SIGINT)
143 (``EXIT_TERMINATED``)  SIGTERM (``kill``, ``timeout``, a service manager)
=========================  ==========================================================

SIGTERM is caught while a subcommand runs (in the main thread), so that its files are
cleaned up as on Ctrl-C; SIGKILL cannot be caught, and leaves existing files as they
were all the same.

In every failing case the files the command writes are left as they were (see
:mod:`faultkit.adapters.files`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import IO, Any

import click

from faultkit.cli.status import (
    BROKEN_PIPE,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_IO,
    EXIT_TERMINATED,
    EXIT_USAGE,
    failure_json,
    failure_text,
)

__all__ = [
    "CONTEXT_SETTINGS",
    "CommandFailed",
    "GuardedGroup",
    "Terminated",
    "quiet_stdout",
]

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
"""The click context settings of ``faultkit`` and its commands (``-h``, 100 columns)."""

_JSON_FLAG = "faultkit_json"


class CommandFailed(click.ClickException):
    """A failure the user sees as one line (or one JSON object) and an exit code.

    Args:
        message: what went wrong, for a person.
        exit_code: the code of its kind (see the module docstring).
        kind: ``usage``, ``io``, ``internal`` or ``interrupted`` (the JSON ``kind``).
        as_json: print ``{"error": ..., "kind": ..., "exit_code": ...}`` on stdout.
    """

    def __init__(self, message: str, *, exit_code: int, kind: str, as_json: bool) -> None:
        super().__init__(message)
        self.__dict__["exit_code"] = exit_code  # click declares it a class variable
        self.kind = kind
        self.as_json = as_json

    def show(self, file: IO[Any] | None = None) -> None:
        if self.as_json:
            click.echo(failure_json(self.message, self.kind, self.exit_code))
            return
        click.echo(failure_text(self.message), err=True)


class GuardedGroup(click.Group):
    """A click group whose subcommands never end in a traceback (module docstring)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta[_JSON_FLAG] = "--json" in args
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        with _sigterm_raises():
            return self._invoke(ctx)

    def _invoke(self, ctx: click.Context) -> Any:
        as_json = bool(ctx.meta.get(_JSON_FLAG))
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.Abort):
            raise
        except Terminated:
            raise CommandFailed(
                "terminated (SIGTERM); files being written were left as they were",
                exit_code=EXIT_TERMINATED,
                kind="interrupted",
                as_json=as_json,
            ) from None
        except click.UsageError as error:
            if not as_json:
                raise
            raise CommandFailed(
                error.format_message(), exit_code=EXIT_USAGE, kind="usage", as_json=True
            ) from None
        except CommandFailed:
            raise
        except click.ClickException as error:
            raise CommandFailed(
                error.format_message(), exit_code=error.exit_code, kind="usage", as_json=as_json
            ) from None
        except KeyboardInterrupt:
            raise CommandFailed(
                "interrupted; files being written were left as they were",
                exit_code=EXIT_INTERRUPTED,
                kind="interrupted",
                as_json=as_json,
            ) from None
        except BrokenPipeError:
            quiet_stdout()
            raise CommandFailed(
                BROKEN_PIPE,
                exit_code=EXIT_IO,
                kind="io",
                as_json=False,  # stdout is gone
            ) from None
        except OSError as error:
            raise CommandFailed(
                _describe(error), exit_code=EXIT_IO, kind="io", as_json=as_json
            ) from None
        except Exception as error:
            raise CommandFailed(
                f"internal error, please report it: {type(error).__name__}: {error}",
                exit_code=EXIT_INTERNAL,
                kind="internal",
                as_json=as_json,
            ) from None


class Terminated(BaseException):
    """SIGTERM arrived. A ``BaseException``, like ``KeyboardInterrupt``: no ``except
    Exception`` (a row's) may take it for a bad row."""


def _raise_terminated(_signum: int, _frame: FrameType | None) -> None:
    raise Terminated


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    """While the block runs, SIGTERM raises :class:`Terminated` (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


def _describe(error: OSError) -> str:
    where = error.filename if error.filename is not None else None
    reason = error.strerror or str(error)
    text = f"{where}: {reason}" if where else reason
    return f"{text}; files being written were left as they were"


def quiet_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the exit flush stays silent."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
