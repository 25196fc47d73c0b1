"""``faultkit._data`` reads the shipped files as :mod:`importlib.resources` does."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest

from faultkit import _data
from faultkit._data import data_bytes


@pytest.mark.parametrize(
    "parts",
    [
        ("servicenow_incidents_sample.csv",),
        ("profiles", "servicenow.toml"),
        ("profiles", "jira.toml"),
        ("profiles", "generic.toml"),
    ],
)
def test_data_bytes_are_the_resources_bytes(parts: tuple[str, ...], tmp_path: Path) -> None:
    expected = files("faultkit").joinpath("data", *parts).read_bytes()
    assert data_bytes(*parts) == expected
    # installed other than as files: the folder is not there, the resource reader is used
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_data, "DATA_FOLDER", tmp_path / "nowhere")
        assert data_bytes(*parts) == expected


def test_a_missing_data_file_is_file_not_found() -> None:
    with pytest.raises(FileNotFoundError):
        data_bytes("profiles", "no_such_profile.toml")
