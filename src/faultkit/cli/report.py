"""``faultkit report``: the improvement metrics of an event-log export, table, JSON or charts."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from faultkit.adapters.exports import (
    DateReader,
    ExportField,
    ExportFormat,
    MetricRows,
    Preset,
    read_metric_rows,
)
from faultkit.adapters.exports.dates import CONTRADICTION
from faultkit.adapters.files import write_atomically
from faultkit.cli._common import (
    ENGINES,
    EXIT_OK,
    EXIT_REJECTED,
    ExportOptions,
    absent_columns,
    absent_lines,
    check_input_file,
    dask_options,
    date_order_lines,
    emit,
    export_options,
    input_size,
    log_rejects,
    progress_bar,
    read_by_rows,
    reasons_summary,
    refuse_empty_csv,
    refuse_overwrite,
    reject_lines,
    reject_summary,
    seekable_input,
    usage_errors,
    workflow_option,
)
from faultkit.cli.arrow_engine import choose_arrow
from faultkit.cli.dask_engine import report_with_dask
from faultkit.cli.report_undated import has_times, no_state_maps, report_undated
from faultkit.dimensions import ROW_DIMENSIONS
from faultkit.errors import InvalidInputError, MissingGlyphsError
from faultkit.feedback.periods import Period, next_period
from faultkit.lifecycle.sla import DEFAULT_SLA_POLICY
from faultkit.metrics import Dimension, DurationSummary, HandlingFigures, Rate, handling_metrics
from faultkit.metrics import HandlingReport as _Report
from faultkit.metrics.coverage import EventFact, facts_of, figure_coverage

if TYPE_CHECKING:
    from faultkit.batch.metric_rows import BatchMetricRows

__all__ = ["CHART_NAMES", "REPORT_ENGINES", "report"]

REPORT_ENGINES = ("auto", "arrow", *ENGINES)
"""The choices of ``faultkit report --engine``."""

CHART_NAMES = ("trend.png", "pareto.png", "sla.png")
"""The files ``--charts DIR`` writes (each through an atomic write)."""

_GROUPS = ROW_DIMENSIONS - {Dimension.CHANNEL}  # an export's event rows carry no channel


def _duration(value: timedelta | None) -> str:
    if value is None:
        return "-"
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days}d {hours:02d}h"
    return f"{hours}h {minutes:02d}m"


def _median(summary: DurationSummary) -> str:
    """The median, marked ``~`` when it comes from the sketch (approximate)."""
    return _approx(summary, summary.median)


def _p90(summary: DurationSummary) -> str:
    """The P90, marked ``~`` when it comes from the sketch (approximate)."""
    return _approx(summary, summary.p90)


def _approx(summary: DurationSummary, value: timedelta | None) -> str:
    text = _duration(value)
    return text if summary.exact or value is None else f"~{text}"


def _breaches(fig: HandlingFigures) -> str:
    """Resolution SLA breaches per fault, with the rows of those faults beside."""
    faults = fig.resolution_sla_breaches
    if faults is None or fig.resolution_sla is None or not fig.resolution_sla.denominator:
        return "-"
    return f"{faults} ({fig.breached_rows} rows)"


def _rate(value: Rate | None) -> str:
    if value is None or value.percent is None:
        return "-"
    return f"{value.percent:.1f}% of {value.denominator}"


def _key_text(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return f"P{int(value)}" if type(value).__name__ == "Priority" else str(int(value))
    return str(value)


def _seconds(value: timedelta | None) -> float | None:
    return None if value is None else value.total_seconds()


def _summary_json(summary: DurationSummary) -> dict[str, Any]:
    seconds = _seconds
    return {
        "n": summary.n,
        "mean_s": seconds(summary.mean),
        "median_s": seconds(summary.median),
        "p90_s": seconds(summary.p90),
        "min_s": seconds(summary.minimum),
        "max_s": seconds(summary.maximum),
        "exact": summary.exact,
    }


def _rate_json(rate: Rate | None) -> dict[str, Any] | None:
    if rate is None:
        return None
    return {"numerator": rate.numerator, "denominator": rate.denominator, "value": rate.value}


def _figures_json(fig: HandlingFigures) -> dict[str, Any]:
    return {
        "faults": fig.faults,
        "time_to_acknowledge": _summary_json(fig.time_to_acknowledge),
        "time_to_resolve": _summary_json(fig.time_to_resolve),
        "time_to_close": _summary_json(fig.time_to_close),
        "reopen_rate": _rate_json(fig.reopen_rate),
        "response_sla": _rate_json(fig.response_sla),
        "resolution_sla": _rate_json(fig.resolution_sla),
        "exported_sla": _rate_json(fig.exported_sla),
        "open_at_end": fig.open_at_end,
        "open_age": _summary_json(fig.open_age),
        "resolution_sla_breaches": None
        if fig.resolution_sla_breaches is None
        else {"faults": fig.resolution_sla_breaches, "rows": fig.breached_rows},
    }


def _json_key(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return int(value)
    return str(value)


_COLUMNS = (
    "group",
    "faults",
    "acknowledge (median)",
    "resolve (median)",
    "resolve (p90)",
    "reopened",
    "resolution SLA met",
    "breached faults",
    "response SLA met",
    "export's SLA flag",
)


def _table(result: _Report) -> list[str]:
    rows = [("all", result.overall)]
    rows += [
        (" / ".join(_key_text(k) for k in group.key), group.figures) for group in result.groups
    ]
    cells = [
        (
            name,
            str(fig.faults),
            _median(fig.time_to_acknowledge),
            _median(fig.time_to_resolve),
            _p90(fig.time_to_resolve),
            _rate(fig.reopen_rate),
            _rate(fig.resolution_sla),
            _breaches(fig),
            _rate(fig.response_sla),
            _rate(fig.exported_sla),
        )
        for name, fig in rows
    ]
    widths = [max(len(row[i]) for row in [_COLUMNS, *cells]) for i in range(len(_COLUMNS))]
    return [
        "  ".join(text.ljust(width) for text, width in zip(row, widths, strict=True)).rstrip()
        for row in [_COLUMNS, tuple("-" * width for width in widths), *cells]
    ]


def _write_charts(folder: Path, rows: Any, flow: Any, now: datetime, period: Period) -> list[str]:
    """trend.png, pareto.png and sla.png in ``folder``; ImportError without matplotlib.

    All three are drawn before any is written: a chart that cannot be drawn leaves
    the folder as it was, never one new chart beside two old ones.
    """
    from faultkit.feedback.charts import ChartFormat, pareto_chart, trend_chart
    from faultkit.feedback.trends import Point, Series, pareto

    by_period = handling_metrics(rows, flow, now=now, group_by=[Dimension.PERIOD], period=period)
    counts = {g.key[0]: g.figures.faults for g in by_period.groups if g.key[0] is not None}
    points: list[Point] = []
    if counts:
        day, last = min(counts), max(counts)
        while day <= last:
            points.append(Point(start=day, count=counts.get(day, 0)))
            day = next_period(day, period)
    series = Series(key="all", period=period, points=points)
    drawn: dict[str, bytes] = {}
    drawn["trend.png"] = trend_chart(
        series, fmt=ChartFormat.PNG, title=f"Faults opened per {period.value}", unit="faults"
    )

    by_component = handling_metrics(rows, flow, now=now, group_by=[Dimension.COMPONENT])
    counts = {
        None if g.key[0] is None else str(g.key[0]): g.figures.faults
        for g in by_component.groups
        if g.figures.faults
    }
    drawn["pareto.png"] = pareto_chart(
        pareto(counts),
        fmt=ChartFormat.PNG,
        title="Faults by component (Pareto)",
        unit="faults",
    )

    by_priority = handling_metrics(
        rows, flow, now=now, group_by=[Dimension.PRIORITY], sla=DEFAULT_SLA_POLICY
    )
    labels, values, sizes = [], [], []
    for group in by_priority.groups:
        rate = group.figures.resolution_sla
        if rate is not None and rate.percent is not None:
            labels.append(_key_text(group.key[0]))
            values.append(rate.percent)
            sizes.append(rate.denominator)
    drawn["sla.png"] = _sla_chart(labels, values, sizes)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in drawn.items():
        write_atomically(str(folder / name), data)
        written.append(str(folder / name))
    return written


def _sla_chart(labels: list[str], values: list[float], sizes: list[int]) -> bytes:
    import io

    import matplotlib
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 4))
    axes = figure.add_subplot()
    bars = axes.bar(labels, values, color="#2c7a7b")
    for bar, size in zip(bars, sizes, strict=True):
        axes.annotate(
            f"n={size}",
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontsize=8,
        )
    axes.set_ylim(0, 105)
    axes.set_ylabel("resolution SLA met (%)")
    axes.set_title("SLA attainment per priority")
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "faultkit"}):
        figure.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    return buffer.getvalue()


@click.command(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="""\b
Examples:
  faultkit report incidents.csv --preset servicenow --dayfirst
  faultkit report incidents.csv --preset servicenow --dayfirst --group-by component --json
  faultkit report incidents.csv --preset servicenow --dayfirst --charts charts/
""",
)
@click.argument("input_path", metavar="INPUT", type=click.Path(allow_dash=True))
@workflow_option("The workflow whose states give the rows their meaning.")
@export_options
@click.option(
    "--group-by",
    "group_by",
    type=click.Choice([d.value for d in Dimension if d in _GROUPS]),
    multiple=True,
    default=("priority",),
    show_default=True,
    help="Break the figures down (repeatable).",
)
@click.option(
    "--period",
    type=click.Choice([p.value for p in Period]),
    default="month",
    show_default=True,
    help="Period length for --group-by period and the trend chart.",
)
@click.option(
    "--now",
    "now_text",
    metavar="TIME",
    help="When the figures are taken (ages of open faults); by default the export's last time.",
)
@click.option(
    "--charts",
    "charts_dir",
    metavar="DIR",
    help="Write trend.png, pareto.png and sla.png to DIR (needs faultkit[plot]).",
)
@dask_options(
    "auto: arrow for a CSV file when pyarrow is installed, else row. arrow: read the "
    "columns the figures need as Arrow record batches, each distinct text turned into its "
    "value once (needs pyarrow; the row engine's figures; a file with a row the row engine "
    "rejects is read by the row engine). row: read one file in this process, a row at a "
    "time. dask: a CSV file, a directory or a glob of them, one file per task, figures "
    "merged from partial states; a fault's rows must all be in one file (needs "
    "faultkit[dask]).",
    engines=REPORT_ENGINES,
    default="auto",
)
def report(
    input_path: str,
    workflow: str | None,
    export: ExportOptions,
    group_by: tuple[str, ...],
    period: str,
    now_text: str | None,
    charts_dir: str | None,
    engine: str,
    workers: int,
    scheduler: str | None,
) -> None:
    """The improvement metrics of an event-log export.

    Per group and overall: faults, time to acknowledge and to resolve (median, P90),
    reopen rate, SLA attainment (resolution and response, on the lifecycle's default
    targets) and the export's own SLA flag, each with its sample size. Rows without id,
    state or a readable time go to the rejects file.
    """
    layout = export.layout()
    dates = export.dates()
    flow = export.workflow(workflow)
    chosen_period = Period(period)
    dims = [Dimension(d) for d in dict.fromkeys(group_by)]
    if engine == "dask":
        if export.strict_dates:
            raise click.UsageError("--strict-dates needs --engine row")
        export.check_dask()
        _report_dask(
            input_path,
            layout=layout,
            dates=dates,
            flow=flow,
            dims=dims,
            period=chosen_period,
            now=None if now_text is None else _now(now_text, dates, ()),
            rejects_path=export.rejects_path,
            workers=workers,
            scheduler=scheduler,
            export_format=export.given_format(),
            charts=charts_dir is not None,
            max_errors=export.max_errors,
            as_json=export.as_json,
            missing=absent_columns(input_path, ExportFormat.CSV, export),
        )
    check_input_file(input_path)
    fmt = export.format_of(input_path)
    refuse_empty_csv(input_path, fmt)
    if not has_times(input_path, fmt, layout, export):
        report_undated(input_path, fmt, layout, flow, export)
    rejects = log_rejects(export.rejects_path, input_path)
    if charts_dir is not None:
        refuse_overwrite(
            input_path,
            {f"--charts ({name})": str(Path(charts_dir) / name) for name in CHART_NAMES},
        )
    read: MetricRows | BatchMetricRows | None = None
    if choose_arrow(
        engine,
        csv_file=fmt is ExportFormat.CSV and seekable_input(input_path),
        plain=True,
        needs="reads a CSV file (not standard input or JSON Lines)",
    ):
        read = _read_with_arrow(input_path, layout, dates, export)
        if read is None:
            dates = export.dates()  # fresh day-order counts for the row engine
        else:
            with rejects:  # nothing rejected: removes a stale rejects file, as the row engine
                pass
    if read is None:
        read = read_by_rows(read_metric_rows, input_path, fmt, layout, rejects, dates, export)
    with usage_errors(input_path, export.encoding):
        rows: Sequence[Any] = read.rows  # EventRow values, or MetricRow ones (same attributes)
        now = _now(now_text, dates, rows)
        result = handling_metrics(
            rows,
            flow,
            now=now,
            group_by=dims,
            period=chosen_period,
            tz=dates.tz,
            sla=DEFAULT_SLA_POLICY,
        )
    if not result.faults and result.unknown_labels:
        raise no_state_maps(flow, result.unknown_label_examples)
    facts = facts_of(rows) if rows else _layout_facts(layout)
    charts: list[str] = []
    if charts_dir is not None and result.faults:
        try:
            charts = _write_charts(Path(charts_dir), rows, flow, now, chosen_period)
        except ImportError:
            raise click.UsageError(
                "--charts needs matplotlib: install faultkit[plot] "
                "(pip install '.[plot]' in a clone of faultkit)"
            ) from None
        except MissingGlyphsError as error:
            raise click.UsageError(f"--charts: {error}") from None
    summary = {
        "command": "report",
        "input": input_path,
        "workflow": flow.name,
        "now": now.isoformat() if result.faults else None,
        "rows_read": read.rows_read,
        "rows_rejected": read.rows_rejected,
        "stopped_early": read.stopped_early,
        "rejects": rejects.path if rejects.count else None,
        "reject_reasons": reject_summary(rejects),
        "date_order_contradictions": dates.contradictions,
        "missing_columns": absent_columns(input_path, fmt, export),
        **_figures_summary(result, dims, facts),
        "charts": charts,
    }
    lines = _figures_lines(input_path, read.rows_read, read.rows_rejected, result, now, facts)
    lines += reject_lines(rejects, read.rows_rejected)
    lines += date_order_lines(dates)
    lines += absent_lines(summary["missing_columns"])
    lines += _resolved_at_caveat(summary, layout, result)
    lines += [f"  chart: {path}" for path in charts]
    if charts_dir is not None and not result.faults:
        lines.append("  charts not drawn: there is no fault to draw")
    emit(summary, lines, as_json=export.as_json, to_stderr=False)
    sys.exit(EXIT_REJECTED if read.rows_rejected else EXIT_OK)


def _figures_lines(
    input_path: str,
    rows_read: int,
    rows_rejected: int,
    result: _Report,
    now: datetime,
    facts: frozenset[EventFact],
) -> list[str]:
    """The head line, the table, then every correction, approximation and gap."""
    if not result.faults:
        why = (
            "every row was rejected"
            if rows_read and rows_read == rows_rejected
            else (
                "the export has no rows" if not rows_read else "no row is a fault of the workflow"
            )
        )
        lines = [
            f"{input_path}: {rows_read} rows read, {rows_rejected} rejected; no figures: {why}"
        ]
    else:
        lines = [
            f"{input_path}: {rows_read} rows read, {rows_rejected} rejected; {result.faults} "
            f"faults, {result.transitions} transitions, figures at {now.isoformat()}",
            "",
            *_table(result),
        ]
    if result.unknown_labels:
        examples = ", ".join(result.unknown_label_examples)
        lines.append(f"  {result.unknown_labels} rows with unknown state labels ({examples})")
        if not result.faults:
            lines.append(
                "  no row's state label is in the workflow's label map: is --workflow right?"
            )
    if result.clamped:
        lines.append(
            f"  corrected: {result.clamped} negative durations or SLA clock stretches (rows "
            "timestamped before their fault's opening or its previous row) counted as 0"
        )
    if result.sla_skipped:
        lines.append(
            f"  left out of SLA attainment: {result.sla_skipped} faults whose business-time "
            "clock runs past the dates Python holds (years 1 to 9999)"
        )
    approximate = _approximate(result)
    if approximate:
        lines.append(
            f"  ~ approximate: {', '.join(approximate)} (groups over the exact limit: "
            "a quantile sketch, within 0.5 %)"
        )
    if any(g.figures.resolution_sla_breaches for g in (*result.groups,)) or (
        result.overall.resolution_sla_breaches
    ):
        lines.append(
            "  breached faults: faults past their resolution target; in brackets their "
            "rows, what a count per row adds up to"
        )
    lines += [f"  {line}" for line in figure_coverage(facts).lines()]
    return lines


def _approximate(result: _Report) -> list[str]:
    """The figures whose median and P90 come from the sketch, in any group."""
    names = ("time_to_acknowledge", "time_to_resolve", "time_to_close", "open_age")
    figures = [result.overall, *(group.figures for group in result.groups)]
    return [
        name.replace("_", " ")
        for name in names
        if any(not getattr(fig, name).exact for fig in figures)
    ]


def _figures_summary(
    result: _Report, dims: list[Dimension], facts: frozenset[EventFact]
) -> dict[str, Any]:
    coverage = figure_coverage(facts)
    return {
        "faults": result.faults,
        "transitions": result.transitions,
        "unknown_labels": result.unknown_labels,
        "corrections": {
            "negative_times_set_to_zero": result.clamped,
            "sla_clocks_out_of_range": result.sla_skipped,
        },
        "approximate": _approximate(result),
        "not_computed": [
            {"figure": item.figure, "needs": [str(fact) for fact in item.needs]}
            for item in coverage.missing
        ],
        "caveats": list(coverage.caveats),
        "group_by": [d.value for d in dims],
        "overall": _figures_json(result.overall),
        "groups": [
            {"key": [_json_key(k) for k in group.key], "figures": _figures_json(group.figures)}
            for group in result.groups
        ],
        "reliability": [
            {
                "component": item.component,
                "faults": item.faults,
                "restored": item.restored,
                "breaks": item.breaks,
                "mtrs_s": _seconds(item.mtrs),
                "mtbf_s": _seconds(item.mtbf),
                "mtbsi_s": _seconds(item.mtbsi),
            }
            for item in result.reliability
        ],
    }


def resolved_at_caveat(layout: Preset) -> str | None:
    """The caveat of a report on an export whose profile maps a resolved-at column.

    Rule: ``report`` measures time to resolve from the workflow's states, to the
    update time of the row that last enters a resolved state (:mod:`faultkit.metrics`);
    it does not read the export's resolved-at column, and says so rather than let a
    reader believe the column's dates were used. ``None`` when no such column is mapped.
    """
    column = layout.column(ExportField.RESOLVED_AT)
    if column is None:
        return None
    return (
        f"the resolved-at column {column!r} is not read: times to resolve run to the "
        "update time of the row that last enters a resolved state"
    )


def _resolved_at_caveat(summary: dict[str, Any], layout: Preset, result: _Report) -> list[str]:
    """Add :func:`resolved_at_caveat` to ``summary`` when there are faults; its lines."""
    unread = resolved_at_caveat(layout)
    if not unread or not result.faults:
        return []
    summary["caveats"].append(unread)
    return [f"  caveat: {unread}"]


def _layout_facts(layout: Any) -> frozenset[EventFact]:
    """The facts an export layout (preset or profile) has columns for."""
    return frozenset(fact for fact in EventFact if layout.column(ExportField(fact.value)))


def _report_dask(
    input_path: str,
    *,
    layout: Any,
    dates: DateReader,
    flow: Any,
    dims: list[Dimension],
    period: Period,
    now: datetime | None,
    rejects_path: str | None,
    workers: int,
    scheduler: str | None,
    export_format: ExportFormat | None,
    charts: bool,
    max_errors: int | None,
    as_json: bool,
    missing: list[dict[str, str]],
) -> NoReturn:
    """``--engine dask``: the same figures from per-file partial states; exits.

    ``missing``: the columns the profile names that the input lacks (looked at when
    the input is one file), as the other engines report them.
    """
    done, written = report_with_dask(
        input_path,
        preset=layout,
        dates=dates,
        workflow=flow,
        now=now,
        rejects_path=rejects_path,
        workers=workers,
        scheduler=scheduler,
        options={"group_by": dims, "period": period, "tz": dates.tz, "sla": DEFAULT_SLA_POLICY},
        export_format=export_format,
        charts=charts,
        max_errors=max_errors,
    )
    result = done.report
    if not result.faults and result.unknown_labels:
        raise no_state_maps(flow, result.unknown_label_examples)
    absent = {item["field"] for item in missing}
    facts = frozenset(fact for fact in _layout_facts(layout) if fact.value not in absent)
    summary = {
        "command": "report",
        "engine": "dask",
        "input": input_path,
        "workflow": flow.name,
        "now": done.now.isoformat() if result.faults else None,
        "rows_read": done.rows_read,
        "rows_rejected": done.rows_rejected,
        "stopped_early": False,
        "rejects": written,
        "reject_reasons": reasons_summary((r[2], r[4]) for r in done.rejects),
        "date_order_contradictions": sum(r[4].endswith(CONTRADICTION) for r in done.rejects),
        "missing_columns": missing,
        **_figures_summary(result, dims, facts),
        "charts": [],
    }
    lines = _figures_lines(input_path, done.rows_read, done.rows_rejected, result, done.now, facts)
    if written:
        lines.append(f"  rejected rows (file, line, column, value, reason) are in {written}")
    lines += absent_lines(missing)
    lines += _resolved_at_caveat(summary, layout, result)
    emit(summary, lines, as_json=as_json, to_stderr=False)
    sys.exit(EXIT_REJECTED if done.rows_rejected else EXIT_OK)


def _read_with_arrow(
    input_path: str, layout: Any, dates: DateReader, export: ExportOptions
) -> BatchMetricRows | None:
    """The metric rows read by the columnar engine; ``None`` when the row engine must.

    Returns:
        A :class:`faultkit.batch.metric_rows.BatchMetricRows` (nothing rejected), or
        ``None`` when the columnar engine declined, with nothing written.
    """
    from faultkit.batch.fallback import ArrowFallback
    from faultkit.batch.metric_rows import read_metric_rows_batches

    try:
        with (
            usage_errors(input_path, export.encoding),
            progress_bar(export.progress, input_size(input_path), "reading") as tick,
        ):
            return read_metric_rows_batches(
                input_path,
                layout,
                dates=dates,
                encoding=export.encoding,
                delimiter=export.delimiter,
                progress=tick,
            )
    except ArrowFallback:
        return None


def _now(text: str | None, dates: DateReader, rows: Any) -> datetime:
    if text is not None:
        try:
            return dates(text, "now")
        except InvalidInputError as error:
            raise click.BadParameter(str(error), param_hint="--now") from None
    latest: datetime | None = max((row.at for row in rows), default=None)
    if latest is None:
        return datetime(1970, 1, 1, tzinfo=dates.tz)
    return latest
