"""What the tests of the ``faultkit`` command run in this process share."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from faultkit.cli import main


def invoke(*args: str, cwd: Path) -> Any:
    """The command in this process (CliRunner), in ``cwd``; exceptions are not caught."""
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
