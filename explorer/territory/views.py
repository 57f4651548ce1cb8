"""Per-commune and per-département views of access: time classes, 4G, « double peine », scopes.

Inputs are the tables of explorer.access (travel-time estimate) and explorer.coverage (4G
estimate); outputs are plain frames the maps, tables and captions read. Every figure here is an
estimate, and the page says so next to it.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from explorer import access, maps
from explorer.formatting import join_fr

# Thresholds offered to the user (min). 10 and 20 min discriminate with a dense network such as
# France services (in our estimate 87 % of people are within 10 min, 99.8 % within 20 min).
THRESHOLDS_MIN = (10, 15, 20, 30, 45, 60)
DEFAULT_THRESHOLD_MIN = 15
# Commune classes of the maps (min): ≤10, 10-15, 15-20, 20-30, 30-45, >45.
TIME_BREAKS_MIN = (10, 15, 20, 30, 45)
# "Poorly covered" = at most this many operators estimated to serve the commune's centre.
POOR_COVERAGE_CHOICES = {0: "aucun opérateur (zone blanche estimée)", 1: "au plus 1 opérateur",
                         2: "au plus 2 opérateurs"}
DEFAULT_POOR_MAX_OPERATORS = 1

# Map views beyond the national one: a département code, or a group of départements.
NATIONAL = "FR"
GROUPS = {"corse": ("2A", "2B")}
GROUP_LABELS = {"corse": "Corse"}
# One click from the national view (issue 8): Corsica and the five overseas départements.
SHORTCUTS = ("corse", "971", "972", "973", "974", "976")


def scope_departements(view_key: str, all_departements) -> tuple[str, ...]:
    """Départements of a map view: every one for NATIONAL, a group's, or the one given."""
    if view_key == NATIONAL:
        return tuple(all_departements)
    return GROUPS.get(view_key, (view_key,))


def scope_label(view_key: str, names: Mapping[str, str]) -> str:
    """« France entière », « Corse », « Cantal (15) »."""
    if view_key == NATIONAL:
        return "France entière"
    if view_key in GROUP_LABELS:
        return GROUP_LABELS[view_key]
    return f"{names.get(view_key, view_key)} ({view_key})"


def scope_label_de(view_key: str, names_de: Mapping[str, str]) -> str:
    """The view's territory after « de », with INSEE's charnière (`names_de`: code → « du
    Cantal », the départements' name_de): « de la France entière », « de la Corse », « du
    Cantal (15) », « de l'Ain (01) »."""
    if view_key == NATIONAL:
        return "de la France entière"
    if view_key in GROUP_LABELS:
        return f"de la {GROUP_LABELS[view_key]}"
    return f"{names_de.get(view_key, f'de {view_key}')} ({view_key})"


def territory_labels(view_key: str, scope, names: Mapping[str, str],
                     names_de: Mapping[str, str]) -> tuple[str, str]:
    """(name, name after « de ») of the territory a view's shares are taken over: the view's
    (scope_label, scope_label_de); on the national view, the network file's own territory when
    it covers less than France (`scope`: networks.NetworkScope); on a group the file covers in
    part, its départements the file covers (« de la Haute-Corse (2B) »)."""
    if view_key == NATIONAL and not scope.is_everywhere:
        return scope.label, scope.label_de
    view_departements = scope_departements(view_key, names)
    covered = [d for d in view_departements if scope.contains(d)]
    if view_key != NATIONAL and 0 < len(covered) < len(view_departements):
        return (join_fr([scope_label(d, names) for d in covered]),
                join_fr([scope_label_de(d, names_de) for d in covered]))
    return scope_label(view_key, names), scope_label_de(view_key, names_de)


def within_scope(times: pd.DataFrame, departements) -> pd.DataFrame:
    """`times` (access.travel_times) with no estimate outside `departements`, the territory of
    the network's file: a Lozère-only file says nothing of a commune in the Vaucluse, even if its
    nearest Lozère site is within 150 km."""
    out = times.copy()
    outside = ~out["departement"].isin(set(departements))
    out.loc[outside, ["distance_km", "road_km", "time_min"]] = np.nan
    out["site_name"] = out["site_name"].astype("object").mask(outside)
    return out


def commune_view(times: pd.DataFrame, communes: pd.DataFrame, cover: pd.DataFrame | None,
                 poor_max_operators: int, threshold_min: float) -> pd.DataFrame:
    """One row per commune.

    Columns: code_insee, nom, departement, departement_nom, population (persons), site_name,
    distance_km, time_min, lat, lon (the commune's point), time_class (index in TIME_BREAKS_MIN classes, -1 unknown),
    time_label and, with `cover` (coverage.estimate_coverage output), n_operators (0-4, NA out
    of the mobile file's territory), poor_coverage (n_operators ≤ `poor_max_operators`) and
    double_peine (beyond `threshold_min` and poorly covered; NA when either is unknown).
    """
    base = communes.set_index("code_insee")
    out = times.copy()
    out.insert(1, "nom", out["code_insee"].map(base["nom"]))
    out["lat"], out["lon"] = out["code_insee"].map(base["lat"]), out["code_insee"].map(base["lon"])
    classes = maps.time_classes(TIME_BREAKS_MIN)
    out["time_class"] = maps.classify(out["time_min"], TIME_BREAKS_MIN)
    out["time_label"] = [classes.label(c) for c in out["time_class"]]
    if cover is not None:
        ops = cover.set_index("code_insee")["n_operators"]
        out["n_operators"] = out["code_insee"].map(ops).astype("Int64")
        out["poor_coverage"] = (out["n_operators"] <= poor_max_operators).astype("boolean")
        beyond = pd.array(out["time_min"] > threshold_min, dtype="boolean")
        beyond[~np.isfinite(out["time_min"].to_numpy(dtype=float))] = pd.NA
        out["double_peine"] = beyond & out["poor_coverage"]
    return out


def _population(view: pd.DataFrame) -> np.ndarray:
    return view["population"].astype("Float64").fillna(0).to_numpy(dtype=float)


def departement_view(view: pd.DataFrame, threshold_min: float) -> pd.DataFrame:
    """One row per département of `view` (a commune_view), for the map and the ranking.

    Columns: code, nom, population_count (persons with a population figure), beyond_count and
    beyond_pct (estimated beyond `threshold_min`, % of population_count), unestimated_count
    (no estimate: no point, or no site within reach), and with 4G: poor_count, poor_pct (% of
    the population with a 4G estimate), double_peine_count, double_peine_communes.
    """
    pop = _population(view)
    minutes = view["time_min"].to_numpy(dtype=float)
    frame = pd.DataFrame({
        "code": view["departement"].astype(str).to_numpy(),
        "nom": (view["departement_nom"] if "departement_nom" in view else view["departement"])
        .astype(str).to_numpy(),
        "population_count": pop,
        "beyond_count": np.where(np.isfinite(minutes) & (minutes > threshold_min), pop, 0.0),
        "unestimated_count": np.where(np.isfinite(minutes), 0.0, pop),
    })
    has_cover = "double_peine" in view
    if has_cover:
        scoped = view["poor_coverage"].notna().to_numpy()
        frame["cover_scope"] = np.where(scoped, pop, 0.0)
        frame["poor_count"] = np.where(scoped & view["poor_coverage"].fillna(False).to_numpy(bool),
                                       pop, 0.0)
        hit = view["double_peine"].fillna(False).to_numpy(bool)
        frame["double_peine_count"] = np.where(hit, pop, 0.0)
        frame["double_peine_communes"] = hit.astype(int)
    out = frame.groupby(["code", "nom"], sort=True).sum().reset_index()
    out["beyond_pct"] = 100 * out["beyond_count"] / out["population_count"].where(
        out["population_count"] > 0)
    if has_cover:
        out["poor_pct"] = 100 * out["poor_count"] / out["cover_scope"].where(out["cover_scope"] > 0)
        out = out.drop(columns="cover_scope")
    for column in ("population_count", "beyond_count", "unestimated_count", "poor_count",
                   "double_peine_count"):
        if column in out:
            out[column] = out[column].round().astype("int64")
    return out


BEYOND_BREAKS_PCT = (1, 5, 10, 20, 40)


def beyond_classes(threshold_min: float) -> maps.Classes:
    """Share of a département's population beyond the threshold; dark = many people far."""
    return maps.Classes(f"Population à plus de {threshold_min:g} min (part, départements)",
                        maps.class_labels(BEYOND_BREAKS_PCT, "%"), maps.YLGNBU_6)


def population_within(times: pd.DataFrame, departements) -> pd.DataFrame:
    """access.population_within over the communes of `departements` only, at THRESHOLDS_MIN:
    the national rows then sum exactly the territory the shares are about."""
    scoped = times[times["departement"].isin(set(departements))]
    return access.population_within(scoped, THRESHOLDS_MIN)


def population_by_band(view: pd.DataFrame) -> pd.DataFrame:
    """Tidy population per travel-time class (for charts.dataset_chart): classe_de_temps, value."""
    classes = maps.time_classes(TIME_BREAKS_MIN)
    labels = [*classes.labels, maps.UNKNOWN_LABEL]
    sums = pd.Series(_population(view)).groupby(view["time_label"].to_numpy()).sum()
    sums = sums.reindex(labels, fill_value=0.0)
    frame = pd.DataFrame({"classe_de_temps": labels,
                          "value": sums.round().astype("int64").to_numpy()})
    keep = (frame["value"] > 0) | (frame["classe_de_temps"] != maps.UNKNOWN_LABEL)
    return frame[keep].reset_index(drop=True)
