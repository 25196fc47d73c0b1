"""The ``faultkit`` command: score exports, check event logs, report metrics, draw workflows.

Exit status: 0 when every row was good, 1 when rows were rejected or violations were
found, 2 for usage errors (bad options, an input the preset does not fit, an output
that is the input), 3 when a file cannot be read or written, 4 for an internal error
(a bug), 130 when interrupted (Ctrl-C), 143 on SIGTERM; see :mod:`faultkit.cli._guard`.

Every file written goes through :class:`faultkit.adapters.files.AtomicWriter`: a
temporary file renamed into place when the run ends well, so a failure of any kind
leaves an existing file as it was. A run that rejects every row does not replace an
existing output (its summary says so); a run that rejects none removes a stale
rejects file it finds at its rejects path, when faultkit wrote that file.

Each command lives in its own module, imported only when that command runs:
:data:`COMMANDS` names them with the one-line help ``faultkit --help`` lists, so
``faultkit score`` does not pay for importing what ``report`` or ``diagram`` need.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import sys
from collections.abc import Callable
from typing import NoReturn

import click

# numpy (under the columnar engines) starts OpenBLAS's threads on import, which spin for
# about 50 ms of CPU; faultkit does no linear algebra. A user's own setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from faultkit.cli._guard import CONTEXT_SETTINGS, GuardedGroup, quiet_stdout
from faultkit.cli.status import BROKEN_PIPE, EXIT_IO, EXIT_OK, failure_text

__all__ = ["COMMANDS", "main", "run"]


def _check_log() -> click.Command:
    from faultkit.cli.check_log import check_log

    return check_log


def _diagram() -> click.Command:
    from faultkit.cli.diagram import diagram

    return diagram


def _example() -> click.Command:
    from faultkit.cli.example import example

    return example


def _profile() -> click.Command:
    from faultkit.cli.profile import profile

    return profile


def _report() -> click.Command:
    from faultkit.cli.report import report

    return report


def _score() -> click.Command:
    from faultkit.cli.score import score

    return score


COMMANDS: dict[str, tuple[str, Callable[[], click.Command]]] = {
    "check-log": (
        "Check an event log against a workflow and list every illegal transition.",
        _check_log,
    ),
    "diagram": (
        "Draw a workflow (Mermaid) or an RCA fishbone / five-whys tree (SVG, PNG, Mermaid).",
        _diagram,
    ),
    "example": (
        "Write the bundled example export (real ServiceNow data) to DEST.",
        _example,
    ),
    "profile": ("Export profiles: TOML files that describe one tool's exports.", _profile),
    "report": ("The improvement metrics of an event-log export.", _report),
    "score": (
        "Score each row of an export: priority, match with the source, severity, SLA.",
        _score,
    ),
}
"""Each command: the first paragraph of its help (what ``faultkit --help`` lists) and
the function importing it. A test checks each text against the command's own help."""


_FREEZE_AFTER_IMPORT = False  # set by run(): only a process of its own freezes


class _LazyGroup(GuardedGroup):
    """The ``faultkit`` group: commands from :data:`COMMANDS`, each imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        command = entry[1]()
        if _FREEZE_AFTER_IMPORT:
            # the modules' objects live until the process ends: the collections of the
            # run, and the one at exit, need not walk them (about 30 ms of a short run)
            gc.freeze()
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands and their one-line help, from :data:`COMMANDS` (nothing imported)."""
        stand_ins = [click.Command(name, help=text) for name, (text, _load) in COMMANDS.items()]
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [(cmd.name or "", cmd.get_short_help_str(limit)) for cmd in stand_ins]
        with formatter.section("Commands"):
            formatter.write_dl(sorted(rows))


@click.group(cls=_LazyGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="faultkit", prog_name="faultkit")
def main() -> None:
    """Score incident exports, check event logs, report metrics and draw workflows.

    \b
    Try it on the bundled sample (real ServiceNow data, CC BY 4.0):
      faultkit example
      faultkit score servicenow_incidents_sample.csv --preset servicenow --dayfirst
      faultkit check-log servicenow_incidents_sample.csv --preset servicenow --dayfirst
      faultkit report servicenow_incidents_sample.csv --preset servicenow --dayfirst

    \b
    Exit status: 0 all rows good, 1 rows rejected or violations found, 2 usage
    error, 3 a file could not be read or written, 4 internal error (a bug), 130
    interrupted (Ctrl-C), 143 terminated (SIGTERM). On any failure the files
    faultkit writes are left as they were: outputs are renamed into place only when
    the run ends.
    """


def run() -> None:
    """The ``faultkit`` process, once :func:`faultkit.cli.entry.start` has imported it.

    The same as :func:`main`, but once the command's modules are imported their objects
    are moved out of the garbage collector's sight (:func:`gc.freeze`): they live until
    the process ends. :func:`main` itself, called in a longer-lived process (a test, an
    application embedding the command), never freezes.
    """
    global _FREEZE_AFTER_IMPORT
    _FREEZE_AFTER_IMPORT = True
    try:
        main(prog_name="faultkit")
    except SystemExit as stop:
        _leave(stop.code)
    _leave(0)  # pragma: no cover - click's standalone main always exits


def _leave(code: object) -> NoReturn:
    """End the process with the exit status ``code`` stands for, skipping the teardown.

    The run is over: every file it wrote is closed and renamed into place. A normal
    exit would then tear down every module (numpy's, Arrow's C++ state), about 16 ms
    of a short run for nothing. This runs the functions registered with :mod:`atexit`,
    flushes standard output and error, and calls :func:`os._exit`. ``code`` is read as
    :exc:`SystemExit` reads it: ``None`` is 0, an integer is the status (modulo 256,
    as the system keeps it), anything else is printed to standard error and gives 1.
    A failure of the last flush of standard output gives status 3 (unless the run
    already failed) with the guard's message: a reader that stopped reading, a full
    disk. A stream that is closed (``None``: the process started without it) is
    skipped.
    """
    if code is None:
        status = EXIT_OK
    elif isinstance(code, int):
        status = code & 0xFF
    else:
        _say(str(code))
        status = 1
    atexit._run_exitfuncs()
    if sys.stdout is not None:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            quiet_stdout()
            _say(failure_text(BROKEN_PIPE))
            status = status or EXIT_IO
        except OSError as error:
            _say(failure_text(f"standard output: {error.strerror or error}"))
            status = status or EXIT_IO
        except ValueError:  # closed by the command's own code: nothing more to write
            pass
    if sys.stderr is not None:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.flush()
    os._exit(status)


def _say(line: str) -> None:
    """``line`` on standard error, if there is one that still takes it."""
    if sys.stderr is not None:
        with contextlib.suppress(OSError, ValueError):
            print(line, file=sys.stderr)
