"""``faultkit`` imports a command's module only when that command runs (issue 17, start-up).

The group lists its commands from :data:`faultkit.cli.main.COMMANDS` (name, one-line
help, loader) without importing them; these tests check the table says what each
command's own help says, and that a fresh interpreter running ``--help`` or
``score --help`` leaves the other commands' modules (and pyarrow) unimported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from faultkit.cli import main
from faultkit.cli.main import COMMANDS


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_table_help_is_the_commands_own(name: str) -> None:
    text, load = COMMANDS[name]
    command = load()
    assert command.name == name
    stand_in = click.Command(name, help=text)
    for limit in (20, 45, 60, 200):
        assert stand_in.get_short_help_str(limit) == command.get_short_help_str(limit)


def test_group_help_lists_every_command_as_click_would() -> None:
    """The listing from the table is the one click builds from the loaded commands."""
    eager = click.Group("faultkit", commands={n: load() for n, (_t, load) in COMMANDS.items()})
    runner = CliRunner()
    lazy_help = runner.invoke(main, ["--help"], terminal_width=100).output
    commands_section = lazy_help[lazy_help.index("Commands:") :]
    with click.Context(eager, max_content_width=100, terminal_width=100) as ctx:
        formatter = ctx.make_formatter()
        eager.format_commands(ctx, formatter)
    assert commands_section.rstrip() == formatter.getvalue().rstrip()
    for name in COMMANDS:
        assert f"  {name} " in commands_section


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["nosuch"])
    assert result.exit_code == 2
    assert "No such command 'nosuch'" in result.output


def command_in_fresh_process(*args: str) -> tuple[object, set[str]]:
    """The exit code ``faultkit ARGS`` gives in a fresh interpreter, and the modules it loaded."""
    code = (
        "import json, sys\n"
        "from faultkit.cli import main\n"
        "status = None\n"
        "try:\n"
        f"    main({list(args)!r}, prog_name='faultkit')\n"
        "except SystemExit as stop:\n"
        "    status = stop.code\n"
        "print(json.dumps({'status': status, 'loaded': sorted(sys.modules)}), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    result = json.loads(done.stderr.strip().splitlines()[-1])
    return result["status"], set(result["loaded"])


def _modules_after(*args: str) -> set[str]:
    return command_in_fresh_process(*args)[1]


def test_group_help_imports_no_command() -> None:
    loaded = _modules_after("--help")
    assert not {f"faultkit.cli.{m}" for m in ("score", "check_log", "report", "diagram")} & loaded
    assert "faultkit.adapters.exports" not in loaded
    assert "pyarrow" not in loaded


def test_score_help_imports_score_alone() -> None:
    loaded = _modules_after("score", "--help")
    assert "faultkit.cli.score" in loaded
    assert not {"faultkit.cli.report", "faultkit.cli.diagram", "faultkit.cli.check_log"} & loaded
    assert "pyarrow" not in loaded


@pytest.mark.parametrize(("entry", "frozen"), [("run", True), ("main", False)])
def test_only_the_process_entry_freezes_the_imported_objects(entry: str, frozen: bool) -> None:
    code = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0))\n"
        f"from faultkit.cli.main import {entry}\n"
        "sys.argv = ['faultkit', 'example', '--help']\n"
        f"{entry}()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(f"frozen {frozen}")


def _entry_run(entry: str, args: list[str], prelude: str = "") -> subprocess.CompletedProcess[str]:
    code = (
        "import sys\n"
        f"{prelude}"
        f"from faultkit.cli.main import {entry}\n"
        f"sys.argv = ['faultkit', *{args!r}]\n"
        f"{entry}()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # block-buffered
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env=env,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["nosuch"],
        ["example", "--help"],
        ["check-log", "LOG", "--preset", "servicenow", "--dayfirst"],
        ["check-log", "LOG", "--preset", "servicenow", "--dayfirst", "--json"],
        ["check-log", "MISSING", "--preset", "servicenow"],
    ],
)
def test_the_process_entry_ends_as_main_does(args: list[str], tmp_path: Path) -> None:
    """``run`` skips the interpreter's teardown: same status, same output as ``main``."""
    log = tmp_path / "log.csv"
    log.write_text(
        "number,incident_state,sys_updated_at\n"
        "INC1,New,01-02-2024 10:00\nINC1,Active,01-02-2024 11:00\nINC1,New,02-02-2024 09:00\n",
        encoding="utf-8",
    )
    where = {"LOG": str(log), "MISSING": str(tmp_path / "missing.csv")}
    args = [where.get(arg, arg) for arg in args]
    by_run, by_main = _entry_run("run", args), _entry_run("main", args)
    assert (by_run.returncode, by_run.stdout, by_run.stderr) == (
        by_main.returncode,
        by_main.stdout,
        by_main.stderr,
    )


def test_the_process_entry_runs_exit_functions_and_reports_a_late_broken_pipe() -> None:
    # an exit function writes after the reader of stdout has gone: the last flush fails
    prelude = (
        "import atexit, os\n"
        "def late():\n"
        "    sys.stdout.flush()\n"
        "    read, write = os.pipe()\n"
        "    os.dup2(write, 1)\n"
        "    os.close(read)\n"
        "    os.close(write)\n"
        "    sys.stdout.write('late')\n"
        "    print('exit function ran', file=sys.stderr)\n"
        "atexit.register(late)\n"
    )
    done = _entry_run("run", ["--version"], prelude)
    assert done.returncode == 3, done.stderr
    assert done.stderr.splitlines() == [
        "exit function ran",
        "faultkit: error: the reader of standard output stopped reading (broken pipe)",
    ]
    assert done.stdout.startswith("faultkit, version")


def test_the_entry_imports_no_click_before_its_guard() -> None:
    code = "import json, sys\nimport faultkit.cli.entry\nprint(json.dumps(sorted(sys.modules)))\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(done.stdout))
    assert "click" not in loaded
    assert "faultkit.cli.main" not in loaded


def _interrupted_start(*args: str) -> subprocess.CompletedProcess[str]:
    # an import of click that is interrupted, as Ctrl-C in the first tenth of a second is
    code = (
        "import sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'click':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "from faultkit.cli.entry import start\n"
        f"sys.argv = ['faultkit', *{list(args)!r}]\n"
        "start()\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


def test_ctrl_c_while_the_command_loads_is_one_line_and_exit_130() -> None:
    done = _interrupted_start("--version")
    assert done.returncode == 130
    assert done.stderr == "faultkit: error: interrupted while starting\n"
    assert done.stdout == ""


def test_ctrl_c_while_the_command_loads_with_json_is_the_guards_json() -> None:
    done = _interrupted_start("check-log", "log.csv", "--json")
    assert done.returncode == 130
    assert json.loads(done.stdout) == {
        "error": "interrupted while starting",
        "kind": "interrupted",
        "exit_code": 130,
    }
    assert done.stderr == ""


@pytest.mark.parametrize("closed", [1, 2])
def test_a_process_started_without_stdout_or_stderr_ends_with_its_status(
    closed: int, tmp_path: Path
) -> None:
    """Under cron or a daemon a stream may be closed at start: Python makes it ``None``."""
    log = tmp_path / "log.csv"
    log.write_text("number,incident_state,sys_updated_at\nINC1,New,01-02-2024 10:00\n")
    for args, status in (
        (["--version"], 0),
        (["check-log", str(log), "--preset", "servicenow", "--dayfirst"], 0),
        (["check-log", str(tmp_path / "missing.csv")], 2),
        (["check-log", str(log), "--preset", "servicenow", "--dayfirst", "--progress"], 0),
        (["example", "-"], 3 if closed == 1 else 0),  # writing to a closed stdout: an I/O error
    ):
        done = subprocess.run(
            [sys.executable, "-m", "faultkit.cli", *args],
            capture_output=True,
            text=True,
            check=False,
            preexec_fn=lambda: os.close(closed),
        )
        assert done.returncode == status, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stdout + done.stderr
