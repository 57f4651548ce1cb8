"""An accessibility index in the APL family: hours of reception per 1,000 inhabitants.

The DREES's « accessibilité potentielle localisée » (APL) is a floating-catchment index; this is
the same idea applied to reception desks, with the enhanced two-step floating catchment area
(E2SFCA, Luo & Qi 2009) of PySAL's `access` package:
1. each site's supply (hours open per week, explorer.opening_hours) is divided by the population
   around it, each commune weighted by the decay of its estimated travel time to the site;
2. each commune sums the ratios of the sites around it, weighted by the same decay.
Decay (the E2SFCA literature's steps, also `access`'s default): weight 1 up to 10 min, 0.68 from
10 to 20 min, 0.22 from 20 to 30 min, 0 beyond. Times are the explorer's estimate
(explorer.access), from the commune's point; a site without readable hours counts the
network's median weekly hours (said in the method text).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from explorer import access
from explorer.opening_hours import site_weekly_hours

DECAY_WEIGHTS = {10: 1.0, 20: 0.68, 30: 0.22}  # upper bound (min) → weight; Luo & Qi 2009
CATCHMENT_MIN = max(DECAY_WEIGHTS)
PER_INHABITANTS = 1_000


def site_hours(sites: pd.DataFrame) -> tuple[pd.Series, int]:
    """(hours open per week of each site, index of `sites`; sites without readable hours get
    the median of the others), and how many sites got the median."""
    hours = pd.Series(site_weekly_hours(sites), index=sites.index, dtype=float)
    unknown = int(hours.isna().sum())
    median = hours.median() if hours.notna().any() else 0.0
    return hours.fillna(median), unknown


def cost_table(communes: pd.DataFrame, sites: pd.DataFrame,
               params: access.Parameters = access.Parameters(),
               max_min: float = CATCHMENT_MIN) -> pd.DataFrame:
    """Every (commune, site) pair within `max_min` estimated minutes: origin (code_insee), dest
    (label in `sites`), time_min (access.Parameters.minutes of the detoured great-circle
    distance, at the commune's density speed)."""
    located = communes.dropna(subset=["lat", "lon"])
    density = located["density_class"].astype("object").where(
        located["density_class"].notna(), access.UNKNOWN_DENSITY_CLASS)
    speed = density.map(params.speeds_kmh()).to_numpy(float)
    radius = params.reach_km(max_min, speed)
    origins = access.unit_vectors(located["lat"], located["lon"])
    points = access.unit_vectors(sites["lat"], sites["lon"])
    balls = cKDTree(points).query_ball_point(origins, 2 * np.sin(radius / (2 * access.EARTH_RADIUS_KM)))
    counts = np.array([len(b) for b in balls])
    rows = np.repeat(np.arange(len(located)), counts)
    cols = np.concatenate([np.asarray(b, np.int64) for b in balls]) if len(rows) \
        else np.zeros(0, np.int64)
    chord = np.linalg.norm(origins[rows] - points[cols], axis=1)
    minutes = params.minutes(access.chord_to_km(chord) * params.detour_factor, speed[rows])
    return pd.DataFrame({"origin": located["code_insee"].to_numpy()[rows],
                         "dest": sites.index.to_numpy()[cols], "time_min": minutes})


def e2sfca(demand: pd.Series, supply: pd.Series, costs: pd.DataFrame) -> pd.Series:
    """Hours per PER_INHABITANTS inhabitants of each demand location (index of `demand`, a
    population), by access.Access.enhanced_two_stage_fca with DECAY_WEIGHTS; `supply` (hours
    per week) is indexed like `costs.dest`, `costs` as `cost_table`. A location with no site
    within the catchment gets 0."""
    from access import Access, weights

    # access reads the index *names* (demand_index=True leaves them unnamed and fails).
    demand_df = pd.DataFrame({"origin": demand.index, "population": demand.to_numpy(float)})
    supply_df = pd.DataFrame({"dest": supply.index, "hours": supply.to_numpy(float)})
    with warnings.catch_warnings():  # access 1.1 calls set_index(inplace=True), deprecated
        warnings.simplefilter("ignore")
        model = Access(demand_df=demand_df, demand_index="origin", demand_value="population",
                       supply_df=supply_df, supply_index="dest", supply_value="hours",
                       cost_df=costs, cost_origin="origin", cost_dest="dest",
                       cost_name="time_min")
    result = model.enhanced_two_stage_fca(name="e2sfca", max_cost=CATCHMENT_MIN,
                                          weight_fn=weights.step_fn(DECAY_WEIGHTS))
    return (PER_INHABITANTS * result.iloc[:, 0]).reindex(demand.index).fillna(0.0)


def commune_index(communes: pd.DataFrame, sites: pd.DataFrame,
                  params: access.Parameters = access.Parameters()) -> tuple[pd.DataFrame, int]:
    """(one row per commune with a point and a population: code_insee, nom, departement,
    departement_nom, population, hours_per_1000; sites given the median hours)."""
    hours, unknown = site_hours(sites)
    located = communes.dropna(subset=["lat", "lon"])
    located = located[located["population"].astype("Float64").fillna(0) > 0]
    demand = pd.Series(located["population"].astype(float).to_numpy(),
                       index=located["code_insee"].to_numpy())
    index = e2sfca(demand, hours, cost_table(located, sites, params))
    out = located[["code_insee", "nom", "departement", "departement_nom"]].copy()
    out["population"] = demand.to_numpy()
    out["hours_per_1000"] = index.to_numpy()
    return out.reset_index(drop=True), unknown


def departement_index(commune_rows: pd.DataFrame) -> pd.DataFrame:
    """Population-weighted mean of the commune index per département, lowest first: code, nom,
    population, hours_per_1000."""
    frame = commune_rows.assign(weighted=commune_rows["hours_per_1000"]
                                * commune_rows["population"])
    out = frame.groupby(["departement", "departement_nom"], as_index=False)[
        ["population", "weighted"]].sum()
    out["hours_per_1000"] = out.pop("weighted") / out["population"]
    out = out.rename(columns={"departement": "code", "departement_nom": "nom"})
    return out.sort_values("hours_per_1000").reset_index(drop=True)


def method_text_fr(network_label: str, unknown_hours: int) -> str:
    """The method, in French, to show beside the index."""
    steps = " ; ".join(f"{w:g}".replace(".", ",") + f" jusqu'à {t} min"
                       for t, w in DECAY_WEIGHTS.items())
    text = (f"Indice d'accessibilité (estimation), de la famille de l'« accessibilité potentielle "
            f"localisée » (APL) de la DREES : méthode des aires flottantes à deux étapes "
            f"améliorée (E2SFCA, Luo et Qi 2009), calculée avec la bibliothèque PySAL access. "
            f"L'offre est le nombre d'heures d'ouverture par semaine de chaque site « "
            f"{network_label} » (d'après ses horaires publiés) ; la demande, la population "
            f"municipale de chaque commune. 1) Chaque site divise ses heures par la population "
            f"des communes à moins de {CATCHMENT_MIN} min (temps estimé), pondérée selon le "
            f"temps ; 2) chaque commune additionne ces rapports pour les sites à moins de "
            f"{CATCHMENT_MIN} min, avec les mêmes poids ({steps}, 0 au-delà). Résultat : heures "
            f"d'accueil par semaine pour {PER_INHABITANTS:_} habitants".replace("_", "\u00a0")
            + ". Les temps sont ceux de l'estimation de la carte (vol d'oiseau × détour).")
    if unknown_hours:
        text += (f" {unknown_hours} sites sans horaires lisibles comptent pour la médiane des "
                 "autres.")
    return text
