"""The columnar engine of ``faultkit score`` gives the row engine's answer, byte for byte.

Each test scores one file with both engines and compares the output bytes, the rejects
file bytes (line, column, value, reason, record) and the summary. Where the columnar
engine declines a file (:class:`ArrowFallback`) the command runs the row engine, so
that is a same answer too; the tests also check it does *not* decline the ordinary
files (the real sample, random well-formed exports), or the speed would be a lie.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("pyarrow")

import faultkit.batch.stream as stream
from faultkit.adapters.exports import RejectsFile, Scorer, ScoreSummary, get_preset, score_csv
from faultkit.adapters.exports.dates import DateOrder, DateReader
from faultkit.adapters.exports.tabular import csv_record
from faultkit.batch.fallback import ArrowFallback
from faultkit.batch.lines import file_blocks, line_blocks, line_bounds, line_ranges
from faultkit.batch.stream import score_csv_batches
from faultkit.cli import main
from faultkit.lifecycle.sla import DEFAULT_SLA_POLICY
from test_cli_hostile import CORPUS

SAMPLE = files("faultkit").joinpath("data", "servicenow_incidents_sample.csv").read_bytes()


def _scorer(preset: str = "servicenow", *, sla: bool = True, dayfirst: bool = True) -> Scorer:
    order = DateOrder.DAY_FIRST if dayfirst else DateOrder.ISO
    return Scorer(
        get_preset(preset),
        dates=DateReader(order=order),
        sla=DEFAULT_SLA_POLICY if sla else None,
    )


def _row(path: Path, folder: Path, scorer: Scorer) -> tuple[bytes, bytes, ScoreSummary]:
    out, rej = folder / "row.csv", folder / "row.rejects.csv"
    rejects = RejectsFile(str(rej))
    with (
        path.open(encoding="utf-8-sig", newline="") as source,
        out.open("w", encoding="utf-8", newline="") as sink,
        rejects,
    ):
        summary = score_csv(source, sink, rejects, scorer)
    return out.read_bytes(), rej.read_bytes() if rej.exists() else b"", summary


def _arrow(
    path: Path, folder: Path, scorer: Scorer, block_size: int = 1 << 22
) -> tuple[bytes, bytes, ScoreSummary]:
    out, rej = folder / "arrow.csv", folder / "arrow.rejects.csv"
    rejects = RejectsFile(str(rej))
    with out.open("w", encoding="utf-8", newline="") as sink, rejects:
        summary = score_csv_batches(str(path), sink, rejects, scorer, block_size=block_size)
    return out.read_bytes(), rej.read_bytes() if rej.exists() else b"", summary


def _same(path: Path, folder: Path, make: object = _scorer, block_size: int = 1 << 22) -> bool:
    """Both engines on ``path``: equal bytes and counts; ``False`` when Arrow declined."""
    assert callable(make)
    row = _row(path, folder, make())
    try:
        arrow = _arrow(path, folder, make(), block_size)
    except ArrowFallback:
        return False
    assert arrow[0] == row[0]
    assert arrow[1] == row[1]
    assert arrow[2] == row[2]
    return True


def test_bundled_sample_same_bytes_in_small_batches(tmp_path: Path) -> None:
    path = tmp_path / "sample.csv"
    path.write_bytes(SAMPLE)
    for block_size in (1 << 22, 4096):  # one batch, and many
        assert _same(path, tmp_path, block_size=block_size)
    assert _same(path, tmp_path, lambda: _scorer(sla=False))
    assert _same(path, tmp_path, lambda: _scorer("generic", dayfirst=False)) in (True, False)


def test_rejects_carry_the_row_engines_lines_after_multiline_cells(tmp_path: Path) -> None:
    """A cell with line breaks (CRLF, CR, LF) moves every later row's line number."""
    lines = SAMPLE.decode().splitlines()
    header, rows = lines[0], lines[1:40]
    rows[3] = rows[3].replace("Caller", '"Caller\r\nwith\r\nbreaks\nin it"', 1)
    rows[10] = rows[10].replace("2 - Medium", "9 - Nonsense")
    rows[20] = rows[20].replace("Caller", '"Caller, ""quoted"""', 1)
    rows[30] = rows[30].replace("2 - Medium", "")
    path = tmp_path / "multi.csv"
    path.write_text("\r\n".join([header, *rows]) + "\r\n", encoding="utf-8", newline="")
    for block_size in (1 << 22, 2048):
        assert _same(path, tmp_path, block_size=block_size)
    rejected = list(csv.reader(io.StringIO((tmp_path / "arrow.rejects.csv").read_text())))
    # header line 1, data row k on line k + 2, plus the 3 line breaks inside row 3's cell
    assert [int(r[0]) for r in rejected[1:]] == [10 + 2 + 3, 30 + 2 + 3]


@pytest.mark.parametrize("name", sorted(n for n in CORPUS if n.endswith(".csv")))
def test_hostile_files_same_answer_or_declined(name: str, tmp_path: Path) -> None:
    """Every hostile file of the sweep: the same answer, or the row engine scores it."""
    path = tmp_path / name
    path.write_bytes(CORPUS[name])
    try:
        row = _row(path, tmp_path, _scorer())
    except (ValueError, UnicodeDecodeError):  # a usage error of the row engine
        with pytest.raises(ArrowFallback):
            _arrow(path, tmp_path, _scorer())
        return
    try:
        arrow = _arrow(path, tmp_path, _scorer())
    except ArrowFallback:
        return
    assert arrow == row


_LEVELS = ["1 - High", "2 - Medium", "3 - Low", "1", "3", "", " 2 ", "High", "9 - Bad", "x,y"]
_DATES = [
    "29-02-2016 01:16",
    "01-03-2016 10:00",
    "",
    "2016-03-01T10:00:00",
    "31-12-9999 23:00",
    "13-13-2016 10:00",
    "not a date",
]
_TEXT = st.text(alphabet=st.sampled_from(list('ab ,"\r\n;é')), max_size=6)


@st.composite
def _exports(draw: st.DrawFn) -> str:
    rows = draw(st.integers(0, 40))
    lines = ["number,caller_id,impact,urgency,priority,opened_at,resolved_at"]
    for k in range(rows):
        cells = [
            f"INC{k}",
            draw(_TEXT),
            draw(st.sampled_from(_LEVELS)),
            draw(st.sampled_from(_LEVELS)),
            draw(st.sampled_from([*_LEVELS[:6], "4 - Low", "5 - Planning"])),
            draw(st.sampled_from(_DATES)),
            draw(st.sampled_from(_DATES)),
        ]
        buffer = io.StringIO()
        csv.writer(buffer).writerow(cells)  # its CRLF line end makes it quote \r and \n
        lines.append(buffer.getvalue().removesuffix("\r\n"))
    end = draw(st.sampled_from(["\r\n", "\n"]))
    return end.join(lines) + draw(st.sampled_from([end, ""]))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=_exports(), block=st.sampled_from([256, 1024, 1 << 20]), sla=st.booleans())
def test_random_exports_same_answer(text: str, block: int, sla: bool, tmp_path: Path) -> None:
    """Random exports (bad levels and dates, cells with quotes, commas, line breaks)."""
    path = tmp_path / "random.csv"
    path.write_text(text, encoding="utf-8", newline="")
    ran = _same(path, tmp_path, lambda: _scorer(sla=sla), block)
    # declined only for a contradiction of --dayfirst (the row engine counts those per
    # row), a header without a line end (Arrow sees no complete row) and a lone \r in a
    # cell (Arrow may lose the \n of a \r\n at a block boundary: see batch.scan.lone_cr)
    if "13-13" not in text and "\n" in text and not re.search("\r(?!\n)", text):
        assert ran


def test_command_default_engine_matches_row_engine(tmp_path: Path) -> None:
    """``faultkit score`` (auto: Arrow) and ``--engine row``: same files and same JSON."""
    (tmp_path / "in.csv").write_bytes(SAMPLE.replace(b"2 - Medium", b"7 - Odd", 3))
    runner = CliRunner()
    results = {}
    for engine in ("auto", "row", "arrow"):
        args = ["score", str(tmp_path / "in.csv"), "--preset", "servicenow", "--dayfirst"]
        args += ["--json", "-o", str(tmp_path / f"{engine}.csv"), "--engine", engine]
        args += ["--rejects", str(tmp_path / f"{engine}.rejects.csv")]
        result = runner.invoke(main, args)
        assert result.exit_code == 1, result.output
        body = json.loads(result.output)
        for key in ("output", "rejects"):
            body.pop(key)
        results[engine] = body
        assert body["rows_rejected"] > 0
    assert results["auto"] == results["row"] == results["arrow"]
    for engine in ("auto", "arrow"):
        assert (tmp_path / f"{engine}.csv").read_bytes() == (tmp_path / "row.csv").read_bytes()
        assert (tmp_path / f"{engine}.rejects.csv").read_bytes() == (
            tmp_path / "row.rejects.csv"
        ).read_bytes()


def test_engine_arrow_refuses_what_only_the_row_engine_does(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_bytes(SAMPLE)
    args = ["score", str(tmp_path / "in.csv"), "--preset", "servicenow", "--engine", "arrow"]
    result = CliRunner().invoke(main, [*args, "--excel-safe", "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 2
    assert "--engine row" in result.output


_CELLS = st.lists(st.text(alphabet=st.sampled_from(list('a ,"\r\n;é\t')), max_size=5), max_size=6)


@given(cells=_CELLS)
def test_csv_record_reads_back_as_its_cells(cells: list[str]) -> None:
    """A rejected row's record: :func:`csv.reader` gives back the cells, line breaks too."""
    record = csv_record(cells)
    buffer = io.StringIO()
    csv.writer(buffer).writerow(cells)  # the output's writer: the record is that line
    assert record == buffer.getvalue().removesuffix("\r\n")
    back = list(csv.reader(io.StringIO(record, newline="")))
    assert back == ([cells] if cells else [])  # a bare \r or \n would split it into rows


def test_rejected_row_with_a_lone_cr_cell_same_bytes(tmp_path: Path) -> None:
    """A refused row whose cell holds a lone ``\\r``: quoted in its record.

    The columnar engine declines such a file (:func:`faultkit.batch.scan.lone_cr`): the
    row engine's record is the answer.
    """
    lines = SAMPLE.decode().splitlines()
    header, rows = lines[0], lines[1:6]
    rows[2] = rows[2].replace("Caller", '"Call\rer"', 1).replace("2 - Medium", "9 - Bad")
    path = tmp_path / "cr.csv"
    path.write_text("\r\n".join([header, *rows]) + "\r\n", encoding="utf-8", newline="")
    assert not _same(path, tmp_path)
    with (tmp_path / "row.rejects.csv").open(encoding="utf-8", newline="") as file:
        rejected = list(csv.reader(file))
    record = rejected[1][4]
    assert ',"Call\rer 2403",' in record
    assert next(csv.reader(io.StringIO(record, newline=""))) == next(
        csv.reader(io.StringIO(rows[2], newline=""))
    )


_BARE = st.text(alphabet=st.sampled_from(list("ab é;\t\r")), max_size=5)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cells=st.lists(
        st.tuples(_BARE, st.sampled_from(_LEVELS[:6]), st.sampled_from(_DATES)), max_size=30
    ),
    end=st.sampled_from(["\r\n", "\n", "\r"]),
    block=st.sampled_from([256, 1 << 20]),
)
def test_files_without_quotes_same_answer(
    cells: list[tuple[str, str, str]], end: str, block: int, tmp_path: Path
) -> None:
    """No quote in the file: Arrow reads without looking for line breaks in values.

    A bare ``\\r`` in a cell ends the row for both readers (then the rows are ragged
    and the row engine scores the file).
    """
    lines = ["number,caller_id,impact,urgency,opened_at"]
    lines += [f"INC{k},{c},{level},2,{date}" for k, (c, level, date) in enumerate(cells)]
    text = end.join(lines) + end
    assert '"' not in text
    path = tmp_path / "bare.csv"
    path.write_text(text, encoding="utf-8", newline="")
    ran = _same(path, tmp_path, block_size=block)
    if "\r" not in "".join(c for c, _, _ in cells) and "13-13" not in text:
        assert ran


@pytest.mark.parametrize("block", range(40, 72))
def test_crlf_in_a_quoted_cell_at_every_block_boundary(block: int, tmp_path: Path) -> None:
    """pyarrow 26 loses the \\n of a quoted \\r\\n split by a block end: never in our output.

    Each block size moves the boundary across the cell; the columnar engine either gives
    the row engine's bytes or declines (a lone \\r it cannot trust).
    """
    text = (
        "number,caller_id,impact,urgency,priority\r\n"
        'INC1,"one\r\ntwo\r\nthree, four",1 - High,1 - High,1 - High\r\n'
        "INC2,b,2 - Medium,2 - Medium,3 - Moderate\r\n"
    )
    path = tmp_path / "crlf.csv"
    path.write_text(text, encoding="utf-8", newline="")
    _same(path, tmp_path, block_size=block)


# -- the quote-free engine (faultkit.batch.plain): line-aligned blocks on worker threads.
# Forced onto tiny blocks (a few rows, or less than a row, per block) and several
# workers, so that the order of rows, the rejected rows' line numbers and the summary
# are checked across many block boundaries against the row engine, byte for byte.


def _plain(path: Path, folder: Path, block: int, workers: int, sla: bool) -> tuple[Any, ...]:
    out, rej = folder / "plain.csv", folder / "plain.rejects.csv"
    rejects = RejectsFile(str(rej))
    with out.open("w", encoding="utf-8", newline="") as sink, rejects:
        summary = score_csv_batches(
            str(path), sink, rejects, _scorer(sla=sla), block_size=block, workers=workers
        )
    return out.read_bytes(), rej.read_bytes() if rej.exists() else b"", summary


class _Spy:
    """Counts the runs of the quote-free engine (so a test knows which path ran)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.runs = 0
        real = stream.score_plain_file

        def spy(*args: Any, **kwargs: Any) -> Any:
            self.runs += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(stream, "score_plain_file", spy)


_CELL = st.text(alphabet=st.sampled_from(list("ab é中")), max_size=5)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(
        st.tuples(
            _CELL,
            st.sampled_from([*_LEVELS[:6], "9 - Bad", "x"]),
            st.sampled_from(_LEVELS[:6]),
            st.sampled_from([d for d in _DATES if d != "13-13-2016 10:00"]),
            st.sampled_from(_DATES[:3]),
        ),
        max_size=40,
    ),
    end=st.sampled_from(["\r\n", "\n", "\r"]),
    last_end=st.booleans(),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    block=st.sampled_from([1, 7, 64, 200, 1 << 20]),
    workers=st.integers(1, 3),
    sla=st.booleans(),
)
def test_tiny_blocks_same_bytes_rejects_and_lines(
    rows: list[tuple[str, str, str, str, str]],
    end: str,
    last_end: bool,
    delimiter: str,
    block: int,
    workers: int,
    sla: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Random quote-free exports with bad rows, every line end and delimiter, blocks down
    to one byte: the row engine's output bytes, rejects (lines too) and counts."""
    lines = [["number", "caller_id", "impact", "urgency", "opened_at", "resolved_at"]]
    lines += [[f"INC{k}", *cells] for k, cells in enumerate(rows)]
    text = end.join(delimiter.join(cells) for cells in lines) + (end if last_end else "")
    path = tmp_path / "quote_free.csv"
    path.write_text(text, encoding="utf-8", newline="")
    spy = _Spy(monkeypatch)
    row = _row(path, tmp_path, _scorer(sla=sla))
    plain = _plain(path, tmp_path, block, workers, sla)
    assert spy.runs == 1
    assert plain == row


def test_rejected_rows_keep_their_lines_across_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every third row refused, 64-byte blocks: the rejects file lists lines 2, 5, 8, ..."""
    lines = ["number,impact,urgency,opened_at"]
    lines += [
        f"INC{k},{'9 - Bad' if k % 3 == 0 else '1 - High'},2 - Medium,01-03-2016 10:00"
        for k in range(300)
    ]
    path = tmp_path / "many.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")
    spy = _Spy(monkeypatch)
    plain = _plain(path, tmp_path, 64, 3, True)
    assert spy.runs == 1
    assert plain == _row(path, tmp_path, _scorer())
    rejected = plain[1].decode().splitlines()[1:]
    assert [int(r.split(",", 1)[0]) for r in rejected] == list(range(2, 302, 3))
    scored = plain[0].decode().splitlines()[1:]
    assert [r.split(",", 1)[0] for r in scored] == [f"INC{k}" for k in range(300) if k % 3]


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b"INC1,1 - High,1 - High,x\r\n\r\nINC2,1 - High,1 - High,y\r\n", "blank line"),
        (b"INC1,1 - High,1 - High,\xff\xfe\r\n", "not UTF-8"),
        (b"INC1,1 - High,1 - High\r\n", "ragged"),
        (b"INC1,1 - High,1 - High,x,extra\r\n", "ragged"),
    ],
)
def test_what_the_row_engine_must_read_is_declined(
    body: bytes, why: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A blank line, bytes that are not UTF-8 (in a column the scorer does not read) or a
    ragged row, in any block: declined before anything is committed."""
    path = tmp_path / "bad.csv"
    good = b"INC0,2 - Medium,2 - Medium,fine\r\n" * 1000  # past the header reader's chunk
    path.write_bytes(b"number,impact,urgency,notes\r\n" + good + body + good)
    spy = _Spy(monkeypatch)
    with pytest.raises(ArrowFallback):
        _plain(path, tmp_path, 4096, 2, False)
    assert spy.runs == 1, why


@given(
    data=st.binary(max_size=300).map(lambda b: b.replace(b'"', b"")),
    block=st.integers(1, 40),
)
def test_line_blocks_cut_only_after_line_ends(data: bytes, block: int) -> None:
    blocks = list(line_blocks(io.BytesIO(data), block))
    assert b"".join(blocks) == data
    for piece, after in itertools.pairwise(blocks):
        assert piece.endswith((b"\n", b"\r"))
        assert not (piece.endswith(b"\r") and after.startswith(b"\n"))  # \r\n never split


@given(
    data=st.binary(max_size=300).map(lambda b: b.replace(b'"', b""))
    | st.lists(st.sampled_from([b"x", b"yy,z", b"\n", b"\r\n", b"\r"]), max_size=150).map(b"".join),
    start=st.integers(0, 20),
    size=st.integers(1, 40),
    probe=st.integers(1, 50),
)
def test_file_blocks_are_line_ranges_read_from_a_file(
    data: bytes, start: int, size: int, probe: int
) -> None:
    """Read without copies, the same pieces as :func:`line_ranges` cuts from the buffer."""
    start = min(start, len(data))
    source = io.BytesIO(data)
    source.seek(start)
    blocks = list(file_blocks(source, size, probe=probe))
    assert blocks == [data[a:b] for a, b in line_ranges(data, start, size)]
    unseekable = io.BufferedReader(_Unseekable(data[start:]))  # a pipe: line_blocks' pieces
    assert b"".join(file_blocks(unseekable, size, probe=probe)) == data[start:]


class _Unseekable(io.RawIOBase):
    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


@given(data=st.text(alphabet=st.sampled_from(list("ab,\r\n")), max_size=60))
def test_line_bounds_are_csv_readers_lines(data: str) -> None:
    """The lines are those of a file opened with ``newline=""`` (``\\r\\n``, ``\\r``, ``\\n``)."""
    raw = data.encode()
    starts, ends = line_bounds(raw)
    got = [raw[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]
    expected = re.split(rb"\r\n|\r|\n", raw)
    if expected and expected[-1] == b"":
        expected.pop()  # the line end of the last line ends it
    assert got == expected
    assert all(s <= e for s, e in zip(starts.tolist(), ends.tolist(), strict=True))


@given(
    data=st.binary(max_size=300).map(lambda b: b.replace(b'"', b"")),
    start=st.integers(0, 20),
    size=st.integers(1, 40),
)
def test_line_ranges_cut_as_line_blocks_do(data: bytes, start: int, size: int) -> None:
    """Over a buffer, the same pieces as :func:`line_blocks` reading it as a stream."""
    start = min(start, len(data))
    ranges = list(line_ranges(data, start, size))
    assert [data[a:b] for a, b in ranges] == list(line_blocks(io.BytesIO(data[start:]), size))
    assert all(a < b for a, b in ranges)
    assert [a for a, _ in ranges[1:]] == [b for _, b in ranges[:-1]]
    if ranges:
        assert ranges[0][0] == start
        assert ranges[-1][1] == len(data)
