"""Estimated car travel time from each commune to the nearest site of a network.

Method (an estimate, not a routing): great-circle distance from the commune's representative
point (its town hall, see geography.py) to the nearest site, times a road detour factor, driven
at a speed that depends on the commune's density class for the first `local_leg_km` and at the
rural (open-road) speed beyond. The nearest-site search (`nearest_sites`)
is separate from the time computation (`travel_times`), so changing a parameter only redoes the
cheap arithmetic. Like the report's annexe 4, tableau 5, this measures theoretical car access;
it says nothing of public transport, parking or opening hours.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius: 1° of a great circle = 111.195 km
THRESHOLDS_MIN = (15, 30, 45, 60)
# A commune whose density is unknown (Mayotte: no population in the source) gets the middle
# speed rather than being dropped.
UNKNOWN_DENSITY_CLASS = "intermédiaire"
METRO_CODE = "FM"
# Beyond this great-circle distance the nearest site lies across the sea (an overseas commune
# whose territory has no site of the network, Corsica without one): no car trip, no estimate.
MAX_REACH_KM = 150.0
FRANCE_CODE = "FR"


@dataclass(frozen=True)
class Parameters:
    """Travel-time parameters; frozen so they can key a cache."""

    # Road distance / great-circle distance. Circuity ratios reported for road networks are
    # mostly 1.2-1.4, and 1.3 is the usual rule of thumb for a dense network like France's;
    # mountains and coasts (islands: no road at all) are worse, long plain trips better.
    detour_factor: float = 1.3
    # Mean door-to-door speed by density class of the departure commune (km/h):
    # dense: city traffic, lights, 30 km/h zones; intermédiaire: 50 km/h in town mixed with
    # suburban roads; rural: departmental roads at 80-90 km/h slowed by villages at 50 km/h.
    speed_dense_kmh: float = 30.0
    speed_intermediate_kmh: float = 50.0
    speed_rural_kmh: float = 70.0
    # Road km driven at the departure commune's speed; the rest of the trip is on open road at
    # speed_rural_kmh. Without it, a dense town with no site of its own (Valence, Vannes,
    # Saint-Quentin: ~13 km to the nearest France services) came out at 31-35 min, where a
    # road trip of 17 km mostly out of town takes ~20 min. float("inf") gives the plain
    # speed-by-class model.
    local_leg_km: float = 5.0

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if name == "local_leg_km":  # may be 0 (open-road speed throughout) or infinite
                ok = isinstance(value, (int, float)) and value >= 0
            else:
                ok = isinstance(value, (int, float)) and np.isfinite(value) and value > 0
            if not ok:
                raise ValueError(f"Paramètre « {name} » invalide : {value!r} "
                                 "(un nombre positif est attendu).")
        if self.detour_factor < 1:
            raise ValueError("Le coefficient de détour doit être au moins égal à 1 "
                             f"(reçu : {self.detour_factor}).")

    def speeds_kmh(self) -> dict[str, float]:
        """Speed of each density class."""
        return {"dense": self.speed_dense_kmh, "intermédiaire": self.speed_intermediate_kmh,
                "rural": self.speed_rural_kmh}

    def minutes(self, road_km, local_speed_kmh) -> np.ndarray:
        """Driving time (min): the local leg at `local_speed_kmh`, the rest at the rural speed."""
        road_km = np.asarray(road_km, float)
        local = np.minimum(road_km, self.local_leg_km)
        return 60 * (local / np.asarray(local_speed_kmh, float)
                     + (road_km - local) / self.speed_rural_kmh)

    def reach_km(self, minutes: float, local_speed_kmh) -> np.ndarray:
        """Great-circle distance (km) reachable within `minutes` from a commune whose local
        speed is `local_speed_kmh`: the inverse of `minutes` over the detour factor."""
        speed = np.asarray(local_speed_kmh, float)
        local_min = 60 * self.local_leg_km / speed
        with np.errstate(invalid="ignore"):  # an infinite local leg: the first branch holds
            road_km = np.where(minutes <= local_min, minutes * speed / 60, self.local_leg_km
                               + (minutes - local_min) * self.speed_rural_kmh / 60)
        return road_km / self.detour_factor


def method_text_fr(params: Parameters = Parameters()) -> str:
    """The method and its parameters, in French, for the UI."""
    s = params.speeds_kmh()
    return (
        "Estimation, pas un calcul d'itinéraire : distance à vol d'oiseau entre le point de la "
        "commune (sa mairie, ou à défaut un point intérieur) et le site le plus proche, "
        f"multipliée par un coefficient de détour de {_fr(params.detour_factor)}. Les "
        f"{_fr(params.local_leg_km)} premiers kilomètres sont parcourus à une vitesse moyenne "
        f"selon la densité de la commune de départ ({_fr(s['dense'])} km/h en commune dense, "
        f"{_fr(s['intermédiaire'])} km/h en commune intermédiaire, {_fr(s['rural'])} km/h en "
        f"commune rurale), la suite à {_fr(s['rural'])} km/h. Temps théorique en voiture, sans "
        "transports en commun, stationnement ni horaires d'ouverture."
    )


def _fr(value: float) -> str:
    return "∞" if np.isinf(value) else f"{value:g}".replace(".", ",")


# ---------------------------------------------------------------- geometry


def unit_vectors(lat, lon) -> np.ndarray:
    """(n, 3) unit vectors of WGS84 points (spherical Earth)."""
    phi, lam = np.radians(np.asarray(lat, float)), np.radians(np.asarray(lon, float))
    return np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


def chord_to_km(chord) -> np.ndarray:
    """Great-circle distance (km) for a chord length between unit vectors."""
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.clip(np.asarray(chord, float) / 2, 0, 1))


def great_circle_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Haversine distance in km (reference implementation for checks)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(h))


class SiteIndex:
    """A spatial index (k-d tree on 3-D unit vectors) of the located rows of `sites`.

    Build once per sites table (15-40 ms for 35,000 sites) and reuse it; rows without
    finite lat/lon are left out and counted in `n_unlocated`.
    """

    def __init__(self, sites: pd.DataFrame) -> None:
        lat = pd.to_numeric(sites["lat"], errors="coerce")
        lon = pd.to_numeric(sites["lon"], errors="coerce")
        located = np.isfinite(lat) & np.isfinite(lon)
        self.sites = sites[located.to_numpy()]
        self.n_unlocated = int((~located).sum())
        self.tree = cKDTree(unit_vectors(self.sites["lat"], self.sites["lon"])) \
            if len(self.sites) else None

    def __len__(self) -> int:
        return len(self.sites)

    def query(self, lat, lon, k: int = 1) -> tuple[np.ndarray, np.ndarray]:
        """Distances (km) and row positions in `self.sites` of the k nearest sites, shaped (n, k).

        Missing positions are -1 with an infinite distance (unlocated point or fewer sites than k).
        """
        lat, lon = np.atleast_1d(np.asarray(lat, float)), np.atleast_1d(np.asarray(lon, float))
        dist = np.full((len(lat), k), np.inf)
        pos = np.full((len(lat), k), -1, dtype=np.int64)
        ok = np.isfinite(lat) & np.isfinite(lon)
        if self.tree is None or not ok.any():
            return dist, pos
        chord, idx = self.tree.query(unit_vectors(lat[ok], lon[ok]), k=k)
        chord, idx = chord.reshape(-1, k), idx.reshape(-1, k)
        found = idx < len(self.sites)
        dist[ok] = np.where(found, chord_to_km(np.where(found, chord, 0)), np.inf)
        pos[ok] = np.where(found, idx, -1)
        return dist, pos


# ---------------------------------------------------------------- per commune


def nearest_sites(communes: pd.DataFrame, sites: pd.DataFrame | SiteIndex) -> pd.DataFrame:
    """Nearest site of each commune: code_insee, site_index (label in `sites`), site_name,
    site_network, distance_km (great circle; NaN where the commune or every site is unlocated)."""
    index = sites if isinstance(sites, SiteIndex) else SiteIndex(sites)
    dist, pos = index.query(communes["lat"], communes["lon"], k=1)
    dist, pos = dist[:, 0], pos[:, 0]
    found = (pos >= 0) & (dist <= MAX_REACH_KM)
    picked = index.sites.iloc[np.where(found, pos, 0)] if len(index) else None

    def column(name):
        if picked is None or name not in index.sites.columns:
            return pd.Series(pd.NA, index=communes.index, dtype="object")
        return pd.Series(picked[name].to_numpy(), index=communes.index).where(found)

    labels = index.sites.index.to_numpy()[np.where(found, pos, 0)] if len(index) \
        else np.zeros(len(pos), dtype=np.int64)
    site_index = pd.Series(labels, index=communes.index).where(found)
    if len(index) == 0 or pd.api.types.is_integer_dtype(index.sites.index):
        site_index = site_index.astype("Int64")
    return pd.DataFrame({
        "code_insee": communes["code_insee"].to_numpy(),
        "site_index": site_index,
        "site_name": column("name"),
        "site_network": column("network"),
        "distance_km": np.where(found, dist, np.nan),
    }, index=communes.index)


def travel_times(nearest: pd.DataFrame, communes: pd.DataFrame,
                 params: Parameters = Parameters()) -> pd.DataFrame:
    """Estimated time (min) to the nearest site, per commune, from `nearest_sites` output.

    Columns: code_insee, departement, departement_nom (when `communes` has it), population,
    density_class, site_name, distance_km, road_km, time_min. Rows follow `nearest`; `communes`
    is matched on code_insee, so it may be in any order.
    """
    base = communes.set_index("code_insee")
    near = nearest.set_index("code_insee")
    density = base["density_class"].reindex(near.index).astype("object")
    density = density.where(density.notna(), UNKNOWN_DENSITY_CLASS)
    speed = density.map(params.speeds_kmh()).astype(float)
    road_km = near["distance_km"].astype(float) * params.detour_factor
    out = pd.DataFrame({
        "departement": base["departement"].reindex(near.index),
        "population": base["population"].reindex(near.index).astype("Float64"),
        "density_class": density,
        "site_name": near.get("site_name"),
        "distance_km": near["distance_km"].astype(float),
        "road_km": road_km,
        "time_min": params.minutes(road_km, speed),
    })
    if "departement_nom" in base.columns:
        out.insert(1, "departement_nom", base["departement_nom"].reindex(near.index))
    return out.reset_index()


# ---------------------------------------------------------------- aggregates


def population_within(times: pd.DataFrame, thresholds: Iterable[float] = THRESHOLDS_MIN
                      ) -> pd.DataFrame:
    """Population within each time threshold: France, metropolitan France and each département.

    One row per zone and threshold: zone_level ("pays" | "département"), zone_code ("FR",
    "FM" or a département code), zone_nom, threshold_min, population_count (communes with known
    population and an estimate), within_count, within_pct, beyond_count, and
    unestimated_count (population of communes without a point or without any site).
    Shaped like IGAS 2019-033R annexe 4, tableau 5 (share and number within 30 and 60 min);
    note that the report's tableau 5 numbers are people *beyond* the threshold.
    """
    thresholds = sorted(float(t) for t in thresholds)
    pop = times["population"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    minutes = times["time_min"].to_numpy(dtype=float)
    known = np.isfinite(pop)
    estimated = known & np.isfinite(minutes)
    dep = times["departement"].astype(str).to_numpy()
    frame = pd.DataFrame({
        "departement": dep,
        "population_count": np.where(estimated, pop, 0.0),
        "unestimated_count": np.where(known & ~estimated, pop, 0.0),
    })
    for i, threshold in enumerate(thresholds):
        frame[i] = np.where(estimated & (minutes <= threshold), pop, 0.0)
    by_dep = frame.groupby("departement", sort=True).sum()
    metro = by_dep[~by_dep.index.str.startswith("97")].sum()
    zones = pd.concat([by_dep.sum().to_frame(FRANCE_CODE).T, metro.to_frame(METRO_CODE).T, by_dep])
    names = {FRANCE_CODE: "France entière", METRO_CODE: "France métropolitaine"}
    if "departement_nom" in times.columns:
        names |= times.groupby("departement")["departement_nom"].first().to_dict()

    rows = []
    for i, threshold in enumerate(thresholds):
        part = pd.DataFrame({
            "zone_level": ["pays", "pays"] + ["département"] * len(by_dep),
            "zone_code": zones.index,
            "zone_nom": [names.get(code, code) for code in zones.index],
            "threshold_min": threshold,
            "population_count": zones["population_count"].to_numpy(),
            "within_count": zones[i].to_numpy(),
            "unestimated_count": zones["unestimated_count"].to_numpy(),
        })
        rows.append(part)
    out = pd.concat(rows, ignore_index=True)
    total = out["population_count"].where(out["population_count"] > 0)
    out.insert(6, "within_pct", 100 * out["within_count"] / total)
    out.insert(7, "beyond_count", out["population_count"] - out["within_count"])
    for col in ("population_count", "within_count", "beyond_count", "unestimated_count"):
        out[col] = out[col].round().astype("int64")
    if all(float(x).is_integer() for x in thresholds):
        out["threshold_min"] = out["threshold_min"].astype("int64")
    order = {code: n for n, code in enumerate(zones.index)}
    out = out.sort_values(["zone_code", "threshold_min"], key=lambda s: s.map(order)
                          if s.name == "zone_code" else s, kind="stable")
    return out.reset_index(drop=True)


def report_table(results: Mapping[str, pd.DataFrame], zone_code: str = METRO_CODE,
                 thresholds: Iterable[int] = (30, 60)) -> pd.DataFrame:
    """Tableau 5 layout: one column per network label, rows "Part de la population à moins de
    N mn" (%) and "Population à plus de N mn" (persons), from `population_within` outputs."""
    rows: dict[str, dict[str, object]] = {}
    for label, table in results.items():
        zone = table[table["zone_code"] == zone_code].set_index("threshold_min")
        for n in thresholds:
            rows.setdefault(f"Part de la population à moins de {n} mn", {})[label] = \
                round(float(zone.at[n, "within_pct"]), 1)
        for n in thresholds:
            rows.setdefault(f"Population à plus de {n} mn", {})[label] = \
                int(zone.at[n, "beyond_count"])
    return pd.DataFrame(rows, dtype=object).T


# ---------------------------------------------------------------- locator


def build_indexes(sites: pd.DataFrame) -> dict[str, SiteIndex]:
    """One SiteIndex per network of a unified sites table (cache this once per process)."""
    return {network: SiteIndex(part) for network, part in sites.groupby("network", sort=True)}


def nearest_by_network(lat: float, lon: float, indexes: Mapping[str, SiteIndex], k: int = 3,
                       density: str | None = None, params: Parameters = Parameters()
                       ) -> pd.DataFrame:
    """The k nearest sites of each network from one point, with distance and estimated time.

    Columns: network, rank, name, site_type, address, commune, opening_hours, lat, lon,
    distance_km, time_min; the speed is that of `density` (the departure commune's class).
    """
    speed = params.speeds_kmh().get(density or UNKNOWN_DENSITY_CLASS,
                                    params.speeds_kmh()[UNKNOWN_DENSITY_CLASS])
    frames = []
    for network, index in indexes.items():
        dist, pos = index.query([lat], [lon], k=k)
        found = pos[0] >= 0
        rows = index.sites.iloc[pos[0][found]].copy()
        rows.insert(0, "rank", np.arange(1, found.sum() + 1))
        rows["network"] = network
        rows["distance_km"] = dist[0][found]
        rows["time_min"] = params.minutes(rows["distance_km"] * params.detour_factor, speed)
        frames.append(rows)
    columns = ["network", "rank", "name", "site_type", "address", "commune", "opening_hours",
               "lat", "lon", "distance_km", "time_min"]
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True)
    return out.reindex(columns=columns)


def commune_locator(code_insee: str, communes: pd.DataFrame,
                    indexes: Mapping[str, SiteIndex], k: int = 3,
                    params: Parameters = Parameters()) -> pd.DataFrame:
    """`nearest_by_network` from the point of one commune; raises KeyError (French) if unknown."""
    match = communes[communes["code_insee"] == code_insee]
    if match.empty:
        raise KeyError(f"Commune inconnue : code INSEE « {code_insee} ».")
    row = match.iloc[0]
    density = row["density_class"] if pd.notna(row["density_class"]) else None
    return nearest_by_network(row["lat"], row["lon"], indexes, k=k, density=density,
                              params=params)
