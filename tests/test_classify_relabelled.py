"""The counting rules of ``benchmarks/classify_relabelled.py`` (issue 18's relabelled figures).

The script is loaded with ``runpy`` (it is a script, not a module of the package); it
imports ``classify_corpus`` from its own folder, so that folder goes on ``sys.path``.
"""

from __future__ import annotations

import hashlib
import runpy
import sys
from pathlib import Path
from typing import Any

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def script() -> dict[str, Any]:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        return runpy.run_path(str(BENCHMARKS / "classify_relabelled.py"))
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_wilson_upper_bound_of_no_hits_is_z2_over_n_plus_z2(script: dict[str, Any]) -> None:
    # Wilson (1927): with no hits the interval is [0, z^2 / (n + z^2)].
    low, high = script["wilson"](0, 69)
    assert low == 0.0
    assert high == pytest.approx(100 * 1.96**2 / (69 + 1.96**2))


def test_wilson_contains_the_share(script: dict[str, Any]) -> None:
    low, high = script["wilson"](64, 100)
    assert low < 64 < high
    assert (round(low, 1), round(high, 1)) == (54.2, 72.7)


def test_kappa_of_the_textbook_example(script: dict[str, Any]) -> None:
    # The "simple example" of Cohen's kappa (Wikipedia): 50 items, both yes 20, yes/no 5,
    # no/yes 10, both no 15: p_o = 0.7, p_e = 0.5, kappa = 0.4.
    pairs = [("P", "P")] * 20 + [("P", "N")] * 5 + [("N", "P")] * 10 + [("N", "N")] * 15
    assert script["kappa"](pairs) == pytest.approx(0.4)


def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "reviews.csv"
    path.write_text(
        "label,review\n"
        "0,屏幕用了两天就坏了，开不了机\n"
        "1,很好用，谢谢\n"
        "1,送得太慢了，等了两个小时\n"
        "0,还行吧\n",
        encoding="utf-8",
    )
    return path


def labels(tmp_path: Path, data: Path, body: str, *, sha: str | None = None) -> Path:
    digest = sha or hashlib.sha256(data.read_bytes()).hexdigest()
    path = tmp_path / "labels.tsv"
    path.write_text(
        f"# {data.name} sha256={digest}\nrow\tcorpus_label\treader1\treader2\treason1\treason2\n"
        + body,
        encoding="utf-8",
    )
    return path


def test_the_figures_count_only_rows_every_label_agrees_on(
    script: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = corpus(tmp_path)
    body = "0\t0\tP\tP\tbroken\tbroken\n1\t1\tN\tN\tpraise\tpraise\n2\t1\tP\tP\tslow\tslow\n"
    path = labels(tmp_path, data, body)
    assert script["main"]([str(data), "--format", "waimai", "--labels", str(path)]) == 0
    out = capsys.readouterr().out
    assert "corpus positive readers PP: n=   1" in out  # the mislabelled complaint, apart
    assert "readers agree on 3 of 3 rows, Cohen's kappa 1.00" in out
    row = out.strip().splitlines()[-1]
    assert row.startswith("| reviews.csv, blind-relabelled sample | 100.0% (n=1) | 0.0% (n=1;")
    assert row.endswith("| 0.00% | 3 of 3, kappa 1.00 |")  # the docs table's last column


def test_another_copy_of_the_corpus_is_read_with_a_warning(
    script: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = corpus(tmp_path)
    path = labels(tmp_path, data, "0\t0\tP\tP\t\t\n", sha="0" * 64)
    assert script["main"]([str(data), "--format", "waimai", "--labels", str(path)]) == 0
    assert "the labels were made on 0000" in capsys.readouterr().err


def test_a_copy_whose_rows_do_not_line_up_is_refused(
    script: dict[str, Any], tmp_path: Path
) -> None:
    data = corpus(tmp_path)
    path = labels(tmp_path, data, "0\t1\tP\tP\t\t\n", sha="0" * 64)  # row 0 is negative
    with pytest.raises(SystemExit, match="row 0: the corpus says negative"):
        script["main"]([str(data), "--format", "waimai", "--labels", str(path)])


def test_a_label_that_is_not_p_or_n_is_refused_with_its_line(
    script: dict[str, Any], tmp_path: Path
) -> None:
    data = corpus(tmp_path)
    path = labels(tmp_path, data, "0\t0\tP\tP\t\t\n1\t1\tN\tyes\t\t\n")
    with pytest.raises(SystemExit, match=r"labels.tsv:4: a reader's label must be P or N"):
        script["main"]([str(data), "--format", "waimai", "--labels", str(path)])


def test_a_row_whose_corpus_label_differs_is_refused(
    script: dict[str, Any], tmp_path: Path
) -> None:
    data = corpus(tmp_path)
    path = labels(tmp_path, data, "1\t0\tN\tN\t\t\n")
    with pytest.raises(SystemExit, match="row 1: the corpus says positive, the labels negative"):
        script["main"]([str(data), "--format", "waimai", "--labels", str(path)])


@pytest.mark.parametrize("body", ["", "row\tcorpus_label\treader1\treader2\n"])
def test_a_labels_file_without_a_labelled_row_is_refused(
    script: dict[str, Any], tmp_path: Path, body: str
) -> None:
    data = corpus(tmp_path)
    path = tmp_path / "labels.tsv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(SystemExit, match="no labelled row under a header"):
        script["main"]([str(data), "--format", "waimai", "--labels", str(path)])
