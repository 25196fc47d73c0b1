"""``faultkit profile``: list, show and check export profiles."""

from __future__ import annotations

import sys

import click

from faultkit.adapters.exports import (
    PROFILES,
    ExportFormat,
    ProfileError,
    builtin_profile_text,
    get_profile,
    open_input,
)
from faultkit.adapters.exports.audit import check_profile
from faultkit.cli._common import (
    EXIT_OK,
    EXIT_REJECTED,
    emit,
    input_argument,
    resolve_delimiter,
    resolve_format,
    usage_errors,
)
from faultkit.errors import InvalidInputError

__all__ = ["profile"]

_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
_SHOWN = 10


@click.group(context_settings=_CONTEXT)
def profile() -> None:
    """Export profiles: TOML files that describe one tool's exports.

    \b
    A profile names the columns (id, state, priority, impact, urgency, dates, ...),
    maps the export's labels to levels and workflow states, and gives the date
    order, zone, delimiter, encoding and workflow. Pass it with --profile FILE to
    score, check-log and report; options on the command line win over it.

    \b
    Examples:
      faultkit profile list
      faultkit profile show jira > my-jira.toml
      faultkit profile check my-jira.toml export.csv
    """


@profile.command("list", context_settings=_CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def list_profiles(as_json: bool) -> None:
    """List the built-in profiles."""
    summary = {
        "profiles": [
            {"name": name, "description": item.description}
            for name, item in sorted(PROFILES.items())
        ]
    }
    lines = [f"{name:12} {item.description}" for name, item in sorted(PROFILES.items())]
    lines.append("Print one to copy and edit: faultkit profile show NAME > my-profile.toml")
    emit(summary, lines, as_json=as_json, to_stderr=False)


@profile.command(context_settings=_CONTEXT)
@click.argument("name", type=click.Choice(sorted(PROFILES)))
def show(name: str) -> None:
    """Print the built-in profile NAME (TOML with its sources), to copy and edit."""
    click.echo(builtin_profile_text(name), nl=False)


@profile.command(context_settings=_CONTEXT)
@click.argument("profile_path", metavar="PROFILE")
@input_argument
@click.option(
    "--format",
    "export_format",
    type=click.Choice([f.value for f in ExportFormat]),
    help="Input format; by default the profile's, else from the extension.",
)
@click.option(
    "--delimiter", metavar="CHAR", help="CSV delimiter; by default the profile's or sniffed."
)
@click.option("--encoding", help="Input encoding; by default the profile's.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.option("--all", "show_all", is_flag=True, help=f"List every value, not the first {_SHOWN}.")
def check(
    profile_path: str,
    input_path: str,
    export_format: str | None,
    delimiter: str | None,
    encoding: str | None,
    as_json: bool,
    show_all: bool,
) -> None:
    """List what PROFILE (a file or a built-in name) leaves unmapped in INPUT, with counts.

    Reads every row once: the export's columns no field maps (with their non-empty
    cells), the mapped columns the export lacks, and every priority, impact, urgency
    or state label the profile cannot read. Exit status 0 when every row could be read
    and every value of a mapped field is readable, 1 when some are not, 2 for a usage
    error.
    """
    try:
        chosen = get_profile(profile_path)
    except ProfileError as error:
        raise click.BadParameter(f"{profile_path}: {error}", param_hint="PROFILE") from None
    except InvalidInputError as error:
        raise click.BadParameter(str(error), param_hint="PROFILE") from None
    fmt = resolve_format(input_path, export_format or (chosen.format and chosen.format.value))
    text_encoding = encoding or chosen.encoding
    separator = resolve_delimiter(delimiter) or chosen.delimiter
    with usage_errors(input_path, text_encoding):
        flow = chosen.workflow_table()
        with open_input(input_path, text_encoding) as source:
            found = check_profile(
                source,
                fmt,
                chosen.preset,
                flow,
                delimiter=separator,
            )
    summary = {
        "command": "profile check",
        "profile": chosen.name,
        "input": input_path,
        "workflow": flow.name,
        **found.to_dict(),
    }
    lines = [
        f"{input_path}: {found.rows} rows read ({found.unreadable} unreadable, not checked), "
        f"{len(found.columns)} columns; profile {chosen.name}, workflow {flow.name}"
    ]
    if found.missing_columns:
        lines.append(
            "  mapped columns the export lacks: "
            + ", ".join(f"{field} ({column!r})" for field, column in found.missing_columns)
        )
    if found.unmapped_columns:
        shown = list(found.unmapped_columns.items())
        cut = shown if show_all else shown[:_SHOWN]
        lines.append(
            f"  {len(shown)} columns no field maps (cells with a value): "
            + ", ".join(f"{name!r} ({n})" for name, n in cut)
            + (", ..." if len(cut) < len(shown) else "")
        )
    for field, labels in found.unmapped_values.items():
        items = list(labels.items())
        cut = items if show_all else items[:_SHOWN]
        where = "[values.state] or the workflow" if field == "state" else f"[values.{field}]"
        lines.append(
            f"  {sum(labels.values())} rows with {len(items)} {field} values not in {where}: "
            + ", ".join(f"{label!r} ({n})" for label, n in cut)
            + (", ... (--all)" if len(cut) < len(items) else "")
        )
    if found.unreadable:
        lines.append(
            f"  {found.unreadable} rows could not be read (ragged or not JSON): their values "
            "were not checked; score or check-log lists each with its reason"
        )
    if found.ok:
        lines.append("  every value of a mapped field is readable")
    emit(summary, lines, as_json=as_json, to_stderr=False)
    sys.exit(EXIT_OK if found.ok else EXIT_REJECTED)
