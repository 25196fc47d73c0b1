"""Scale out: columnar batch scoring (Arrow), and scoring on Dask partition by partition.

Needs the ``arrow`` extra (``pip install '.[arrow]'`` in a clone); :mod:`faultkit.batch.dask`
needs the ``dask`` extra. This package only re-exports; see the submodules.
"""

from faultkit.batch.arrow import (
    REJECT_COLUMNS,
    BatchResult,
    ScoreMemo,
    read_csv_table,
    score_frame,
    score_table,
    write_csv_table,
)

__all__ = [
    "REJECT_COLUMNS",
    "BatchResult",
    "ScoreMemo",
    "read_csv_table",
    "score_frame",
    "score_table",
    "write_csv_table",
]
