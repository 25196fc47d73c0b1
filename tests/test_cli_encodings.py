"""An export in another encoding: the true byte and line, and the encoding to pass.

Exports met in the wild: a Mantis CSV with Brazilian Portuguese headers from a Western
Windows machine (Windows-1252), a Chinese help desk's GBK export, Excel's "Unicode
text" (UTF-16). Python's reader reports a bad byte within the block it was decoding,
so past the first 8 KiB the offset was wrong; the error now gives the byte and line
in the file and the ``--encoding`` that reads it, on every engine and command.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli_kit import invoke
from faultkit.adapters.exports import encodings
from faultkit.adapters.exports.encodings import first_undecodable, guess_encoding

HEADER = "number,incident_state,opened_at,resolved_at,impact,urgency,priority,sys_updated_at\r\n"
ROW = "INC{},New,01-03-2016 10:00,,1 - High,2 - Medium,2 - High,01-03-2016 10:00\r\n"
SN = ["--preset", "servicenow", "--dayfirst", "--json"]


def _export(name: str, count: int) -> str:
    rows = [ROW.format(i) for i in range(count)]
    return HEADER + "".join(rows) + ROW.format(name)


@pytest.mark.parametrize(
    ("name", "encoding", "guess"),
    [("Solicitação", "cp1252", "cp1252"), ("投诉处理", "gbk", "gb18030")],
)
@pytest.mark.parametrize("command", ["score", "check-log", "report"])
@pytest.mark.parametrize("engine", ["row", "arrow"])
def test_the_true_byte_and_line_and_the_encoding_to_pass(
    tmp_path: Path, name: str, encoding: str, guess: str, command: str, engine: str
) -> None:
    data = _export(name, 3000).encode(encoding)  # the bad byte far past the reader's block
    (tmp_path / "in.csv").write_bytes(data)
    with pytest.raises(UnicodeDecodeError) as caught:
        data.decode("utf-8")  # the whole file at once: the true offset
    offset = caught.value.start
    assert offset > 200_000
    result = invoke(command, "in.csv", *SN, "--engine", engine, cwd=tmp_path)
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert f"at byte {offset}, line 3002)" in error, error
    assert error.endswith(f"pass --encoding {guess}")
    fixed = invoke(command, "in.csv", *SN, "--engine", engine, "--encoding", guess, cwd=tmp_path)
    assert fixed.exit_code == 0, fixed.stdout


def test_utf16_is_named(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_bytes(_export("1", 2).encode("utf-16"))
    result = invoke("score", "in.csv", *SN, cwd=tmp_path)
    error = json.loads(result.stdout)["error"]
    assert "at byte 0, line 1)" in error
    assert error.endswith("pass --encoding utf-16")


def test_a_bom_counts_in_the_offset(tmp_path: Path) -> None:
    data = codecs.BOM_UTF8 + "id,x\n1,é\n".encode("cp1252")
    (tmp_path / "in.csv").write_bytes(data)
    fault = first_undecodable(str(tmp_path / "in.csv"), "utf-8-sig")
    assert fault is not None
    assert (fault.offset, fault.line) == (data.index(b"\xe9"), 2)


@settings(max_examples=60, deadline=None)
@given(
    before=st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300),
    after=st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=50),
    bad=st.sampled_from([b"\xff", b"\xc3(", b"\xe9,", b"\x80"]),
    block=st.integers(1, 64),
)
def test_the_offset_is_the_first_bad_byte_whatever_the_blocks(
    tmp_path_factory: pytest.TempPathFactory, before: str, after: str, bad: bytes, block: int
) -> None:
    """Golden rule: the offset is what ``bytes.decode`` of the whole file reports."""
    data = before.encode() + bad + after.encode()
    path = tmp_path_factory.mktemp("enc") / "f.csv"
    path.write_bytes(data)
    with pytest.raises(UnicodeDecodeError) as caught:
        data.decode("utf-8")
    expected = caught.value.start
    old = encodings.BLOCK_BYTES
    encodings.BLOCK_BYTES = block
    try:
        fault = first_undecodable(str(path), "utf-8")
    finally:
        encodings.BLOCK_BYTES = old
    assert fault is not None
    assert fault.offset == expected
    assert fault.line == data[:expected].count(b"\n") + 1
    assert first_undecodable(str(path), "latin-1") is None


@pytest.mark.parametrize(
    ("text", "encoding", "guess"),
    [
        (
            "Resumo,Estado,Prioridade,Categoria\nFalha na impressão,atribuído,alta,Geral\n",
            "cp1252",
            "cp1252",
        ),
        ("编号,状态,优先级,描述\n1,新建,高,打印机卡纸\n", "gbk", "gb18030"),
        ("id,state\n1,ok\n", "utf-16-le", "utf-16"),
        (
            "Номер,Проект,Приоритет,Состояние\n0034428,mantisbt,низкий,новая\n",
            "cp1251",
            "cp1251",
        ),
        ("Número,Descrição,Situação\n1,Impressão,não\n", "cp1252", "cp1252"),
        ("Número,Descrição\n1,ação\n", "utf-8", "utf-8"),
    ],
)
def test_guess_encoding_on_export_shapes(text: str, encoding: str, guess: str) -> None:
    assert guess_encoding(text.encode(encoding)) == guess
