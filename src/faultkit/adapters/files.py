"""Writing a user's files: all or nothing, never over the input.

Every file the ``faultkit`` command writes (scored rows, rejects, charts, diagrams, the
example) goes through :class:`AtomicWriter`:

1. the data goes to a temporary file in the target's folder (same file system, so the
   final rename is atomic). Where the system allows it (Linux ``O_TMPFILE`` and a
   link through ``/proc/self/fd``, tried once per folder) it is an unnamed file: a
   process killed mid-run (``SIGKILL``, power loss) leaves nothing behind. Elsewhere
   it is a hidden ``.NAME.PID.XXXXXXXX.faultkit-tmp`` beside the target, removed on
   any failure the process lives through (an exception, Ctrl-C); one left by a killed
   process is removed by the next write to that folder, once no process has its PID;
2. when the run finishes, the file is flushed, ``fsync``-ed, given a name and renamed
   over the target (:func:`os.replace`), and the folder is ``fsync``-ed. While the run
   goes, a background thread (:class:`Writeback`) ``fdatasync``-s the temporary file
   each time :data:`WRITEBACK_BYTES` more have reached it, so the disk writes while
   the run computes and the final ``fsync`` has only the tail left (a 380 MB output:
   about 0.03 s instead of 0.15 s);
3. on any failure before that (bad input, a crash, Ctrl-C, a full disk) the
   temporary file is dropped and an existing target stays exactly as it was.

A replaced file keeps its permission bits; a new one gets the umask's. A target that
is a symbolic link stays one: the file it points to is replaced. A hard link of the
target keeps the old content (the new file is another inode), and the target's folder
must be writable, not only the file. ``-`` stands
for standard output, and a target that exists but is no regular file (``/dev/null``, a
named pipe) is written directly: neither can be taken back, both are written as the
run goes.

:func:`refuse_same_file` is called before anything is opened for writing: an output
that is the input (through a symbolic or a hard link too) is refused.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import IO, Any, TextIO, cast

from faultkit.errors import InvalidInputError

__all__ = [
    "TEMP_SUFFIX",
    "WRITEBACK_BYTES",
    "AtomicWriter",
    "SameFileError",
    "StandardStream",
    "Writeback",
    "refuse_same_file",
    "same_file",
    "standard_buffer",
    "write_atomically",
]

TEMP_SUFFIX = ".faultkit-tmp"
"""The end of the name of a temporary file while it is named (see the module docstring)."""

WRITEBACK_BYTES = 32 << 20
"""How many more bytes in a temporary file make :class:`Writeback` ``fdatasync`` it."""
WRITEBACK_INTERVAL = 0.05
"""Seconds between two looks of :class:`Writeback` at the temporary file's size."""

_LINKABLE: dict[tuple[int, int], bool] = {}  # (device, inode) of a folder -> O_TMPFILE works


def standard_buffer(name: str) -> IO[bytes]:
    """The binary stream under ``sys.stdin`` or ``sys.stdout`` (``name``).

    A process started with that descriptor closed (under cron, a service manager, a
    shell's ``>&-``) has ``None`` there: reading or writing ``-`` is then an I/O error,
    as a missing file is, not a bug.

    Raises:
        OSError: ``EBADF``, the stream is closed.
    """
    stream = getattr(sys, name)
    if stream is None:
        which = "input" if name == "stdin" else "output"
        raise OSError(errno.EBADF, f"standard {which} is closed (the process started without it)")
    buffer: IO[bytes] = stream.buffer
    return buffer


class StandardStream(io.TextIOWrapper):
    """A text layer over standard input's or output's bytes that leaves them open.

    Closing it (or losing it) flushes and detaches it instead of closing the process's
    stream, so a command run in-process (``main.main([...])``, ``CliRunner``) can still
    print afterwards, and can run again.
    """

    _released = False

    def close(self) -> None:
        if not self._released:
            self._released = True
            self.flush()
            self.detach()


class SameFileError(InvalidInputError):
    """An output path names the input (or another output): writing would destroy it.

    ``field`` is the option (``--output``, ``--rejects``), ``value`` the path.

    >>> str(SameFileError("--output", "x.csv", "it is the input x.csv"))
    "--output: it is the input x.csv (got 'x.csv')"
    """


def same_file(first: str, second: str) -> bool:
    """Whether two paths name one file: the same inode once links are followed.

    Paths that do not exist (yet) are compared by their resolved absolute form, so
    two spellings of one new output are the same file too. ``-`` (a standard stream)
    is never the same file as anything.
    """
    if first == "-" or second == "-":
        return False
    try:
        a, b = os.stat(first), os.stat(second)
    except OSError:
        return os.path.realpath(first) == os.path.realpath(second)
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def refuse_same_file(input_path: str, outputs: dict[str, str | None]) -> None:
    """Raise :class:`SameFileError` when an output is the input or another output.

    Args:
        input_path: the file read (``-`` for standard input: nothing to protect).
        outputs: option name -> path written (``None`` or ``-``: not a file).

    Call it before opening anything for writing. Links are followed both ways: a
    symbolic link to the input, or a hard link of it, is the input.
    """
    seen: list[tuple[str, str]] = []
    for option, path in outputs.items():
        if path is None or path == "-":
            continue
        if input_path != "-" and same_file(path, input_path):
            raise SameFileError(
                option,
                path,
                f"it is the input {input_path}; writing it would destroy the input, "
                "choose another path",
            )
        for other_option, other in seen:
            if same_file(path, other):
                raise SameFileError(option, path, f"it is also the {other_option} file")
        seen.append((option, path))


def _temp_name(name: str) -> str:
    return f".{name}.{os.getpid()}.{os.urandom(4).hex()}{TEMP_SUFFIX}"


def _tmpfile_links(folder: str) -> bool:
    """Whether an ``O_TMPFILE`` file in ``folder`` can be given a name (tried once)."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None:
        return False
    try:
        status = os.stat(folder)
    except OSError:
        return False
    key = (status.st_dev, status.st_ino)
    found = _LINKABLE.get(key)
    if found is None:
        found = False
        probe = os.path.join(folder, _temp_name("probe"))
        try:
            fd = os.open(folder, os.O_WRONLY | flag | os.O_CLOEXEC, 0o600)
        except OSError:
            pass
        else:
            try:
                os.link(f"/proc/self/fd/{fd}", probe, follow_symlinks=True)
                os.unlink(probe)
                found = True
            except OSError:
                pass
            finally:
                os.close(fd)
        _LINKABLE[key] = found
    return found


def _remove_orphans(folder: str, name: str) -> None:
    """Remove ``name``'s temporary files left in ``folder`` by processes that are gone."""
    prefix = f".{name}."
    try:
        entries = os.listdir(folder)
    except OSError:
        return
    for entry in entries:
        if not (entry.startswith(prefix) and entry.endswith(TEMP_SUFFIX)):
            continue
        pid_text = entry[len(prefix) :].split(".", 1)[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(folder, entry))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: alive
    return True


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class Writeback:
    """A thread that ``fdatasync``-s a file being written, in steps, until stopped.

    Every :data:`WRITEBACK_INTERVAL` seconds it reads the file's size (``fstat``); when
    at least ``step`` bytes more than at its last sync have reached the file, it calls
    :func:`os.fdatasync` (which releases the GIL: the writer goes on meanwhile). The
    data is no safer for it: the point is that the final ``fsync`` of
    :meth:`AtomicWriter.commit` finds little left to write. An error of the background
    sync is ignored: the final ``fsync`` reports what matters. :meth:`stop` must be
    called before the descriptor is closed (it waits for a sync under way).

    >>> import tempfile
    >>> with tempfile.TemporaryFile() as f:
    ...     writeback = Writeback(f.fileno(), step=4)
    ...     _ = f.write(b"12345"); f.flush()
    ...     writeback.stop()
    """

    __slots__ = ("_fd", "_step", "_stopped", "_thread")

    def __init__(self, fd: int, *, step: int = WRITEBACK_BYTES) -> None:
        self._fd = fd
        self._step = step
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="faultkit-writeback", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        synced = 0
        while not self._stopped.wait(WRITEBACK_INTERVAL):
            try:
                size = os.fstat(self._fd).st_size
                if size - synced >= self._step:
                    os.fdatasync(self._fd)
                    synced = size
            except OSError:
                return  # the final fsync reports what is wrong

    def stop(self) -> None:
        """Stop the thread, waiting for a sync under way (idempotent)."""
        self._stopped.set()
        self._thread.join()


class AtomicWriter:
    """A file written all at once or not at all (see the module docstring).

    Args:
        path: the target; ``-`` writes to standard output as the run goes.
        binary: the stream takes bytes instead of text.
        encoding: of a text stream (lines are not translated: ``newline=""``).

    Use it as a context manager: the stream is :attr:`stream` (opened on entry); a
    normal exit commits (renames into place), an exception discards, and
    :meth:`discard` called inside the block keeps the old target.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> _ = target.write_text("old")
    >>> with AtomicWriter(str(target)) as out:
    ...     _ = out.stream.write("new")
    ...     target.read_text()  # still the old one while the run goes
    'old'
    >>> target.read_text()
    'new'
    """

    def __init__(self, path: str, *, binary: bool = False, encoding: str = "utf-8") -> None:
        self.path = path
        # a symbolic link stays one: the file it points to is what gets replaced
        self._target = os.path.realpath(path) if path != "-" and os.path.islink(path) else path
        self.binary = binary
        self.encoding = encoding
        self.committed = False
        self.discarded = False
        self._fd: int | None = None
        self._temp_name: str | None = None
        self._stream: IO[Any] | None = None
        self._direct = False
        self._writeback: Writeback | None = None

    @property
    def stream(self) -> IO[Any]:
        """The open stream (opened on first use)."""
        if self._stream is None:
            self._stream = self._open()
        return self._stream

    @property
    def text(self) -> TextIO:
        """The open stream of a text writer, typed as text."""
        if self.binary:
            raise TypeError("a binary AtomicWriter has no text stream")
        return cast(TextIO, self.stream)

    def _open(self) -> IO[Any]:
        if self.path == "-":
            if self.binary:
                return standard_buffer("stdout")
            return StandardStream(standard_buffer("stdout"), encoding=self.encoding, newline="")
        target = Path(self._target)
        folder = str(target.parent)
        mode = 0o666 & ~_umask()
        try:
            found = os.stat(self._target).st_mode
        except OSError:
            found = None
        if found is not None:
            if not stat.S_ISREG(found):  # /dev/null, a FIFO: nothing to replace, write through
                self._direct = True
                if self.binary:
                    return open(self._target, "wb")
                return open(self._target, "w", encoding=self.encoding, newline="")
            mode = stat.S_IMODE(found)
        fd = self._unnamed(folder, mode)
        if fd is None:
            try:
                self._temp_name, fd = self._named(folder, target.name, mode)
            except OSError as error:
                raise self._user_error(error, folder=folder) from None
        self._fd = fd
        self._writeback = Writeback(fd, step=WRITEBACK_BYTES)
        if self.binary:
            return open(fd, "wb", closefd=False)
        return open(fd, "w", encoding=self.encoding, newline="", closefd=False)

    @staticmethod
    def _unnamed(folder: str, mode: int) -> int | None:
        """An unnamed file in ``folder`` when it can be linked in later, else ``None``."""
        if not _tmpfile_links(folder):
            return None
        try:
            return os.open(folder, os.O_WRONLY | os.O_TMPFILE | os.O_CLOEXEC, mode)
        except OSError:
            return None  # a named file will say what is wrong with the folder

    @staticmethod
    def _named(folder: str, name: str, mode: int) -> tuple[str, int]:
        _remove_orphans(folder, name)
        while True:
            temp = os.path.join(folder, _temp_name(name))
            try:
                fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
            except FileExistsError:
                continue
            with contextlib.suppress(OSError):  # a file system without modes (FAT)
                os.fchmod(fd, mode)
            return temp, fd

    def commit(self) -> None:
        """Flush, ``fsync`` and rename the data into place (standard output: flush)."""
        if self.committed or self.discarded:
            return
        stream = self.stream
        if self.path == "-":
            self.committed = True
            if self.binary:
                stream.flush()
            else:
                stream.close()
            return
        if self._direct:
            self.committed = True
            stream.close()
            return
        fd = self._fd
        assert fd is not None
        try:
            stream.flush()
            self._stop_writeback()
            os.fsync(fd)
            if self._temp_name is None:
                self._temp_name = self._link(fd)
            os.replace(self._temp_name, self._target)
            self._temp_name = None
            self.committed = True
        except OSError as error:
            self.discard()
            raise self._user_error(error) from None
        except BaseException:
            self.discard()
            raise
        self._close()
        self._sync_folder()

    def _user_error(self, error: OSError, *, folder: str | None = None) -> OSError:
        """``error`` naming the user's output (and its folder), not the temporary file.

        The temporary file is faultkit's own; a user reading ``.out.csv.41.ab.faultkit-tmp:
        No such file or directory`` cannot tell which of their paths is wrong.
        """
        reason = error.strerror or str(error)
        if folder is not None:
            reason += f" (the folder {folder} of this output cannot hold a new file)"
        return OSError(error.errno, reason, self.path)

    def _link(self, fd: int) -> str:
        folder = os.path.dirname(self._target) or "."
        name = os.path.basename(self._target)
        while True:
            temp = os.path.join(folder, _temp_name(name))
            try:
                os.link(f"/proc/self/fd/{fd}", temp, follow_symlinks=True)
            except FileExistsError:
                continue
            return temp

    def _sync_folder(self) -> None:
        folder = os.path.dirname(self._target) or "."
        try:
            fd = os.open(folder, os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError:
            pass  # some file systems refuse fsync on a folder; the rename is done
        finally:
            os.close(fd)

    def discard(self) -> None:
        """Drop what was written; the target stays as it was (standard output: flush)."""
        if self.committed or self.discarded:
            return
        self.discarded = True
        if self.path == "-":
            if self._stream is not None:
                with contextlib.suppress(OSError, ValueError):
                    if self.binary:
                        self._stream.flush()
                    else:
                        self._stream.close()
            return
        self._close()
        if self._temp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._temp_name)
            self._temp_name = None

    def _stop_writeback(self) -> None:
        if self._writeback is not None:
            self._writeback.stop()
            self._writeback = None

    def _close(self) -> None:
        self._stop_writeback()  # before the descriptor it syncs is closed
        stream, fd = self._stream, self._fd
        self._fd = None
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):
                stream.close()  # a failed flush (a full disk) is already known or moot
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)

    def __enter__(self) -> AtomicWriter:
        _ = self.stream
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None and not self.discarded:
            self.commit()
        else:
            self.discard()


def write_atomically(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` through :class:`AtomicWriter` (``-``: standard output)."""
    with AtomicWriter(path, binary=True) as out:
        out.stream.write(data)
