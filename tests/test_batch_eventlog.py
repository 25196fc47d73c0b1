"""``faultkit check-log``'s columnar engine gives the row engine's report, to the byte.

Each test runs the command with ``--engine row`` and ``--engine arrow`` and compares
the JSON (counts, every violation with its line, the rejects) and the exit status; the
tests also check the columnar engine does *not* decline the ordinary logs (the real
export, random well-formed logs), or the speed would be a lie.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("pyarrow")

from conftest import SERVICENOW_EXPORT
from faultkit.adapters.exports import DateOrder, DateReader, get_preset
from faultkit.batch.eventlog import check_event_log_batches
from faultkit.batch.fallback import ArrowFallback
from faultkit.batch.logread import WHITESPACE, missing_regex
from faultkit.cli import main
from faultkit.lifecycle.workflows import ITIL

_FLAGS = [[], ["--check-start"], ["--check-order"], ["--check-start", "--check-order"]]


def _both(path: Path, *flags: str) -> tuple[dict[str, object], dict[str, object]]:
    """The JSON of ``check-log`` by each engine (rejects file names aside)."""
    runner = CliRunner()
    results = []
    for engine in ("row", "arrow"):
        args = ["check-log", str(path), "--preset", "servicenow", "--dayfirst", "--json"]
        args += ["--engine", engine, "--rejects", str(path.parent / f"{engine}.rejects.csv")]
        result = runner.invoke(main, [*args, *flags])
        assert result.exit_code in (0, 1, 2), result.output
        body = json.loads(result.output) if result.exit_code != 2 else {"usage": result.output}
        body.pop("rejects", None)
        body["exit"] = result.exit_code
        results.append(body)
    return results[0], results[1]


def _declined(path: Path, **flags: bool) -> bool:
    try:
        check_event_log_batches(
            str(path),
            get_preset("servicenow"),
            ITIL,
            dates=DateReader(order=DateOrder.DAY_FIRST),
            block_size=2048,
            **flags,
        )
    except ArrowFallback:
        return True
    return False


@pytest.mark.skipif(not SERVICENOW_EXPORT.exists(), reason="the shared export is not here")
@pytest.mark.parametrize("flags", _FLAGS)
def test_real_export_same_report(flags: list[str], tmp_path: Path) -> None:
    """The real ServiceNow event log (5,998 rows): same report, by the columnar engine."""
    path = tmp_path / "log.csv"
    path.write_bytes(SERVICENOW_EXPORT.read_bytes())
    row, arrow = _both(path, *flags)
    assert row == arrow
    assert row["events"] == 5998
    assert not _declined(path, check_start="--check-start" in flags)


@pytest.mark.skipif(not SERVICENOW_EXPORT.exists(), reason="the shared export is not here")
@pytest.mark.parametrize("zone", ["Europe/Paris", "Asia/Kolkata", "Etc/GMT+5"])
def test_order_check_in_a_zone(zone: str, tmp_path: Path) -> None:
    """``--check-order --tz``: a named zone's times are placed by the reader (numpy
    places UTC's, and a fixed offset's, tested above); the row engine's report."""
    path = tmp_path / "log.csv"
    lines = SERVICENOW_EXPORT.read_text(encoding="utf-8").splitlines()
    lines[30] = lines[30].replace("-2016 ", "-2015 ", 1)  # an update back in time
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    row, arrow = _both(path, "--check-order", "--tz", zone)
    assert row == arrow
    assert "time_reversed" in {v["kind"] for v in row["violations"]}  # type: ignore[attr-defined]


def test_real_export_with_illegal_transitions_and_quotes(tmp_path: Path) -> None:
    """Illegal moves, an unknown label and quoted line breaks in other columns."""
    if not SERVICENOW_EXPORT.exists():
        pytest.skip("the shared export is not here")
    lines = SERVICENOW_EXPORT.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace(",Resolved,", ",New,", 1)
    lines[40] = lines[40].replace(",Active,", ",Limbo,", 1)
    lines[70] = lines[70].replace("Caller", '"Call\r\ner, ""x"""', 1)
    path = tmp_path / "log.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")
    for flags in _FLAGS:
        row, arrow = _both(path, *flags)
        assert row == arrow
    assert row["illegal_transitions"] or row["violations"]
    assert not _declined(path)


_LABELS = ["New", "Active", "Resolved", "Closed", "Awaiting User Info", "Cancelled", "Limbo", "?"]
_TIMES = ["01-03-2016 10:00", "01-03-2016 09:00", "02-03-2016 10:00", "31-02-2016 10:00", "", "x"]


@st.composite
def _logs(draw: st.DrawFn) -> str:
    rows = draw(st.integers(0, 40))
    header = ["number", "incident_state", "caller_id", "sys_updated_at"]
    sorted_ids = draw(st.booleans())
    ids = [f"INC{draw(st.integers(0, 6))}" for _ in range(rows)]
    if sorted_ids:
        ids.sort()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for incident in ids:
        writer.writerow(
            [
                incident,
                draw(st.sampled_from(_LABELS)),
                draw(st.text(st.sampled_from(list('ab ,"\r\n')), max_size=4)),
                draw(st.sampled_from(_TIMES)),
            ]
        )
    return buffer.getvalue()


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=_logs(), flags=st.sampled_from(_FLAGS))
def test_random_logs_same_report(text: str, flags: list[str], tmp_path: Path) -> None:
    """Random logs: interleaved or sorted, unknown labels, bad and missing times, quotes."""
    path = tmp_path / "random.csv"
    path.write_text(text, encoding="utf-8", newline="")
    row, arrow = _both(path, *flags)
    assert row == arrow
    if row.get("rows_rejected") == 0:
        assert not _declined(path, check_start="--check-start" in flags)


def test_whitespace_class_is_what_str_strip_removes() -> None:
    """Every code point: the RE2 class matches it exactly when ``str.isspace`` says so."""
    import pyarrow as pa
    import pyarrow.compute as pc

    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    matched = pc.match_substring_regex(pa.array(chars), f"^[{WHITESPACE}]$").to_pylist()
    assert [c for c, m in zip(chars, matched, strict=True) if m] == [
        c for c in chars if c.isspace()
    ]


_PIECES = st.sampled_from([" ", "\t", "\u3000", "\x1c", "\n", "?", "n/a", "N", "x", "é", ".", "*"])


@given(
    cells=st.lists(st.lists(_PIECES, max_size=5).map("".join), max_size=20),
    missing=st.frozensets(st.lists(_PIECES, max_size=3).map("".join), max_size=4),
)
def test_missing_regex_is_strip_in_missing(cells: list[str], missing: frozenset[str]) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    pattern = missing_regex(missing)
    expected = [cell.strip() in missing for cell in cells]
    if pattern is None:
        assert not any(expected)
        return
    assert pc.match_substring_regex(pa.array(cells, pa.string()), pattern).to_pylist() == expected


def test_crlf_in_a_quoted_label_at_every_block_boundary() -> None:
    """A quoted ``\\r\\n`` in a state label split by a block end: the row engine's label.

    pyarrow 26 may read ``"Act\\r\\nive"`` as ``"Act\\rive"`` when a block ends between
    ``\\r`` and ``\\n`` (:func:`faultkit.batch.scan.lone_cr`); the engine must decline.
    """
    import tempfile

    from faultkit.adapters.exports import ExportFormat, RejectsFile, read_event_log
    from faultkit.lifecycle.eventlog import validate_event_log

    checked = 0
    for pad in range(12):
        text = (
            "number,incident_state,sys_updated_at\n"
            f"INC0,New,01-03-2016 0{pad % 10}:00\n"
            + "INC1,New,01-03-2016 10:00\n" * pad
            + 'INC1,"Act\r\nive",01-03-2016 11:00\n'
        )
        with tempfile.TemporaryDirectory() as name:
            path = Path(name) / "crlf.csv"
            path.write_text(text, encoding="utf-8", newline="")
            with path.open(encoding="utf-8", newline="") as source:
                log = read_event_log(
                    source,
                    ExportFormat.CSV,
                    get_preset("servicenow"),
                    RejectsFile(str(Path(name) / "r.csv")),
                    dates=DateReader(order=DateOrder.DAY_FIRST),
                )
            expected = validate_event_log(log.events, ITIL)
            assert expected.violations[-1].label == "Act\r\nive"
            for block in range(8, 40):
                try:
                    got = check_event_log_batches(
                        str(path),
                        get_preset("servicenow"),
                        ITIL,
                        dates=DateReader(order=DateOrder.DAY_FIRST),
                        block_size=block,
                    )
                except ArrowFallback:
                    continue
                assert got.report == expected
                checked += 1
    assert checked  # some block sizes do not split the \r\n: those are checked


def test_engine_arrow_refuses_standard_input_naming_what_it_reads() -> None:
    result = CliRunner().invoke(
        main, ["check-log", "-", "--engine", "arrow", "--preset", "servicenow"], input="a,b\n"
    )
    assert result.exit_code == 2
    assert "--engine arrow reads a CSV file (not standard input" in result.output


_MANY_LABELS = [
    "New",
    "Active",
    "Resolved",
    "Closed",
    "On Hold",
    "Canceled",
    "Limbo",
    "Awaiting User Info",
]


@st.composite
def _sorted_logs(draw: st.DrawFn) -> list[tuple[str, str, str, str]]:
    """Sorted logs full of violations: illegal moves, unknown labels, times backwards."""
    incidents = draw(st.integers(0, 12))
    rows: list[tuple[str, str, str, str]] = []
    for number in range(incidents):
        for _ in range(draw(st.integers(1, 9))):
            day, hour = draw(st.integers(1, 28)), draw(st.integers(0, 23))
            label = draw(st.sampled_from(_MANY_LABELS))
            rows.append((f"INC{number:03d}", label, f"{day:02d}-03-2016 {hour:02d}:00", "Caller"))
    if rows and draw(st.booleans()):  # a quoted cell, maybe segments into the file
        at = draw(st.integers(0, len(rows) - 1))
        rows[at] = (*rows[at][:3], 'Caller "1", with\r\na line break')
    return rows


def _expected_and_got(
    rows: list[tuple[str, str, str, str]], folder: Path, *, segment: int, **flags: bool
) -> tuple[object, object, list[int], list[int]]:
    """The row engine's report and lines, and the columnar engine's, for ``rows``."""
    from faultkit.adapters.exports import ExportFormat, RejectsFile, read_event_log
    from faultkit.lifecycle.eventlog import validate_event_log

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["number", "caller_id", "incident_state", "sys_updated_at"])
    for incident, label, at, caller in rows:
        writer.writerow([incident, caller, label, at])
    path = folder / "sorted.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    dates = DateReader(order=DateOrder.DAY_FIRST)
    with path.open(encoding="utf-8", newline="") as source:
        log = read_event_log(
            source,
            ExportFormat.CSV,
            get_preset("servicenow"),
            RejectsFile(str(folder / "r.csv")),
            dates=dates,
        )
    expected = validate_event_log(log.events, ITIL, **flags)
    got = check_event_log_batches(
        str(path),
        get_preset("servicenow"),
        ITIL,
        dates=DateReader(order=DateOrder.DAY_FIRST),
        segment_size=segment,
        **flags,
    )
    expected_lines = [log.lines[v.row] for v in expected.violations]
    return expected, got.report, expected_lines, [got.lines[v.row] for v in got.report.violations]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=_sorted_logs(),
    segment=st.integers(1, 300),
    check_start=st.booleans(),
    check_order=st.booleans(),
)
def test_sorted_logs_with_many_violations_across_segments(
    rows: list[tuple[str, str, str, str]],
    segment: int,
    check_start: bool,
    check_order: bool,
    tmp_path: Path,
) -> None:
    """Every violation, its step, states, labels, times and line: the row engine's.

    Segments as small as one row put incidents, and the previous known row of a
    violation, across segment ends (the state the numpy check carries over).
    """
    expected, got, expected_lines, got_lines = _expected_and_got(
        rows, tmp_path, segment=segment, check_start=check_start, check_order=check_order
    )
    assert got == expected
    assert got_lines == expected_lines


def test_one_row_in_997_made_closed_like_the_benchmark(tmp_path: Path) -> None:
    """The benchmark's dirty log, small: many illegal moves, all found by numpy."""
    rows = []
    labels = ["New", "Active", "Active", "Awaiting User Info", "Active", "Resolved", "Closed"]
    for number in range(300):
        for k, label in enumerate(labels):
            rows.append((f"INC{number:04d}", label, f"{1 + k:02d}-03-2016 10:00", "Caller"))
    rows = [
        (i, "Closed" if k % 97 == 96 else label, at, caller)
        for k, (i, label, at, caller) in enumerate(rows)
    ]
    expected, got, expected_lines, got_lines = _expected_and_got(rows, tmp_path, segment=4096)
    assert got == expected
    assert got_lines == expected_lines
    assert len(expected.violations) > 10  # type: ignore[attr-defined]


_DATE_PIECES = st.sampled_from([*"0123456789-/.: T", "2016", "29", "02", "31", "13", "24"])


@given(
    text=st.one_of(
        st.lists(_DATE_PIECES, max_size=12).map("".join),
        st.datetimes().map(lambda d: d.strftime("%d-%m-%Y %H:%M")),
        st.datetimes().map(lambda d: d.isoformat(sep=" ", timespec="seconds")),
        st.tuples(
            st.integers(0, 39), st.integers(0, 19), st.integers(0, 9999), st.integers(0, 29)
        ).map(lambda t: f"{t[0]:02d}/{t[1]:02d}/{t[2]:04d} {t[3]:02d}:59:59"),
    ),
    order=st.sampled_from(list(DateOrder)),
)
def test_surely_dates_are_read_by_the_reader(text: str, order: DateOrder) -> None:
    """``surely_dates`` vouches only for texts the reader reads, without a contradiction."""
    import pyarrow as pa

    from faultkit.batch.fixed_dates import surely_dates
    from faultkit.errors import InvalidInputError

    sure = bool(surely_dates(pa.array([text, "x"], pa.string()).slice(0, 1), order)[0])
    reader = DateReader(order=order)
    try:
        reader(text, "at")
    except InvalidInputError:
        assert not sure
        return
    assert reader.contradictions == 0


@given(
    text=st.one_of(
        st.lists(_DATE_PIECES, max_size=12).map("".join),
        st.datetimes().map(lambda d: d.strftime("%d-%m-%Y %H:%M")),
        st.datetimes().map(lambda d: d.strftime("%m.%d.%Y %H:%M:%S")),
        st.datetimes().map(lambda d: d.isoformat(sep="T", timespec="seconds")),
        st.datetimes().map(lambda d: d.isoformat(sep=" ", timespec="minutes")),
    ),
    order=st.sampled_from(list(DateOrder)),
    minutes=st.integers(-23 * 60 - 59, 23 * 60 + 59),
)
def test_epoch_micros_are_the_readers_instants(text: str, order: DateOrder, minutes: int) -> None:
    """Each sure text's microseconds since the epoch: the reader's, in a fixed-offset zone."""
    import pyarrow as pa

    from faultkit.batch.fixed_dates import epoch_micros, surely_dates

    zone = timezone(timedelta(minutes=minutes))
    texts = pa.array(["x", text], pa.string()).slice(1)
    sure, micros = epoch_micros(texts, order, timedelta(minutes=minutes))
    assert sure.tolist() == surely_dates(texts, order).tolist()
    if sure[0]:
        read = DateReader(order=order, tz=zone)(text, "at")
        epoch = datetime(1970, 1, 1, tzinfo=UTC)
        assert int(micros[0]) == (read - epoch) // timedelta(microseconds=1)
    else:
        assert int(micros[0]) == 0


@given(moment=st.datetimes(min_value=datetime(1000, 1, 1)), seconds=st.booleans())
def test_surely_dates_vouch_for_the_usual_shapes(moment: datetime, seconds: bool) -> None:
    """Every existing date of the two fixed-width shapes is vouched for (else: no speed)."""
    import pyarrow as pa

    from faultkit.batch.fixed_dates import surely_dates

    clock = "%H:%M:%S" if seconds else "%H:%M"
    texts = [moment.strftime(f"%d-%m-%Y {clock}"), moment.strftime(f"%Y-%m-%dT{clock}")]
    assert surely_dates(pa.array(texts), DateOrder.DAY_FIRST).tolist() == [True, True]
    assert surely_dates(pa.array(texts), DateOrder.ISO).tolist() == [False, True]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.integers(120, 160),
    bad_row=st.integers(0, 159),
    bad=st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xc0\x80"]),
    line_end=st.sampled_from([b"\n", b"\r\n", b"\r"]),
    segment=st.integers(1, 400),
)
def test_text_not_utf8_in_a_column_not_read_is_the_row_engines(
    rows: int, bad_row: int, bad: bytes, line_end: bytes, segment: int, tmp_path: Path
) -> None:
    """The columnar engine reads three columns, but the row engine decodes every byte.

    Bytes that are not UTF-8 in ``caller_id``, anywhere (any segment; CR line ends go
    to the streaming reader): the columnar engine declines, and the command answers
    as the row engine does (a usage error naming the encoding). Rows of 80 bytes put
    most of the bad bytes past the 8 KiB the header's reader decodes.
    """
    lines = [b"number,caller_id,incident_state,sys_updated_at"]
    for k in range(rows):
        caller = b"Caller " + (bad if k == bad_row % rows else b"") + b"x" * 40
        lines.append(b"INC%03d,%s,Active,01-03-2016 10:00" % (k // 3, caller))
    path = tmp_path / "log.csv"
    path.write_bytes(line_end.join(lines) + line_end)
    with pytest.raises(ArrowFallback):
        check_event_log_batches(
            str(path),
            get_preset("servicenow"),
            ITIL,
            dates=DateReader(order=DateOrder.DAY_FIRST),
            segment_size=segment,
        )
    row, arrow = _both(path)
    assert row == arrow
    assert row["exit"] == 2


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=_sorted_logs(),
    line_end=st.sampled_from(["\n", "\r\n", "\r"]),
    bom=st.booleans(),
    empty_callers=st.booleans(),
    long_at=st.none() | st.integers(0, 200),
    segment=st.integers(1, 2000),
    check_order=st.booleans(),
)
def test_hostile_files_cut_into_shrinking_segments(
    rows: list[tuple[str, str, str, str]],
    line_end: str,
    bom: bool,
    empty_callers: bool,
    long_at: int | None,
    segment: int,
    check_order: bool,
    tmp_path: Path,
) -> None:
    """A BOM, CR or LF line ends, empty cells and a line past a 64 KiB window (the
    careful reader), in segments that shrink towards the end: the row engine's report.
    """
    from faultkit.adapters.exports import ExportFormat, RejectsFile, read_event_log
    from faultkit.lifecycle.eventlog import validate_event_log

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=line_end)
    writer.writerow(["number", "caller_id", "incident_state", "sys_updated_at"])
    for k, (incident, label, at, caller) in enumerate(rows):
        if long_at is not None and k == long_at % max(len(rows), 1):
            caller = "c" * 70_000
        writer.writerow([incident, "" if empty_callers else caller, label, at])
    path = tmp_path / "hostile.csv"
    path.write_text(("\ufeff" if bom else "") + buffer.getvalue(), encoding="utf-8", newline="")
    with path.open(encoding="utf-8-sig", newline="") as source:
        log = read_event_log(
            source,
            ExportFormat.CSV,
            get_preset("servicenow"),
            RejectsFile(str(tmp_path / "r.csv")),
            dates=DateReader(order=DateOrder.DAY_FIRST),
        )
    assert log.rows_rejected == 0
    expected = validate_event_log(log.events, ITIL, check_order=check_order)
    got = check_event_log_batches(
        str(path),
        get_preset("servicenow"),
        ITIL,
        dates=DateReader(order=DateOrder.DAY_FIRST),
        segment_size=segment,
        check_order=check_order,
    )
    assert got.report == expected
    assert [got.lines[v.row] for v in expected.violations] == [
        log.lines[v.row] for v in expected.violations
    ]
