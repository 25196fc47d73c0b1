"""The files shipped in ``faultkit/data`` (the example export, the built-in profiles).

Read from the folder beside this module, without :mod:`importlib.resources`: importing
it and building its reader cost about 7 ms of every command's start-up (``python -c``,
min of 20, reading the three built-in profiles each way). A faultkit that is not
installed as files (imported from a zip archive) is read through
:mod:`importlib.resources`, as before.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["DATA_FOLDER", "data_bytes"]

DATA_FOLDER = Path(__file__).parent / "data"
"""Where the package's data files are when faultkit is installed as files."""


def data_bytes(*parts: str) -> bytes:
    """The bytes of the data file at ``parts`` under ``faultkit/data``.

    Raises:
        FileNotFoundError: no such data file.
    """
    try:
        return DATA_FOLDER.joinpath(*parts).read_bytes()
    except (FileNotFoundError, NotADirectoryError):  # not installed as files: a zip archive
        from importlib.resources import files

        return files("faultkit").joinpath("data", *parts).read_bytes()
