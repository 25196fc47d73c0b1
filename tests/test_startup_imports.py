"""Start-up of ``faultkit score`` and ``check-log`` (issue 17): what their import loads.

Each check runs in a fresh interpreter and reads ``sys.modules``: the command modules
must not pull in the parts of faultkit (and the heavy libraries) they never use. The
lazy package ``__init__`` files (:func:`faultkit._lazy.lazy_exports`) are checked
against their own source: the names imported under ``TYPE_CHECKING``, the run-time
table and ``__all__`` are the same set, and every name resolves to the object of its
defining module.
"""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
LAZY_PACKAGES = (
    "faultkit",
    "faultkit.adapters.exports",
    "faultkit.cli",
    "faultkit.batch",
    "faultkit.feedback",
    "faultkit.lifecycle",
    "faultkit.metrics",
    "faultkit.problems",
    "faultkit.rca",
    "faultkit.scoring",
    "faultkit.storage",
)
HEAVY = ("matplotlib", "pandas", "pyarrow", "polars", "dask", "sqlalchemy")


def _loaded_after(statement: str) -> set[str]:
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout))


def _under(modules: set[str], package: str) -> set[str]:
    return {name for name in modules if name == package or name.startswith(package + ".")}


def test_score_imports_no_feedback_metrics_rca_or_heavy_library() -> None:
    loaded = _loaded_after("import faultkit.cli.score")
    assert "faultkit.cli.score" in loaded
    for package in ("faultkit.feedback", "faultkit.metrics", "faultkit.rca", *HEAVY):
        assert _under(loaded, package) == set(), package
    assert "faultkit.lifecycle.fault" not in loaded
    assert "faultkit.adapters.exports.case_log" not in loaded


def test_check_log_imports_only_the_event_row_of_metrics() -> None:
    loaded = _loaded_after("import faultkit.cli.check_log")
    assert "faultkit.lifecycle.eventlog" in loaded
    for package in ("faultkit.feedback", "faultkit.rca", *HEAVY):
        assert _under(loaded, package) == set(), package
    assert _under(loaded, "faultkit.metrics") == {"faultkit.metrics", "faultkit.metrics.rows"}
    assert "faultkit.lifecycle.fault" not in loaded


def test_the_columnar_check_log_imports_no_scorer() -> None:
    pytest.importorskip("pyarrow")
    loaded = _loaded_after("import faultkit.cli.check_log, faultkit.batch.eventlog")
    for module in (
        "faultkit.adapters.exports.score",
        "faultkit.lifecycle.sla",
        "faultkit.batch.arrow",
        "faultkit.batch.plain",
        "faultkit.batch.stream",
    ):
        assert module not in loaded, module


def test_the_check_sees_a_heavy_import() -> None:
    loaded = _loaded_after("import faultkit.cli.score\nimport faultkit.metrics.feedback_loop")
    assert _under(loaded, "faultkit.feedback") != set()


def _lazy_parts(package: str) -> tuple[set[str], set[str], set[str]]:
    """The names imported under TYPE_CHECKING, the run-time table's keys and ``__all__``."""
    path = SRC.joinpath(*package.split("."), "__init__.py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typed: set[str] = set()
    table: set[str] = set()
    listed: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If):
            for inner in node.body:
                assert isinstance(inner, ast.ImportFrom), ast.dump(inner)
                typed.update(alias.asname or alias.name for alias in inner.names)
            for call in ast.walk(ast.Module(body=node.orelse, type_ignores=[])):
                if isinstance(call, ast.Dict):
                    table.update(ast.literal_eval(key) for key in call.keys if key is not None)
        elif isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            listed.update(ast.literal_eval(node.value))
    return typed, table, listed


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_lazy_init_lists_each_name_three_times_alike(package: str) -> None:
    typed, table, listed = _lazy_parts(package)
    assert typed, package
    assert typed == table == listed


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_lazy_names_are_their_defining_modules_objects(package: str) -> None:
    path = SRC.joinpath(*package.split("."), "__init__.py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = importlib.import_module(package)
    seen = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module != "typing":
            if node.module == "faultkit._lazy":
                continue
            defining = importlib.import_module(node.module)
            for alias in node.names:
                assert getattr(module, alias.name) is getattr(defining, alias.name), alias.name
                seen += 1
    assert seen == len(module.__all__)
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = module.no_such_name


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_dir_lists_every_name_before_first_use(package: str) -> None:
    code = (
        f"import {package} as p\n"
        "missing = set(p.__all__) - set(dir(p))\n"
        "assert not missing, missing\n"
        "assert all(n not in vars(p) for n in p.__all__ if n[0].isupper()), 'not lazy'\n"
    )
    _loaded_after(code)


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_star_import_in_a_fresh_interpreter(package: str) -> None:
    loaded = _loaded_after(f"from {package} import *")
    assert package in loaded


def test_a_name_equal_to_its_submodule_is_the_function() -> None:
    code = (
        "import faultkit.metrics as m\n"
        "m.FeedbackLoopReport\n"
        "assert callable(m.feedback_loop) and not isinstance(m.feedback_loop, type(m)), "
        "m.feedback_loop\n"
        "import faultkit.lifecycle as l\n"
        "from faultkit.lifecycle import Fault, validate_event_log\n"
        "assert l.Fault is Fault\n"
    )
    _loaded_after(code)
    submodule_first = (
        "import faultkit.metrics.feedback_loop\n"
        "from faultkit.metrics import feedback_loop\n"
        "from faultkit.metrics.feedback_loop import feedback_loop as defined\n"
        "assert feedback_loop is defined, feedback_loop\n"
        "import faultkit.metrics.rows, faultkit.metrics as m, types\n"
        "assert isinstance(m.rows, types.ModuleType)\n"
    )
    _loaded_after(submodule_first)


def test_the_columnar_engines_load_no_feedback_or_rca() -> None:
    pytest.importorskip("pyarrow")
    loaded = _loaded_after(
        "import faultkit.cli.score, faultkit.cli.check_log\n"
        "import faultkit.batch.stream, faultkit.batch.plain, faultkit.batch.eventlog"
    )
    assert "faultkit.batch.lines" in loaded
    for package in ("faultkit.feedback", "faultkit.rca", "matplotlib", "pandas"):
        assert _under(loaded, package) == set(), package
    assert _under(loaded, "faultkit.metrics") == {"faultkit.metrics", "faultkit.metrics.rows"}
