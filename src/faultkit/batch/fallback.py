"""The signal of every columnar engine that the row engine must read a file instead.

``score`` (:mod:`faultkit.batch.stream`), ``check-log`` (:mod:`faultkit.batch.eventlog`)
and ``report`` (:mod:`faultkit.batch.metric_rows`) raise it; the commands catch it and
run the row engine. It lives apart so that each engine imports only what it runs.
"""

from __future__ import annotations

__all__ = ["ArrowFallback"]


class ArrowFallback(Exception):  # noqa: N818 - a signal to the caller, not an error
    """The columnar engine cannot promise the row engine's answer for this file: run that.

    Raised before anything is committed; the message says why (for the curious).
    """
