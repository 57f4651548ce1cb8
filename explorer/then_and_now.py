"""Then and now: the report's 2018-2019 figures beside what today's embedded or imported data
give, each with its date and source, and a one-line caveat where they are not like for like."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from explorer import access
from explorer.formatting import MISSING, fr_date, fr_number, fr_pct, fr_share

# The report's branch (query reception_sites_by_operator_and_year) → our network key.
BRANCH_NETWORKS = {"CNAF": "caf", "CNAM": "cpam", "CNAV": "carsat", "MSA": "msa"}
BRANCH_LABELS = {"CNAF": "Lieux d'accueil CAF", "CNAM": "Lieux d'accueil de l'Assurance "
                 "maladie", "CNAV": "Lieux d'accueil de l'Assurance retraite",
                 "MSA": "Lieux d'accueil MSA"}
COLUMNS = ["Indicateur", "Rapport (alors)", "Date et source (alors)", "Aujourd'hui",
           "Date et source (aujourd'hui)", "Attention"]
NO_FILE = "pas de liste embarquée (importable dans une installation locale)"


def _now(network: str, files: Mapping[str, tuple[int, dict]]) -> tuple[str, str]:
    if network not in files:
        return MISSING, NO_FILE
    count, meta = files[network]
    return fr_number(count), (f"{fr_date(meta.get('source_date')) if meta.get('source_date') else 'date non renseignée'}, "
                              f"{meta.get('source') or 'source non renseignée'}")


def panel(msap: pd.DataFrame, reception: pd.DataFrame, cnam_share: pd.DataFrame,
          cnav: pd.DataFrame, files: Mapping[str, tuple[int, dict]],
          within_fs: pd.DataFrame | None) -> pd.DataFrame:
    """The panel, French cells, columns COLUMNS.

    `msap`: dataset mediation_msap_cour_des_comptes_2019; `reception`: query
    reception_sites_by_operator_and_year; `cnam_share`: dataset
    cnam_population_share_by_travel_time; `cnav`: dataset cnav_access_55_64; `files`: network →
    (sites count, file metadata) of each available sites file; `within_fs`:
    access.population_within of France services (its « FM » rows), or None.
    """
    fs_now, fs_source = _now("france_services", files)
    msap_count = msap.set_index("indicator").at["Maisons de services au public (MSAP)", "value"]
    rows = [("Maisons de services au public / France services",
             f"environ {fr_number(msap_count)} MSAP",
             "mars 2019, Cour des comptes citée par le rapport (annexe 3, encadré)",
             f"{fs_now} France services", fs_source,
             "Une France services n'est pas une MSAP : le label (2020) a ses propres critères "
             "(partenaires, agents, horaires) ; comparer des ordres de grandeur.")]
    latest = reception.sort_values("year").groupby("operator").tail(1)
    for branch in BRANCH_NETWORKS:
        hit = latest[latest["operator"] == branch]
        if hit.empty:
            continue
        row = hit.iloc[0]
        now, source = _now(BRANCH_NETWORKS[branch], files)
        rows.append((f"{BRANCH_LABELS[branch]} ({row['scope']})", fr_number(row["sites_count"]),
                     f"{int(row['year'])}, {row['operator']} dans le rapport", now, source,
                     "Périmètres différents possibles : le rapport compte aussi les "
                     "permanences ; une liste publiée aujourd'hui peut ne pas les inclure."))
    share = cnam_share[(cnam_share["site_type"] == "Agence ou point d'accueil")
                       & (cnam_share["threshold"] == "Moins de 30 minutes")]["value"]
    cnav_30 = cnav.set_index("indicator")["value"].get(
        "Part des 55-64 ans à moins de 30 minutes d'un siège ou d'une PAR")
    estimate, estimate_source = MISSING, "pas d'estimation (aucun fichier France services)"
    if within_fs is not None:
        metro = within_fs[(within_fs["zone_code"] == access.METRO_CODE)
                          & (within_fs["threshold_min"] == 30)]
        if not metro.empty:
            estimate = fr_share(float(metro["within_pct"].iloc[0]), 1) + " (France services)"
            estimate_source = f"{fs_source.split(',')[0]}, estimation de l'explorateur"
    road_caveat = ("Temps routier (distancier) dans le rapport, vol d'oiseau × détour ici ; "
                   "autre réseau et autre recensement : pas comparable terme à terme.")
    if not share.empty:
        rows.append(("Population à moins de 30 min d'un lieu d'accueil (France métropolitaine)",
                     fr_pct(float(share.iloc[0]), 0) + " (Assurance maladie)",
                     "RP 2015, CNAM (traitement Cnav), annexe 4, tableau 5", estimate,
                     estimate_source, road_caveat))
    if cnav_30 is not None:
        rows.append(("55-64 ans à moins de 30 min d'un siège ou point d'accueil retraite",
                     fr_pct(float(cnav_30), 0), "2019, CNAV, annexe 5", MISSING,
                     "pas d'équivalent : l'explorateur estime pour toute la population",
                     "Champ différent (55-64 ans)."))
    return pd.DataFrame(rows, columns=COLUMNS)
