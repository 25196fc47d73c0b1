"""At intake: offer a new fault report the known errors it probably is, with their workarounds.

:func:`offer_known_errors` reads a :class:`~faultkit.models.FaultReport`:

- error codes: the report's ``error_codes``, then the codes written in its title and
  description (:func:`~faultkit.problems.error_codes_in`, a linear-time pattern), each
  once;
- symptoms: the title and the description, one text;
- product and component as reported;

and asks a :class:`~faultkit.problems.KnownErrorIndex`. Each match says why it matched
and carries the workaround to give the reporter; linking the fault to the problem
(:meth:`faultkit.problems.Problem.link_fault` on the problem, and the fault's own
``link_problem`` command) is the handler's decision, not made here.
"""

from __future__ import annotations

from faultkit.errors import InvalidInputError
from faultkit.models import FaultReport
from faultkit.problems.codes import error_codes_in, normalise_error_codes
from faultkit.problems.index import KnownErrorIndex, Match

__all__ = ["offer_known_errors", "report_error_codes"]


def report_error_codes(report: FaultReport) -> tuple[str, ...]:
    """The report's error codes, normalised, each once: those it lists, then those in its
    title and description.

    Raises:
        InvalidInputError: ``report`` is not a :class:`~faultkit.models.FaultReport`,
            or a listed code is too long (``report.error_codes[i]``).
    """
    if not isinstance(report, FaultReport):
        raise InvalidInputError("report", report, "expected a FaultReport")
    found = error_codes_in(f"{report.title}\n{report.description}")
    try:
        return normalise_error_codes([*report.error_codes, *found])
    except InvalidInputError as exc:
        raise exc.at_path("report") from None


def offer_known_errors(
    report: FaultReport, index: KnownErrorIndex, *, limit: int = 5
) -> tuple[Match, ...]:
    """The known errors ``report`` probably is, best first, each with why and its workaround.

    Raises:
        InvalidInputError: ``report`` is not a report, ``index`` not an index, a
            listed error code is bad (``report.error_codes[i]``), or a bad ``limit``.
    """
    if not isinstance(index, KnownErrorIndex):
        raise InvalidInputError("index", index, "expected a KnownErrorIndex")
    return index.match(
        error_codes=report_error_codes(report),
        symptoms=f"{report.title}\n{report.description}",
        product=report.product,
        component=report.component,
        limit=limit,
    )
