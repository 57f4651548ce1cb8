"""Row checks shared by the site importers: coordinates in France, duplicates, the common tail.

Validation policy (the same for every publisher format):
- a systematic problem rejects the whole file with a French message saying what and where:
  more than MAX_OUTSIDE_SHARE of the located rows outside France, or the same identifier on
  two rows with different contents;
- row-level defects found in the publishers' own files drop the row and are counted in the
  report: missing or unreadable coordinates (ARCEP 2018 has `#N/A`), a few points outside
  France, exact duplicate rows, the same name (or operator) at the same coordinates, no name.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from explorer import sites
from explorer.formatting import fr_count, fr_number, fr_pct
from explorer.importers.report import ImportRejected, ImportReport, examples

# Share of located rows allowed outside France before the file is rejected: beyond it the cause
# is systematic (swapped columns, wrong projection, foreign file), not a few typos.
MAX_OUTSIDE_SHARE = 0.05


def in_france(lat, lon) -> np.ndarray:
    """Booleans: which WGS84 points fall in France (métropole or outre-mer), see sites.TERRITORY_BOXES."""
    return sites.territory_of(lat, lon) != ""


def check_coordinates(frame: pd.DataFrame, report: ImportReport, filename: str) -> pd.DataFrame:
    """Drop rows without coordinates or a few outside France; reject a systematic problem."""
    located = frame["lat"].notna() & frame["lon"].notna()
    report.drop("coordonnées absentes ou illisibles", (~located).sum())
    frame = frame[located]
    if frame.empty:
        return frame
    inside = in_france(frame["lat"], frame["lon"])
    outside = frame[~inside]
    if len(outside) > MAX_OUTSIDE_SHARE * len(frame):
        found = [f"ligne {ln} : latitude {la:.5f}, longitude {lo:.5f}"
                 for ln, la, lo in zip(outside["_line"][:5], outside["lat"][:5], outside["lon"][:5])]
        swapped = in_france(outside["lon"], outside["lat"]).mean() > 0.5
        cause = (" Les colonnes latitude et longitude semblent inversées." if swapped else
                 " Coordonnées dans un autre système (Lambert-93 ?) ou fichier d'un autre pays ?")
        raise ImportRejected(
            f"Coordonnées hors de France dans « {filename} » : {fr_count(len(outside), 'ligne')} sur "
            f"{fr_number(len(frame))} ({fr_pct(100 * len(outside) / len(frame), 1)}), au-delà du seuil de "
            f"{fr_pct(100 * MAX_OUTSIDE_SHARE, 1)} (métropole et outre-mer).{cause}",
            found,
        )
    if len(outside):
        report.drop("coordonnées hors de France", len(outside))
        report.warnings.append(
            "coordonnées hors de France écartées : "
            + ", ".join(f"ligne {ln}" for ln in outside["_line"][:10])
            + (" …" if len(outside) > 10 else "")
        )
    return frame[inside]


def check_duplicate_ids(frame: pd.DataFrame, id_col: str, report: ImportReport, filename: str,
                        content_cols: Sequence[str]) -> pd.DataFrame:
    """Same identifier twice: identical rows are dropped, differing rows reject the file.

    One pass: each row's content is hashed once, and an identifier conflicts when it has more
    than one distinct hash (issue 09: 100,000 conflicting ids used to take 180 s).
    """
    ids = frame[id_col].fillna("").astype(str)
    dup = ids.duplicated(keep=False) & (ids != "")
    if not dup.any():
        return frame
    part = frame.loc[dup, list(content_cols)].astype(str)
    hashes = pd.util.hash_pandas_object(part, index=False)
    distinct = hashes.groupby(ids[dup].to_numpy(), sort=False).nunique()
    conflicting = distinct[distinct > 1].index
    if len(conflicting):
        lines = frame.loc[dup, "_line"].groupby(ids[dup].to_numpy(), sort=False).agg(list)
        found = [f"« {key} » aux lignes " + ", ".join(map(str, lines[key][:6])) for key in conflicting[:6]]
        raise ImportRejected(
            f"Identifiant en double dans « {filename} » (colonne « {id_col} ») avec des "
            f"contenus différents : {fr_count(len(conflicting), 'identifiant')}. Un identifiant doit "
            "désigner un seul lieu ; corrigez ou retirez les lignes en conflit.",
            examples(found),
        )
    extra = ids.duplicated(keep="first") & (ids != "")
    report.drop("ligne en double (même identifiant, même contenu)", extra.sum())
    return frame[~extra]


def drop_same_place(frame: pd.DataFrame, report: ImportReport, by: str, reason: str) -> pd.DataFrame:
    """Drop later rows with the same `by` value (name, operator) at the same coordinates."""
    key = pd.DataFrame({
        "k": frame[by].astype(str).str.strip().str.casefold(),
        "lat": frame["lat"].round(6), "lon": frame["lon"].round(6),
    })
    dup = key.duplicated(keep="first")
    report.drop(reason, dup.sum())
    return frame[~dup]


def refuse_if_empty(frame: pd.DataFrame, report: ImportReport, filename: str) -> None:
    if frame.empty:
        raise ImportRejected(
            f"Aucune ligne exploitable dans « {filename} » : toutes les lignes ont été écartées.",
            [f"{reason} : {fr_number(n)}" for reason, n in report.dropped.items()],
        )


def finish_sites(frame: pd.DataFrame, report: ImportReport, filename: str) -> pd.DataFrame:
    """Common tail of the site importers: names, coordinates, same-place duplicates, counts."""
    frame = frame.copy()
    frame["name"] = frame["name"].fillna("").astype(str).str.strip()
    unnamed = frame["name"] == ""
    report.drop("nom absent", unnamed.sum())
    frame = check_coordinates(frame[~unnamed], report, filename)
    frame = drop_same_place(frame, report, "name", "doublon (même nom, mêmes coordonnées)")
    refuse_if_empty(frame, report, filename)
    report.rows_kept = len(frame)
    report.kept_by_network = {str(k): int(v) for k, v in frame["network"].value_counts().sort_index().items()}
    report.networks = list(report.kept_by_network)
    return frame


def join_address(street: str, complement: str, postcode, commune: str) -> str:
    """« 5 rue X, bâtiment B, 01200 Valserhône » from its parts, skipping empty ones."""
    postcode = "" if postcode is None or pd.isna(postcode) else str(postcode)
    first = ", ".join(p for p in (street, complement) if p)
    town = " ".join(p for p in (postcode, commune) if p)
    return ", ".join(p for p in (first, town) if p)
