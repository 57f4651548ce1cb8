"""Estimated mobile (4G) availability per commune from ARCEP mobile site locations.

An estimate, not ARCEP's coverage maps: for each operator, the great-circle distance from the
commune's representative point (its town hall) to the operator's nearest site offering the
technology; the operator "covers" the commune when that distance is within a radius that depends
on the commune's density class. It says nothing about indoor coverage, throughput, or the
parts of the commune away from its centre. Where ARCEP's published per-commune coverage is
supplied, `prefer_published` uses it instead.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from explorer.access import SiteIndex

OPERATORS = ("Orange", "SFR", "Bouygues Telecom", "Free Mobile")
OPERATOR_SLUGS = {"Orange": "orange", "SFR": "sfr", "Bouygues Telecom": "bouygues",
                  "Free Mobile": "free"}
TECHNOLOGIES = ("2g", "3g", "4g")
# A commune whose density is unknown (Mayotte: no population in the source) gets the middle radius.
UNKNOWN_DENSITY_CLASS = "intermédiaire"
ESTIMATE_SOURCE = "estimation (distance aux sites ARCEP)"
PUBLISHED_SOURCE = "ARCEP, couverture publiée par commune"


@dataclass(frozen=True)
class CoverageParameters:
    """Radii (km) within which an operator's site is taken to serve a commune's centre."""

    # Typical 4G macro-cell reach: in dense areas sites are 0.5-1 km apart and a cell serves
    # well within ~1-2 km; suburban/small-town cells (1800 MHz) reach 3-5 km; rural cells on
    # 800 MHz, on high masts, reach 5-10 km outdoors. The radius is generous on purpose: the
    # question is whether the town centre has a usable signal, not full-area coverage.
    radius_dense_km: float = 2.0
    radius_intermediate_km: float = 5.0
    radius_rural_km: float = 8.0
    # Communes with no site of any operator within this distance lie outside the file's
    # territory (the 2018 ARCEP file covers metropolitan France only): no estimate, not "0".
    out_of_scope_km: float = 40.0
    technology: str = "4g"

    def __post_init__(self) -> None:
        if self.technology not in TECHNOLOGIES:
            raise ValueError(f"Technologie inconnue : « {self.technology} » "
                             f"(attendu : {', '.join(TECHNOLOGIES)}).")
        for name, value in asdict(self).items():
            if name != "technology" and not (isinstance(value, (int, float)) and value > 0):
                raise ValueError(f"Paramètre « {name} » invalide : {value!r} "
                                 "(un nombre strictement positif est attendu).")

    def radii_km(self) -> dict[str, float]:
        """Radius of each density class."""
        return {"dense": self.radius_dense_km, "intermédiaire": self.radius_intermediate_km,
                "rural": self.radius_rural_km}


def method_text_fr(params: CoverageParameters = CoverageParameters()) -> str:
    """The method and its parameters, in French, for the UI."""
    r = {k: f"{v:g}".replace(".", ",") for k, v in params.radii_km().items()}
    tech = params.technology.upper()
    return (
        f"Estimation de la disponibilité {tech}, pas une carte de couverture : pour chaque "
        f"opérateur, distance à vol d'oiseau entre le point de la commune (sa mairie, ou à "
        f"défaut un point intérieur) et son site {tech} le plus proche (liste des sites de "
        f"l'ARCEP). La commune est comptée comme couverte par l'opérateur si ce site est à moins "
        f"de {r['dense']} km en commune dense, {r['intermédiaire']} km en commune intermédiaire, "
        f"{r['rural']} km en commune rurale. Ne dit rien de la couverture à l'intérieur des "
        "bâtiments, du débit, ni des écarts de la commune. Sans site à moins de "
        f"{params.out_of_scope_km:g} km, la commune est hors du champ du fichier (pas "
        "d'estimation). Lorsque la couverture publiée par l'ARCEP est fournie, elle est "
        "préférée à cette estimation."
    )


def distance_columns() -> list[str]:
    """Names of the per-operator distance columns of `nearest_operator_sites`."""
    return [f"dist_{OPERATOR_SLUGS[op]}_km" for op in OPERATORS]


def nearest_operator_sites(communes: pd.DataFrame, mobile_sites: pd.DataFrame,
                           technology: str = "4g") -> pd.DataFrame:
    """Distance (km) from each commune to each operator's nearest site with `technology`.

    Columns: code_insee, dist_orange_km, dist_sfr_km, dist_bouygues_km, dist_free_km (NaN when
    the operator has no such site or the commune has no point). This is the costly step;
    `estimate_coverage` then applies radii without searching again.
    """
    if technology not in TECHNOLOGIES:
        raise ValueError(f"Technologie inconnue : « {technology} ».")
    flag = f"has_{technology}"
    usable = mobile_sites[mobile_sites[flag].fillna(False).astype(bool)]
    out = pd.DataFrame({"code_insee": communes["code_insee"].to_numpy()}, index=communes.index)
    for operator in OPERATORS:
        index = SiteIndex(usable[usable["operator"] == operator])
        dist, _ = index.query(communes["lat"], communes["lon"], k=1)
        out[f"dist_{OPERATOR_SLUGS[operator]}_km"] = np.where(np.isfinite(dist[:, 0]),
                                                              dist[:, 0], np.nan)
    return out


def estimate_coverage(distances: pd.DataFrame, communes: pd.DataFrame,
                      params: CoverageParameters = CoverageParameters()) -> pd.DataFrame:
    """Per-commune estimate from `nearest_operator_sites` output.

    Columns: code_insee, density_class, radius_km, covered_<operator> (boolean, NA out of
    scope), n_operators (0-4, NA out of scope), covered_any, covered_all, in_scope,
    coverage_source. Rows follow `distances`; `communes` is matched on code_insee.
    """
    base = communes.set_index("code_insee")
    codes = distances["code_insee"]
    density = base["density_class"].reindex(codes).astype("object").to_numpy()
    density = np.where(pd.isna(density), UNKNOWN_DENSITY_CLASS, density)
    radius = pd.Series(density).map(params.radii_km()).to_numpy(dtype=float)
    dist = distances[distance_columns()].to_numpy(dtype=float)
    nearest_any = np.nanmin(np.where(np.isnan(dist), np.inf, dist), axis=1)
    in_scope = nearest_any <= params.out_of_scope_km

    out = pd.DataFrame({"code_insee": codes.to_numpy(), "density_class": density,
                        "radius_km": radius}, index=distances.index)
    covered = dist <= radius[:, None]  # NaN distance compares False: operator has no site
    for j, operator in enumerate(OPERATORS):
        out[f"covered_{OPERATOR_SLUGS[operator]}"] = pd.array(
            np.where(in_scope, covered[:, j], None), dtype="boolean")
    n = covered.sum(axis=1)
    out["n_operators"] = pd.array(np.where(in_scope, n, None), dtype="Int64")
    out["covered_any"] = pd.array(np.where(in_scope, n > 0, None), dtype="boolean")
    out["covered_all"] = pd.array(np.where(in_scope, n == len(OPERATORS), None), dtype="boolean")
    out["in_scope"] = in_scope
    out["coverage_source"] = np.where(in_scope, ESTIMATE_SOURCE, None)
    return out


def validate_published(published: pd.DataFrame, share_column: str = "share_pct") -> pd.DataFrame:
    """Check a user-supplied table code_insee -> share (0-100 %); raises ValueError in French."""
    for column in ("code_insee", share_column):
        if column not in published.columns:
            raise ValueError(f"Colonne « {column} » absente de la couverture publiée "
                             f"(colonnes présentes : {', '.join(map(str, published.columns))}).")
    codes = published["code_insee"].astype(str).str.strip()
    bad_code = ~codes.str.fullmatch(r"[0-9][0-9AB][0-9]{3}")
    if bad_code.any():
        line = int(np.flatnonzero(bad_code.to_numpy())[0]) + 2  # 1-based, after the header
        raise ValueError(f"Code INSEE invalide ligne {line}, colonne « code_insee » : "
                         f"« {published['code_insee'].iloc[line - 2]} » (5 caractères attendus).")
    share = pd.to_numeric(published[share_column], errors="coerce")
    bad_share = share.isna() | (share < 0) | (share > 100)
    if bad_share.any():
        line = int(np.flatnonzero(bad_share.to_numpy())[0]) + 2
        raise ValueError(f"Part couverte invalide ligne {line}, colonne « {share_column} » : "
                         f"« {published[share_column].iloc[line - 2]} » (pourcentage de 0 à 100 "
                         "attendu).")
    duplicated = codes.duplicated()
    if duplicated.any():
        line = int(np.flatnonzero(duplicated.to_numpy())[0]) + 2
        raise ValueError(f"Code INSEE en double ligne {line} : « {codes.iloc[line - 2]} ».")
    return pd.DataFrame({"code_insee": codes.to_numpy(), "share_pct": share.to_numpy(float)})


def prefer_published(estimate: pd.DataFrame, published: pd.DataFrame | None,
                     share_column: str = "share_pct", covered_min_pct: float = 50.0
                     ) -> pd.DataFrame:
    """Per-commune availability preferring ARCEP's published share where a commune has one.

    Columns: code_insee, coverage_pct (published share, NaN for estimates), covered_any
    (published share >= `covered_min_pct`, else the estimate), n_operators (estimate only),
    coverage_source. Communes present only in `published` are kept.
    """
    columns = ["code_insee", "covered_any", "n_operators", "coverage_source"]
    result = estimate[columns].copy()
    result.insert(1, "coverage_pct", np.nan)
    if published is None or len(published) == 0:
        return result.reset_index(drop=True)
    pub = validate_published(published, share_column).set_index("code_insee")
    result = result.set_index("code_insee")
    result = result.reindex(result.index.union(pub.index, sort=False))
    has = result.index.isin(pub.index)
    shares = pub["share_pct"].reindex(result.index)
    result["coverage_pct"] = shares.where(has)
    result["covered_any"] = result["covered_any"].astype("boolean").mask(
        has, pd.array(shares >= covered_min_pct, dtype="boolean"))
    result["n_operators"] = result["n_operators"].astype("Int64").mask(has, pd.NA)
    result["coverage_source"] = result["coverage_source"].astype("object").mask(
        has, PUBLISHED_SOURCE)
    return result.rename_axis("code_insee").reset_index()


def coverage_summary(coverage: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """Population by number of operators (0-4) in metropolitan France and per département.

    Columns: zone_code ("FM" or département), n_operators, population_count, population_pct.
    """
    base = communes.set_index("code_insee")[["departement", "population"]]
    data = coverage[["code_insee", "n_operators"]].join(base, on="code_insee")
    data = data[data["n_operators"].notna() & data["population"].notna()]
    data = data.assign(population=data["population"].astype(float))
    metro = data[~data["departement"].str.startswith("97")].assign(departement="FM")
    frames = []
    for part in (metro, data):
        counts = part.groupby(["departement", "n_operators"])["population"].sum()
        frames.append(counts)
    counts = pd.concat(frames).rename("population_count").reset_index()
    totals = counts.groupby("departement")["population_count"].transform("sum")
    counts["population_pct"] = 100 * counts["population_count"] / totals
    counts["population_count"] = counts["population_count"].round().astype("int64")
    counts["n_operators"] = counts["n_operators"].astype("int64")
    return counts.rename(columns={"departement": "zone_code"})
