"""``faultkit diagram`` draws RCA pictures from JSON files and stored analyses."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from faultkit.cli.main import main
from faultkit.models import Person
from faultkit.rca import (
    Analysis,
    Fishbone,
    FishboneCause,
    FiveWhys,
    WhyStep,
    analysis_to_dict,
    fishbone_to_dict,
    five_whys_to_dict,
)
from faultkit.testing.storage_contract import sample_fault

SVG = "{http://www.w3.org/2000/svg}"
TREE = FiveWhys(
    id="w1",
    problem="打印机停止工作 / printer stops",
    steps=[
        WhyStep(id="s1", answer="Paper jam <tray 2>"),
        WhyStep(id="s2", parent="s1", answer="进纸辊磨损"),
    ],
)
OTHER = FiveWhys(id="w2", problem="Second", steps=[WhyStep(id="t1", answer="x")])
FISH = Fishbone(
    id="f1",
    effect="Printer stops",
    categories=["Machine", "Method"],
    causes=[FishboneCause(id="c1", text="Worn roller", category="Machine")],
)


def invoke(*args: str, stdin: bytes | None = None) -> Any:
    return CliRunner().invoke(main, list(args), input=stdin)


def write_json(path: Path, data: Any) -> str:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def nodes(svg: bytes | str) -> list[str | None]:
    root = ET.fromstring(svg)
    return [g.get("data-node") for g in root.iter(f"{SVG}g") if g.get("data-node")]


def test_a_tree_file_becomes_an_svg_and_a_json_summary(tmp_path: Path) -> None:
    source = write_json(tmp_path / "tree.json", five_whys_to_dict(TREE))
    out = tmp_path / "tree.svg"
    result = invoke("diagram", source, "-o", str(out), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["drawn"] == "five_whys"
    assert (summary["id"], summary["nodes"], summary["format"]) == ("w1", 2, "svg")
    assert nodes(out.read_bytes()) == ["s1", "s2"]
    assert "Paper jam &lt;tray 2&gt;" in out.read_text(encoding="utf-8")


def test_the_svg_goes_to_stdout_by_default(tmp_path: Path) -> None:
    source = write_json(tmp_path / "fish.json", fishbone_to_dict(FISH))
    result = invoke("diagram", source)
    assert result.exit_code == 0
    assert nodes(result.output) == ["c1"]
    piped = invoke("diagram", "-", stdin=Path(source).read_bytes())
    assert piped.output == result.output


def test_an_analysis_draws_its_fishbone_or_the_tree_asked_for(tmp_path: Path) -> None:
    analysis = Analysis(fault_id="F-1", fishbone=FISH, trees=[TREE, OTHER])
    source = write_json(tmp_path / "a.json", analysis_to_dict(analysis))
    assert nodes(invoke("diagram", source).output) == ["c1"]
    assert nodes(invoke("diagram", source, "--tree", "w2").output) == ["t1"]
    missing = invoke("diagram", source, "--tree", "nope")
    assert missing.exit_code == 2
    assert "not a tree of the analysis (trees: w1, w2)" in missing.output
    two = write_json(
        tmp_path / "b.json", analysis_to_dict(Analysis(fault_id="F", trees=[TREE, OTHER]))
    )
    ambiguous = invoke("diagram", two)
    assert ambiguous.exit_code == 2
    assert "pick one with --tree (w1, w2)" in ambiguous.output


def test_png_and_mermaid_formats(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    source = write_json(tmp_path / "fish.json", fishbone_to_dict(FISH))
    out = tmp_path / "fish.png"
    result = invoke("diagram", source, "--format", "png", "-o", str(out), "--dpi", "200")
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\x89PNG")
    assert "as png to" in result.output
    assert invoke("diagram", source, "--format", "mermaid").output.startswith("flowchart LR")
    refused = invoke("diagram", source, "--format", "png", "--json")
    assert refused.exit_code == 2
    assert "needs -o PATH" in refused.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{bad", "IN: not JSON: Expecting property name"),
        (b"[1, 2]", "expected a JSON object"),
        (b'{"name": "x"}', "not an RCA record"),
        (b'{"id": "w", "problem": "p", "whys": [{"id": "s", "answer": 5}]}', "whys[0].answer"),
        (b"\xff\xfe\x00garbage", "IN"),
        (b"[" * 100_000, "IN"),
    ],
)
def test_bad_json_is_one_line_and_exit_2(tmp_path: Path, content: bytes, message: str) -> None:
    source = tmp_path / "IN"
    source.write_bytes(content)
    result = invoke("diagram", str(source), "--json")
    assert result.exit_code == 2, result.output
    error = json.loads(result.output)
    assert error["kind"] == "usage"
    assert message in error["error"]


def test_a_picture_too_large_says_which_limit(tmp_path: Path) -> None:
    chain = FiveWhys(
        id="deep",
        problem="p",
        steps=[
            WhyStep(id=f"s{i}", parent=None if i == 0 else f"s{i - 1}", answer="x")
            for i in range(20)
        ],
    )
    source = write_json(tmp_path / "deep.json", five_whys_to_dict(chain))
    old = tmp_path / "x.svg"
    old.write_text("the previous picture", encoding="utf-8")
    result = invoke("diagram", source, "-o", str(old))
    assert result.exit_code == 2
    assert "five-whys 'deep' is too large to draw readably: 20 is over max_depth = 12" in (
        result.output
    )
    assert old.read_text(encoding="utf-8") == "the previous picture"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    small = invoke("diagram", source, "--font-size", "5")
    assert small.exit_code == 2
    assert "min_font_size" in small.output


def test_a_larger_font_makes_a_larger_picture(tmp_path: Path) -> None:
    source = write_json(tmp_path / "t.json", five_whys_to_dict(TREE))
    sizes = []
    for font in ("13", "26", "150"):
        result = invoke("diagram", source, "--font-size", font, "--json", "-o", "-")
        assert result.exit_code == 0, result.output
        summary = json.loads(result.output)
        sizes.append((summary["width"], summary["height"]))
        assert nodes(summary["picture"]) == ["s1", "s2"]
    assert sizes[0][0] < sizes[1][0] < sizes[2][0]
    assert sizes[0][1] < sizes[1][1] < sizes[2][1]


def test_options_that_do_not_go_together(tmp_path: Path) -> None:
    source = write_json(tmp_path / "t.json", five_whys_to_dict(TREE))
    for args, message in (
        ([source, "--workflow", "itil"], "--workflow draws a workflow"),
        (["--workflow", "itil", "--format", "svg"], "Mermaid only"),
        (["--db", source], "--db and --fault go together"),
        ([source, "--db", source, "--fault", "F"], "not both"),
        ([source, "--tree", "w1"], "--tree picks a tree of an analysis"),
        ([source, "-o", source], "the input"),
    ):
        result = invoke("diagram", *args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, (args, result.output)
    assert json.loads(Path(source).read_text(encoding="utf-8"))["id"] == "w1"


def test_an_unwritable_output_is_exit_3_and_leaves_the_old_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    source = write_json(tmp_path / "t.json", five_whys_to_dict(TREE))
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "old.svg").write_text("old", encoding="utf-8")
    locked.chmod(0o500)
    try:
        result = invoke("diagram", source, "-o", str(locked / "old.svg"))
    finally:
        locked.chmod(0o700)
    assert result.exit_code == 3
    assert (locked / "old.svg").read_text(encoding="utf-8") == "old"


def test_a_missing_folder_or_a_file_in_the_way_is_exit_3(tmp_path: Path) -> None:
    source = write_json(tmp_path / "t.json", five_whys_to_dict(TREE))
    result = invoke("diagram", source, "-o", str(tmp_path / "no" / "such" / "x.svg"), "--json")
    assert result.exit_code == 3
    assert json.loads(result.output)["kind"] == "io"
    blocked = invoke("diagram", source, "-o", str(Path(source) / "x.svg"))
    assert blocked.exit_code == 3
    assert json.loads(Path(source).read_text(encoding="utf-8"))["id"] == "w1"


# --------------------------------------------------------------------------- a stored analysis

sql = pytest.importorskip("faultkit.adapters.sql", reason="--db needs the sql extra")


@pytest.fixture
def store_file(tmp_path: Path) -> Path:
    path = tmp_path / "faults.db"
    store = sql.SqlStore(f"sqlite:///{path}")
    try:
        with_analysis = sample_fault("F-1")
        with_analysis.attach_analysis(
            Analysis(fault_id="F-1", trees=[TREE]),
            actor=Person(id="bob", name="Bob"),
            at=datetime(2024, 5, 2, tzinfo=UTC),
        )
        store.faults.add(with_analysis)
        store.faults.add(sample_fault("F-2"))
    finally:
        store.close()
    return path


def test_a_stored_analysis_is_drawn(store_file: Path, tmp_path: Path) -> None:
    before = store_file.read_bytes()
    out = tmp_path / "rca.svg"
    result = invoke("diagram", "--db", str(store_file), "--fault", "F-1", "-o", str(out), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["source"].endswith("fault F-1")
    assert nodes(out.read_bytes()) == ["s1", "s2"]
    assert store_file.read_bytes() == before


def test_a_missing_fault_or_analysis_is_exit_2(store_file: Path, tmp_path: Path) -> None:
    missing = invoke("diagram", "--db", str(store_file), "--fault", "F-9")
    assert missing.exit_code == 2
    assert "--fault 'F-9': no such fault" in missing.output
    bare = invoke("diagram", "--db", str(store_file), "--fault", "F-2")
    assert bare.exit_code == 2
    assert "the fault has no analysis" in bare.output
    not_db = tmp_path / "not.db"
    not_db.write_bytes(b"this is not a database" * 100)
    broken = invoke("diagram", "--db", str(not_db), "--fault", "F-1")
    assert broken.exit_code == 2
    assert f"--db {not_db}" in broken.output
    assert invoke("diagram", "--db", str(tmp_path / "absent.db"), "--fault", "F").exit_code == 2
