"""Response and repair figures over event rows: one streamed pass, grouped, with sizes.

The input is one :class:`EventRow` per update of a fault (an exported event log, or the
history of :class:`~faultkit.lifecycle.Fault` records turned into rows by
:func:`faultkit.metrics.fault_rows`). Each row's state label goes through the
workflow's label map to a state, and the state's *category* (open, active, on hold,
resolved, closed) decides what the row means. Consecutive rows in the same state are
one stay (a field was updated, not the state).

Per fault, from the time it was opened (``opened_at`` of its first row, or that row's
``at``):

- **time to acknowledge**: until the first row in a state that is not of the *open*
  category (taken into work, put on hold, resolved or closed);
- **time to resolve**: until the last entry into a *resolved* state, if the fault was
  not reopened after it (a fault closed or cancelled without passing a resolved state
  has no time to resolve);
- **time to close**: until the first entry into a *closed* state;
- **reopened**: it went from a resolved or closed state back to an open, active or
  on-hold one at least once; **reopen rate** = reopened / resolved at least once;
- **SLA attainment** (with ``sla``, a :class:`~faultkit.lifecycle.SlaPolicy`: targets
  and business calendars per priority). Resolution: resolved with the resolution
  clock (the time spent in open and active states that do not pause the SLA; on-hold
  and resolved stretches do not count) at most the target; a fault not resolved
  (still open at ``now``, or closed without a resolution) counts as breached once its
  clock has run past the target and is left out otherwise; attainment = met /
  (met + breached). Response: left the open states within the response target.
  These are the clocks of :func:`faultkit.lifecycle.sla_status`, read from rows (a
  property test shows they agree); figures per priority take the fault's last
  priority;
- **exported SLA flag**: the share of faults whose last row says the SLA was made
  (ServiceNow's ``made_sla``), where the export gives one;
- **open at the end**: not resolved or closed at the last row, with its age at ``now``.

**Reliability** per component, as ITIL 4 names it (see
:mod:`faultkit.metrics.reliability`): MTRS (mean time to restore service, per restored
fault), MTBF (mean uptime, from a restoration to the next failure) and MTBSI (mean time
between failure starts: ``(last opened - first opened) / (faults - 1)``), a fault being
restored at its final resolution, or at its first close when it has none.

Rows of one fault must come together (as in every export sorted by incident); with
``contiguous=False`` they may interleave, at the cost of keeping every fault in
memory until the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, tzinfo

from faultkit import _validators as v
from faultkit.dimensions import ROW_DIMENSIONS, Dimension
from faultkit.errors import InvalidInputError
from faultkit.feedback.periods import Period, check_period, check_tz
from faultkit.lifecycle import BusinessCalendar, SlaPolicy, Workflow
from faultkit.metrics._accumulators import state_infos
from faultkit.metrics._fold import Fold, build_report
from faultkit.metrics._loops import read_contiguous, read_interleaved
from faultkit.metrics.figures import HandlingReport
from faultkit.metrics.grouping import check_dimensions
from faultkit.metrics.rows import EventRow
from faultkit.metrics.stats import DEFAULT_EXACT_LIMIT

__all__ = ["handling_metrics"]


def handling_metrics(
    rows: Iterable[EventRow],
    workflow: Workflow,
    *,
    now: datetime,
    group_by: Sequence[Dimension] = (),
    period: Period = Period.MONTH,
    tz: tzinfo = UTC,
    sla: SlaPolicy | None = None,
    calendar: BusinessCalendar | None = None,
    contiguous: bool = True,
    exact_limit: int = DEFAULT_EXACT_LIMIT,
) -> HandlingReport:
    """Every response and repair figure of an event log, in one pass over its rows.

    Args:
        rows: the rows, read once (any iterable; a generator keeps memory flat). Any
            object with the attributes of :class:`EventRow` will do.
        workflow: the workflow whose label map and state categories give the rows
            their meaning (``faultkit.lifecycle.ITIL`` for ServiceNow exports).
        now: the time the figures are taken at (ages of open faults, SLA breaches of
            unresolved ones); timezone-aware.
        group_by: the dimensions of the group keys (none: overall figures only).
        period: the period length when grouping by :attr:`Dimension.PERIOD`.
        tz: the time zone whose calendar decides the period of a fault.
        sla: SLA targets and calendars per priority (``faultkit.lifecycle.SlaPolicy``)
            for response and resolution attainment; ``None`` leaves them out.
        calendar: measure the times to acknowledge, resolve and close (and the age of
            open faults) in this calendar's business time instead of wall time.
        contiguous: the rows of each fault come together (the default, and the only
            way memory stays flat); ``False`` accepts interleaved faults.
        exact_limit: values per group kept for exact medians and P90 before the
            quantile sketch takes over (see :mod:`faultkit.metrics.stats`).

    Returns:
        The :class:`HandlingReport`, overall and per group, with sample sizes.

    Raises:
        InvalidInputError: a bad argument (naive ``now``, unknown dimension, ...).
    """
    v.check_aware("now", now)
    dims = check_dimensions(group_by, ROW_DIMENSIONS)
    check_period(period)
    check_tz(tz)
    if sla is not None and not isinstance(sla, SlaPolicy):
        raise InvalidInputError("sla", sla, "expected a faultkit.lifecycle.SlaPolicy")
    if calendar is not None and not isinstance(calendar, BusinessCalendar):
        raise InvalidInputError("calendar", calendar, "expected a BusinessCalendar")
    if not isinstance(workflow, Workflow):
        raise InvalidInputError("workflow", workflow, "expected a faultkit.lifecycle.Workflow")
    if isinstance(exact_limit, bool) or not isinstance(exact_limit, int) or exact_limit < 1:
        raise InvalidInputError("exact_limit", exact_limit, "expected a positive int")
    infos = state_infos(workflow)
    fold = Fold(
        now=now,
        group_by=dims,
        period=period,
        tz=tz,
        sla=sla,
        calendar=calendar,
        exact_limit=exact_limit,
    )
    if contiguous:
        counts = read_contiguous(rows, infos, fold)
    else:
        counts = read_interleaved(rows, infos, fold)
    n_rows, n_faults, transitions, unknown, examples = counts
    return build_report(fold, dims, period, n_rows, n_faults, transitions, unknown, examples)
