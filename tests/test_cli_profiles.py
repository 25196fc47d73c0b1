"""The three commands with profiles, ``faultkit profile``, and ``score --matrix infer``."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections import Counter
from importlib.resources import files
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit.adapters.exports import PROFILES, builtin_profile_text
from faultkit.cli import main
from faultkit.scoring import (
    SERVICENOW_MATRIX,
    SERVICENOW_MATRIX_NO_PLANNING,
    PriorityMatrix,
    infer_matrix,
)

EXPORTS = Path(__file__).resolve().parent / "data" / "exports"
JIRA = EXPORTS / "jira_issues.csv"
JIRA_PROFILE = EXPORTS / "jira_issues.toml"
HELPDESK = EXPORTS / "helpdesk_events.csv"
HELPDESK_PROFILE = EXPORTS / "helpdesk_events.toml"
SAMPLE = Path(str(files("faultkit").joinpath("data", "servicenow_incidents_sample.csv")))


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def scored_rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def test_profile_list_and_show_print_the_shipped_profiles() -> None:
    listed = run("profile", "list", "--json")
    assert listed.exit_code == 0
    assert [p["name"] for p in json.loads(listed.output)["profiles"]] == sorted(PROFILES)
    for name in PROFILES:
        shown = run("profile", "show", name)
        assert shown.exit_code == 0
        assert shown.output == builtin_profile_text(name)
    assert run("profile", "show", "remedy").exit_code == 2


def test_a_shown_profile_copied_to_a_file_works_as_the_built_in(tmp_path: Path) -> None:
    copy = tmp_path / "mine.toml"
    copy.write_text(run("profile", "show", "servicenow").output, encoding="utf-8")
    by_name = run("score", str(SAMPLE), "--preset", "servicenow", "--dayfirst", "-o", "-")
    by_file = run("score", str(SAMPLE), "--profile", str(copy), "--dayfirst", "-o", "-")
    assert by_name.exit_code == by_file.exit_code == 0
    assert by_name.stdout == by_file.stdout


def test_profile_check_lists_what_the_profile_leaves_unmapped(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text(
        "Issue key,Status,Priority,Sprint\n"
        "H-1,Open,Major,\n"
        "H-2,Triage,Urgent,S1\n"
        "H-3,Triage,Major,S1\n"
        "H-4,Open,Urgent,S2\n"
        "H-5,Triage,Urgent,\n",
        encoding="utf-8",
    )
    result = run("profile", "check", "jira", str(export), "--json")
    assert result.exit_code == 1
    found = json.loads(result.output)
    assert found["rows"] == 5
    assert found["unmapped_values"] == {"priority": {"Urgent": 3}, "state": {"Triage": 3}}
    assert found["unmapped_columns"] == {"Sprint": 3}
    missing = {item["field"] for item in found["missing_columns"]}
    assert {"impact", "urgency", "updated_at", "opened_at"} <= missing
    text = run("profile", "check", "jira", str(export)).output
    assert "'Urgent' (3)" in text
    assert "'Triage' (3)" in text
    good = run("profile", "check", str(JIRA_PROFILE), str(JIRA))
    assert good.exit_code == 0, good.output
    assert "every value of a mapped field is readable" in good.output


def test_profile_check_with_a_broken_profile_is_a_usage_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[values.priority]\nMajor = 9\n", encoding="utf-8")
    result = run("profile", "check", str(broken), str(JIRA))
    assert result.exit_code == 2
    assert "values.priority.Major" in result.output
    assert "Traceback" not in result.output


def test_jira_issue_list_with_its_profile_all_three_commands(tmp_path: Path) -> None:
    out = tmp_path / "scored.csv"
    scored = run("score", str(JIRA), "--profile", str(JIRA_PROFILE), "-o", str(out), "--json")
    assert scored.exit_code == 0, scored.output
    summary = json.loads(scored.output)
    assert summary["rows_scored"] == 10
    rows = scored_rows(out)
    expected = {"Blocker": "1", "Critical": "2", "Major": "3", "Minor": "4", "Trivial": "5"}
    assert [row["faultkit_priority"] for row in rows] == [expected[r["Priority"]] for r in rows]
    assert {row["faultkit_priority_matches_source"] for row in rows} == {""}
    assert all(row["faultkit_sla_due"] for row in rows)

    checked = run("check-log", str(JIRA), "--profile", str(JIRA_PROFILE), "--json")
    assert checked.exit_code == 0, checked.output
    log = json.loads(checked.output)
    assert log["timed"] is False
    assert log["incidents"] == 10
    refused = run("check-log", str(JIRA), "--profile", str(JIRA_PROFILE), "--check-order")
    assert refused.exit_code == 2
    assert "updated-at" in refused.output

    reported = run("report", str(JIRA), "--profile", str(JIRA_PROFILE), "--json")
    assert reported.exit_code == 0, reported.output
    figures = json.loads(reported.output)
    assert figures["faults"] == 10
    assert figures["last_state"] == {"active": 3, "closed": 2, "open": 2, "resolved": 3}
    assert "time to resolve" in figures["unavailable"]
    text = run("report", str(JIRA), "--profile", str(JIRA_PROFILE)).output
    assert "cannot be given" in text


def test_helpdesk_event_log_with_its_own_state_names(tmp_path: Path) -> None:
    out = tmp_path / "scored.csv"
    scored = run("score", str(HELPDESK), "--profile", str(HELPDESK_PROFILE), "-o", str(out))
    assert scored.exit_code == 0, scored.output
    rows = scored_rows(out, ";")  # the output keeps the input's delimiter
    assert len(rows) == 17
    assert {row["faultkit_priority_matches_source"] for row in rows} == {"true"}
    # day first, Amsterdam: 03-02-2021 09:00 is 08:00 UTC; P1 is due 4 hours later
    assert rows[0]["faultkit_sla_due"] == "2021-02-03T12:00:00+00:00"

    checked = run("check-log", str(HELPDESK), "--profile", str(HELPDESK_PROFILE), "--json")
    log = json.loads(checked.output)
    assert checked.exit_code == 1
    assert [(v["incident"], v["from_state"], v["to_state"]) for v in log["violations"]] == [
        ("HD-5", "new", "closed")
    ]
    # Cancelled (British) is the profile's canceled: HD-3 New -> Cancelled is legal
    assert log["events"] == 17

    reported = run("report", str(HELPDESK), "--profile", str(HELPDESK_PROFILE), "--json")
    assert reported.exit_code == 0, reported.output
    assert json.loads(reported.output)["faults"] == 5


def test_command_line_options_win_over_the_profile(tmp_path: Path) -> None:
    # the profile says day first; --monthfirst reads 03-02-2021 as 2 March
    out = tmp_path / "scored.csv"
    run("score", str(HELPDESK), "--profile", str(HELPDESK_PROFILE), "--monthfirst", "-o", str(out))
    assert scored_rows(out, ";")[0]["faultkit_sla_due"] == "2021-03-02T12:00:00+00:00"
    # the profile says ';': a ',' delimiter finds no columns
    wrong = run(
        "score", str(HELPDESK), "--profile", str(HELPDESK_PROFILE), "--delimiter", ",",
        "-o", str(out),
    )  # fmt: skip
    assert wrong.exit_code == 2
    # --tz over the profile's zone
    run("score", str(HELPDESK), "--profile", str(HELPDESK_PROFILE), "--tz", "UTC", "-o", str(out))
    assert scored_rows(out, ";")[0]["faultkit_sla_due"] == "2021-02-03T13:00:00+00:00"
    # --workflow over the profile's: procedure has none of these states
    other = run(
        "report", str(HELPDESK), "--profile", str(HELPDESK_PROFILE), "--workflow", "procedure"
    )
    assert other.exit_code == 2
    assert "values.state" in other.output
    both = run(
        "score", str(HELPDESK), "--profile", str(HELPDESK_PROFILE), "--preset", "jira",
        "-o", str(out),
    )  # fmt: skip
    assert both.exit_code == 2


def test_report_on_a_servicenow_export_against_procedure_says_why_instead_of_zeros() -> None:
    result = run(
        "report", str(SAMPLE), "--preset", "servicenow", "--dayfirst", "--workflow", "procedure"
    )
    assert result.exit_code == 2
    assert "none of the export's state labels maps into workflow 'procedure'" in result.output
    assert "[values.state]" in result.output
    checked = run(
        "check-log", str(SAMPLE), "--preset", "servicenow", "--dayfirst", "--workflow", "procedure"
    )
    assert "none of the export's state labels maps" in checked.output


def test_duplicate_header_is_a_usage_error_naming_it_unless_the_profile_picks_one(
    tmp_path: Path,
) -> None:
    export = tmp_path / "dup.csv"
    export.write_text("id,impact,urgency,impact\nA,1,1,3\n", encoding="utf-8")
    refused = run("score", str(export), "-o", "-")
    assert refused.exit_code == 2
    assert "2 columns called 'impact' (columns 2, 4)" in refused.output
    picked = run("score", str(export), "--map", "impact=impact#2", "-o", "-")
    assert picked.exit_code == 0
    assert picked.stdout.splitlines()[1].split(",")[4] == "3"  # 3 x 1 = 3


def test_matrix_infer_finds_the_instance_s_3_x_3_low_cell(tmp_path: Path) -> None:
    oob = tmp_path / "oob.toml"  # the servicenow profile with the out-of-box matrix
    oob.write_text(
        builtin_profile_text("servicenow").replace(
            'matrix = "servicenow-no-planning"', 'matrix = "servicenow"'
        ),
        encoding="utf-8",
    )
    out = tmp_path / "scored.csv"
    plain = run("score", str(SAMPLE), "--profile", str(oob), "--dayfirst", "-o", str(out), "--json")
    flagged = json.loads(plain.output)["priority_mismatches"]
    source = scored_rows(SAMPLE)
    low_cells = sum(1 for r in source if r["impact"][0] == r["urgency"][0] == "3")
    assert flagged == low_cells > 0  # the out-of-box matrix says 5 where the instance says 4

    inferred = run(
        "score", str(SAMPLE), "--profile", str(oob), "--dayfirst", "--matrix", "infer",
        "-o", str(out), "--json",
    )  # fmt: skip
    assert inferred.exit_code == 0, inferred.output
    summary = json.loads(inferred.output)
    assert summary["priority_mismatches"] == 0
    learned = summary["matrix_inferred"]
    assert learned["preset"] == "servicenow"
    assert learned["differs_from_preset"] == [{"impact": 3, "urgency": 3, "priority": 4}]
    cell = next(c for c in learned["cells"] if (c["impact"], c["urgency"]) == (3, 3))
    assert cell["rows"] == cell["agreeing"] == low_cells
    text = run(
        "score", str(SAMPLE), "--profile", str(oob), "--dayfirst", "--matrix", "infer",
        "-o", str(out),
    ).output  # fmt: skip
    assert "<- differs" in text
    assert "3 x 3" in text
    assert run("score", "-", "--matrix", "infer", stdin="id\n").exit_code == 2


def test_matrix_infer_on_the_shared_servicenow_export(
    servicenow_export: Path, tmp_path: Path
) -> None:
    result = run(
        "score", str(servicenow_export), "--preset", "servicenow", "--dayfirst",
        "--matrix", "infer", "--json", "-o", str(tmp_path / "out.csv"),
    )  # fmt: skip
    learned = json.loads(result.output)["matrix_inferred"]
    cell = next(c for c in learned["cells"] if (c["impact"], c["urgency"]) == (3, 3))
    assert (cell["priority"], cell["agreeing"], cell["rows"]) == (4, 401, 401)
    assert learned["rows"] == 5998


matrices = st.sampled_from([SERVICENOW_MATRIX, SERVICENOW_MATRIX_NO_PLANNING])


@settings(max_examples=100)
@given(
    matrices,
    st.dictionaries(
        st.tuples(st.integers(1, 3), st.integers(1, 3)), st.integers(1, 50), min_size=1
    ),
    st.lists(st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 5))),
)
def test_infer_matrix_recovers_the_matrix_the_majority_follows(
    truth: PriorityMatrix,
    cells: dict[tuple[int, int], int],
    noise: list[tuple[int, int, int]],
) -> None:
    observed: Counter[tuple[int, int, int]] = Counter()
    for (impact, urgency), count in cells.items():
        observed[impact, urgency, int(truth.lookup(impact, urgency))] += 2 * count + len(noise)
    for impact, urgency, source in noise:
        if (impact, urgency) in cells:  # noise in seen cells never outvotes the truth
            observed[impact, urgency, source] += 1
    inferred = infer_matrix(observed)
    assert inferred.matrix(truth).rows == truth.rows  # unseen cells come from the fallback
    for impact, urgency in cells:
        cell = inferred.cell(impact, urgency)
        assert cell is not None
        assert cell.priority == int(truth.lookup(impact, urgency))
        assert cell.rows == sum(
            n for (i, u, _p), n in observed.items() if (i, u) == (impact, urgency)
        )
    assert inferred.differences(truth) == ()
    assert inferred.rows == sum(observed.values())
    assert len(inferred.cells) == len(cells)


def test_profile_check_reads_jsonl_too(tmp_path: Path) -> None:
    export = tmp_path / "export.jsonl"
    lines = [
        {"Issue key": "H-1", "Status": "Open", "Priority": "Major"},
        {"Issue key": "H-2", "Status": "Open", "Priority": "Urgent", "Extra": 1},
        "not an object",
    ]
    export.write_text("\n".join(json.dumps(line) for line in lines) + "\n{\n", encoding="utf-8")
    found = json.loads(run("profile", "check", "jira", str(export), "--json").output)
    assert found["rows"] == 4
    assert found["unreadable_rows"] == 2
    assert found["unmapped_values"] == {"priority": {"Urgent": 1}}
    assert found["unmapped_columns"] == {"Extra": 1}


def test_the_dask_engine_refuses_a_delimiter_it_cannot_read(tmp_path: Path) -> None:
    for command in ("score", "report"):
        result = run(
            command, str(HELPDESK), "--profile", str(HELPDESK_PROFILE), "--engine", "dask",
            *(["-o", str(tmp_path)] if command == "score" else []),
        )  # fmt: skip
        assert result.exit_code == 2
        assert "--engine dask reads comma-separated files" in result.output


LABELS = ["P1", "P2", "Major", "minor", "Cancelled", "Done", "Waiting", "", "?", "ünï", "1 - High"]
STATES = ["new", "in_progress", "on_hold", "resolved", "closed", "canceled"]


@st.composite
def profiled_exports(draw: st.DrawFn) -> tuple[str, str, str]:
    """(profile TOML, delimiter, CSV text): random maps, random cells from the same pools."""
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    fields = {"id": "Key", "state": "Stage", "priority": "Prio", "impact": "Imp", "urgency": "Urg"}
    mapped = draw(st.lists(st.sampled_from(sorted(fields)), unique=True, min_size=1))
    lines = ["[profile]", f"delimiter = {json.dumps(delimiter)}", "[columns]"]
    lines += [f"{field} = {json.dumps(fields[field])}" for field in mapped]
    for field in ("priority", "impact", "urgency"):
        chosen = draw(st.dictionaries(st.sampled_from(LABELS[:7]), st.integers(1, 3), max_size=4))
        folded = {label.casefold(): level for label, level in chosen.items()}
        if len(folded) == len(chosen) and chosen:
            lines.append(f"[values.{field}]")
            lines += [f"{json.dumps(label)} = {level}" for label, level in chosen.items()]
    states = draw(st.dictionaries(st.sampled_from(LABELS[:7]), st.sampled_from(STATES)))
    if states:
        lines.append("[values.state]")
        lines += [f"{json.dumps(label)} = {json.dumps(state)}" for label, state in states.items()]
    header = draw(st.permutations(list(fields.values())))
    rows = draw(st.lists(st.lists(st.sampled_from(LABELS), min_size=5, max_size=5), max_size=8))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return "\n".join(lines) + "\n", delimiter, buffer.getvalue()


@settings(max_examples=150, deadline=None)
@given(profiled_exports(), st.sampled_from(["score", "check-log", "report", "profile check"]))
def test_random_profiles_and_exports_never_crash_and_counts_add_up(
    case: tuple[str, str, str], command: str
) -> None:
    toml, _delimiter, text = case
    with tempfile.TemporaryDirectory() as folder:
        profile, export = Path(folder, "p.toml"), Path(folder, "in.csv")
        profile.write_text(toml, encoding="utf-8")
        export.write_text(text, encoding="utf-8", newline="")
        if command == "profile check":
            args = ["profile", "check", str(profile), str(export), "--json"]
        else:
            args = [command, str(export), "--profile", str(profile), "--json"]
            args += ["--rejects", str(Path(folder, "r.csv"))]
            args += ["-o", str(Path(folder, "out.csv"))] if command == "score" else []
        result = CliRunner().invoke(main, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code == 2:  # under --json a usage error is one JSON object
        error = json.loads(result.stdout)
        assert error["kind"] == "usage"
        assert error["exit_code"] == 2
        assert error["error"]
        return
    summary = json.loads(result.stdout)
    if command == "score":
        assert summary["rows_read"] == summary["rows_written"] + summary["rows_rejected"]
    elif command == "check-log":
        assert summary["rows_read"] == summary["events"] + summary["rows_rejected"]
    elif command == "profile check":
        assert summary["rows"] == text.count("\n") - 1


def test_the_dask_report_also_says_when_no_state_label_maps() -> None:
    pytest.importorskip("dask")
    result = run(
        "report", str(SAMPLE), "--preset", "servicenow", "--dayfirst", "--workflow",
        "procedure", "--engine", "dask", "--workers", "1",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "none of the export's state labels maps into workflow 'procedure'" in result.output


@pytest.mark.parametrize("command", ["score", "check-log", "report"])
def test_columns_a_profile_file_names_and_the_export_lacks_are_named(
    tmp_path: Path, command: str
) -> None:
    """A Mantis export (Brazilian Portuguese headers) has no resolution date column."""
    export = tmp_path / "mantis.csv"
    export.write_text(
        "Núm,Prioridade,Estado,Data de Envio,Atualizado,Resumo\n"
        "0012236,normal,atribuído,2018-12-13,2018-12-13,Botão Voltar\n"
        "0012233,baixa,resolvido,2018-12-13,2018-12-14,Corrigir hint\n",
        encoding="utf-8",
    )
    profile = tmp_path / "mantis.toml"
    profile.write_text(
        '[profile]\nname = "mantis-ptbr"\n\n[columns]\nid = "Núm"\nstate = "Estado"\n'
        'opened_at = "Data de Envio"\nupdated_at = "Atualizado"\n'
        'resolved_at = "Data de Resolução"\npriority = "Prioridade"\n\n'
        "[values.priority]\nnormal = 3\nbaixa = 4\n\n"
        '[values.state]\n"atribuído" = "in_progress"\nresolvido = "resolved"\n',
        encoding="utf-8",
    )
    args = [command, str(export), "--profile", str(profile), "--rejects", str(tmp_path / "r")]
    if command == "score":
        args += ["-o", str(tmp_path / "out.csv")]
    as_json = run(*args, "--json")
    assert as_json.exit_code in (0, 1), as_json.output
    found = json.loads(as_json.stdout)["missing_columns"]
    assert found == [{"field": "resolved_at", "column": "Data de Resolução"}]
    text = run(*args).output
    assert "mapped columns the export lacks: resolved_at ('Data de Resolução')" in text
    # a built-in profile's optional columns are not listed, a --map'ed one is
    args = [command, str(SAMPLE), "--preset", "servicenow", "--dayfirst", "--json"]
    if command == "score":
        args += ["-o", str(tmp_path / "s.csv")]
    assert json.loads(run(*args).stdout)["missing_columns"] == []
    mapped = json.loads(run(*args, "--map", "component=Componente").stdout)
    assert mapped["missing_columns"] == [{"field": "component", "column": "Componente"}]


def test_a_field_the_profile_maps_to_no_column_is_not_shown_as_a_column(tmp_path: Path) -> None:
    """A Bugzilla buglist profile without impact, urgency or priority: no "(none)" column."""
    export = tmp_path / "bugs.csv"
    export.write_text(
        'bug_id,product,component,bug_status,short_desc\n1,Fedora,kernel,NEW,"oops"\n',
        encoding="utf-8",
    )
    profile = tmp_path / "bugzilla.toml"
    profile.write_text(
        '[profile]\nname = "bugzilla"\n\n[columns]\nid = "bug_id"\nstate = "bug_status"\n',
        encoding="utf-8",
    )
    done = run("score", str(export), "--profile", str(profile), "-o", str(tmp_path / "o.csv"))
    assert done.exit_code == 2
    assert "(none)" not in done.output
    assert "impact (the profile maps none), urgency (the profile maps none)" in done.output
    assert "(got [])" not in done.output


def test_profile_check_is_not_clean_when_rows_could_not_be_read(tmp_path: Path) -> None:
    """A GitHub issues CSV re-saved by a spreadsheet (each row one quoted cell + ';;;;;')."""
    export = tmp_path / "issues.csv"
    export.write_text(
        "id,title,body,created_at,updated_at,labels;;;;;\n"
        '"2229968422,Improve docs,x,2024-04-07T21:32:04Z,2024-04-07T21:32:08Z,docs";;;;;\n'
        '"2229766221,Skip tests,y,2024-04-07T13:14:48Z,2024-04-07T13:14:53Z,ci";;;;;\n',
        encoding="utf-8",
    )
    profile = tmp_path / "github.toml"
    profile.write_text(
        '[columns]\nid = "id"\nupdated_at = "updated_at"\nopened_at = "created_at"\n',
        encoding="utf-8",
    )
    result = run("profile", "check", str(profile), str(export))
    assert result.exit_code == 1
    assert "2 rows could not be read (ragged or not JSON)" in result.output
    assert "every value of a mapped field is readable" not in result.output
