"""``faultkit score`` run as the real console script, in a subprocess.

Covers: the bundled example, exit codes 0/1/2, stdin/stdout with ``-``, the rejects
file (line, column, value, reason) and rows read = written + rejected, ragged rows,
huge fields, impossible dates, ``--excel-safe``, BOM and other encodings, JSONL,
``--max-errors``, and the progress bar (silent when stderr is not a terminal).
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest

SAMPLE = Path(str(files("faultkit").joinpath("data", "servicenow_incidents_sample.csv")))
HEADER = "number,incident_state,opened_at,resolved_at,impact,urgency,priority,notes"
ADDED = [
    "faultkit_priority",
    "faultkit_priority_matches_source",
    "faultkit_sla_due",
    "faultkit_sla_breached",
]


def faultkit_command() -> list[str]:
    """The installed console script (the ``cli`` extra installs it next to Python)."""
    script = Path(sys.executable).with_name("faultkit")
    if script.exists():
        return [str(script)]
    found = shutil.which("faultkit")
    assert found, "the faultkit console script is not installed (pip install -e '.[cli]')"
    return [found]


def run(
    *args: str, cwd: Path | None = None, stdin: bytes | str | None = None
) -> subprocess.CompletedProcess[bytes]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run(
        [*faultkit_command(), *args],
        input=data,
        capture_output=True,
        cwd=cwd,
        check=False,
        timeout=120,
    )


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_example_then_score_the_readme_way(tmp_path: Path) -> None:
    made = run("example", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    example = tmp_path / "servicenow_incidents_sample.csv"
    assert example.read_bytes() == SAMPLE.read_bytes()
    assert b"CC BY 4.0" in made.stdout

    result = run(str(example.name), "--preset", "servicenow", "--dayfirst", cwd=tmp_path)
    assert result.returncode == 2  # no command: a usage error

    result = run("score", example.name, "--preset", "servicenow", "--dayfirst", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""  # no progress bar: stderr is not a terminal
    scored = rows_of(tmp_path / "servicenow_incidents_sample.scored.csv")
    source = rows_of(example)
    assert len(scored) == len(source) == 308
    assert b"308 rows read, 308 scored" in result.stdout
    for before, after in zip(source, scored, strict=True):
        assert {k: after[k] for k in before} == before  # original columns untouched
        assert after["faultkit_priority"] == after["priority"][0]
        assert after["faultkit_priority_matches_source"] == "true"
    assert list(scored[0])[-4:] == ADDED
    assert not list(tmp_path.glob("*.rejects.csv"))  # created only when a row is rejected


def bad_export(tmp_path: Path) -> Path:
    big = "x" * 200_000
    return write(
        tmp_path / "bad.csv",
        HEADER + "\n"
        "INC1,New,2016-02-29 01:16,,1 - High,1 - High,1 - Critical,ok\n"  # line 2: good
        "INC2,New,31-02-2016 01:16,,1 - High,1 - High,1 - Critical,x\n"  # 3: ambiguous
        "INC3,New,2016-02-31 01:16,,1 - High,1 - High,1 - Critical,x\n"  # 4: impossible
        "INC4,New,2016-03-01 10:00,,7 - Huge,1 - High,1 - Critical,x\n"  # 5: out of scale
        "INC5,New,2016-03-01 10:00,,,1 - High,1 - Critical,x\n"  # 6: impact missing
        "INC6,New,2016-03-01 10:00\n"  # 7: ragged
        f'INC7,New,2016-03-01 10:00,,1 - High,1 - High,1 - Critical,"{big}"\n'  # 8: huge
        'INC8,New,2016-03-01 10:00,,3 - Low,3 - Low,"2 - High",'
        '"two\nlines"\n'  # 9-10: good, overridden priority, multi-line cell
        "INC9,New,2016-03-01 10:00,,2 - Medium,1 - High,,x\n",  # 11: good, no source
    )


def test_bad_rows_go_to_the_rejects_file_with_line_column_value_reason(tmp_path: Path) -> None:
    export = bad_export(tmp_path)
    out = tmp_path / "out.csv"
    result = run(
        "score",
        str(export),
        "-o",
        str(out),
        "--preset",
        "generic",
        "--json",
        "--map",
        "id=number",
        "--map",
        "state=incident_state",
    )
    assert result.returncode == 1, result.stderr
    summary = json.loads(result.stdout)
    assert summary["rows_read"] == 9
    assert summary["rows_written"] == 3
    assert summary["rows_rejected"] == 6
    assert summary["rows_read"] == summary["rows_written"] + summary["rows_rejected"]
    assert summary["priority_mismatches"] == 1
    assert summary["rejects"] == str(tmp_path / "out.rejects.csv")

    rejects = rows_of(tmp_path / "out.rejects.csv")
    got = [(r["line"], r["column"], r["value"][:20]) for r in rejects]
    assert got == [
        ("3", "opened_at", "31-02-2016 01:16"),
        ("4", "opened_at", "2016-02-31 01:16"),
        ("5", "impact", "7 - Huge"),
        ("6", "impact", ""),
        ("7", "", "3 cells"),
        ("8", "", ""),
    ]
    reasons = {r["line"]: r["reason"] for r in rejects}
    assert "ambiguous" in reasons["3"]
    assert "impossible date" in reasons["4"] or "day is out of range" in reasons["4"]
    assert "1-3" in reasons["5"]
    assert "missing" in reasons["6"]
    assert "ragged" in reasons["7"]
    assert "field larger than field limit" in reasons["8"]
    assert rejects[0]["record"].startswith("INC2,New,31-02-2016")

    scored = rows_of(out)
    assert [r["number"] for r in scored] == ["INC1", "INC8", "INC9"]
    assert [r["faultkit_priority_matches_source"] for r in scored] == ["true", "false", ""]
    assert scored[1]["notes"] == "two\nlines"  # unknown columns pass through untouched


def test_stdin_to_stdout_with_summary_on_stderr(tmp_path: Path) -> None:
    export = SAMPLE.read_bytes()
    result = run(
        "score",
        "-",
        "-o",
        "-",
        "--preset",
        "servicenow",
        "--dayfirst",
        "--json",
        cwd=tmp_path,
        stdin=export,
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stderr)
    assert summary["rows_read"] == summary["rows_written"] == 308
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode())))
    assert len(rows) == 308
    assert rows[0]["faultkit_priority"] == "3"


def test_stdin_defaults_to_stdout(tmp_path: Path) -> None:
    result = run(
        "score",
        "-",
        "--preset",
        "servicenow",
        "--dayfirst",
        "--no-sla",
        cwd=tmp_path,
        stdin=SAMPLE.read_bytes(),
    )
    assert result.returncode == 0
    header = result.stdout.decode().splitlines()[0]
    assert header.endswith("faultkit_priority,faultkit_priority_matches_source")
    assert b"308 rows read" in result.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    export = write(tmp_path / "e.csv", "number,impact\nINC1,1\n")
    out = ["-o", str(tmp_path / "o.csv")]
    missing_column = run("score", str(export), *out)
    assert missing_column.returncode == 2
    assert b"urgency" in missing_column.stderr
    assert run("score", str(tmp_path / "nope.csv")).returncode == 2
    assert run("score", str(export), "--tz", "Mars/Olympus", *out).returncode == 2
    # more usage errors, in process: tests/test_cli_exports.py


def test_excel_safe_neutralises_formulas(tmp_path: Path) -> None:
    export = write(
        tmp_path / "x.csv",
        "id,impact,urgency,note,other\n"
        'INC1,1,1,=HYPERLINK("http://x"),+1\n'
        "INC2,1,1,@SUM(A1),-2\n"
        "INC3,1,1,\tTAB,plain\n",
    )
    plain = run("score", str(export), "-o", str(tmp_path / "plain.csv"))
    assert plain.returncode == 0, plain.stderr
    assert rows_of(tmp_path / "plain.csv")[0]["note"] == '=HYPERLINK("http://x")'
    safe = run("score", str(export), "-o", str(tmp_path / "safe.csv"), "--excel-safe")
    assert safe.returncode == 0
    rows = rows_of(tmp_path / "safe.csv")
    assert [r["note"] for r in rows] == ['\'=HYPERLINK("http://x")', "'@SUM(A1)", "'\tTAB"]
    assert [r["other"] for r in rows] == ["'+1", "'-2", "plain"]
    assert rows[0]["faultkit_priority"] == "1"


def test_bom_and_other_encodings(tmp_path: Path) -> None:
    text = "id,impact,urgency,note\nINC1,2,2,café\n"
    bom = write(tmp_path / "bom.csv", "\ufeff" + text)
    result = run("score", str(bom), "-o", str(tmp_path / "bom.out.csv"))
    assert result.returncode == 0, result.stderr
    rows = rows_of(tmp_path / "bom.out.csv")
    assert next(iter(rows[0])) == "id"
    assert rows[0]["note"] == "café"

    latin = write(tmp_path / "latin.csv", text, encoding="latin-1")
    wrong = run("score", str(latin), "-o", str(tmp_path / "l.csv"))
    assert wrong.returncode == 2
    assert b"--encoding" in wrong.stderr
    right = run("score", str(latin), "-o", str(tmp_path / "l.csv"), "--encoding", "latin-1")
    assert right.returncode == 0
    assert rows_of(tmp_path / "l.csv")[0]["note"] == "café"


def test_jsonl_in_and_out(tmp_path: Path) -> None:
    export = write(
        tmp_path / "e.jsonl",
        json.dumps({"id": "INC1", "impact": 1, "urgency": "2 - Medium", "priority": 2}) + "\n"
        "\n"
        "not json\n"
        + json.dumps({"id": "INC2", "impact": "high", "urgency": "low", "extra": [1]})
        + "\n"
        + json.dumps([1, 2])
        + "\n"
        + json.dumps({"id": "INC3", "urgency": 1})
        + "\n",
    )
    out = tmp_path / "out.jsonl"
    result = run("score", str(export), "-o", str(out), "--json")
    assert result.returncode == 1, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["rows_read"], summary["rows_written"], summary["rows_rejected"]) == (5, 2, 3)
    objects = [json.loads(line) for line in out.read_text().splitlines()]
    assert objects[0]["faultkit_priority"] == 2
    assert objects[0]["faultkit_priority_matches_source"] is True
    assert objects[1]["faultkit_priority"] == 3
    assert objects[1]["faultkit_priority_matches_source"] is None
    assert objects[1]["extra"] == [1]
    rejects = rows_of(tmp_path / "out.rejects.csv")
    assert [r["line"] for r in rejects] == ["3", "5", "6"]
    assert rejects[2]["column"] == "impact"


def test_max_errors_stops_early_and_still_adds_up(tmp_path: Path) -> None:
    body = "".join(f"INC{i},?,1\n" for i in range(50))
    export = write(tmp_path / "e.csv", "id,impact,urgency\nINC0,1,1\n" + body)
    result = run("score", str(export), "-o", str(tmp_path / "o.csv"), "--max-errors", "5", "--json")
    assert result.returncode == 1
    summary = json.loads(result.stdout)
    assert summary["stopped_early"] is True
    assert (summary["rows_read"], summary["rows_written"], summary["rows_rejected"]) == (6, 1, 5)


def test_severity_from_impact_facts(tmp_path: Path) -> None:
    export = write(
        tmp_path / "e.csv",
        "id,impact,urgency,impact_scope,interruption,data_loss,safety\n"
        "F1,1,1,whole_system,full_outage,none,false\n"
        "F2,3,3,single_user,none,none,false\n"
        "F3,2,2,,,,\n"
        "F4,2,2,galaxy,,,\n",
    )
    result = run("score", str(export), "-o", str(tmp_path / "o.csv"))
    assert result.returncode == 1
    rows = rows_of(tmp_path / "o.csv")
    severities = [r["faultkit_severity"] for r in rows]
    assert severities[0] == "1"
    assert int(severities[1]) > int(severities[0])
    assert severities[2] == ""  # no facts: no severity, and not a rejection
    rejects = rows_of(tmp_path / "o.rejects.csv")
    assert [(r["line"], r["column"], r["value"]) for r in rejects] == [
        ("5", "impact_scope", "galaxy")
    ]


def test_progress_is_silent_unless_asked_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    body = "".join(f"INC{i},{1 + i % 3},{1 + i % 2}\n" for i in range(20_000))
    export = write(tmp_path / "e.csv", "id,impact,urgency\n" + body)
    quiet = run("score", "-", "-o", str(tmp_path / "o.csv"), stdin=export.read_bytes())
    assert quiet.returncode == 0
    assert quiet.stderr == b""
    forced = run("score", str(export), "-o", str(tmp_path / "o.csv"), "--progress")
    assert forced.returncode == 0
    assert b"rows" in forced.stderr


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_progress_shows_on_a_terminal(tmp_path: Path) -> None:
    body = "".join(f"INC{i},{1 + i % 3},{1 + i % 2}\n" for i in range(20_000))
    primary, secondary = os.openpty()
    try:
        proc = subprocess.run(
            [*faultkit_command(), "score", "-", "-o", str(tmp_path / "o.csv")],
            input=("id,impact,urgency\n" + body).encode(),
            stdout=subprocess.PIPE,
            stderr=secondary,
            check=False,
            timeout=120,
        )
        os.close(secondary)
        shown = b""
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(primary)
    assert proc.returncode == 0
    assert b"scoring" in shown
    assert b"rows" in shown


def test_report_offers_each_group_it_can_make_and_no_other(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from faultkit.cli.report import report

    offered = next(p for p in report.params if p.name == "group_by").type.choices  # type: ignore[attr-defined]
    assert sorted(offered) == ["component", "period", "priority", "severity"]
    assert run("example", cwd=tmp_path).returncode == 0
    sample = str(tmp_path / "servicenow_incidents_sample.csv")
    for group in offered:
        done = CliRunner().invoke(
            report, [sample, "--preset", "servicenow", "--dayfirst", "--group-by", group, "--json"]
        )
        assert done.exit_code == 0, done.output
        assert json.loads(done.output)["group_by"] == [group]
    refused = CliRunner().invoke(report, [sample, "--preset", "servicenow", "--group-by", "team"])
    assert refused.exit_code == 2
    assert "'team' is not one of" in refused.output


def test_report_table_json_and_charts(tmp_path: Path) -> None:
    made = run("example", cwd=tmp_path)
    assert made.returncode == 0
    args = ["report", "servicenow_incidents_sample.csv", "--preset", "servicenow", "--dayfirst"]
    table = run(*args, cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    assert b"50 faults" in table.stdout
    assert b"resolution SLA met" in table.stdout
    as_json = run(*args, "--json", "--group-by", "priority", "--group-by", "period", cwd=tmp_path)
    assert as_json.returncode == 0, as_json.stderr
    summary = json.loads(as_json.stdout)
    assert (summary["rows_read"], summary["rows_rejected"], summary["faults"]) == (308, 0, 50)
    assert summary["group_by"] == ["priority", "period"]
    assert sum(group["figures"]["faults"] for group in summary["groups"]) == 50
    assert summary["now"] == "2016-04-17T15:07:00+00:00"  # the export's last time
    charts = run(*args, "--charts", "charts", cwd=tmp_path)
    if importlib.util.find_spec("matplotlib") is None:
        assert charts.returncode == 2
        assert b"faultkit[plot]" in charts.stderr
    else:
        assert charts.returncode == 0, charts.stderr
        for name in ("trend.png", "pareto.png", "sla.png"):
            assert (tmp_path / "charts" / name).read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("rows", "code", "why"),
    [
        ("", 0, "the export has no rows"),
        ("INC1,New,garbage,,1 - High,1 - High,1 - Critical,x\n", 1, "every row was rejected"),
    ],
)
def test_report_without_a_usable_row_says_so_and_draws_nothing(
    tmp_path: Path, rows: str, code: int, why: str
) -> None:
    """No traceback (it was an internal error, exit 4, from the empty Pareto), no chart."""
    header = HEADER.replace("notes", "sys_updated_at")
    (tmp_path / "in.csv").write_text(f"{header}\n{rows}", encoding="utf-8")
    args = ["report", "in.csv", "--preset", "servicenow", "--dayfirst", "--charts", "charts"]
    done = run(*args, cwd=tmp_path)
    assert done.returncode == code, done.stderr
    assert f"no figures: {why}".encode() in done.stdout
    assert b"charts not drawn: there is no fault to draw" in done.stdout
    assert not (tmp_path / "charts").exists()
    summary = json.loads(run(*args, "--json", cwd=tmp_path).stdout)
    assert (summary["faults"], summary["now"], summary["charts"]) == (0, None, [])


@pytest.mark.skipif(importlib.util.find_spec("matplotlib") is None, reason="needs matplotlib")
def test_report_charts_are_all_drawn_before_one_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chart that cannot be drawn (here the Pareto) leaves no new trend.png behind."""
    from click.testing import CliRunner

    import faultkit.feedback.charts
    from faultkit.cli import main

    def broken(*args: object, **kwargs: object) -> bytes:
        raise MemoryError("drawing the Pareto")

    monkeypatch.setattr(faultkit.feedback.charts, "pareto_chart", broken)
    (tmp_path / "charts").mkdir()
    (tmp_path / "charts" / "trend.png").write_bytes(b"old")
    args = ["report", str(SAMPLE), "--preset", "servicenow", "--dayfirst", "--charts"]
    done = CliRunner().invoke(main, [*args, str(tmp_path / "charts")])
    assert done.exit_code != 0
    assert (tmp_path / "charts" / "trend.png").read_bytes() == b"old"
    assert sorted(p.name for p in (tmp_path / "charts").iterdir()) == ["trend.png"]


def test_report_says_it_does_not_read_resolved_at(tmp_path: Path) -> None:
    """The caveat names the column a profile maps for resolved-at; none without one."""
    args = ["report", str(SAMPLE), "--preset", "servicenow", "--dayfirst", "--json"]
    caveat = (
        "the resolved-at column 'resolved_at' is not read: times to resolve run to the "
        "update time of the row that last enters a resolved state"
    )
    assert caveat in json.loads(run(*args).stdout)["caveats"]
    assert f"  caveat: {caveat}".encode() in run(*args[:-1]).stdout
    profile = tmp_path / "p.toml"
    profile.write_text(
        "[columns]\nid = 'number'\nstate = 'incident_state'\nupdated_at = 'sys_updated_at'\n"
        "opened_at = 'opened_at'\npriority = 'priority'\n\n[values.priority]\n"
        "'1 - Critical' = 1\n'2 - High' = 2\n'3 - Moderate' = 3\n'4 - Low' = 4\n",
        encoding="utf-8",
    )
    args = ["report", str(SAMPLE), "--profile", str(profile), "--dayfirst", "--json"]
    done = run(*args, "--rejects", str(tmp_path / "r.csv"))
    assert not [c for c in json.loads(done.stdout)["caveats"] if "resolved-at" in c]
