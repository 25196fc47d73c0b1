"""``faultkit`` imports a command's module only when that command runs (issue 17, start-up).

The group lists its commands from :data:`faultkit.cli.main.COMMANDS` (name, one-line
help, loader) without importing them; these tests check the table says what each
command's own help says, and that a fresh interpreter running ``--help`` or
``score --help`` leaves the other commands' modules (and pyarrow) unimported.
"""

from __future__ import annotations

import json
import subprocess
import sys

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


def _modules_after(*args: str) -> set[str]:
    code = (
        "import json, sys\n"
        "from faultkit.cli import main\n"
        "try:\n"
        f"    main({list(args)!r}, prog_name='faultkit')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


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
