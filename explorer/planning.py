"""Where to open next: the maximal covering location problem (MCLP, Church & ReVelle 1974) on
the explorer's travel-time estimate.

Demand: the communes of a territory (with a point and a population) estimated beyond a
threshold from their nearest site today. Candidates: the points of the territory's communes (a
new site sits at a town hall). Candidate j covers commune i when the estimated time from i to j
is within the threshold, i.e. the great-circle distance is within
`access.Parameters.reach_km(threshold, speed of i's density class)`; a covered commune's time
then drops to the threshold or less, and an uncovered one keeps its time, so the population
gained by a set of new sites is exactly the covered demand.

`greedy` adds, N times, the candidate that covers the most still-uncovered people: a
(1 − 1/e) approximation of the optimum (Nemhauser, Wolsey & Fisher 1978), in milliseconds.
`exact_spopt` solves the same integer programme with PySAL's spopt (MCLP, CBC solver through
PuLP) to compare; `exact_by_enumeration` tries every set on a small case (tests).
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.spatial import cKDTree

from explorer import access

MAX_PROPOSALS = 20
# spopt builds one binary variable per candidate and per demand commune: beyond this many
# candidates the page does not call it (public demo: CPU shared by every visitor).
SPOPT_MAX_CANDIDATES = 3_000
SPOPT_TIME_LIMIT_S = 20


@dataclass(frozen=True)
class Problem:
    """An MCLP instance: `cover` (demand × candidates, sparse boolean), the demand's
    population (persons) and communes, and the candidates' communes (code_insee, nom,
    departement, lat, lon)."""

    cover: sparse.csr_matrix
    population: np.ndarray
    demand: pd.DataFrame
    candidates: pd.DataFrame


def build_problem(view: pd.DataFrame, communes: pd.DataFrame, departements, threshold_min: float,
                  params: access.Parameters = access.Parameters()) -> Problem:
    """The MCLP of a territory: demand = communes of `departements` (rows of `communes` with a
    point and a population) whose time in `view` (code_insee, time_min: access.travel_times or
    views.commune_view) is beyond `threshold_min` or unknown; candidates = communes of
    `departements` with a point that cover at least one of them."""
    deps = set(departements)
    local = communes[communes["departement"].isin(deps)].dropna(subset=["lat", "lon"])
    minutes = view.set_index("code_insee")["time_min"].astype(float)
    local = local.assign(time_min=local["code_insee"].map(minutes).to_numpy(float))
    pop = local["population"].astype("Float64").fillna(0).to_numpy(float)
    demand = local[~(local["time_min"] <= threshold_min) & (pop > 0)].reset_index(drop=True)
    density = demand["density_class"].astype("object").where(
        demand["density_class"].notna(), access.UNKNOWN_DENSITY_CLASS)
    radius_km = params.reach_km(threshold_min, density.map(params.speeds_kmh()).to_numpy(float))
    tree = cKDTree(access.unit_vectors(local["lat"], local["lon"]))
    chord = 2 * np.sin(radius_km / (2 * access.EARTH_RADIUS_KM))
    balls = tree.query_ball_point(access.unit_vectors(demand["lat"], demand["lon"]), chord) \
        if len(demand) else []
    rows = np.repeat(np.arange(len(demand)), [len(b) for b in balls]).astype(np.int64)
    cols = np.concatenate([np.asarray(b, np.int64) for b in balls]) if len(demand) \
        else np.zeros(0, np.int64)
    used, cols = np.unique(cols, return_inverse=True)
    cover = sparse.csr_matrix((np.ones(len(rows), bool), (rows, cols)),
                              shape=(len(demand), len(used)))
    candidates = local.iloc[used][["code_insee", "nom", "departement", "lat", "lon"]]
    return Problem(cover, demand["population"].astype(float).to_numpy(), demand,
                   candidates.reset_index(drop=True))


def greedy(problem: Problem, n: int) -> list[tuple[int, float]]:
    """N (candidate position, persons newly covered) pairs, best first; stops early when no
    candidate covers anyone more."""
    weights = problem.population.copy()
    by_candidate = problem.cover.T.tocsr()
    gains = by_candidate @ weights
    picked = []
    for _ in range(min(n, problem.cover.shape[1])):
        best = int(np.argmax(gains))
        if gains[best] <= 0:
            break
        newly = by_candidate[best].indices[weights[by_candidate[best].indices] > 0]
        picked.append((best, float(weights[newly].sum())))
        gains -= problem.cover[newly].T @ weights[newly]
        weights[newly] = 0
    return picked


def covered_population(problem: Problem, chosen) -> float:
    """Persons of the demand covered by the candidates at positions `chosen`."""
    hit = problem.cover[:, list(chosen)].sum(axis=1).A1 > 0
    return float(problem.population[hit].sum())


def exact_by_enumeration(problem: Problem, n: int) -> tuple[tuple[int, ...], float]:
    """The best set of n candidates by trying them all (only for small cases)."""
    best = max(itertools.combinations(range(problem.cover.shape[1]), n),
               key=lambda chosen: covered_population(problem, chosen))
    return best, covered_population(problem, best)


def exact_spopt(problem: Problem, n: int) -> tuple[tuple[int, ...], float] | None:
    """The optimum of the MCLP by spopt.locate.MCLP (CBC), or None when spopt is not
    installed, the instance is larger than SPOPT_MAX_CANDIDATES or not solved in time."""
    try:
        import pulp
        from spopt.locate import MCLP
    except ImportError:
        return None
    n_candidates = problem.cover.shape[1]
    if n >= n_candidates:  # every candidate fits: nothing to choose
        return tuple(range(n_candidates)), float(problem.population.sum())
    if n_candidates > SPOPT_MAX_CANDIDATES:
        return None
    # spopt takes a cost matrix and a service radius: 0 within reach, 2 beyond, radius 1.
    cost = np.where(problem.cover.toarray(), 0.0, 2.0)
    model = MCLP.from_cost_matrix(cost, problem.population, service_radius=1.0,
                                  p_facilities=n, name="mclp")
    with warnings.catch_warnings():  # PuLP 3.3 announces a rename of its bundled CBC for 4.0
        warnings.simplefilter("ignore", DeprecationWarning)
        solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=SPOPT_TIME_LIMIT_S)
    model.solve(solver)
    if pulp.LpStatus[model.problem.status] != "Optimal":
        return None
    chosen = tuple(j for j, var in enumerate(model.fac_vars) if var.value() > 0.5)
    return chosen, covered_population(problem, chosen)


def proposals(problem: Problem, picked: list[tuple[int, float]]) -> pd.DataFrame:
    """The greedy picks as a table: rank, code_insee, nom, departement, lat, lon,
    population_gained (persons brought within the threshold by this site, after the ones
    above), cumulative_gained."""
    out = problem.candidates.iloc[[j for j, _ in picked]].reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    out["population_gained"] = np.round([g for _, g in picked]).astype("int64")
    out["cumulative_gained"] = out["population_gained"].cumsum()
    return out
