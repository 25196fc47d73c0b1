"""Readers that read what they are given, and summaries a person can read.

Dates: a year-first date is year-month-day in every order (``--dayfirst`` never reads
``2020-13-05`` as 13 May); dates impossible in the order named but possible in the
other are counted, shown with an example, and ``--strict-dates`` makes them an error
that writes nothing. Oversized level numbers (4,300+ digits, past Python's int limit)
and JSON nested 1,000 deep are rejected rows, and the counts still add up.
``check-log`` shows the first 20 violations at their real lines in the file.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from dateutil import parser as dateutil_parser
from hypothesis import given, settings
from hypothesis import strategies as st

from cli_kit import invoke
from faultkit.adapters.exports import DateOrder, DateReader
from faultkit.adapters.exports.dates import DATE_LENGTH
from faultkit.errors import InvalidInputError
from faultkit.scoring import coded_level

HEADER = "number,incident_state,opened_at,resolved_at,impact,urgency,priority,sys_updated_at"
SN = ["--preset", "servicenow"]


def rejects_of(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# ---------------------------------------------------------------- dates


@settings(max_examples=200)
@given(
    year=st.integers(1000, 9999),
    month=st.integers(1, 99),
    day=st.integers(1, 31),
    sep=st.sampled_from("-/."),
    order=st.sampled_from(list(DateOrder)),
    time=st.sampled_from(["", " 1:05", " 10:05:07"]),
)
def test_year_first_is_year_month_day_in_every_order(
    year: int, month: int, day: int, sep: str, order: DateOrder, time: str
) -> None:
    text = f"{year}{sep}{month}{sep}{day}{time}"
    read = DateReader(order=order)
    try:
        expected = datetime(year, month, day)
    except ValueError:
        with pytest.raises(InvalidInputError):
            read(text, "opened_at")
        return
    try:
        got = read(text, "opened_at")
    except InvalidInputError:
        return  # a shape no reader takes (a one-digit hour with '.'): refused, never misread
    assert got.date() == expected.date()
    assert read.contradictions == 0


@pytest.mark.parametrize("cell", ["1" * 60_000, "01-" * 20_000, "1" * (DATE_LENGTH + 1)])
def test_date_cells_longer_than_any_date_are_refused_unread(cell: str) -> None:
    # unchecked, the first reads as 1111-11-11 11:11:11.111111 and the second costs 0.2 s
    with pytest.raises(InvalidInputError, match="more than any date"):
        DateReader(order=DateOrder.DAY_FIRST)(cell, "opened_at")


def test_iso_month_13_is_refused_with_dayfirst() -> None:
    read = DateReader(order=DateOrder.DAY_FIRST)
    # dateutil alone reads it as 13 May: the reason faultkit checks first
    assert dateutil_parser.parse("2020-13-05", dayfirst=True).month == 5
    with pytest.raises(InvalidInputError, match="month 13"):
        read("2020-13-05", "opened_at")


@settings(max_examples=100)
@given(
    stamps=st.lists(st.datetimes(datetime(1900, 1, 1), datetime(2100, 1, 1)), max_size=30),
    wrong=st.sampled_from([DateOrder.DAY_FIRST, DateOrder.MONTH_FIRST]),
)
def test_contradictions_are_counted_exactly(stamps: list[datetime], wrong: DateOrder) -> None:
    """Dates written in one order and read in the other: every impossible one is counted."""
    written_format = "%m-%d-%Y %H:%M" if wrong is DateOrder.DAY_FIRST else "%d-%m-%Y %H:%M"
    read = DateReader(order=wrong)
    expected = 0
    first_bad = None
    for stamp in stamps:
        text = stamp.strftime(written_format)
        try:
            datetime(stamp.year, stamp.day, stamp.month)  # the text read the wrong way
        except ValueError:
            expected += 1
            first_bad = first_bad or text
            with pytest.raises(InvalidInputError, match="may use that order"):
                read(text, "opened_at")
        else:
            read(text, "opened_at")
    assert read.contradictions == expected
    assert read.contradiction_example == first_bad


@pytest.fixture
def day_first_export(tmp_path: Path) -> Path:
    rows = [HEADER]
    for i, day in enumerate([1, 2, 13, 3, 25, 4], start=1):
        rows.append(
            f"INC{i},New,{day:02d}-03-2016 10:00,,1 - High,1 - High,1 - Critical,"
            f"{day:02d}-03-2016 10:00"
        )
    path = tmp_path / "dayfirst.csv"
    path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    (tmp_path / "out.csv").write_text("old output\n")
    return path


def test_monthfirst_on_day_first_data_is_said(day_first_export: Path) -> None:
    folder = day_first_export.parent
    result = invoke("score", "dayfirst.csv", "-o", "out.csv", *SN, "--monthfirst", cwd=folder)
    assert result.exit_code == 1
    assert "warning: 2 dates are impossible monthfirst" in result.output
    assert "'13-03-2016 10:00'" in result.output
    assert "--dayfirst" in result.output
    summary = json.loads(
        invoke(
            "score", "dayfirst.csv", "-o", "out.csv", *SN, "--monthfirst", "--json", cwd=folder
        ).output
    )
    assert summary["date_order_contradictions"] == 2
    for command in ("check-log", "report"):
        result = invoke(command, "dayfirst.csv", *SN, "--monthfirst", "--json", cwd=folder)
        assert json.loads(result.output)["date_order_contradictions"] == 2


@pytest.mark.parametrize("command", ["score", "check-log", "report"])
def test_strict_dates_is_exit_2_and_writes_nothing(day_first_export: Path, command: str) -> None:
    folder = day_first_export.parent
    (folder / "r.csv").write_text("old rejects\n")
    args = [command, "dayfirst.csv", *SN, "--monthfirst", "--strict-dates", "--rejects", "r.csv"]
    if command == "score":
        args += ["-o", "out.csv"]
    result = invoke(*args, cwd=folder)
    assert result.exit_code == 2
    assert "--strict-dates: 2 dates" in result.output
    assert (folder / "out.csv").read_text() == "old output\n"
    assert (folder / "r.csv").read_text() == "old rejects\n"
    right = invoke(
        command, "dayfirst.csv", *SN, "--dayfirst", "--strict-dates", "--rejects", "r.csv",
        *(["-o", "out.csv"] if command == "score" else []),
        cwd=folder,
    )  # fmt: skip
    assert right.exit_code == 0, right.output


# ---------------------------------------------------------------- oversized and deep


def test_coded_level_refuses_oversized_numbers() -> None:
    assert coded_level("0" * 17 + "2") == 2
    with pytest.raises(InvalidInputError, match="4301 digits"):
        coded_level("1" * 4301, field="impact")


def test_huge_level_cell_is_a_rejected_row_in_score_and_report(tmp_path: Path) -> None:
    huge = "1" * 4301
    rows = [
        HEADER,
        "INC1,New,01-03-2016 10:00,,1 - High,1 - High,1 - Critical,01-03-2016 10:00",
        f"INC2,New,01-03-2016 10:00,,{huge},1 - High,{huge},01-03-2016 11:00",
        "INC3,New,01-03-2016 10:00,,1 - High,1 - High,1 - Critical,01-03-2016 12:00",
    ]
    (tmp_path / "huge.csv").write_text("\n".join(rows) + "\n")
    result = invoke("score", "huge.csv", *SN, "--dayfirst", "--json", cwd=tmp_path)
    summary = json.loads(result.output)
    assert (summary["rows_read"], summary["rows_written"], summary["rows_rejected"]) == (3, 2, 1)
    (reject,) = rejects_of(tmp_path / "huge.scored.rejects.csv")
    assert reject["line"] == "3"
    assert "4301 digits" in reject["reason"]
    result = invoke("report", "huge.csv", *SN, "--dayfirst", "--json", cwd=tmp_path)
    summary = json.loads(result.output)
    assert (summary["rows_read"], summary["rows_rejected"]) == (3, 1)


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("command", ["score", "check-log", "report"])
def test_json_nested_1000_deep_is_a_rejected_row(tmp_path: Path, command: str) -> None:
    good = {
        "id": "F1",
        "state": "new",
        "updated_at": "2016-03-01T10:00:00",
        "opened_at": "2016-03-01T10:00:00",
        "impact": "1",
        "urgency": "1",
    }
    deep = '{"id": "F2", "impact": ' + _nested(1000) + "}"
    lines = [json.dumps(good), deep, _nested(1000), json.dumps({**good, "id": "F3"})]
    (tmp_path / "deep.jsonl").write_text("\n".join(lines) + "\n")
    result = invoke(command, "deep.jsonl", "--json", "--rejects", "r.csv", cwd=tmp_path)
    assert result.exit_code == 1, result.output
    summary = json.loads(result.output)
    assert summary["rows_read"] == 4
    assert summary["rows_rejected"] == 2
    rejected = rejects_of(tmp_path / "r.csv")
    assert [r["line"] for r in rejected] == ["2", "3"]
    assert all("nested too deeply" in r["reason"] for r in rejected)


# ---------------------------------------------------------------- check-log output


def _log_with_violations(path: Path, incidents: int) -> list[int]:
    """Each incident goes New -> Closed -> New (both steps illegal in ITIL: new cannot
    close, closed is final); a quoted multi-line cell shifts file lines away from row
    numbers. Returns the file line of each illegal row."""
    lines = [HEADER]
    bad_lines = []
    line = 1
    for i in range(incidents):
        note = '"two\nlines"' if i % 3 == 0 else "plain"
        for state, minute in (("New", 0), ("Closed", 1), ("New", 2)):
            stamp = f"01-03-2016 10:{minute:02d}"
            line += 1
            lines.append(f"INC{i:03d},{state},{stamp},,{note},1 - High,1 - High,{stamp}")
            if minute:
                bad_lines.append(line)
            line += note.count("\n")
    path.write_text("\n".join(lines) + "\n")
    return bad_lines


def test_check_log_shows_20_at_real_lines_then_all(tmp_path: Path) -> None:
    bad_lines = _log_with_violations(tmp_path / "log.csv", 30)
    args = ["check-log", "log.csv", *SN, "--dayfirst", "--map", "impact=resolved_at"]
    result = invoke(*args, cwd=tmp_path)
    assert result.exit_code == 1, result.output
    shown = [line for line in result.output.splitlines() if line.startswith("  line ")]
    assert len(shown) == 20
    assert [int(line.split()[1].rstrip(":")) for line in shown] == bad_lines[:20]
    assert "... 40 more violations" in result.output
    assert "None" not in result.output
    assert "of the incident" not in result.output
    every = invoke(*args, "--all", cwd=tmp_path).output
    assert len([line for line in every.splitlines() if line.startswith("  line ")]) == 60
    summary = json.loads(invoke(*args, "--json", cwd=tmp_path).output)
    assert [v["line"] for v in summary["violations"]] == bad_lines


def test_check_log_top_reject_reasons(tmp_path: Path) -> None:
    rows = [HEADER] + [f"INC{i},New,,,1,1,1,not a date {i}" for i in range(7)]
    rows += ["INC9,,,,1,1,1,01-03-2016 10:00"]
    (tmp_path / "bad.csv").write_text("\n".join(rows) + "\n")
    result = invoke("check-log", "bad.csv", *SN, "--dayfirst", cwd=tmp_path)
    assert result.exit_code == 1
    assert "top reasons of the 8 rejected rows:" in result.output
    assert "    7 rows: sys_updated_at: " in result.output
    assert "    1 rows: incident_state: state is missing" in result.output


def _one_reject(tmp_path: Path, command: str, engine: str) -> tuple[Any, dict[str, str]]:
    """``command`` on ``in.csv`` (the ServiceNow preset, --json); it rejects exactly one row."""
    args = [command, "in.csv", *SN, "--dayfirst", "--engine", engine, "--json"]
    args += ["--rejects", "r.csv"]
    if command == "score":
        args += ["-o", "out.csv"]
    result = invoke(*args, cwd=tmp_path)
    assert result.exit_code == 1, result.output
    with (tmp_path / "r.csv").open(encoding="utf-8", newline="") as handle:
        (reject,) = list(csv.DictReader(handle))
    return result, reject


@pytest.mark.parametrize("command", ["score", "check-log", "report"])
@pytest.mark.parametrize("engine", ["row", "arrow"])
def test_an_unclosed_quote_is_named_with_its_line(
    tmp_path: Path, command: str, engine: str
) -> None:
    """A quote opened in row 3 and never closed swallows the rows after it: the reject says so."""
    good = "INC{},New,01-03-2016 10:00,,1 - High,2 - Medium,2 - High,01-03-2016 1{}:00\n"
    text = (
        HEADER
        + "\n"
        + good.format(1, 0)
        + good.format(1, 1)
        + 'INC2,"New,01-03-2016 10:00,,1,1,1,x\n'
        + good.format(3, 2) * 3
    )
    (tmp_path / "in.csv").write_text(text, encoding="utf-8")
    result, reject = _one_reject(tmp_path, command, engine)
    assert reject["line"] == "4"
    assert reject["column"] == "incident_state"
    assert reject["reason"].startswith(
        "unclosed quote: the quote opened on line 4 in column 'incident_state' is not closed"
    )
    assert "lines 4-7 were read as one row" in reject["reason"]
    reasons = json.loads(result.stdout)["reject_reasons"]
    assert reasons[0]["reason"] == reject["reason"]


def test_a_multi_line_row_with_a_quoted_line_break_is_no_unclosed_quote(tmp_path: Path) -> None:
    """A ragged row whose quotes are balanced keeps the plain ragged reason."""
    text = HEADER + "\n" + 'INC1,"New\nline",01-03-2016 10:00\n'
    (tmp_path / "in.csv").write_text(text, encoding="utf-8")
    result = invoke("score", "in.csv", *SN, "--dayfirst", "--rejects", "r.csv", cwd=tmp_path)
    assert result.exit_code == 1
    reason = (tmp_path / "r.csv").read_text(encoding="utf-8")
    assert "ragged row: 3 cells where the header has 8" in reason
    assert "unclosed quote" not in reason


@pytest.mark.parametrize("command", ["score", "check-log", "report"])
@pytest.mark.parametrize("engine", ["row", "arrow"])
def test_an_excel_sep_line_names_the_delimiter_and_counts_as_a_line(
    tmp_path: Path, command: str, engine: str
) -> None:
    """Excel's ``sep=;`` first line: the header is the next line, rejects keep true lines."""
    rows = [
        "INC1;New;01-03-2016 10:00;;1 - High;2 - Medium;2 - High;01-03-2016 10:00",
        "INC1;Active;01-03-2016 10:00;;1 - High;2 - Medium;2 - High;31-02-2016 11:00",
        "INC1;Active;01-03-2016 10:00;;1 - High;2 - Medium;2 - High;01-03-2016 12:00",
    ]
    if command == "score":
        rows[1] = rows[1].replace("01-03-2016 10:00", "31-02-2016 10:00")
    text = "sep=;\r\n" + HEADER.replace(",", ";") + "\r\n" + "\r\n".join(rows) + "\r\n"
    (tmp_path / "in.csv").write_text(text, encoding="utf-8", newline="")
    result, reject = _one_reject(tmp_path, command, engine)
    assert json.loads(result.stdout)["rows_read"] == 3
    assert reject["line"] == "4"  # sep=; is line 1, the header line 2
    if command == "score":
        scored = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
        assert scored[0].startswith("number;incident_state;")
        assert len(scored) == 3


@pytest.mark.parametrize("engine", ["row", "arrow"])
def test_nul_bytes_in_a_level_or_a_date_reject_the_row(tmp_path: Path, engine: str) -> None:
    """A NUL byte was skipped: '2 - Hi\\0gh' read as priority 2, '1\\x000:00' as 10:00."""
    good = "INC1,New,01-03-2016 10:00,,1 - High,2 - Medium,2 - High,01-03-2016 10:00"
    text = "\r\n".join(
        [
            HEADER,
            good.replace("2 - High", "2 - Hi\0gh"),
            good.replace("01-03-2016 10:00", "01-03-2016 1\x000:00", 1),
            good,
            "",
        ]
    )
    (tmp_path / "in.csv").write_text(text, encoding="utf-8", newline="")
    args = ["score", "in.csv", *SN, "--dayfirst", "--engine", engine, "-o", "out.csv"]
    result = invoke(*args, "--rejects", "r.csv", cwd=tmp_path)
    assert result.exit_code == 1, result.output
    with (tmp_path / "r.csv").open(encoding="utf-8", newline="") as handle:
        rejects = [(r["line"], r["column"], r["reason"]) for r in csv.DictReader(handle)]
    assert [(line, column) for line, column, _ in rejects] == [
        ("2", "priority"),
        ("3", "opened_at"),
    ]
    assert rejects[0][2].startswith("not a level (the cell holds a NUL byte")
    assert rejects[1][2].startswith("not a date: it holds a control character (the cell holds")


@given(
    st.sampled_from(["2016-03-01 10:00", "01/Mar/2016 10:00", "March 1 2016 10:00"]),
    st.integers(0, 15),
    st.sampled_from(["\x00", "\x01", "\x1f", "\x0b"]),
)
def test_a_date_with_a_control_character_never_reads(base: str, at: int, char: str) -> None:
    text = base[:at] + char + base[at:]
    with pytest.raises(InvalidInputError):
        DateReader(order=DateOrder.DAY_FIRST)(text)
