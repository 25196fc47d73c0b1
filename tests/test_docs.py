"""Every ```python example in README.md and docs/ runs, file by file, in order.

Blocks of one file share a namespace, like a reader following the page. A fence
written ```python skip is shown but not run (say why next to it). The ``>>>``
examples in the package's docstrings (shown in the API reference) run too.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import faultkit

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
FENCE = re.compile(r"^```python(?P<info>[^\n]*)\n(?P<code>.*?)^```", re.M | re.S)


def python_blocks(page: Path) -> list[tuple[int, str]]:
    """(line number, code) of each runnable python fence in ``page``."""
    text = page.read_text(encoding="utf-8")
    blocks = []
    for match in FENCE.finditer(text):
        if "skip" in match["info"].split():
            continue
        line = text.count("\n", 0, match.start("code")) + 1
        blocks.append((line, match["code"]))
    return blocks


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_examples_run(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for line, code in python_blocks(page):
        # Pad so tracebacks point at the line in the Markdown file.
        compiled = compile("\n" * (line - 1) + code, str(page), "exec")
        exec(compiled, namespace)


def test_harness_finds_examples() -> None:
    assert python_blocks(ROOT / "docs" / "getting-started.md"), "getting-started has no example"
    assert len(MODULES) > 50, "the package's modules were not found"


MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(faultkit.__path__, "faultkit.")
    if not info.name.endswith("__main__")  # running it runs the command
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"
