"""Helpers for the per-annex data tests: spot checks against the seed text, and totals."""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd
import pytest

from explorer import catalog, settings
from tests import prerequisites


@lru_cache(maxsize=None)
def load(dataset_id: str) -> pd.DataFrame:
    """A report dataset, `value` as float (NaN where unreadable)."""
    return catalog.read_dataset(dataset_id)


@lru_cache(maxsize=1)
def _seed_lines() -> tuple[str, ...] | None:
    if not settings.SEED_TEXT.exists():
        return None
    return tuple(settings.SEED_TEXT.read_text(encoding="utf-8").splitlines())


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def value_of(dataset_id: str, **where: str) -> float:
    """The value of the single row matching `where` (dimension=value as printed in the CSV)."""
    frame = load(dataset_id)
    mask = pd.Series(True, index=frame.index)
    for column, wanted in where.items():
        assert column in frame.columns, f"{dataset_id} has no column {column!r}"
        mask &= frame[column] == str(wanted)
    matches = frame[mask]
    assert len(matches) == 1, f"{dataset_id} {where}: {len(matches)} rows match, expected 1"
    return float(matches["value"].iloc[0])


def spot_check(dataset_id: str, where: dict, expected: float, line: int, printed: str) -> None:
    """The CSV holds `expected` for `where`, and the seed text prints `printed` near `line`.

    `printed` is compared with whitespace removed, within two lines of `line` (OCR splits lines).
    Without ../shared/seed beside the repository, the CSV half is checked, then the test is
    skipped with the reason (failed in CI).
    """
    assert value_of(dataset_id, **where) == pytest.approx(expected), (dataset_id, where)
    lines = _seed_lines()
    if lines is None:
        prerequisites.missing(f"seed text {settings.SEED_TEXT} is absent: only the CSV value was checked")
    window = "".join(lines[max(line - 3, 0): line + 2])
    assert _squash(printed) in _squash(window), f"{printed!r} not printed near line {line}"


def assert_sums(dataset_id: str, dim: str, total: str, parts: list[str] | None = None,
                tolerance: float = 0.0, **where: str) -> None:
    """For each combination of the other dimensions, the `total` row equals the sum of `parts`.

    `parts` defaults to every other value of `dim`. `tolerance` absorbs printed rounding
    (e.g. 0.15 for percentages rounded to one decimal); `where` narrows the rows checked.
    """
    frame = load(dataset_id)
    for column, wanted in where.items():
        frame = frame[frame[column] == str(wanted)]
    others = [c for c in catalog.dimensions(frame) if c != dim]
    groups = frame.groupby(others, dropna=False) if others else [((), frame)]
    checked = 0
    for key, group in groups:
        totals = group.loc[group[dim] == total, "value"]
        if totals.empty or totals.isna().all():
            continue
        members = group[group[dim] != total] if parts is None else group[group[dim].isin(parts)]
        if members.empty or members["value"].isna().any():
            continue  # a part not printed or unreadable: nothing to recompute
        assert members["value"].sum() == pytest.approx(totals.iloc[0], abs=tolerance + 1e-9), (
            f"{dataset_id} {key}: parts sum to {members['value'].sum()}, total is {totals.iloc[0]}")
        checked += 1
    assert checked, f"{dataset_id}: no {dim}={total!r} row to check"


def assert_printed_change(dataset_id: str, change_id: str, dim: str, first: int, last: int) -> None:
    """Each printed "évolution" of `change_id` is the rounded % change of `dataset_id` from
    year `first` to year `last`, for every value of `dim` the change table lists."""
    for member in load(change_id)[dim]:
        start = value_of(dataset_id, **{dim: member, "year": first})
        end = value_of(dataset_id, **{dim: member, "year": last})
        assert round((end / start - 1) * 100) == value_of(change_id, **{dim: member}), (dataset_id, member)
