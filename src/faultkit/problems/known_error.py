"""The known error: what the known-error database holds of a problem.

ITIL 4 error control: a problem that has been analysed, whose root cause is recorded
and whose workaround is documented, is a **known error**. A :class:`KnownError` is that
record as the index searches it: the error codes and the symptoms that identify it,
the product and component it concerns, and the workaround to offer. Build one from a
problem with :meth:`faultkit.problems.Problem.known_error`.
"""

from __future__ import annotations

from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.problems.codes import normalise_error_codes

__all__ = ["KnownError"]


def _codes(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return normalise_error_codes(value)
    return value


@attrs.frozen(kw_only=True)
class KnownError:
    """A known error: a problem's identifying signs and its workaround.

    Attributes:
        problem_id: the problem it is; not blank.
        title: the problem's one-line summary; not blank.
        product: the product concerned; not blank.
        component: the component, if known.
        error_codes: the codes it shows, normalised
            (:func:`~faultkit.problems.normalise_error_code`), each once.
        symptoms: the symptoms in words (any language), if described.
        workaround: what users can do until it is fixed; not blank.
        root_cause: the root cause in words; not blank.
    """

    problem_id: str = attrs.field(validator=v.non_empty_str)
    title: str = attrs.field(validator=v.non_empty_str)
    product: str = attrs.field(validator=v.non_empty_str)
    component: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    error_codes: tuple[str, ...] = attrs.field(
        default=(), converter=_codes, validator=v.tuple_of(v.non_empty_str)
    )
    symptoms: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    workaround: str = attrs.field(validator=v.non_empty_str)
    root_cause: str = attrs.field(validator=v.non_empty_str)
