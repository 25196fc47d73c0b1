"""The package itself: version, public surface, errors, and a light import."""

from __future__ import annotations

import pickle
import subprocess
import sys
from importlib.metadata import version

import faultkit
from faultkit.errors import MISSING, FaultkitError, InvalidInputError


def test_version_comes_from_the_metadata() -> None:
    assert faultkit.__version__ == version("faultkit")


def test_all_is_sorted_and_complete() -> None:
    assert faultkit.__all__ == sorted(faultkit.__all__)
    for name in faultkit.__all__:
        assert hasattr(faultkit, name), name


def test_typed_marker_is_shipped() -> None:
    from importlib.resources import files

    assert files("faultkit").joinpath("py.typed").is_file()


def test_import_stays_light() -> None:
    heavy = "('hypothesis', 'pytest', 'cattrs')"
    code = f"import sys, faultkit; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_error_message_names_field_line_and_value() -> None:
    error = InvalidInputError("steps[2].at", "x", "naive datetime refused", line=12)
    assert str(error) == "line 12: steps[2].at: naive datetime refused (got 'x')"
    assert InvalidInputError("id", MISSING, "required field is missing").args[0] == (
        "id: required field is missing"
    )


def test_huge_values_are_cut_in_messages() -> None:
    message = str(InvalidInputError("title", "x" * 100_000, "too long"))
    assert len(message) < 200
    assert "100002 chars" in message


def test_paths_nest() -> None:
    error = InvalidInputError("at", 1, "bad")
    assert error.at_path("steps[2]").field == "steps[2].at"
    assert InvalidInputError("[0]", 1, "bad").at_path("steps").field == "steps[0]"
    assert InvalidInputError("", 1, "bad").at_path("steps").field == "steps"
    assert error.at_line(3).line == 3


def test_errors_pickle_across_processes() -> None:
    error = InvalidInputError("title", 5, "expected a string", line=4)
    again = pickle.loads(pickle.dumps(error))
    assert (again.field, again.value, again.reason, again.line) == (
        "title",
        5,
        "expected a string",
        4,
    )
    assert isinstance(again, FaultkitError)
    assert isinstance(again, ValueError)


def test_gitignore_hides_no_packaged_file() -> None:
    """hatchling leaves out what .gitignore matches: no file of the package may match.

    An unanchored ``servicenow_incidents_sample.csv`` (meant for the README's output in
    the checkout) once dropped the bundled sample from the wheel, and ``faultkit
    example`` failed on every installed copy.
    """
    from pathlib import Path

    import pytest

    root = Path(__file__).resolve().parent.parent
    if not (root / ".git").exists() or not (root / ".gitignore").exists():
        pytest.skip("not a git checkout with a .gitignore")
    shipped = [str(p.relative_to(root)) for p in (root / "src").rglob("*") if p.is_file()]
    shipped = [p for p in shipped if "__pycache__" not in p]
    done = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin"],
        input="\n".join(shipped),
        capture_output=True,
        text=True,
        cwd=root,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr  # 1: nothing ignored
    assert done.stdout.split() == []
    assert "src/faultkit/data/servicenow_incidents_sample.csv" in shipped
