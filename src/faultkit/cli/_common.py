"""What the commands share: options, the progress bar, summaries, exit codes."""

from __future__ import annotations

import contextlib
import csv
import functools
import json
import os
import stat
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import tzinfo
from pathlib import Path
from typing import Any, Protocol, TextIO, TypeVar

import attrs
import click

from faultkit.adapters.exports import (
    PRESETS,
    PROFILES,
    WORKFLOWS,
    DateOrder,
    DateReader,
    ExportFormat,
    Preset,
    Profile,
    ProfileError,
    RejectsFile,
    default_rejects_path,
    detect_format,
    get_profile,
    load_workflow,
    open_input,
)
from faultkit.adapters.exports.encodings import describe_fault, first_undecodable
from faultkit.adapters.exports.profiles import resolve_zone as zone_named
from faultkit.adapters.exports.tabular import Header, read_csv
from faultkit.adapters.files import SameFileError, refuse_same_file, standard_buffer

# the exit codes are the guard's (faultkit.cli._guard); importable from here as before
from faultkit.cli.status import EXIT_INTERNAL as EXIT_INTERNAL
from faultkit.cli.status import EXIT_INTERRUPTED as EXIT_INTERRUPTED
from faultkit.cli.status import EXIT_IO as EXIT_IO
from faultkit.cli.status import EXIT_OK as EXIT_OK
from faultkit.cli.status import EXIT_REJECTED as EXIT_REJECTED
from faultkit.cli.status import EXIT_TERMINATED as EXIT_TERMINATED
from faultkit.cli.status import EXIT_USAGE as EXIT_USAGE
from faultkit.errors import InvalidInputError
from faultkit.lifecycle import Workflow

TOP_REASONS = 5
"""How many reject reasons the summary on screen shows (the rejects file has every row)."""

LARGE_INPUT = 4 * 1024 * 1024
"""Inputs at least this large (bytes) get a progress bar, when stderr is a terminal."""

ENGINES = ("row", "dask")
"""The row engine and Dask (:mod:`faultkit.cli.dask_engine`): the ``--engine`` choices of
:func:`dask_options`; ``score`` and ``report`` add their columnar ones."""

F = TypeVar("F", bound=Callable[..., Any])


def input_argument(func: F) -> F:
    """The INPUT argument: a file, or ``-`` for standard input."""
    return click.argument(
        "input_path",
        metavar="INPUT",
        type=click.Path(exists=True, dir_okay=False, allow_dash=True),
    )(func)


def export_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options of commands that read an export: profile, format, columns, dates, rejects.

    The command receives their values together as ``export``, an :class:`ExportOptions`,
    with the profile loaded and every option the user did not give taken from it.
    """
    options = [
        click.option(
            "--profile",
            "profile_name",
            metavar="NAME|FILE",
            help="Export profile: a TOML file describing the export (columns, value maps, "
            "dates, delimiter, encoding, workflow), or a built-in one: "
            f"{', '.join(sorted(PROFILES))}. Options given on the command line win.",
        ),
        click.option(
            "--format",
            "export_format",
            type=click.Choice([f.value for f in ExportFormat]),
            help="Input format; by default the profile's, else from the extension "
            "(.csv, .jsonl, .ndjson).",
        ),
        click.option(
            "--preset",
            type=click.Choice(sorted(PRESETS)),
            help="A built-in profile by name (the same as --profile NAME); default generic.",
        ),
        click.option(
            "--delimiter",
            metavar="CHAR",
            help="CSV delimiter (one character; 'tab' for a tab); by default the profile's, "
            "else sniffed from the header (comma, semicolon, tab or bar).",
        ),
        click.option(
            "--map",
            "mappings",
            multiple=True,
            metavar="FIELD=COLUMN",
            help="Read a faultkit field from another column (repeatable).",
        ),
        click.option(
            "--dayfirst",
            is_flag=True,
            help="Read numeric dates day first: 03-05-2016 is 3 May.",
        ),
        click.option(
            "--monthfirst",
            is_flag=True,
            help="Read numeric dates month first: 03-05-2016 is 5 March.",
        ),
        click.option(
            "--strict-dates",
            is_flag=True,
            help="Fail (exit 2, nothing written) when dates contradict the day order: "
            "impossible in that order, possible in the other.",
        ),
        click.option(
            "--tz",
            "zone",
            metavar="ZONE",
            help="Time zone of dates written without one (IANA name); by default the "
            "profile's, else UTC.",
        ),
        click.option(
            "--encoding",
            help="Input encoding; by default the profile's, else utf-8-sig (UTF-8 with or "
            "without BOM).",
        ),
        click.option(
            "--rejects",
            "rejects_path",
            metavar="PATH",
            help="Where rejected rows go (line, column, value, reason); "
            "by default next to the output. Created only when a row is rejected.",
        ),
        click.option(
            "--max-errors",
            type=click.IntRange(min=1),
            metavar="N",
            help="Stop after N rejected rows.",
        ),
        click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON."),
        click.option(
            "--progress/--no-progress",
            default=None,
            help="Progress bar on stderr; by default only when stderr is a terminal "
            "and the input is large.",
        ),
    ]

    @functools.wraps(func)
    def command(*args: Any, **kwargs: Any) -> Any:
        given = {name: kwargs.pop(name) for name in _GIVEN_PARAMS}
        return func(*args, export=_resolve_export(given), **kwargs)

    for option in reversed(options):
        command = option(command)
    return command


@attrs.frozen(kw_only=True)
class ExportOptions:
    """The values of :func:`export_options`, handed to the command as ``export``.

    Options the user did not give are the profile's (``profile``): ``encoding``,
    ``zone``, ``delimiter``, the format, the date order and the workflow.
    """

    profile: Profile
    export_format: str | None
    mappings: tuple[str, ...]
    dayfirst: bool
    monthfirst: bool
    strict_dates: bool
    zone: str
    encoding: str
    delimiter: str | None
    rejects_path: str | None
    max_errors: int | None
    as_json: bool
    progress: bool | None

    def layout(self) -> Preset:
        """The profile's column layout with the ``--map`` overrides applied."""
        return resolve_preset(self.profile.preset, self.mappings)

    def dates(self) -> DateReader:
        """The date reader: ``--dayfirst`` / ``--monthfirst`` (else the profile's), ``--tz``."""
        if not (self.dayfirst or self.monthfirst) and self.profile.date_order is not None:
            return DateReader(order=self.profile.date_order, tz=resolve_zone(self.zone))
        return resolve_dates(self.dayfirst, self.monthfirst, self.zone)

    def format_of(self, input_path: str) -> ExportFormat:
        """The format of ``input_path``: ``--format``, the profile's, the extension, CSV."""
        return resolve_format(input_path, self.export_format)

    def given_format(self) -> ExportFormat | None:
        """The format ``--format`` (or the profile) names, ``None`` without one."""
        return ExportFormat(self.export_format) if self.export_format else None

    def check_dask(self) -> None:
        """Refuse, for ``--engine dask``, a delimiter other than a comma (it reads CSV only)."""
        if self.delimiter not in (None, ","):
            raise click.UsageError(
                f"--engine dask reads comma-separated files; this export's delimiter is "
                f"{self.delimiter!r} (use --engine row)"
            )

    def workflow(self, name: str | None) -> Workflow:
        """The workflow ``--workflow`` names (else the profile's), with the profile's labels."""
        base = resolve_workflow(name) if name is not None else None
        try:
            return self.profile.workflow_table(base)
        except InvalidInputError as error:
            raise click.BadParameter(str(error), param_hint="--profile") from None


_GIVEN_PARAMS = (
    "profile_name",
    "preset",
    "delimiter",
    *(f.name for f in attrs.fields(ExportOptions) if f.name not in {"profile", "delimiter"}),
)


def _resolve_export(given: dict[str, Any]) -> ExportOptions:
    """The options given, completed from the profile (``--profile`` or ``--preset``)."""
    name, preset = given.pop("profile_name"), given.pop("preset")
    if name is not None and preset is not None:
        raise click.UsageError("--profile and --preset exclude each other (a preset is a profile)")
    try:
        profile = get_profile(name) if name is not None else PROFILES[preset or "generic"]
    except ProfileError as error:
        raise click.BadParameter(f"{name}: {error}", param_hint="--profile") from None
    except InvalidInputError as error:
        raise click.BadParameter(str(error), param_hint="--profile") from None
    delimiter = resolve_delimiter(given.pop("delimiter")) or profile.delimiter
    if given["export_format"] is None and profile.format is not None:
        given["export_format"] = profile.format.value
    given["encoding"] = given["encoding"] or profile.encoding
    given["zone"] = given["zone"] or profile.zone or "UTC"
    return ExportOptions(profile=profile, delimiter=delimiter, **given)


def workflow_option(help_text: str, *, from_profile: bool = False) -> Callable[[F], F]:
    """The ``--workflow`` option: ITIL by default, or the profile's (``from_profile``).

    Its value is a name of :data:`WORKFLOWS` or a workflow file (JSON or TOML).
    """
    names = " | ".join(sorted(WORKFLOWS))
    return click.option(
        "--workflow",
        metavar="NAME|FILE",
        default=None if from_profile else "itil",
        show_default=not from_profile,
        help=help_text
        + f" {names}, or a workflow file (JSON or TOML)."
        + (" By default the profile's (itil)." if from_profile else ""),
    )


def dask_options(
    engine_help: str, *, engines: Sequence[str] = ENGINES, default: str = "row"
) -> Callable[[F], F]:
    """The ``--engine``, ``--workers`` and ``--scheduler`` options (the Dask engine).

    ``engines`` and ``default`` are the choices of ``--engine`` (``score`` adds its
    columnar engines to :data:`ENGINES`).
    """
    options = [
        click.option(
            "--engine",
            type=click.Choice(engines),
            default=default,
            show_default=True,
            help=engine_help,
        ),
        click.option(
            "--workers",
            type=click.IntRange(min=1),
            default=2,
            show_default=True,
            help="Worker processes of the local Dask cluster (--engine dask).",
        ),
        click.option(
            "--scheduler",
            metavar="ADDRESS",
            help="Use the Dask scheduler at ADDRESS instead of a local cluster (--engine dask).",
        ),
    ]

    def decorate(func: F) -> F:
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def check_input_file(input_path: str) -> None:
    """Refuse, as ``input_argument`` would, an INPUT that is not a readable file or ``-``.

    For commands whose INPUT may also be a directory or a glob with ``--engine dask``.
    """
    ctx = click.get_current_context()
    argument = next(p for p in ctx.command.params if p.name == "input_path")
    click.Path(exists=True, dir_okay=False, allow_dash=True).convert(input_path, argument, ctx)


def seekable_input(input_path: str) -> bool:
    """Whether INPUT is a regular file, which the columnar engines may read more than once.

    Rule: standard input, a named pipe (``mkfifo``) or a process substitution
    (``<(zcat export.csv.gz)``, ``/dev/fd/63``) can be read once only: a second open of
    a pipe whose writer is gone blocks for ever. Such an input goes to the row engine.
    """
    return input_path != "-" and os.path.isfile(input_path)


def refuse_empty_csv(input_path: str, export_format: ExportFormat) -> None:
    """A usage error for a CSV file of 0 bytes: it has not even a header.

    Rule: a CSV export has at least its header line, so 0 bytes is an export cut short
    or a wrong path (an empty pipe, or an empty JSON Lines file of no records, reads as
    no rows).
    """
    if input_path == "-" or export_format is not ExportFormat.CSV:
        return
    try:
        size = os.stat(input_path).st_size
    except OSError:
        return  # opening it will say what is wrong
    if size == 0 and os.path.isfile(input_path):
        raise click.UsageError(
            f"{input_path} is empty (0 bytes): a CSV export has at least a header line; "
            "was the export cut short?"
        )


def absent_columns(
    input_path: str, export_format: ExportFormat, export: ExportOptions
) -> list[dict[str, str]]:
    """The columns a profile file or ``--map`` names that the CSV header lacks.

    Rule: a column the user named (in their own ``--profile FILE`` or with ``--map``) and
    the export does not have is a typo or an export of another shape; the run goes on
    (the field is read as missing, as for any optional column) but the summary names
    each one, ``{"field": ..., "column": ...}`` (``missing_columns`` in ``--json``, as
    ``faultkit profile check`` gives them). A built-in profile's own optional
    columns (the generic profile's severity facts) are not listed. Standard input, a
    pipe (it cannot be read twice) and JSON Lines (a key may be missing from any
    object) are not looked at.
    """
    if export_format is not ExportFormat.CSV or not seekable_input(input_path):
        return []  # standard input or a pipe cannot be read twice (a FIFO would block)
    layout = export.layout()
    own = export.profile.source != "built-in"
    mapped = {item.partition("=")[0].strip() for item in export.mappings}
    named = {
        str(field): column
        for field, column in layout.columns.items()
        if own or str(field) in mapped
    }
    if not named:
        return []
    try:
        with open_input(input_path, export.encoding) as source:
            reader, _ = read_csv(source, export.delimiter)
            header = Header(next(reader, []))
            return [
                {"field": field, "column": column}
                for field, column in named.items()
                if header.find(column) is None
            ]
    except (OSError, UnicodeDecodeError, InvalidInputError, csv.Error):
        return []  # the command's own reading says what is wrong with the file


def absent_lines(absent: Sequence[dict[str, str]]) -> list[str]:
    """The summary line of :func:`absent_columns`, none when every named column is there."""
    if not absent:
        return []
    shown = ", ".join(f"{item['field']} ({item['column']!r})" for item in absent)
    return [f"  warning: mapped columns the export lacks: {shown}; read as missing values"]


def log_rejects(rejects_path: str | None, input_path: str) -> RejectsFile:
    """The rejects file of a command that writes no rows: ``--rejects`` or next to INPUT.

    Raises a usage error when that file is the input (through links too).
    """
    base = Path(input_path).name if input_path != "-" else "-"
    path = rejects_path or default_rejects_path(base, input_path)
    refuse_overwrite(input_path, {"--rejects": path})
    return RejectsFile(path)


def refuse_overwrite(input_path: str, outputs: dict[str, str | None]) -> None:
    """A usage error when an output is the input or another output (before any writing)."""
    try:
        refuse_same_file(input_path, outputs)
    except SameFileError as error:
        raise fail_usage(error) from None


def reject_lines(rejects: RejectsFile, rows_rejected: int) -> list[str]:
    """The summary's lines on rejected rows: the most frequent reasons and the file."""
    if not rejects.count:
        if rejects.removed_stale:
            return [f"  removed {rejects.path}: an earlier run's rejects (none this time)"]
        return []
    lines = [f"  top reasons of the {rows_rejected} rejected rows:"]
    for column, reason, rows in rejects.top_reasons(TOP_REASONS):
        lines.append(f"    {rows} rows: {column + ': ' if column else ''}{reason}")
    if len(rejects.reasons) > TOP_REASONS:
        lines.append(f"    ... and {len(rejects.reasons) - TOP_REASONS} other reasons")
    where = "standard error" if rejects.path == "-" else rejects.path
    lines.append(f"  rejected rows (line, column, value, reason) are in {where}")
    return lines


def reject_summary(rejects: RejectsFile) -> list[dict[str, Any]]:
    """The reject reasons with their counts, for the JSON summary (every reason)."""
    return [
        {"column": column, "reason": reason, "rows": rows}
        for column, reason, rows in rejects.top_reasons(len(rejects.reasons))
    ]


def reasons_summary(reasons: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """:func:`reject_summary` from ``(column, reason)`` pairs (rejects gathered elsewhere)."""
    counted = Counter(reasons)
    return [
        {"column": column, "reason": reason, "rows": rows}
        for (column, reason), rows in counted.most_common()
    ]


def date_order_lines(dates: DateReader) -> list[str]:
    """A warning when dates contradict the day order given, with a count and an example."""
    if not dates.contradictions:
        return []
    other = "--monthfirst" if dates.order is DateOrder.DAY_FIRST else "--dayfirst"
    return [
        f"  warning: {dates.contradictions} dates are impossible {dates.order.value} but "
        f"possible the other way (e.g. {dates.contradiction_example!r}): the export may use "
        f"{other}, and rows that did read may be misread (--strict-dates makes this an error)"
    ]


T_co = TypeVar("T_co", covariant=True)


class RowReader(Protocol[T_co]):
    """A reader of the row engine: :func:`~faultkit.adapters.exports.read_event_log`,
    :func:`~faultkit.adapters.exports.read_metric_rows`."""

    def __call__(
        self,
        source: TextIO,
        export_format: ExportFormat,
        preset: Preset,
        rejects: RejectsFile,
        *,
        dates: DateReader | None = ...,
        max_errors: int | None = ...,
        progress: Callable[[int], None] | None = ...,
        delimiter: str | None = ...,
    ) -> T_co: ...


def read_by_rows(
    reader: RowReader[T_co],
    input_path: str,
    export_format: ExportFormat,
    layout: Preset,
    rejects: RejectsFile,
    dates: DateReader,
    export: ExportOptions,
) -> T_co:
    """Read INPUT with a row-engine ``reader``, as ``check-log`` and ``report`` do.

    Bad rows go to ``rejects`` (committed when the read ends, discarded on an error),
    a progress bar counts rows when asked or on a terminal, bad input is a usage error
    (:func:`usage_errors`) and ``--strict-dates`` is checked before the rejects are
    committed (:func:`check_date_order`).
    """
    with (
        usage_errors(input_path, export.encoding),
        open_input(input_path, export.encoding) as source,
        rejects,
        progress_bar(export.progress, input_size(input_path), "reading") as tick,
    ):
        read = reader(
            source,
            export_format,
            layout,
            rejects,
            dates=dates,
            max_errors=export.max_errors,
            progress=tick,
            delimiter=export.delimiter,
        )
        check_date_order(dates, export.strict_dates)
    return read


def check_date_order(dates: DateReader, strict: bool) -> None:
    """With ``--strict-dates``, a usage error when dates contradicted the day order.

    Call it inside the ``with`` block of the files being written, so that they are
    discarded.
    """
    if strict and dates.contradictions:
        raise click.UsageError(
            f"--strict-dates: {dates.contradictions} dates are impossible in "
            f"{dates.order.value} order but possible in the other "
            f"(e.g. {dates.contradiction_example!r}); nothing was written"
        )


@contextmanager
def usage_errors(input_path: str, encoding: str) -> Iterator[None]:
    """Bad input as usage errors (exit 2): an :class:`InvalidInputError`, a wrong encoding."""
    try:
        yield
    except InvalidInputError as error:
        raise fail_usage(error) from None
    except UnicodeDecodeError as error:
        raise click.UsageError(decode_error_text(input_path, encoding, error)) from None


def decode_error_text(input_path: str, encoding: str, error: UnicodeDecodeError) -> str:
    """The usage error of an input not in ``encoding``: the true byte, line and a guess.

    A file is read again as bytes (:func:`~faultkit.adapters.exports.encodings.first_undecodable`):
    the decoder's own offset counts from the block it was decoding, not from the file.
    Standard input cannot be read again: its message gives no place.
    """
    fault = None
    if input_path != "-":
        with contextlib.suppress(OSError, LookupError):
            fault = first_undecodable(input_path, encoding)
    if fault is None:
        return f"{input_path} is not {encoding} ({error.reason}); pass --encoding"
    advice = "pass --encoding" if fault.guess is None else f"pass --encoding {fault.guess}"
    return f"{input_path} is not {encoding} ({describe_fault(fault)}): {advice}"


def resolve_delimiter(text: str | None) -> str | None:
    """The delimiter ``--delimiter`` gives (``tab`` or ``\\t`` for a tab), ``None`` without one."""
    if text is None:
        return None
    delimiter = "\t" if text.lower() in {"tab", "\\t"} else text
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise click.BadParameter(
            f"expected one character other than a quote or line end, got {text!r}",
            param_hint="--delimiter",
        )
    return delimiter


def resolve_format(input_path: str, export_format: str | None) -> ExportFormat:
    """The format given, or the one the extension names, or CSV."""
    if export_format is not None:
        return ExportFormat(export_format)
    return detect_format(input_path) or ExportFormat.CSV


def resolve_preset(preset: Preset, mappings: tuple[str, ...]) -> Preset:
    """``preset`` with the ``--map`` overrides applied."""
    overrides: dict[str, str] = {}
    for item in mappings:
        field, sep, column = item.partition("=")
        if not sep or not field.strip() or not column:
            raise click.BadParameter(f"expected FIELD=COLUMN, got {item!r}", param_hint="--map")
        overrides[field.strip()] = column
    try:
        return preset.with_columns(overrides)
    except InvalidInputError as error:
        raise click.BadParameter(str(error), param_hint="--map") from None


def resolve_dates(dayfirst: bool, monthfirst: bool, zone: str) -> DateReader:
    """The date reader for ``--dayfirst`` / ``--monthfirst`` and ``--tz``."""
    if dayfirst and monthfirst:
        raise click.UsageError("--dayfirst and --monthfirst exclude each other")
    order = (
        DateOrder.DAY_FIRST if dayfirst else DateOrder.MONTH_FIRST if monthfirst else DateOrder.ISO
    )
    return DateReader(order=order, tz=resolve_zone(zone))


def resolve_zone(zone: str) -> tzinfo:
    """The zone named by ``--tz`` (or the profile)."""
    try:
        return zone_named(zone)
    except InvalidInputError:
        raise click.BadParameter(f"unknown time zone {zone!r}", param_hint="--tz") from None


def resolve_workflow(name: str) -> Workflow:
    """The workflow named by ``--workflow``: a name of :data:`WORKFLOWS`, else a file."""
    if name in WORKFLOWS:
        return WORKFLOWS[name]
    if not Path(name).exists():
        known = ", ".join(sorted(WORKFLOWS))
        raise click.BadParameter(
            f"{name!r}: unknown workflow and no such workflow file (known: {known})",
            param_hint="--workflow",
        )
    try:
        return load_workflow(name)
    except InvalidInputError as error:
        raise click.BadParameter(str(error), param_hint="--workflow") from None


def input_size(path: str) -> int | None:
    """The size of the input in bytes, ``None`` when unknown (a pipe)."""
    try:
        status = os.fstat(standard_buffer("stdin").fileno()) if path == "-" else os.stat(path)
    except (OSError, ValueError):
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) else None


@contextmanager
def progress_bar(
    enabled: bool | None, size: int | None, what: str
) -> Iterator[Callable[[int], None] | None]:
    """A tqdm bar on stderr counting rows, or ``None`` when it should stay silent.

    ``enabled=None`` (the default of ``--progress/--no-progress``) shows it only when
    stderr is a terminal and the input is large (or of unknown size).
    """
    if sys.stderr is None:  # started without standard error: nothing to draw on
        enabled = False
    if enabled is None:
        enabled = sys.stderr.isatty() and (size is None or size >= LARGE_INPUT)
    if not enabled:
        yield None
        return
    from tqdm import tqdm  # only when a bar is shown: its import costs the command's start-up

    try:
        width, height = os.get_terminal_size(sys.stderr.fileno())
    except (OSError, ValueError):
        width = height = 0
    with tqdm(
        desc=what,
        unit=" rows",
        unit_scale=True,
        file=sys.stderr,
        mininterval=0.5,
        # a terminal that reports no size (a bare pseudo-terminal) still gets a bar
        ncols=None if width > 0 else 80,
        nrows=None if height > 0 else 24,
    ) as bar:

        def update(count: int) -> None:
            bar.update(count - bar.n)

        yield update


def emit(summary: dict[str, Any], lines: list[str], *, as_json: bool, to_stderr: bool) -> None:
    """Print the summary: JSON or lines, on stderr when stdout carries the data."""
    text = json.dumps(summary, indent=2, ensure_ascii=False) if as_json else "\n".join(lines)
    click.echo(text, err=to_stderr)


def fail_usage(error: Exception) -> click.UsageError:
    """A usage error (exit status 2) carrying ``error``'s message."""
    return click.UsageError(str(error))
