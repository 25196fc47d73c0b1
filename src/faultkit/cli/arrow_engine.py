"""``faultkit score --engine arrow``: which engine scores a file, and the Arrow run itself.

The rule (``--engine auto``, the default): the columnar engine
(:func:`faultkit.batch.stream.score_csv_batches`) scores a CSV *file* into a *file*
when pyarrow is installed and none of ``--excel-safe``, ``--max-errors`` and
``--matrix infer`` is given; anything else goes to the row engine. Both give the same
bytes, rejects and counts; when the columnar engine cannot promise that for a file it
says so (:class:`~faultkit.batch.fallback.ArrowFallback`) before anything is committed,
and the row engine scores the whole file. pyarrow is imported only when it runs, so
the command starts as fast without it.

``faultkit check-log --engine auto`` (the default) follows the same rule for a CSV
file: :func:`faultkit.batch.eventlog.check_event_log_batches` reads and checks it, or
declines (a rejected row, a day-order contradiction, ...) and the row engine reads it.
"""

from __future__ import annotations

from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

import click

from faultkit.adapters.exports import DateReader, RejectsFile
from faultkit.adapters.files import AtomicWriter
from faultkit.cli._common import ENGINES, ExportOptions, input_size, progress_bar, usage_errors
from faultkit.lifecycle.workflow import Workflow

if TYPE_CHECKING:  # the scorer's module (and its SLA clocks) only where score runs
    from faultkit.adapters.exports import Scorer, ScoreSummary

__all__ = [
    "LOG_ENGINES",
    "SCORE_ENGINES",
    "check_log_with_arrow",
    "choose_arrow",
    "score_with_arrow",
]

SCORE_ENGINES = ("auto", "arrow", *ENGINES)
"""The choices of ``faultkit score --engine``."""


_SCORE_NEEDS = "scores a CSV file into a file, without --excel-safe, --max-errors or --matrix infer"


def choose_arrow(engine: str, *, csv_file: bool, plain: bool, needs: str = _SCORE_NEEDS) -> bool:
    """Whether the columnar engine runs (see the module docstring).

    Args:
        engine: ``--engine``.
        csv_file: a CSV file is scored into a file (not standard input or output).
        plain: no option only the row engine has (``--excel-safe``, ``--max-errors``,
            ``--matrix infer``).
        needs: what the columnar engine needs, for the usage error of ``--engine arrow``.

    Raises:
        click.UsageError: ``--engine arrow`` without pyarrow, or for a run it cannot do.
    """
    if engine not in ("auto", "arrow"):
        return False
    available = find_spec("pyarrow") is not None and find_spec("numpy") is not None
    if engine == "arrow":
        if not available:
            raise click.UsageError("--engine arrow needs pyarrow: pip install '.[cli]' in a clone")
        if not (csv_file and plain):
            raise click.UsageError(
                f"--engine arrow {needs}; use --engine row (or auto) for this run"
            )
    return available and csv_file and plain


def score_with_arrow(
    input_path: str,
    out_path: str,
    rejects_path: str,
    scorer: Scorer,
    export: ExportOptions,
    size: int | None,
) -> tuple[ScoreSummary, RejectsFile, bool] | None:
    """Score ``input_path`` with the columnar engine; ``None`` when the row engine must.

    Returns:
        The summary, the rejects file and whether the output was written (a run that
        rejects every row keeps an existing output, as the row engine does); ``None``
        when the columnar engine declined, with nothing written.
    """
    from faultkit.batch.fallback import ArrowFallback
    from faultkit.batch.stream import score_csv_batches

    rejects = RejectsFile(rejects_path)
    try:
        with (
            usage_errors(input_path, export.encoding),
            AtomicWriter(out_path) as sink,
            rejects,
            progress_bar(export.progress, size, "scoring") as tick,
        ):
            summary = score_csv_batches(
                input_path,
                sink.text,
                rejects,
                scorer,
                encoding=export.encoding,
                delimiter=export.delimiter,
                progress=tick,
            )
            if summary.rows_rejected and not summary.rows_written:
                sink.discard()  # every row rejected: a good earlier output is not replaced
    except ArrowFallback:
        return None
    return summary, rejects, sink.committed


LOG_ENGINES = ("auto", "arrow", "row")
"""The choices of ``faultkit check-log --engine``."""


def check_log_with_arrow(
    input_path: str,
    export: ExportOptions,
    flow: Workflow,
    dates: DateReader,
    *,
    check_start: bool,
    check_order: bool,
) -> Any | None:
    """Read and check an event log with the columnar engine; ``None`` when the row engine must.

    Returns:
        A :class:`faultkit.batch.eventlog.CheckedLog` (nothing was rejected: a log with
        a rejected row is the row engine's), or ``None`` when the columnar engine
        declined, with nothing written.
    """
    from faultkit.batch.eventlog import check_event_log_batches
    from faultkit.batch.fallback import ArrowFallback

    try:
        with (
            usage_errors(input_path, export.encoding),
            progress_bar(export.progress, input_size(input_path), "reading") as tick,
        ):
            return check_event_log_batches(
                input_path,
                export.layout(),
                flow,
                dates=dates,
                encoding=export.encoding,
                delimiter=export.delimiter,
                check_start=check_start,
                check_order=check_order,
                progress=tick,
            )
    except ArrowFallback:
        return None
