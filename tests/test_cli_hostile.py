"""The hostile-file sweep: every command on every hostile file, in process and as a program.

A small corpus of files no export tool should write but users will have: empty, a
header alone, a BOM, UTF-16 and Latin-1 text, NUL bytes, ragged rows, a cell past the
field limit, a level of 5,000 digits, an unclosed quote, old Mac line ends (CR
alone), random bytes, cells built to make regular expressions backtrack, JSON nested
1,000 deep and JSON Lines of every wrong kind. ``score``, ``check-log`` and ``report``
run on each, in this process (click's runner) and as the installed ``faultkit``
program. Whatever the file:

- no traceback, ever, and the exit status is the documented one: 0 or 1 after a run
  (1 exactly when rows were rejected or violations found), 2 for a usage error (a
  file in another encoding, a CSV file of 0 bytes), with one JSON error object under
  ``--json``;
- the counts add up: rows read = rows written + rows rejected (``score``), = events +
  rows rejected (``check-log``), and the rejects file holds exactly the rejected rows;
- a usage error writes nothing.
"""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from faultkit.adapters.exports import FIELD_LIMIT
from faultkit.cli import main

HEADER = "number,incident_state,opened_at,resolved_at,impact,urgency,priority,sys_updated_at\r\n"
GOOD = "INC1,New,01-03-2016 10:00,,1 - High,2 - Medium,2 - High,01-03-2016 10:00\r\n"
LATER = "INC1,Active,01-03-2016 10:00,,1 - High,2 - Medium,2 - High,01-03-2016 11:00\r\n"


def _jsonl(*objects: Any) -> bytes:
    return "".join((o if isinstance(o, str) else json.dumps(o)) + "\n" for o in objects).encode()


_GOOD_OBJECT = {
    "number": "INC1",
    "incident_state": "New",
    "opened_at": "2016-03-01 10:00",
    "sys_updated_at": "2016-03-01 10:00",
    "impact": "1 - High",
    "urgency": "1 - High",
}
_RNG = random.Random(20261203)

CORPUS: dict[str, bytes] = {
    "empty.csv": b"",
    "header_only.csv": HEADER.encode(),
    "bom.csv": b"\xef\xbb\xbf" + (HEADER + GOOD + LATER).encode(),
    "utf16.csv": (HEADER + GOOD).encode("utf-16"),
    "latin1.csv": (HEADER + GOOD.replace("INC1", "INC\u00e9")).encode("latin-1"),
    "nul.csv": (HEADER + GOOD.replace("New", "N\0ew") + LATER).encode(),
    "ragged.csv": (HEADER + "INC1,New\r\n" + GOOD + GOOD.strip() + ",extra,cells\r\n").encode(),
    "huge_cell.csv": (HEADER + GOOD.replace("INC1", "I" * (FIELD_LIMIT + 10)) + LATER).encode(),
    "huge_level.csv": (HEADER + GOOD.replace("1 - High", "1" * 5000, 1) + LATER).encode(),
    "unclosed_quote.csv": (HEADER + GOOD + 'INC2,"New,01-03-2016 10:00,,1,1,1,x\r\n' * 3).encode(),
    "cr_only.csv": (HEADER + GOOD + LATER).replace("\r\n", "\r").encode(),
    "random_bytes.csv": bytes(_RNG.randrange(256) for _ in range(4096)),
    "regex_hostile.csv": (
        HEADER
        + GOOD.replace("1 - High", "1" + " " * 60_000 + "x", 1)
        + GOOD.replace("01-03-2016 10:00", "1" * 60_000, 1)
        + GOOD.replace("01-03-2016 10:00", "01-" * 20_000, 1)
        + LATER
    ).encode(),
    "deep.jsonl": _jsonl(_GOOD_OBJECT, "[" * 1000 + "]" * 1000, {"number": [[[[[[["x"]]]]]]]}),
    "wrong.jsonl": _jsonl(
        _GOOD_OBJECT,
        "not json",
        "[1, 2, 3]",
        "null",
        '{"number": NaN, "impact": Infinity}',
        {"number": 7, "incident_state": True, "impact": 1.5, "urgency": None},
        '{"number": "x"' + " " * (FIELD_LIMIT + 1) + "}",
        "\ufeff" + json.dumps(_GOOD_OBJECT),
    ),
}
ENCODING_ERRORS = {"utf16.csv", "latin1.csv", "random_bytes.csv"}
"""Files not in the default encoding: a usage error (exit 2) naming the byte."""
EMPTY = {"empty.csv"}
"""A CSV file of 0 bytes has not even a header: a usage error (exit 2) that says so."""

COMMANDS = ("score", "check-log", "report")


def _args(command: str, name: str) -> list[str]:
    args = [command, name, "--preset", "servicenow", "--dayfirst", "--json"]
    args += ["--rejects", "r.csv"]
    if command == "score":
        args += ["-o", "out" + Path(name).suffix]
    return args


def _count_rows(path: Path) -> int:
    if path.suffix == ".jsonl":
        return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    with path.open(newline="", encoding="utf-8") as handle:
        return max(0, sum(1 for _ in csv.reader(handle)) - 1)


def _check(command: str, name: str, code: int, stdout: str, stderr: str, folder: Path) -> None:
    assert "Traceback" not in stdout + stderr, (command, name, stdout, stderr)
    body = json.loads(stdout)
    if name in ENCODING_ERRORS:
        assert code == 2, (command, name, stdout)
        assert body["kind"] == "usage"
        assert "pass --encoding" in body["error"]
        assert not (folder / "r.csv").exists()
        assert not any(p.name.startswith("out") for p in folder.iterdir())
        return
    if name in EMPTY:
        assert code == 2, (command, name, stdout)
        assert body["kind"] == "usage"
        assert "is empty (0 bytes)" in body["error"]
        assert not (folder / "r.csv").exists()
        assert not any(p.name.startswith("out") for p in folder.iterdir())
        return
    assert code in (0, 1), (command, name, stdout, stderr)
    rejected = body["rows_rejected"]
    if command == "score":
        assert body["rows_read"] == body["rows_written"] + rejected
        out = folder / ("out" + Path(name).suffix)
        if body["output_written"]:
            assert _count_rows(out) == body["rows_written"]
        else:
            assert rejected == body["rows_read"] > 0
            assert not out.exists()
    elif command == "check-log":
        assert body["rows_read"] == body["events"] + rejected
    else:
        assert body["rows_read"] >= rejected
    assert sum(r["rows"] for r in body["reject_reasons"]) == rejected
    if rejected:
        assert _count_rows(folder / "r.csv") == rejected
    else:
        assert not (folder / "r.csv").exists()
    bad = rejected or (command == "check-log" and body["violations"])
    assert code == (1 if bad else 0), (command, name, body)


@pytest.fixture(params=sorted(CORPUS))
def hostile(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path]:
    name: str = request.param
    (tmp_path / name).write_bytes(CORPUS[name])
    return name, tmp_path


@pytest.mark.parametrize("command", COMMANDS)
def test_in_process(hostile: tuple[str, Path], command: str) -> None:
    name, folder = hostile
    old = Path.cwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(main, _args(command, name), catch_exceptions=False)
    finally:
        os.chdir(old)
    _check(command, name, result.exit_code, result.stdout, result.stderr, folder)


def test_as_a_program(hostile: tuple[str, Path]) -> None:
    """The three commands at once, each in a folder of its own (the machine is shared)."""
    name, folder = hostile
    script = Path(sys.executable).with_name("faultkit")
    program = [str(script)] if script.exists() else [sys.executable, "-m", "faultkit.cli"]
    running = {}
    for command in COMMANDS:
        own = folder / command
        own.mkdir()
        (own / name).write_bytes(CORPUS[name])
        running[command] = subprocess.Popen(
            [*program, *_args(command, name)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=own,
        )
    for command, process in running.items():
        stdout, stderr = process.communicate(timeout=120)
        _check(command, name, process.returncode, stdout, stderr, folder / command)


def test_the_corpus_is_hostile() -> None:
    """Each file is what its name says (a guard against a corpus that tests nothing)."""
    assert CORPUS["utf16.csv"][:2] == b"\xff\xfe"
    assert b"\0" in CORPUS["nul.csv"]
    assert len(CORPUS["huge_cell.csv"]) > FIELD_LIMIT
    assert b"\n" not in CORPUS["cr_only.csv"]
    with pytest.raises(UnicodeDecodeError):
        CORPUS["latin1.csv"].decode("utf-8")
    assert CORPUS["deep.jsonl"].count(b"[") >= 1000
