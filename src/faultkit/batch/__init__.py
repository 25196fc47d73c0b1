"""Scale out: columnar batch scoring (Arrow), and scoring on Dask partition by partition.

Needs the ``arrow`` extra (``pip install '.[arrow]'`` in a clone); :mod:`faultkit.batch.dask`
needs the ``dask`` extra. This package only re-exports; see the submodules.
"""

from typing import TYPE_CHECKING

from faultkit._lazy import lazy_exports

if TYPE_CHECKING:
    from faultkit.batch.arrow import (
        REJECT_COLUMNS,
        BatchResult,
        read_csv_table,
        score_frame,
        score_table,
        write_csv_table,
    )
    from faultkit.batch.memo import ScoreMemo
else:
    __getattr__ = lazy_exports(
        __name__,
        {
            "REJECT_COLUMNS": "faultkit.batch.arrow",
            "BatchResult": "faultkit.batch.arrow",
            "ScoreMemo": "faultkit.batch.memo",
            "read_csv_table": "faultkit.batch.arrow",
            "score_frame": "faultkit.batch.arrow",
            "score_table": "faultkit.batch.arrow",
            "write_csv_table": "faultkit.batch.arrow",
        },
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
