"""A profile's ``workflow`` (and ``--workflow``) may name a workflow file (issue 16)."""

from __future__ import annotations

import csv
import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from faultkit.adapters.exports import ProfileError, load_profile, load_workflow
from faultkit.cli import main
from faultkit.lifecycle import ITIL, PROCEDURE, State, StateCategory, Transition, Workflow
from faultkit.serialization import from_json, to_json

EXPORTS = Path(__file__).resolve().parent / "data" / "exports"
HELPDESK = EXPORTS / "helpdesk_events.csv"
HELPDESK_PROFILE = EXPORTS / "helpdesk_events.toml"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def profile_with(tmp_path: Path, workflow: str, states: str | None = None) -> Path:
    """The helpdesk profile with another ``workflow`` (and ``[values.state]`` body)."""
    text = HELPDESK_PROFILE.read_text(encoding="utf-8")
    text = text.replace('workflow = "itil"', f"workflow = {json.dumps(workflow)}")
    if states is not None:
        head, _, rest = text.partition("[values.state]")
        text = head + "[values.state]\n" + states + "\n[dates]" + rest.partition("[dates]")[2]
    path = tmp_path / "profile.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("flow", [ITIL, PROCEDURE])
def test_to_json_of_a_workflow_loads_back_equal(tmp_path: Path, flow: Workflow) -> None:
    assert from_json(to_json(flow), Workflow) == flow
    path = tmp_path / "flow.json"
    path.write_text(to_json(flow, indent=2), encoding="utf-8")
    assert load_workflow(path) == flow


def test_itil_written_to_a_file_checks_the_log_as_the_name_does(tmp_path: Path) -> None:
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "itil.json").write_text(to_json(ITIL), encoding="utf-8")
    by_file = profile_with(tmp_path, "flows/itil.json")  # relative to the profile's folder
    assert load_profile(by_file).flow == ITIL
    named = run("check-log", str(HELPDESK), "--profile", str(HELPDESK_PROFILE), "--json")
    filed = run("check-log", str(HELPDESK), "--profile", str(by_file), "--json")
    assert (filed.exit_code, json.loads(filed.output)["violations"]) == (
        named.exit_code,
        json.loads(named.output)["violations"],
    )
    assert json.loads(filed.output)["violations"]  # the log has an illegal step to compare
    # --workflow FILE too, here an absolute path
    given = run(
        "check-log", str(HELPDESK), "--profile", str(HELPDESK_PROFILE),
        "--workflow", str(tmp_path / "flows" / "itil.json"), "--json",
    )  # fmt: skip
    assert json.loads(given.output)["violations"] == json.loads(named.output)["violations"]


# A help desk's own workflow: its stage names are the states; a reopened ticket
# (Fixed -> Assigned) is not allowed.
DESK_STATES = {
    "Logged": StateCategory.OPEN,
    "Assigned": StateCategory.ACTIVE,
    "Waiting on customer": StateCategory.ON_HOLD,
    "Fixed": StateCategory.RESOLVED,
    "Done": StateCategory.CLOSED,
    "dropped": StateCategory.CLOSED,
}
DESK_ALLOWED = {
    ("Logged", "Assigned"),
    ("Logged", "Waiting on customer"),
    ("Waiting on customer", "Assigned"),
    ("Assigned", "Fixed"),
    ("Fixed", "Done"),
    ("Logged", "dropped"),
}


def desk_workflow() -> Workflow:
    return Workflow(
        name="desk",
        states=tuple(
            State(name=name, category=category, terminal=category is StateCategory.CLOSED)
            for name, category in DESK_STATES.items()
        ),
        initial="Logged",
        transitions=tuple(
            Transition(trigger=f"t{i}", sources=(source,), dest=dest)
            for i, (source, dest) in enumerate(sorted(DESK_ALLOWED))
        ),
        labels={name: name for name in DESK_STATES},
    )


def expected_violations() -> list[tuple[str, str, str]]:
    """Consecutive rows of a ticket whose step the desk workflow does not allow."""
    with HELPDESK.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    state = {"Cancelled": "dropped"}
    found = []
    for before, after in itertools.pairwise(rows):
        step = (
            state.get(before["Stage"], before["Stage"]),
            state.get(after["Stage"], after["Stage"]),
        )
        if before["Ticket"] == after["Ticket"] and step not in DESK_ALLOWED:
            found.append((after["Ticket"], *step))
    return found


@pytest.mark.parametrize("suffix", ["json", "toml"])
def test_a_custom_workflow_file_drives_check_log(tmp_path: Path, suffix: str) -> None:
    flow = desk_workflow()
    path = tmp_path / f"desk.{suffix}"
    if suffix == "json":
        path.write_text(to_json(flow), encoding="utf-8")
    else:
        states = "".join(
            f'[[states]]\nname = "{s.name}"\ncategory = "{s.category.value}"\n'
            f"terminal = {str(s.terminal).lower()}\n"
            for s in flow.states
        )
        moves = "".join(
            f'[[transitions]]\ntrigger = "{t.trigger}"\nsources = {json.dumps(list(t.sources))}\n'
            f'dest = "{t.dest}"\n'
            for t in flow.transitions
        )
        labels = "".join(f'"{label}" = "{state}"\n' for label, state in flow.labels.items())
        path.write_text(
            f'name = "desk"\ninitial = "Logged"\n{states}{moves}[labels]\n{labels}',
            encoding="utf-8",
        )
    assert load_workflow(path) == flow
    # [values.state] is checked against the file's states: Cancelled -> dropped
    profile = profile_with(tmp_path, path.name, 'Cancelled = "dropped"')
    checked = run("check-log", str(HELPDESK), "--profile", str(profile), "--json")
    log = json.loads(checked.output)
    assert log["rows_rejected"] == 0
    found = [(v["incident"], v["from_state"], v["to_state"]) for v in log["violations"]]
    assert found == expected_violations()
    assert found  # HD-4 is reopened, HD-5 skips a step
    assert checked.exit_code == 1


def test_a_state_label_must_map_to_a_state_of_the_file_s_workflow(tmp_path: Path) -> None:
    (tmp_path / "desk.json").write_text(to_json(desk_workflow()), encoding="utf-8")
    profile = profile_with(tmp_path, "desk.json", 'Cancelled = "canceled"')  # an ITIL state
    with pytest.raises(ProfileError, match=r"values\.state\.Cancelled.*'desk'"):
        load_profile(profile)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "unknown workflow and no such workflow file"),
        (b"\xff\xfe not utf-8", "cannot read the workflow file"),
        (b'{"name": "x", ', "not a workflow"),
        (b"[1, 2]", "not a workflow"),
        (b'{"name": "x", "states": 5, "initial": "a", "transitions": []}', r"states: expected"),
        (to_json(ITIL).replace('"open"', '"opened"', 1).encode(), r"states\[0\]\.category"),
    ],
)
def test_a_bad_workflow_file_is_a_profile_error_naming_it(
    tmp_path: Path, content: bytes | None, reason: str
) -> None:
    if content is not None:
        (tmp_path / "flow.json").write_bytes(content)
    profile = profile_with(tmp_path, "flow.json")
    with pytest.raises(ProfileError, match=rf"profile\.workflow: .*{reason}.*flow\.json") as error:
        load_profile(profile)
    assert error.value.field == "profile.workflow"
    # the commands say it as a usage error, no traceback
    result = run("check-log", str(HELPDESK), "--profile", str(profile))
    assert result.exit_code == 2
    assert "profile.workflow" in result.output


def test_bad_toml_workflow_and_a_bad_workflow_option(tmp_path: Path) -> None:
    (tmp_path / "flow.toml").write_text("name = [", encoding="utf-8")
    with pytest.raises(ProfileError, match="not valid TOML"):
        load_workflow(tmp_path / "flow.toml")
    for value in ("nonesuch", str(tmp_path / "flow.toml")):
        result = run(
            "check-log", str(HELPDESK), "--profile", str(HELPDESK_PROFILE), "--workflow", value
        )
        assert result.exit_code == 2
        assert "--workflow" in result.output
