"""The export adapters behind the command, in process: dates, presets, rejects, the CLI's parts."""

from __future__ import annotations

import csv
import io
import json
import os
import pickle
import zoneinfo
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from importlib.resources import files
from pathlib import Path

import pytest
from click.testing import CliRunner
from dateutil import parser as dateutil_parser
from hypothesis import example, given, settings
from hypothesis import strategies as st

from faultkit.adapters.exports import (
    PRESETS,
    DateOrder,
    DateReader,
    ExportField,
    ExportFormat,
    Reject,
    RejectsFile,
    RowError,
    Scorer,
    default_rejects_path,
    detect_format,
    excel_safe,
    get_matrix,
    get_preset,
    score_csv,
    score_jsonl,
)
from faultkit.cli import main
from faultkit.errors import InvalidInputError
from faultkit.lifecycle import ITIL
from faultkit.lifecycle.diagram import mermaid
from faultkit.lifecycle.sla import DEFAULT_SLA_POLICY
from faultkit.scoring import SERVICENOW_MATRIX_NO_PLANNING, coded_level, priority

moments = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31)).map(
    lambda at: at.replace(second=0, microsecond=0)
)


@settings(max_examples=200)
@given(moments, st.sampled_from(["-", "/", "."]))
def test_day_first_fast_path_agrees_with_dateutil(at: datetime, sep: str) -> None:
    text = f"{at.day:02d}{sep}{at.month:02d}{sep}{at.year} {at.hour:02d}:{at.minute:02d}"
    read = DateReader(order=DateOrder.DAY_FIRST)
    expected = dateutil_parser.parse(text, dayfirst=True).replace(tzinfo=UTC)
    assert read(text, "opened_at") == expected == at.replace(tzinfo=UTC)


@settings(max_examples=100)
@given(moments)
def test_month_first_reads_the_us_order(at: datetime) -> None:
    text = f"{at.month}/{at.day}/{at.year}"
    assert DateReader(order=DateOrder.MONTH_FIRST)(text) == datetime(
        at.year, at.month, at.day, tzinfo=UTC
    )


@settings(max_examples=100)
@given(moments)
def test_iso_dates_read_the_same_in_every_order(at: datetime) -> None:
    text = at.isoformat(sep=" ")
    for order in DateOrder:
        assert DateReader(order=order)(text) == at.replace(tzinfo=UTC)


ZONES = [
    UTC,
    timezone(timedelta(hours=5, minutes=30)),
    timezone(timedelta(hours=-3)),
    timezone(timedelta(seconds=-37)),  # not whole minutes: attached with replace()
    timezone(timedelta(hours=2), "CEST"),  # named: attached with replace()
    zoneinfo.ZoneInfo("Europe/Berlin"),
]


@settings(max_examples=300)
@given(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
    st.sampled_from(["-", "/", "."]),
    st.booleans(),
    st.sampled_from([DateOrder.DAY_FIRST, DateOrder.MONTH_FIRST]),
    st.sampled_from(ZONES),
)
def test_fixed_width_numeric_dates_read_like_dateutil_in_every_zone(
    at: datetime, sep: str, seconds: bool, order: DateOrder, zone: tzinfo
) -> None:
    at = at.replace(microsecond=0) if seconds else at.replace(second=0, microsecond=0)
    first, second = (at.day, at.month) if order is DateOrder.DAY_FIRST else (at.month, at.day)
    clock = at.strftime("%H:%M:%S" if seconds else "%H:%M")
    text = f"{first:02d}{sep}{second:02d}{sep}{at.year:04d} {clock}"
    got = DateReader(order=order, tz=zone)(text, "opened_at")
    expected = dateutil_parser.parse(text, dayfirst=order is DateOrder.DAY_FIRST)
    assert got.replace(tzinfo=None) == expected == at
    assert got.utcoffset() == zone.utcoffset(at)
    assert got.tzname() == zone.tzname(at)


NUMERIC_DATE = r"[0-9]{2}[-/.][0-9]{2}[-/.][0-9]{4} [0-9]{2}:[0-9]{2}(:[0-9]{2})?"
PLAUSIBLE_DATE = (
    r"(0[1-9]|1[0-2])[-/.](0[1-9]|1[0-9]|2[0-9]|3[01])[-/.][0-9]{4} "
    r"([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?"
)


def _full_reading(read: DateReader, text: str) -> datetime | None:
    """The reading without the fixed-width shortcut: ISO 8601, then the general path."""
    try:
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            parsed = read._not_iso(text, "date")
    except InvalidInputError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=read.tz)


@settings(max_examples=500)
@given(
    st.one_of(
        st.text(alphabet="0123456789-/.: +_TZ", min_size=15, max_size=20),
        st.from_regex(NUMERIC_DATE, fullmatch=True),  # digits anywhere: mostly impossible
        st.from_regex(PLAUSIBLE_DATE, fullmatch=True),  # mostly real dates
    ),
    st.sampled_from([DateOrder.DAY_FIRST, DateOrder.MONTH_FIRST]),
    st.sampled_from(ZONES),
)
@example("0000:0-2360T100", DateOrder.DAY_FIRST, UTC)  # dateutil: a -24:00 offset
def test_the_fixed_width_shortcut_accepts_and_refuses_what_the_full_reading_does(
    text: str, order: DateOrder, zone: tzinfo
) -> None:
    read = DateReader(order=order, tz=zone)
    want = _full_reading(read, text)
    if want is None:
        with pytest.raises(InvalidInputError) as refused:
            read(text, "opened_at")
        assert (refused.value.field, refused.value.value) == ("opened_at", text)
    else:
        got = read(text, "opened_at")
        assert got == want
        assert got.utcoffset() == want.utcoffset()


MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@st.composite
def jira_dates(draw: st.DrawFn) -> str:
    """Jira's ``dd/Mon/yy h:mm AM``: real moments, and look-alikes dateutil reads otherwise."""
    if draw(st.booleans()):
        at = draw(st.datetimes(datetime(1950, 1, 1), datetime(2099, 12, 31)))
        day, month, year = at.day, MONTH_NAMES[at.month - 1], at.year % 100
        hour, minute = at.hour % 12 or 12, at.minute
        noon = "PM" if at.hour >= 12 else "AM"
    else:  # day 0-45, hour 0-15, any month name or not one: impossible or year-first
        day, year = draw(st.integers(0, 45)), draw(st.integers(0, 99))
        month = draw(st.sampled_from([*MONTH_NAMES, "Xyz", "Sept"]))
        hour, minute = draw(st.integers(0, 15)), draw(st.integers(0, 59))
        noon = draw(st.sampled_from(["AM", "PM"]))
    padded = draw(st.booleans())
    month = draw(st.sampled_from([month, month.upper(), month.lower()]))
    noon = draw(st.sampled_from([noon, noon.lower()]))
    space = draw(st.sampled_from([" ", ""]))
    day_text = f"{day:02d}" if padded else str(day)
    return f"{day_text}/{month}/{year:02d} {hour}:{minute:02d}{space}{noon}"


@settings(max_examples=400)
@given(jira_dates(), st.sampled_from(list(DateOrder)), st.sampled_from(ZONES))
def test_jira_dates_read_like_dateutil(text: str, order: DateOrder, zone: tzinfo) -> None:
    read = DateReader(order=order, tz=zone)
    try:
        expected: datetime | None = dateutil_parser.parse(
            text, dayfirst=order is DateOrder.DAY_FIRST
        )
    except (ValueError, OverflowError):
        expected = None
    if expected is None:
        with pytest.raises(InvalidInputError):
            read(text, "Created")
    else:
        got = read(text, "Created")
        assert got.replace(tzinfo=None) == expected
        assert got.utcoffset() == zone.utcoffset(expected)


def test_every_two_digit_year_is_placed_as_dateutil_places_it() -> None:
    # DateReader writes dateutil's century rule out (so that it need not import dateutil)
    read = DateReader()
    for two_digits in range(100):
        text = f"01/Jan/{two_digits:02d} 1:00 PM"
        assert read(text, "Created").year == dateutil_parser.parse(text).year, text


def test_naive_times_take_the_zone_and_aware_ones_keep_theirs() -> None:
    plus_two = timezone(timedelta(hours=2))
    read = DateReader(order=DateOrder.DAY_FIRST, tz=plus_two)
    assert read("29-02-2016 01:16").utcoffset() == timedelta(hours=2)
    assert read("2016-02-29T01:16:00+00:00").utcoffset() == timedelta(0)
    assert read("25/Nov/26 4:41 PM") == datetime(2026, 11, 25, 16, 41, tzinfo=plus_two)


@pytest.mark.parametrize(
    ("order", "text", "reason"),
    [
        (DateOrder.ISO, "03-05-2016", "ambiguous"),
        (DateOrder.ISO, "03/05/16 10:00", "ambiguous"),
        (DateOrder.DAY_FIRST, "31-02-2016 10:00", "impossible date"),
        (DateOrder.MONTH_FIRST, "02-31-2016", "impossible date"),
        (DateOrder.DAY_FIRST, "yesterday-ish", "not a date"),
        (DateOrder.DAY_FIRST, "10:00", "no year"),
    ],
)
def test_bad_dates_are_refused_with_field_and_reason(
    order: DateOrder, text: str, reason: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        DateReader(order=order)(text, "opened_at")
    assert caught.value.field == "opened_at"
    assert caught.value.value == text
    assert reason in caught.value.reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("March 3 2016 10:00 CEST", "unknown time zone name"),  # dateutil: a warning
        ("3 March 2016 10:00 EST", "unknown time zone name"),
        ("2016-03-03 10:00 T", "unknown time zone name"),
        ("0000:0-2360T100", "UTC offset of 24 hours or more"),  # dateutil: offset -24:00
        ("March 3 2016 10:00 +2400", "UTC offset of 24 hours or more"),
    ],
)
@pytest.mark.parametrize("order", list(DateOrder))
def test_zone_names_and_day_long_offsets_are_refused_never_guessed(
    text: str, reason: str, order: DateOrder
) -> None:
    # pytest turns warnings into errors: dateutil's UnknownTimezoneWarning fails here too
    with pytest.raises(InvalidInputError) as caught:
        DateReader(order=order)(text, "opened_at")
    assert (caught.value.field, caught.value.value) == ("opened_at", text)
    assert reason in caught.value.reason


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("March 3 2016 10:00 UTC", timedelta(0)),  # dateutil: the local zone if it is UTC
        ("March 3 2016 10:00 GMT", timedelta(0)),
        ("March 3 2016 10:00 Z", timedelta(0)),
        ("March 3 2016 10:00 +0530", timedelta(hours=5, minutes=30)),
        ("March 3 2016 10:00 -2359", -timedelta(hours=23, minutes=59)),
        ("March 3 2016 10:00", timedelta(hours=2)),  # no zone: the reader's
    ],
)
def test_utc_names_and_offsets_are_still_read(text: str, offset: timedelta) -> None:
    read = DateReader(order=DateOrder.DAY_FIRST, tz=timezone(timedelta(hours=2)))
    got = read(text, "opened_at")
    assert got.replace(tzinfo=None) == datetime(2016, 3, 3, 10, 0)
    assert got.utcoffset() == offset


def test_presets_and_matrices() -> None:
    assert sorted(PRESETS) == ["generic", "jira", "servicenow"]
    servicenow = get_preset("servicenow")
    assert servicenow.column(ExportField.IMPACT) == "impact"
    assert get_matrix(servicenow.matrix) is SERVICENOW_MATRIX_NO_PLANNING
    moved = servicenow.with_columns({"impact": "u_impact"})
    assert moved.column(ExportField.IMPACT) == "u_impact"
    assert servicenow.column(ExportField.IMPACT) == "impact"  # the preset is unchanged
    with pytest.raises(InvalidInputError, match="unknown field"):
        servicenow.with_columns({"colour": "x"})
    with pytest.raises(InvalidInputError, match="unknown preset"):
        get_preset("remedy")
    with pytest.raises(InvalidInputError, match="unknown matrix"):
        get_matrix("nope")


def test_jira_labels_are_read_per_field() -> None:
    export = io.StringIO(
        "Issue key,Status,Created,Resolved,Priority,Custom field (Impact),Custom field (Urgency)\n"
        "OPS-1,Done,2026-01-05 10:00,,High,Extensive / Widespread,High\n"
        "OPS-2,Done,2026-01-05 10:00,,Lowest,Minor / Localized,Low\n"
    )
    out = io.StringIO()
    with RejectsFile("-") as rejects:
        summary = score_csv(export, out, rejects, Scorer(get_preset("jira")))
    assert summary.rows_written == 2
    lines = out.getvalue().splitlines()
    assert lines[1].endswith(",1,false,2026-01-05T14:00:00+00:00,")  # High is 2 in Jira
    assert lines[2].split(",")[7:9] == ["5", "true"]


def test_rows_read_always_add_up_and_the_header_is_checked() -> None:
    text = "id,impact,urgency\n" + "".join(
        f"F{i},{'x' if i % 7 == 0 else 1 + i % 3},{1 + i % 3}\n" for i in range(100)
    )
    out = io.StringIO()
    rejects = RejectsFile("-")
    summary = score_csv(io.StringIO(text), out, rejects, Scorer(get_preset("generic")))
    assert summary.rows_read == 100 == summary.rows_written + summary.rows_rejected
    assert summary.rows_rejected == 15 == rejects.count
    assert sum(summary.priorities.values()) == summary.rows_written
    assert len(out.getvalue().splitlines()) == 1 + summary.rows_written
    with pytest.raises(InvalidInputError, match="urgency"):
        score_csv(io.StringIO("id,impact\n"), io.StringIO(), rejects, Scorer(get_preset("generic")))
    with pytest.raises(InvalidInputError, match="scored already"):
        score_csv(
            io.StringIO(out.getvalue()), io.StringIO(), rejects, Scorer(get_preset("generic"))
        )
    empty = score_csv(io.StringIO(""), io.StringIO(), rejects, Scorer(get_preset("generic")))
    assert empty.rows_read == 0


def test_jsonl_values_are_typed() -> None:
    out = io.StringIO()
    source = io.StringIO('{"id": "F1", "impact": 2, "urgency": 2, "priority": "3"}\n')
    summary = score_jsonl(source, out, RejectsFile("-"), Scorer(get_preset("generic")))
    assert summary.rows_written == 1
    obj = json.loads(out.getvalue())
    assert obj["faultkit_priority"] == 3
    assert obj["faultkit_priority_matches_source"] is True


def test_small_helpers() -> None:
    assert excel_safe("=1+2") == "'=1+2"
    assert excel_safe("") == ""
    assert excel_safe("a=b") == "a=b"
    assert detect_format("x.JSONL") is ExportFormat.JSONL
    assert detect_format("x.ndjson") is ExportFormat.JSONL
    assert detect_format("x.csv") is ExportFormat.CSV
    assert detect_format("-") is None
    assert default_rejects_path("out/scored.csv", "in.csv") == "out/scored.rejects.csv"
    assert default_rejects_path("-", "data/in.csv") == "data/in.rejects.csv"
    assert default_rejects_path("-", "-") == "faultkit.rejects.csv"


def test_diagram_is_the_lifecycle_mermaid() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["diagram", "--workflow", "itil"])
    assert result.exit_code == 0
    assert result.output == mermaid(ITIL)
    as_json = json.loads(runner.invoke(main, ["diagram", "--json"]).output)
    assert as_json["workflow"] == "itil"
    assert as_json["mermaid"].startswith("stateDiagram-v2")
    assert runner.invoke(main, ["diagram", "--workflow", "nope"]).exit_code == 2


def test_usage_errors_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "e.csv").write_text("id,impact,urgency\nF1,1,1\n", encoding="utf-8")
    for args in (
        ["score", "e.csv", "--preset", "nope"],
        ["score", "e.csv", "--tz", "Mars/Olympus"],
        ["score", "e.csv", "--dayfirst", "--monthfirst"],
        ["score", "e.csv", "--map", "nonsense"],
        ["score", "e.csv", "--map", "colour=impact"],
        ["score", "e.csv", "--max-errors", "0"],
        ["score", "e.csv", "--format", "xml"],
        ["check-log", "e.csv"],  # no state / updated_at columns
        ["frobnicate"],
    ):
        assert runner.invoke(main, args).exit_code == 2, args
    ok = runner.invoke(main, ["score", "e.csv", "--tz", "Europe/Berlin", "--json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["rows_written"] == 1
    assert (tmp_path / "e.scored.csv").exists()
    for command in ("score", "check-log", "report", "diagram", "example"):
        help_text = runner.invoke(main, [command, "--help"]).output
        assert "Examples:" in help_text
        assert "faultkit " + command in help_text


def test_example_refuses_to_overwrite_another_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = files("faultkit").joinpath("data", "servicenow_incidents_sample.csv").read_bytes()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "servicenow_incidents_sample.csv").write_text("mine\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["example"]).exit_code == 2
    assert (tmp_path / "servicenow_incidents_sample.csv").read_text(encoding="utf-8") == "mine\n"
    assert runner.invoke(main, ["example", "--force"]).exit_code == 0
    assert (tmp_path / "servicenow_incidents_sample.csv").read_bytes() == sample
    assert runner.invoke(main, ["example"]).exit_code == 0  # the same content: no harm
    written = runner.invoke(main, ["example", "--json", "copy.csv"])
    assert json.loads(written.output)["rows"] == 308
    assert runner.invoke(main, ["example", "-"]).stdout_bytes == sample


level_cells = st.sampled_from(["1", "2", "3", "2 - Medium", "high", "low", "", "?", "9", "x"])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            level_cells, level_cells, st.sampled_from(["", "1", "3", "5", "7"]), st.booleans()
        ),
        max_size=40,
    )
)
def test_every_row_is_written_or_rejected_and_scored_by_the_matrix(
    rows: list[tuple[str, str, str, bool]],
) -> None:
    lines = ["id,impact,urgency,priority"]
    for i, (impact, urgency, source, ragged) in enumerate(rows):
        lines.append(f"F{i},{impact},{urgency}" + ("" if ragged else f",{source}"))
    out = io.StringIO()
    rejects = RejectsFile(os.devnull)
    summary = score_csv(
        io.StringIO("\n".join(lines) + "\n"), out, rejects, Scorer(get_preset("generic"))
    )
    rejects.close()
    assert summary.rows_read == len(rows) == summary.rows_written + summary.rows_rejected
    assert rejects.count == summary.rows_rejected
    written = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(written) == summary.rows_written
    names = {"high": 1, "medium": 2, "low": 3}
    for row in written:
        impact, urgency = (names.get(row[k]) or coded_level(row[k]) for k in ("impact", "urgency"))
        assert int(row["faultkit_priority"]) == priority(impact, urgency)
        source = row["priority"]
        expected = "" if source == "" else str(int(source) == priority(impact, urgency)).lower()
        assert row["faultkit_priority_matches_source"] == expected


class _CollectedRejects(RejectsFile):
    """A rejects file that keeps what it is given, in memory."""

    def __init__(self) -> None:
        super().__init__(os.devnull)
        self.seen: list[Reject] = []

    def write(self, reject: Reject) -> None:
        self.seen.append(reject)
        self.count += 1


date_cells = st.sampled_from(
    [
        "29-02-2016 01:16",
        "29-02-2016 23:59",
        "01-03-2016 09:00",
        "04-03-2016 16:30:15",
        "2016-03-01T10:00:00+01:00",
        "?",
        "",
        "31-02-2016 10:00",  # impossible
        "sometime",  # not a date
        "31-12-9999 23:00",  # its SLA due time would be after year 9999
        "\x00",  # not a date either (and no "previous row" marker)
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["1 - High", "2 - Medium", "3 - Low"]),
            st.sampled_from(["1 - High", "2 - Medium", "3 - Low"]),
            date_cells,
            date_cells,
            st.integers(1, 3),  # consecutive copies: an incident's rows share their dates
        ),
        max_size=25,
    )
)
def test_sla_cells_of_every_row_are_those_of_the_row_alone(
    runs: list[tuple[str, str, str, str, int]],
) -> None:
    # The command remembers the previous row's dates; the oracle scores each row alone.
    preset = get_preset("servicenow")
    rows = [run[:4] for run in runs for _ in range(run[4])]
    text = "impact,urgency,opened_at,resolved_at\n" + "".join(",".join(row) + "\n" for row in rows)
    out, rejects = io.StringIO(), _CollectedRejects()
    read = DateReader(order=DateOrder.DAY_FIRST)
    summary = score_csv(io.StringIO(text), out, rejects, Scorer(preset, dates=read))

    policy = DEFAULT_SLA_POLICY

    def cell(value: str) -> datetime | None:
        return None if value.strip() in preset.missing else read(value)

    expected_rows, expected_rejects = [], []
    for line, (impact, urgency, opened_text, resolved_text) in enumerate(rows, start=2):
        level = priority(coded_level(impact), coded_level(urgency), SERVICENOW_MATRIX_NO_PLANNING)
        column, value = "opened_at", opened_text
        try:
            opened = cell(opened_text)
            due = (
                None
                if opened is None
                else policy.calendar_for(level).add(opened, policy.target(level).resolution)
            )
            column, value = "resolved_at", resolved_text
            resolved = cell(resolved_text)
        except InvalidInputError:
            expected_rejects.append((line, column, value))
            continue
        breached = "" if due is None or resolved is None else str(resolved > due).lower()
        expected_rows.append([due.isoformat() if due else "", breached])

    written = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [[r["faultkit_sla_due"], r["faultkit_sla_breached"]] for r in written] == expected_rows
    assert [(r.line, r.column, r.value) for r in rejects.seen] == expected_rejects
    assert summary.sla_breaches == sum(row[1] == "true" for row in expected_rows)


def test_cell_readers_raise_a_faultkit_error_naming_the_column() -> None:
    scorer = Scorer(
        get_preset("servicenow").with_columns({"opened_at": "Opened"}),
        dates=DateReader(order=DateOrder.DAY_FIRST),
    )
    with pytest.raises(RowError) as caught:
        scorer.date(ExportField.OPENED_AT, "31-02-2016 10:00")
    assert isinstance(caught.value, InvalidInputError)
    assert (caught.value.column, caught.value.field, caught.value.value) == (
        "Opened",
        "Opened",
        "31-02-2016 10:00",
    )
    with pytest.raises(RowError, match="no SLA due time"):
        scorer.sla_due(1, datetime(9999, 12, 31, 23, tzinfo=UTC), "31-12-9999 23:00")
    assert scorer.sla_due(1, datetime(2016, 2, 29, 1, 16, tzinfo=UTC), "") == datetime(
        2016, 2, 29, 5, 16, tzinfo=UTC
    )
    assert scorer.level(ExportField.IMPACT, "?") is None
    copy = pickle.loads(pickle.dumps(caught.value))  # Dask workers send errors back
    assert (type(copy), copy.column, copy.value, str(copy)) == (
        RowError,
        "Opened",
        "31-02-2016 10:00",
        str(caught.value),
    )


def test_standard_streams_stay_open_after_an_in_process_run() -> None:
    # "-" reads stdin and writes stdout through a text layer that is detached, not
    # closed, at the end: the caller's streams still work and the command runs again.
    runner = CliRunner()
    for _ in range(2):
        result = runner.invoke(
            main,
            ["score", "-", "-o", "-", "--rejects", os.devnull, "--json"],
            input="id,impact,urgency\nF1,1,1\nF2,3,3\n",
        )
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[1:3] == ["F1,1,1,1,", "F2,3,3,5,"]
        assert json.loads(result.stderr)["rows_written"] == 2


@pytest.mark.parametrize("value", [None, 5, b"2016-02-29", ["29-02-2016"]])
def test_a_date_that_is_not_text_is_refused_with_its_field(value: object) -> None:
    with pytest.raises(InvalidInputError, match="expected a date as text") as caught:
        DateReader(order=DateOrder.DAY_FIRST)(value, "opened_at")  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.value) == ("opened_at", value)
