"""Rankings: communes and départements in « double peine », sites per 100,000 inhabitants."""

from __future__ import annotations

import pandas as pd

from explorer.territory.networks import site_departements


def double_peine_communes(view: pd.DataFrame) -> pd.DataFrame:
    """Communes of a views.commune_view in « double peine », most populated first.

    Columns: code_insee, nom, departement, departement_nom, population (persons), time_min,
    distance_km, site_name, n_operators. Empty without a 4G estimate.
    """
    if "double_peine" not in view:
        return view.iloc[0:0]
    hit = view[view["double_peine"].fillna(False).astype(bool)]
    hit = hit.sort_values(["population", "time_min"], ascending=[False, False],
                          na_position="last")
    columns = ["code_insee", "nom", "departement", "departement_nom", "population", "time_min",
               "distance_km", "site_name", "n_operators"]
    return hit.reindex(columns=columns).reset_index(drop=True)


def double_peine_departements(dep_view: pd.DataFrame) -> pd.DataFrame:
    """Départements of a views.departement_view with people in « double peine », ranked by
    that population (persons), with its share of the département's population (%)."""
    if "double_peine_count" not in dep_view:
        return dep_view.iloc[0:0]
    hit = dep_view[dep_view["double_peine_count"] > 0].copy()
    hit["double_peine_pct"] = 100 * hit["double_peine_count"] / hit["population_count"]
    return hit.sort_values("double_peine_count", ascending=False).reset_index(drop=True)


def sites_per_100k(network_sites: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """Sites per 100,000 inhabitants by département (tidy: departement, value, sites_count).

    A site is counted in the département of its INSEE code, else of the nearest commune point.
    """
    counts = site_departements(network_sites, communes).value_counts()
    deps = communes.groupby("departement").agg(nom=("departement_nom", "first"),
                                               population=("population", "sum"))
    deps["sites_count"] = counts.reindex(deps.index, fill_value=0)
    deps["value"] = 1e5 * deps["sites_count"] / deps["population"].astype(float)
    deps = deps.sort_values("value", ascending=False).reset_index()
    return pd.DataFrame({"departement": deps["departement"] + " " + deps["nom"],
                         "value": deps["value"].round(1), "sites_count": deps["sites_count"]})
