"""Export profiles: the TOML loader's rules, the shipped profiles, and profiles in use."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit.adapters.exports import (
    PRESETS,
    PROFILES,
    DateOrder,
    ExportField,
    ExportFormat,
    ProfileError,
    RejectsFile,
    Scorer,
    builtin_profile_text,
    get_preset,
    get_profile,
    load_profile,
    parse_profile,
    read_event_log,
    score_csv,
)
from faultkit.adapters.exports.tabular import Header, sniff_delimiter
from faultkit.errors import InvalidInputError
from faultkit.lifecycle import ITIL, PROCEDURE

EXPORTS = Path(__file__).resolve().parent / "data" / "exports"

ISSUE_EXAMPLE = """
[profile]
name = "hive-jira"
format = "csv"
delimiter = ";"
encoding = "utf-8-sig"
workflow = "itil"

[columns]
id = "Key"
priority = "Priority"
state = "Status"

[values.priority]
Blocker = 1
Critical = 2
Major = 3
Minor = 4
Trivial = 5

[values.state]
"Awaiting User Info" = "on_hold"
Cancelled = "canceled"

[dates]
order = "dayfirst"
zone = "Europe/Amsterdam"
"""


def test_the_issue_s_example_profile_loads_as_written() -> None:
    profile = parse_profile(ISSUE_EXAMPLE)
    assert profile.name == "hive-jira"
    assert profile.format is ExportFormat.CSV
    assert profile.delimiter == ";"
    assert profile.encoding == "utf-8-sig"
    assert profile.date_order is DateOrder.DAY_FIRST
    assert profile.zone == "Europe/Amsterdam"
    assert profile.preset.column(ExportField.ID) == "Key"
    assert profile.preset.column(ExportField.IMPACT) is None
    assert profile.preset.level_of(ExportField.PRIORITY, "Trivial") == 5
    assert profile.preset.level_of(ExportField.PRIORITY, " blocker ") == 1
    flow = profile.workflow_table()
    assert flow.label_map["Cancelled"] == "canceled"
    assert flow.label_map["Awaiting User Info"] == "on_hold"
    assert flow.label_map["Active"] == "in_progress"  # the workflow's own labels stay


@pytest.mark.parametrize(
    ("text", "path", "value"),
    [
        ("[profiles]\nname = 'x'", "profiles", "profiles"),
        ("[profile]\nnmae = 'x'", "profile.nmae", "nmae"),
        ("[columns]\nticket = 'Key'", "columns.ticket", "ticket"),
        ("[columns]\nid = ''", "columns.id", ""),
        ("[columns]\nid = 3", "columns.id", 3),
        ("[values.severity]\nx = 1", "values.severity", "severity"),
        ("[values.priority]\nMedium = 0", "values.priority.Medium", 0),
        ("[values.priority]\nMedium = 6", "values.priority.Medium", 6),
        ("[values.priority]\nMedium = true", "values.priority.Medium", True),
        ("[values.priority]\nMedium = '3'", "values.priority.Medium", "3"),
        ("[values.impact]\nHigh = 1.0", "values.impact.High", 1.0),
        ("[values.urgency]\nHigh = 1\nhigh = 2", "values.urgency.high", 2),
        ("[values.state]\nDone = 'finished'", "values.state.Done", "finished"),
        (
            "[profile]\nworkflow = 'procedure'\n[values.state]\nx = 'in_progress'",
            "values.state.x",
            "in_progress",  # an itil state; procedure has on_hold since the fault case
        ),
        ("[values]\npriority = 3", "values.priority", 3),
        ("[dates]\norder = 'yearfirst'", "dates.order", "yearfirst"),
        ("[dates]\nzone = 'Mars/Olympus'", "dates.zone", "Mars/Olympus"),
        ("[dates]\nformat = '%d'", "dates.format", "format"),
        ("[profile]\ndelimiter = ';;'", "profile.delimiter", ";;"),
        ("[profile]\ndelimiter = '\"'", "profile.delimiter", '"'),
        ("[profile]\nencoding = 'klingon'", "profile.encoding", "klingon"),
        ("[profile]\nformat = 'xlsx'", "profile.format", "xlsx"),
        ("[profile]\nworkflow = 'kanban'", "profile.workflow", "kanban"),
        ("[profile]\nmatrix = 'mine'", "profile.matrix", "mine"),
        ("[profile]\nmissing = '?'", "profile.missing", "?"),
    ],
)
def test_a_wrong_profile_names_the_key_path_and_the_value(
    text: str, path: str, value: object
) -> None:
    with pytest.raises(ProfileError) as caught:
        parse_profile(text)
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.field == path
    assert error.value == value
    assert path in str(error)


def test_unknown_keys_are_refused_with_the_known_ones_listed() -> None:
    with pytest.raises(ProfileError) as caught:
        parse_profile("[profile]\ndelimeter = ';'")
    assert "delimiter" in caught.value.reason
    assert "encoding" in caught.value.reason
    with pytest.raises(ProfileError) as caught:
        parse_profile("[columns]\nseriousness = 'Sev'")
    for field in ExportField:
        assert field.value in caught.value.reason


def test_states_are_checked_against_the_profile_s_workflow() -> None:
    procedure_state = PROCEDURE.state_names[-1]
    profile = parse_profile(
        f"[profile]\nworkflow = 'procedure'\n[values.state]\nShipped = '{procedure_state}'"
    )
    assert profile.workflow_table().label_map["Shipped"] == procedure_state
    # --workflow itil over a profile written for procedure: the state is checked again
    with pytest.raises(ProfileError, match=r"values\.state\.Shipped"):
        profile.workflow_table("itil")


def test_not_toml_is_a_profile_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[profile\nname = ", encoding="utf-8")
    with pytest.raises(ProfileError, match="not valid TOML"):
        load_profile(bad)
    with pytest.raises(ProfileError, match="cannot read"):
        load_profile(tmp_path / "absent.toml")
    with pytest.raises(InvalidInputError, match="neither a profile file nor a built-in"):
        get_profile(str(tmp_path / "absent.toml"))


@pytest.mark.parametrize(
    "text",
    ["[profile]\nmissing = " + "[" * 5000 + "]" * 5000, "a = {" * 3000],
    ids=["deep-array", "deep-table"],
)
def test_deeply_nested_toml_is_a_profile_error_not_a_crash(text: str) -> None:
    with pytest.raises(ProfileError, match="nested too deeply"):
        parse_profile(text)


def test_large_profiles_load() -> None:
    many = "[values.priority]\n" + "".join(f"L{i} = {i % 5 + 1}\n" for i in range(50_000))
    assert parse_profile(many).preset.level_of(ExportField.PRIORITY, "l49999") == 5
    huge = parse_profile("[profile]\nname = '" + "x" * 2_000_000 + "'")
    assert len(huge.name) == 2_000_000


def test_a_profile_s_value_maps_apply_in_the_arrow_engine_too() -> None:
    pa = pytest.importorskip("pyarrow")
    from faultkit.batch.arrow import score_table

    table = pa.table(
        {"Issue key": ["H-1", "H-2", "H-3"], "Priority": ["Blocker", "trivial", "Urgent"]}
    )
    result = score_table(table, Scorer(get_preset("jira"), sla=None))
    assert result.scored.column("faultkit_priority").to_pylist() == [1, 5]
    assert result.rejects.column("value").to_pylist() == ["Urgent"]


def test_a_priority_only_jsonl_export() -> None:
    from faultkit.adapters.exports import score_jsonl

    lines = [{"Issue key": "H-1", "Priority": "Major"}, {"Issue key": "H-2", "Priority": "Lowest"}]
    out = io.StringIO()
    summary = score_jsonl(
        io.StringIO("".join(json.dumps(line) + "\n" for line in lines)),
        out,
        RejectsFile("-"),
        Scorer(parse_profile("[columns]\nid = 'Issue key'\npriority = 'Priority'\n"
                             "[values.priority]\nMajor = 3\nLowest = 5").preset, sla=None),
    )  # fmt: skip
    scored = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [row["faultkit_priority"] for row in scored] == [3, 5]
    assert [row["faultkit_priority_matches_source"] for row in scored] == [None, None]
    assert summary.rows_written == 2


labels = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=20
).filter(lambda s: s.strip() != "" and not s.strip()[0].isdigit())


@settings(max_examples=100)
@given(st.dictionaries(labels, st.integers(1, 5), min_size=1, max_size=8))
def test_every_label_of_a_profile_reads_as_its_level(mapping: dict[str, int]) -> None:
    folded: dict[str, int] = {}
    for label, level in mapping.items():
        key = label.strip().casefold()
        if folded.setdefault(key, level) != level:
            return  # a clash after case folding is refused (tested above)
    text = "[values.priority]\n" + "".join(
        f"{json.dumps(label, ensure_ascii=False)} = {level}\n" for label, level in mapping.items()
    )
    preset = parse_profile(text).preset
    for label, level in mapping.items():
        assert preset.level_of(ExportField.PRIORITY, label) == level
        assert preset.level_of(ExportField.PRIORITY, f"  {label} ") == level


def test_built_in_profiles_are_the_shipped_toml_files() -> None:
    assert sorted(PROFILES) == sorted(PRESETS) == ["generic", "jira", "servicenow"]
    for name, profile in PROFILES.items():
        text = builtin_profile_text(name)
        tomllib.loads(text)  # valid TOML, comments and all
        assert parse_profile(text, default_name=name) == attrs_evolve_source(profile, "")
        assert PRESETS[name] == get_preset(name) == profile.preset
    assert PROFILES["servicenow"].preset.matrix == "servicenow-no-planning"
    assert PROFILES["servicenow"].preset.missing == frozenset({"", "?"})


def attrs_evolve_source(profile: object, source: str) -> object:
    import attrs

    return attrs.evolve(profile, source=source)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("label", "level"),
    [
        ("Highest", 1),
        ("High", 2),
        ("Medium", 3),
        ("Low", 4),
        ("Lowest", 5),
        ("Blocker", 1),
        ("Critical", 2),
        ("Major", 3),
        ("Minor", 4),
        ("Trivial", 5),
    ],
)
def test_the_jira_profile_reads_both_priority_schemes(label: str, level: int) -> None:
    assert get_preset("jira").level_of(ExportField.PRIORITY, label) == level


def test_no_built_in_name_table_behind_the_profiles() -> None:
    # generic names its labels in its TOML, Medium among them; nothing else is read
    generic = get_preset("generic")
    assert generic.level_of(ExportField.PRIORITY, "Medium") == 3
    assert generic.level_of(ExportField.PRIORITY, "Low") == 4
    servicenow = get_preset("servicenow")
    for label in ("Low", "High", "Medium"):
        with pytest.raises(InvalidInputError, match=r"values\.priority"):
            servicenow.level_of(ExportField.PRIORITY, label)
    assert servicenow.level_of(ExportField.PRIORITY, "4 - Low") == 4


@pytest.mark.parametrize("label", ["Cancelled", "Canceled"])
def test_british_cancelled_maps_in_the_built_in_profiles(label: str) -> None:
    for name in ("jira", "servicenow", "generic"):
        assert PROFILES[name].workflow_table().label_map[label] == "canceled"


# ---------------------------------------------------------------- header and delimiter


@settings(max_examples=200)
@given(st.lists(st.sampled_from(["a", "b", "c", "a#1"]), min_size=1, max_size=8))
def test_header_finds_repeated_names_by_occurrence_and_columns_by_position(
    names: list[str],
) -> None:
    header = Header(names)
    for position in range(len(names)):
        assert header.find(f"#{position + 1}") == position
    assert header.find(f"#{len(names) + 1}") is None
    assert header.find("#0") is None
    for name in set(names):
        positions = [i for i, n in enumerate(names) if n == name]
        if len(positions) == 1:
            assert header.find(name) == positions[0]
        else:
            with pytest.raises(InvalidInputError) as caught:
                header.find(name)
            assert caught.value.field == "columns"
            assert caught.value.line == 1
            assert ", ".join(str(i + 1) for i in positions) in caught.value.reason
        for k, position in enumerate(positions, start=1):
            if f"{name}#{k}" not in names:
                assert header.find(f"{name}#{k}") == position


@settings(max_examples=200)
@given(
    st.lists(st.text(alphabet="abc xyz.1", max_size=6), min_size=2, max_size=6),
    st.sampled_from([",", ";", "\t", "|"]),
)
def test_sniffing_finds_the_delimiter_the_header_was_written_with(
    cells: list[str], delimiter: str
) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerow(cells)
    assert sniff_delimiter(buffer.getvalue()) == delimiter


def test_excel_semicolon_csv_with_bom_reads_and_keeps_its_delimiter() -> None:
    text = '\ufeffid;impact;urgency;note\nA;1;2;3,5 hours\nB;3;3;"a;b"\n'
    source = io.StringIO(text.encode("utf-8").decode("utf-8-sig"))
    out = io.StringIO()
    summary = score_csv(source, out, RejectsFile("-"), Scorer(get_preset("generic"), sla=None))
    assert summary.rows_written == 2
    assert summary.rows_rejected == 0
    rows = list(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))
    assert rows[0] == ["id", "impact", "urgency", "note", "faultkit_priority",
                       "faultkit_priority_matches_source"]  # fmt: skip
    assert rows[1][3] == "3,5 hours"
    assert rows[2][3] == "a;b"
    assert [row[4] for row in rows[1:]] == ["2", "5"]


def test_a_mapped_column_the_header_repeats_is_refused_unless_picked() -> None:
    text = "id,impact,impact,urgency\nA,1,3,1\n"
    with pytest.raises(InvalidInputError, match=r"2 columns called 'impact' \(columns 2, 3\)"):
        score_csv(io.StringIO(text), io.StringIO(), RejectsFile("-"), Scorer(get_preset("generic")))
    for pick, expected in (("impact#1", "1"), ("impact#2", "3"), ("#3", "3")):
        preset = get_preset("generic").with_columns({"impact": pick})
        out = io.StringIO()
        score_csv(io.StringIO(text), out, RejectsFile("-"), Scorer(preset, sla=None))
        assert out.getvalue().splitlines()[1].split(",")[4] == expected


# ---------------------------------------------------------------- priority-only exports


def test_a_priority_only_export_takes_the_mapped_source_priority() -> None:
    text = (
        "Issue key,Status,Priority,Created\n"
        "H-1,Open,Blocker,2020-01-02 10:00\n"
        "H-2,Open,Trivial,2020-01-02 10:00\n"
        "H-3,Open,Highest,\n"
        "H-4,Open,,2020-01-02 10:00\n"
        "H-5,Open,Urgent,2020-01-02 10:00\n"
    )
    out = io.StringIO()
    sink = RejectsFile("-")
    summary = score_csv(io.StringIO(text), out, sink, Scorer(get_preset("jira")))
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [row["faultkit_priority"] for row in rows] == ["1", "5", "1"]
    assert {row["faultkit_priority_matches_source"] for row in rows} == {""}
    assert rows[0]["faultkit_sla_due"]
    assert rows[1]["faultkit_sla_due"] != rows[0]["faultkit_sla_due"]
    assert rows[2]["faultkit_sla_due"] == ""  # no opening time
    assert summary.rows_rejected == 2
    assert summary.mismatches == 0
    assert summary.priorities == {1: 2, 5: 1}


def test_a_priority_only_row_without_a_readable_priority_is_rejected_with_its_reason(
    tmp_path: Path,
) -> None:
    text = "Issue key,Priority\nH-1,\nH-2,Urgent\n"
    rejects = RejectsFile(str(tmp_path / "rejects.csv"))
    with rejects:
        score_csv(io.StringIO(text), io.StringIO(), rejects, Scorer(get_preset("jira"), sla=None))
    with (tmp_path / "rejects.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["line"], r["column"], r["value"]) for r in rows] == [
        ("2", "Priority", ""),
        ("3", "Priority", "Urgent"),
    ]
    assert "priority is missing" in rows[0]["reason"]
    assert "values.priority" in rows[1]["reason"]
    assert "blocker" in rows[1]["reason"]


def test_an_export_with_neither_levels_nor_priority_is_a_usage_error() -> None:
    with pytest.raises(InvalidInputError, match=r"impact.*urgency.*priority"):
        score_csv(
            io.StringIO("Issue key,Status\nH-1,Open\n"),
            io.StringIO(),
            RejectsFile("-"),
            Scorer(get_preset("jira")),
        )


def test_an_event_log_without_update_times_keeps_file_order() -> None:
    text = "Issue key,Status\nH-1,Open\nH-1,Resolved\nH-1,Reopened\nH-2,Closed\n"
    log = read_event_log(
        io.StringIO(text), ExportFormat.CSV, PROFILES["jira"].preset, RejectsFile("-")
    )
    assert not log.timed
    assert [event[:2] for event in log.events] == [
        ("H-1", "Open"),
        ("H-1", "Resolved"),
        ("H-1", "Reopened"),
        ("H-2", "Closed"),
    ]
    assert {event[2] for event in log.events} == {None}
    assert log.lines == (2, 3, 4, 5)


def test_the_shipped_test_profiles_load() -> None:
    for path in EXPORTS.glob("*.toml"):
        profile = load_profile(path)
        assert profile.source == str(path)
        profile.workflow_table()
    assert load_profile(EXPORTS / "helpdesk_events.toml").workflow_table() != ITIL
