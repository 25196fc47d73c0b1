"""Adapters: the I/O at the edge of faultkit (export readers and writers, storage).

The domain packages never import from here.
"""

__all__: list[str] = []
