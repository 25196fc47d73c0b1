"""What the tests that start writer processes and kill them share."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def python(code: str, *args: str) -> subprocess.Popen[str]:
    """``code`` run by this interpreter in a process of its own, on this checkout's source."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )


def stalled_writer(statement: str, table: str, save: str) -> str:
    """The source of a writer that opens ``SqlStore(sys.argv[1])`` as ``store``, runs
    ``save`` (which saves through ``store``), and stalls inside that save's transaction
    once a ``statement`` (``Insert``, ``Update``) on ``table`` has run: it prints
    ``in-transaction`` and sleeps, uncommitted, for :func:`kill_in_transaction`."""
    return f"""
import sys, time
import sqlalchemy as sa
from faultkit.adapters.sql import SqlStore

store = SqlStore(sys.argv[1])

def stall(conn, clause, *args):
    if isinstance(clause, sa.{statement}) and clause.table.name == {table!r}:
        print("in-transaction", flush=True)
        time.sleep(120)

sa.event.listen(store.engine, "after_execute", stall)
{save}
print("committed?!", flush=True)
"""


def kill_in_transaction(writer: subprocess.Popen[str]) -> None:
    """SIGKILL ``writer`` once it says ``in-transaction`` (stalled inside a save)."""
    assert writer.stdout is not None
    line = writer.stdout.readline()
    assert line.strip() == "in-transaction", writer.stderr.read() if writer.stderr else ""
    os.kill(writer.pid, signal.SIGKILL)
    writer.communicate(timeout=30)
    assert writer.returncode == -signal.SIGKILL


def kill_after(writer: subprocess.Popen[str], delay: float) -> str:
    """SIGKILL ``writer`` ``delay`` seconds after it says ``started``; what it printed after."""
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "started"
    time.sleep(delay)
    os.kill(writer.pid, signal.SIGKILL)
    out, _err = writer.communicate(timeout=30)
    return out
