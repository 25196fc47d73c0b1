"""A user's files are sacred: atomic outputs, no output over the input, exit codes.

Covers :mod:`faultkit.adapters.files` and the ``faultkit`` command around it: an
output or rejects path that is the input (also through a symbolic and a hard link)
is refused before anything is written; a usage error, a crash, a full disk (a
writer raising ENOSPC), Ctrl-C and SIGKILL all leave an existing output as it was and
no temporary file behind; a run that rejects every row keeps the old output; a clean
run removes the stale rejects file faultkit wrote, and only that; each failure has
its own exit code and one line, never a traceback.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli_kit import invoke
from faultkit.adapters import files as files_module
from faultkit.adapters.exports import RejectsFile
from faultkit.adapters.exports.tabular import Reject, is_rejects_file
from faultkit.adapters.files import (
    TEMP_SUFFIX,
    AtomicWriter,
    SameFileError,
    Writeback,
    refuse_same_file,
    same_file,
)
from faultkit.cli._common import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_IO,
    EXIT_TERMINATED,
    EXIT_USAGE,
)

SAMPLE = Path(str(files("faultkit").joinpath("data", "servicenow_incidents_sample.csv")))
SN = ["--preset", "servicenow", "--dayfirst"]
HEADER = "number,incident_state,opened_at,resolved_at,impact,urgency,priority,notes\r\n"
GOOD = "INC1,New,01-03-2016 10:00,,1 - High,1 - High,1 - Critical,fine\r\n"
BAD = "INC2,New,01-03-2016 10:00,,9,9,,bad impact\r\n"


def faultkit_command() -> list[str]:
    script = Path(sys.executable).with_name("faultkit")
    return [str(script)] if script.exists() else [sys.executable, "-m", "faultkit.cli"]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*faultkit_command(), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        timeout=120,
    )


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "in.csv").write_bytes(SAMPLE.read_bytes())
    (tmp_path / "out.csv").write_text("the good old output\n")
    return tmp_path


# ---------------------------------------------------------------- the writer


def test_atomic_writer_replaces_only_on_commit(tmp_path: Path) -> None:
    target = tmp_path / "t.txt"
    target.write_text("old")
    os.chmod(target, 0o640)
    with AtomicWriter(str(target)) as out:
        out.text.write("new")
        assert target.read_text() == "old"
    assert target.read_text() == "new"
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)  # the mode is kept
    assert temps(tmp_path) == []


def test_atomic_writer_discards_on_any_exception(tmp_path: Path) -> None:
    target = tmp_path / "t.txt"
    target.write_text("old")

    def fail(error: BaseException) -> None:
        with AtomicWriter(str(target)) as out:
            out.text.write("partial")
            raise error

    for error in (ValueError("x"), KeyboardInterrupt(), OSError(errno.ENOSPC, "full")):
        with pytest.raises(type(error)):
            fail(error)
        assert target.read_text() == "old"
        assert temps(tmp_path) == []


def test_atomic_writer_discard_keeps_the_old_file_and_a_new_one_never_appears(
    tmp_path: Path,
) -> None:
    with AtomicWriter(str(tmp_path / "new.txt")) as out:
        out.text.write("x")
        out.discard()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def _writeback_threads() -> list[str]:
    import threading

    return [t.name for t in threading.enumerate() if t.name == "faultkit-writeback"]


def test_writeback_syncs_in_steps_while_the_file_grows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    monkeypatch.setattr(files_module, "WRITEBACK_INTERVAL", 0.001)
    monkeypatch.setattr(os, "fdatasync", lambda fd: synced.append(os.fstat(fd).st_size))
    with (tmp_path / "f.bin").open("wb") as handle:
        writeback = Writeback(handle.fileno(), step=100)
        for size in (50, 150, 400):
            handle.write(b"x" * (size - handle.tell()))
            handle.flush()
            deadline = time.monotonic() + 5
            while size >= 100 and (not synced or synced[-1] < size) and time.monotonic() < deadline:
                time.sleep(0.001)
        writeback.stop()
        writeback.stop()  # idempotent
    assert synced[:2] == [150, 400]  # nothing synced at 50 bytes, less than a step
    assert _writeback_threads() == []


def test_writeback_errors_are_left_to_the_final_fsync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def failing(fd: int) -> None:
        calls.append(fd)
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(files_module, "WRITEBACK_INTERVAL", 0.001)
    monkeypatch.setattr(files_module, "WRITEBACK_BYTES", 1)
    monkeypatch.setattr(os, "fdatasync", failing)
    target = tmp_path / "t.txt"
    with AtomicWriter(str(target)) as out:
        out.text.write("new")
        out.text.flush()
        deadline = time.monotonic() + 5
        while not calls and time.monotonic() < deadline:
            time.sleep(0.001)
    assert calls, "the writeback thread never synced"
    assert target.read_text() == "new"
    assert _writeback_threads() == []


@pytest.mark.parametrize("ending", ["commit", "discard", "error"])
def test_atomic_writer_stops_its_writeback_thread(tmp_path: Path, ending: str) -> None:
    target = tmp_path / "t.txt"
    raises = pytest.raises(ValueError, match="boom")
    expected = raises if ending == "error" else contextlib.nullcontext()
    with expected, AtomicWriter(str(target)) as out:
        out.text.write("x")
        assert _writeback_threads() == ["faultkit-writeback"]
        if ending == "discard":
            out.discard()
        elif ending == "error":
            raise ValueError("boom")
    assert _writeback_threads() == []
    assert target.exists() == (ending == "commit")


def test_atomic_writer_writes_through_to_a_device(tmp_path: Path) -> None:
    with AtomicWriter(os.devnull) as out:
        out.text.write("x")
    assert Path(os.devnull).exists()
    assert not Path(os.devnull).is_file()


def test_orphans_of_dead_processes_are_removed_live_ones_kept(tmp_path: Path) -> None:
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    dead = int(child.stdout)
    orphan = tmp_path / f".t.txt.{dead}.abcd1234{TEMP_SUFFIX}"
    live = tmp_path / f".t.txt.{os.getppid()}.abcd1234{TEMP_SUFFIX}"
    other = tmp_path / f".u.txt.{dead}.abcd1234{TEMP_SUFFIX}"
    for path in (orphan, live, other):
        path.write_text("partial")
    from faultkit.adapters import files as files_module

    files_module._LINKABLE.clear()
    writer = AtomicWriter(str(tmp_path / "t.txt"))
    # the named fallback cleans up; force it even where O_TMPFILE works
    files_module._remove_orphans(str(tmp_path), "t.txt")
    with writer as out:
        out.text.write("x")
    assert not orphan.exists()
    assert live.exists()  # a process with that PID still runs: not ours to remove
    assert other.exists()  # another target's temporary file


@settings(max_examples=30, deadline=None)
@given(data=st.binary(max_size=2000))
def test_write_round_trip(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    folder = tmp_path_factory.mktemp("rt")
    with AtomicWriter(str(folder / "x.bin"), binary=True) as out:
        out.stream.write(data)
    assert (folder / "x.bin").read_bytes() == data
    assert temps(folder) == []


def test_same_file_through_symlink_and_hard_link(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("x")
    (tmp_path / "sym.csv").symlink_to(source)
    os.link(source, tmp_path / "hard.csv")
    assert same_file(str(source), str(tmp_path / "sym.csv"))
    assert same_file(str(source), str(tmp_path / "hard.csv"))
    assert same_file(str(tmp_path / "new.csv"), str(tmp_path / "." / "new.csv"))
    assert not same_file(str(source), str(tmp_path / "new.csv"))
    assert not same_file("-", "-")
    with pytest.raises(SameFileError) as caught:
        refuse_same_file(str(source), {"--output": str(tmp_path / "sym.csv")})
    assert caught.value.field == "--output"
    assert isinstance(caught.value, ValueError)
    with pytest.raises(SameFileError, match="--output"):
        refuse_same_file("-", {"--output": "a.csv", "--rejects": "./a.csv"})


# ---------------------------------------------------------------- the rejects file


def test_rejects_file_is_atomic_and_removed_only_when_stale_and_ours(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    with RejectsFile(str(path)) as rejects:
        rejects.write(Reject(line=2, column="impact", value="9", reason="bad"))
        assert not path.exists()  # renamed into place at the end only
    assert is_rejects_file(str(path))
    with RejectsFile(str(path)) as clean:
        pass
    assert clean.removed_stale
    assert not path.exists()
    path.write_text("line,column\nsomeone else's file\n")
    with RejectsFile(str(path)):
        pass
    assert path.read_text().startswith("line,column\n")
    jsonl = tmp_path / "r.jsonl"
    with RejectsFile(str(jsonl)) as rejects:
        rejects.write(Reject(line=2, column="impact", value="9", reason="bad"))
    assert is_rejects_file(str(jsonl))

    def fail() -> None:
        with RejectsFile(str(jsonl)) as failing:
            failing.write(Reject(line=3, column="x", value="y", reason="z"))
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail()
    assert json.loads(jsonl.read_text())["line"] == 2  # the failed run left it as it was


# ---------------------------------------------------------------- the command


@pytest.mark.parametrize("how", ["same", "symlink", "hardlink"])
@pytest.mark.parametrize("option", ["-o", "--rejects"])
def test_output_or_rejects_that_is_the_input_is_refused(
    folder: Path, how: str, option: str
) -> None:
    before = (folder / "in.csv").read_bytes()
    target = "in.csv"
    if how == "symlink":
        (folder / "link.csv").symlink_to(folder / "in.csv")
        target = "link.csv"
    elif how == "hardlink":
        os.link(folder / "in.csv", folder / "hard.csv")
        target = "hard.csv"
    result = run("score", "in.csv", option, target, *SN, cwd=folder)
    assert result.returncode == EXIT_USAGE
    assert "is the input" in result.stderr
    assert "Traceback" not in result.stderr
    assert (folder / "in.csv").read_bytes() == before


def test_check_log_and_report_refuse_rejects_over_the_input(folder: Path) -> None:
    before = (folder / "in.csv").read_bytes()
    for command in ("check-log", "report"):
        result = invoke(command, "in.csv", "--rejects", "in.csv", *SN, cwd=folder)
        assert result.exit_code == EXIT_USAGE, result.output
        assert "is the input" in result.output
    result = invoke("report", "in.csv", *SN, "--charts", ".", cwd=folder)  # no clash
    assert (folder / "in.csv").read_bytes() == before


def test_usage_error_keeps_an_old_output(folder: Path) -> None:
    result = run("score", "in.csv", "-o", "out.csv", "--preset", "jira", cwd=folder)
    assert result.returncode == EXIT_USAGE
    assert (folder / "out.csv").read_text() == "the good old output\n"
    assert temps(folder) == []


def test_all_rejected_keeps_the_old_output_and_says_so(folder: Path) -> None:
    (folder / "bad.csv").write_text(HEADER + BAD + BAD)
    result = invoke("score", "bad.csv", "-o", "out.csv", *SN, "--json", cwd=folder)
    assert result.exit_code == 1
    summary = json.loads(result.output)
    assert summary["output_written"] is False
    assert summary["rows_rejected"] == 2
    assert summary["reject_reasons"][0]["rows"] == 2
    assert (folder / "out.csv").read_text() == "the good old output\n"
    assert (folder / "out.rejects.csv").exists()
    text = invoke("score", "bad.csv", "-o", "out.csv", *SN, cwd=folder).output
    assert "out.csv not written: every row was rejected" in text
    assert "top reasons" in text


def test_header_only_input_writes_a_header_only_output(folder: Path) -> None:
    (folder / "empty.csv").write_text(HEADER)
    result = invoke("score", "empty.csv", "-o", "out.csv", *SN, cwd=folder)
    assert result.exit_code == 0
    assert (folder / "out.csv").read_text().startswith("number,incident_state")


def test_clean_run_removes_the_stale_rejects_file(folder: Path) -> None:
    (folder / "mixed.csv").write_text(HEADER + GOOD + BAD)
    (folder / "good.csv").write_text(HEADER + GOOD)
    assert invoke("score", "mixed.csv", "-o", "out.csv", *SN, cwd=folder).exit_code == 1
    assert (folder / "out.rejects.csv").exists()
    result = invoke("score", "good.csv", "-o", "out.csv", *SN, cwd=folder)
    assert result.exit_code == 0
    assert not (folder / "out.rejects.csv").exists()
    assert "an earlier run's rejects" in result.output
    mine = folder / "notes.csv"
    mine.write_text("my own notes\n")
    invoke("score", "good.csv", "-o", "out.csv", "--rejects", "notes.csv", *SN, cwd=folder)
    assert mine.read_text() == "my own notes\n"


class _FullDisk(io.TextIOBase):
    """A text stream over the real one that raises ENOSPC after ``limit`` characters."""

    def __init__(self, real: Any, limit: int) -> None:
        self.real, self.limit, self.count = real, limit, 0

    def write(self, text: str) -> int:
        self.count += len(text)
        if self.count > self.limit:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return int(self.real.write(text))

    def flush(self) -> None:
        self.real.flush()

    def close(self) -> None:
        self.real.close()


@pytest.mark.parametrize("limit", [0, 5000])
def test_full_disk_keeps_the_old_output_exit_3(
    folder: Path, monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    real_open = AtomicWriter._open

    def full(self: AtomicWriter) -> Any:
        return _FullDisk(real_open(self), limit)

    monkeypatch.setattr(AtomicWriter, "_open", full)
    result = invoke("score", "in.csv", "-o", "out.csv", *SN, cwd=folder)
    assert result.exit_code == EXIT_IO
    assert "No space left on device" in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert (folder / "out.csv").read_text() == "the good old output\n"
    assert temps(folder) == []


def test_fsync_failure_keeps_the_old_output(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(fd: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", failing)
    result = invoke("score", "in.csv", "-o", "out.csv", *SN, cwd=folder)
    assert result.exit_code == EXIT_IO
    assert (folder / "out.csv").read_text() == "the good old output\n"
    assert temps(folder) == []


def test_missing_folder_is_an_io_error_with_one_line(folder: Path) -> None:
    result = run("score", "in.csv", "-o", "nowhere/out.csv", *SN, cwd=folder)
    assert result.returncode == EXIT_IO
    assert result.stderr.startswith("faultkit: error: ")
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("where", ["nowhere/out.csv", "in.csv/out.csv"])
def test_an_output_folder_that_cannot_hold_it_is_named_not_the_temporary_file(
    folder: Path, where: str
) -> None:
    """The error names the user's output and its folder, never faultkit's temporary file."""
    result = invoke("score", "in.csv", "-o", where, *SN, "--json", cwd=folder)
    assert result.exit_code == EXIT_IO
    error = json.loads(result.stdout)["error"]
    assert error.startswith(f"{where}: "), error
    assert f"the folder {Path(where).parent} " in error
    assert TEMP_SUFFIX not in error


def test_a_failed_fsync_or_rename_names_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.csv"

    def failing(source: str, destination: str) -> None:
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), source, destination)

    monkeypatch.setattr(os, "replace", failing)
    with (
        pytest.raises(OSError, match="Invalid cross-device") as caught,
        AtomicWriter(str(target)) as out,
    ):
        out.text.write("x")
    assert caught.value.filename == str(target)
    assert TEMP_SUFFIX not in str(caught.value)
    assert temps(tmp_path) == []


def _engine_scorer(engine: str) -> tuple[Any, str]:
    """The module attribute that scores a file with ``engine`` (to break it on purpose)."""
    if engine == "arrow":
        import faultkit.batch.stream

        return faultkit.batch.stream, "score_csv_batches"
    import faultkit.cli.score

    return faultkit.cli.score, "score_csv"


@pytest.mark.parametrize("engine", ["row", "arrow"])
def test_internal_error_exit_4_one_line_and_old_output(
    folder: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(*_engine_scorer(engine), broken)
    result = invoke("score", "in.csv", "-o", "out.csv", *SN, "--engine", engine, cwd=folder)
    assert result.exit_code == EXIT_INTERNAL
    assert "internal error, please report it: ZeroDivisionError: a bug" in result.output
    assert (folder / "out.csv").read_text() == "the good old output\n"


def test_unexpected_error_in_one_row_rejects_that_row(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from faultkit.adapters.exports import Scorer

    real = Scorer.level

    def level(self: Scorer, field: Any, text: str) -> int | None:
        if text == "9":
            raise ZeroDivisionError("a bug in one row")
        return real(self, field, text)

    monkeypatch.setattr(Scorer, "level", level)
    (folder / "mixed.csv").write_text(HEADER + GOOD + BAD + GOOD.replace("INC1", "INC3"))
    result = invoke("score", "mixed.csv", "-o", "out.csv", *SN, "--json", cwd=folder)
    summary = json.loads(result.output)
    assert (summary["rows_read"], summary["rows_written"], summary["rows_rejected"]) == (3, 2, 1)
    with (folder / "out.rejects.csv").open(newline="") as handle:
        (reject,) = list(csv.DictReader(handle))
    assert reject["line"] == "3"
    assert "ZeroDivisionError: a bug in one row" in reject["reason"]


def test_usage_error_under_json_is_a_json_object(folder: Path) -> None:
    for args in (
        ["score", "in.csv", "--preset", "jira", "--json"],
        ["score", "in.csv", "--json", "--max-errors", "zero"],
        ["check-log", "missing.csv", "--json"],
        ["report", "in.csv", "--json", "--dayfirst", "--monthfirst"],
    ):
        result = run(*args, cwd=folder)
        assert result.returncode == EXIT_USAGE, args
        body = json.loads(result.stdout)
        assert body["kind"] == "usage"
        assert body["exit_code"] == EXIT_USAGE
        assert body["error"]


# ---------------------------------------------------------------- signals


def _big_rows(n: int) -> Iterator[str]:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)[1:]
    for i in range(n):
        yield lines[i % len(lines)]


def _temp_open(pid: int, folder: Path) -> bool:
    """Whether process ``pid`` holds a file open in ``folder`` other than the input."""
    fd_dir = Path(f"/proc/{pid}/fd")
    try:
        targets = [os.readlink(fd_dir / name) for name in os.listdir(fd_dir)]
    except OSError:
        return False
    return any(
        target.startswith(str(folder)) and not target.endswith("in.csv") for target in targets
    )


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_killed_mid_run_keeps_the_old_output(folder: Path, sig: signal.Signals) -> None:
    """A run stopped while it writes (its input a pipe, half sent) leaves the old output."""
    process = subprocess.Popen(
        [*faultkit_command(), "score", "-", "--format", "csv", "-o", "out.csv", *SN],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=folder,
        text=True,
        # a test run started in the background by a shell inherits SIGINT ignored (as
        # every background job does), and so would the command: give it the default
        preexec_fn=_default_sigint,
    )
    assert process.stdin is not None
    header = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)[0]
    process.stdin.write(header + "".join(_big_rows(20_000)))
    process.stdin.flush()
    deadline = time.monotonic() + 60
    while not _temp_open(process.pid, folder):
        assert time.monotonic() < deadline, "the command never opened its output"
        time.sleep(0.05)
    time.sleep(0.3)  # let it score and write what it has read
    process.send_signal(sig)
    _out, err = process.communicate(timeout=60)
    assert (folder / "out.csv").read_text() == "the good old output\n"
    assert "Traceback" not in err
    if sig != signal.SIGKILL:
        expected = EXIT_INTERRUPTED if sig == signal.SIGINT else EXIT_TERMINATED
        assert process.returncode == expected
        assert err.startswith("faultkit: error: ")
        assert len(err.strip().splitlines()) == 1
        assert temps(folder) == []
    else:
        assert process.returncode == -signal.SIGKILL
        # an unnamed (O_TMPFILE) file leaves nothing; a named one is removed by the next
        # write to that target once the killed process is gone
        (folder / "good.csv").write_text(HEADER + GOOD)
        assert run("score", "good.csv", "-o", "out.csv", *SN, cwd=folder).returncode == 0
        assert temps(folder) == []


@pytest.mark.parametrize("engine", ["row", "arrow"])
def test_ctrl_c_in_process_is_exit_130(
    folder: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    def interrupted(*_args: Any, **_kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(*_engine_scorer(engine), interrupted)
    result = invoke("score", "in.csv", "-o", "out.csv", *SN, "--engine", engine, cwd=folder)
    assert result.exit_code == EXIT_INTERRUPTED
    assert (folder / "out.csv").read_text() == "the good old output\n"
    assert temps(folder) == []


def test_diagram_and_example_write_atomically(folder: Path) -> None:
    (folder / "d.mmd").write_text("old diagram")
    result = invoke("diagram", "--workflow", "itil", "-o", "d.mmd", cwd=folder)
    assert result.exit_code == 0
    assert (folder / "d.mmd").read_text().startswith("stateDiagram")
    result = invoke("example", "ex.csv", cwd=folder)
    assert result.exit_code == 0
    assert (folder / "ex.csv").read_bytes() == SAMPLE.read_bytes()
    assert temps(folder) == []


def test_broken_pipe_is_one_line_exit_3(folder: Path) -> None:
    """``faultkit score ... -o - | head -1``: the reader goes away, no traceback."""
    process = subprocess.Popen(
        [*faultkit_command(), "score", "in.csv", "-o", "-", *SN],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=folder,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    assert process.stdout.readline().startswith(b"number,")
    process.stdout.close()  # more than a pipe's buffer is still to come
    with process.stderr:
        err = process.stderr.read().decode()
    assert process.wait(timeout=60) == EXIT_IO
    assert err == "faultkit: error: the reader of standard output stopped reading (broken pipe)\n"


def test_a_symlinked_output_stays_a_link_to_the_new_content(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "out.txt").write_text("old")
    link = tmp_path / "out.txt"
    link.symlink_to(real / "out.txt")
    with AtomicWriter(str(link)) as out:
        out.text.write("new")
    assert link.is_symlink()
    assert (real / "out.txt").read_text() == "new"
    assert temps(tmp_path) == []
    assert temps(real) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("command", ["score", "check-log", "report"])
def test_a_named_pipe_input_is_read_once(folder: Path, command: str) -> None:
    """A pipe (``<(zcat export.csv.gz)``) goes to the row engine: the columnar engines
    open their input more than once, and a second open of a spent pipe blocked for ever."""
    import threading

    pipe = folder / "export.csv"
    os.mkfifo(pipe)

    def feed() -> None:
        with pipe.open("wb") as sink:
            sink.write(SAMPLE.read_bytes())

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    args = [command, "export.csv", "--format", "csv", *SN, "--json", "--rejects", "r.csv"]
    if command == "score":
        args += ["-o", "piped.csv"]
    try:
        done = run(*args, cwd=folder)
    finally:
        if writer.is_alive():  # the command never opened the pipe: let the writer go
            with contextlib.suppress(OSError), pipe.open("rb") as source:
                source.read()
        writer.join(timeout=10)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["rows_read"] == 308
