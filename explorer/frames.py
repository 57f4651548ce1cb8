"""Frame operations that pandas does slowly on its Arrow-backed strings (pandas ≥ 3)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def isin(column: pd.Series, values: Iterable) -> pd.Series:
    """`column.isin(values)` in time linear in both sizes: a boolean Series on column's index.

    pandas 3's Arrow string arrays build one pyarrow scalar per value looked for (about 15 µs
    each): testing the 35,000 INSEE codes against each other took 0.5 s, against 0.03 s for the
    same test on Python strings. The result is the same, missing values included.
    """
    wanted = values if isinstance(values, (pd.Series, pd.Index)) else pd.Index(list(values))
    return column.astype(object).isin(pd.Index(wanted).astype(object))
