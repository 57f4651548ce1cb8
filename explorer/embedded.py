"""Embedded networks: publishers' open-data files turned into compact files of geo/ by the
project's own importers, so the map works with no import at all (public demo, offline workshop).

`build()` is the only writer (CLI: `explorer networks build`). It reads the publishers' files as
published (by default from ../shared/data, beside the repository), runs each through its importer
(the same validation and repairs as a user import), keeps only the columns the explorer uses, and
writes `geo/sites_<network>.parquet` or `geo/mobile_sites.parquet` with their provenance in the
Parquet metadata, plus `geo/NETWORKS.md`. A user import of the same kind replaces the embedded
file (explorer.sites.network_file).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from explorer import settings, sites
from explorer.formatting import fr_number

SHARED_DATA_DIR = settings.ROOT.parent / "shared" / "data"
NOTE_FILE = "NETWORKS.md"
LICENCE = "Licence Ouverte / Open Licence 2.0 (Etalab)"
# Coordinates kept to 5 decimals (~1 m): the importers' precision is far beyond what a
# nearest-site search at commune scale needs, and rounded values compress to a third.
COORD_DECIMALS = 5


@dataclass(frozen=True)
class EmbeddedSource:
    """One publisher's file embedded in geo/: importer key, file name, publisher, what it is."""

    importer: str
    filename: str
    publisher: str
    title: str
    note: str


SOURCES = (
    EmbeddedSource(
        "france-services", "france-services-2024-08-01.csv", "ANCT",
        "Liste des structures labellisées France services (data.gouv.fr)",
        "Réseau France services tel que publié le 1er août 2024 : l'équivalent actuel des maisons "
        "de services au public (MSAP) dont parle le rapport (2019), pas la même liste."),
    EmbeddedSource(
        "arcep", "arcep-sites-mobiles-2018-01-metropole-l93.csv", "ARCEP",
        "Mon réseau mobile : sites mobiles des opérateurs, janvier 2018, métropole (Lambert-93)",
        "Période décrite par le rapport (sa carte 4G est celle de l'ARCEP de novembre 2019) ; "
        "métropole seulement : l'outre-mer est hors du champ de ce fichier."),
)


@dataclass
class BuiltFile:
    """What `build()` wrote for one source: target file, rows read and kept, repairs."""

    source: EmbeddedSource
    path: Path
    source_date: str
    rows_read: int
    rows_kept: int
    dropped: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _compact(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(lat=frame["lat"].round(COORD_DECIMALS), lon=frame["lon"].round(COORD_DECIMALS))


def build_one(source: EmbeddedSource, source_dir: Path = SHARED_DATA_DIR,
              output_dir: Path = settings.GEO_DIR) -> BuiltFile:
    """Import one publisher file into `output_dir` (atomic write); raises FileNotFoundError
    when the file is absent and importers.ImportRejected when it does not validate."""
    from explorer import importers

    started = time.perf_counter()
    path = Path(source_dir) / source.filename
    module = importers.get(source.importer)
    frame, report = module.parse_report(path.read_bytes(), source.filename)
    metadata = {**importers.base.metadata_of(report, source.importer), "licence": LICENCE,
                "publisher": source.publisher, "embedded": True, "imported_at": ""}
    frame = _compact(frame)
    if source.importer == "arcep":
        target = sites.mobile_sites_path(output_dir)
        sites.write_tables({target: (sites.conform_mobile_sites(frame), sites.MOBILE_SCHEMA,
                                     metadata)})
    else:
        (network,) = module.NETWORKS
        target = sites.sites_path(network, output_dir)
        sites.write_tables({target: (sites.conform_sites(frame), sites.SITES_SCHEMA, metadata)})
    return BuiltFile(source, target, report.source_date, report.rows_read, report.rows_kept,
                     dict(report.dropped), list(report.notes), list(report.warnings),
                     time.perf_counter() - started)


def build(source_dir: Path = SHARED_DATA_DIR, output_dir: Path = settings.GEO_DIR
          ) -> list[BuiltFile]:
    """Rebuild every embedded network file and geo/NETWORKS.md; idempotent."""
    built = [build_one(s, source_dir, output_dir) for s in SOURCES]
    note = note_markdown(built)
    tmp = Path(output_dir) / f".{NOTE_FILE}.tmp"
    tmp.write_text(note, encoding="utf-8")
    tmp.replace(Path(output_dir) / NOTE_FILE)
    return built


def note_markdown(built: list[BuiltFile]) -> str:
    """The sources note of the embedded networks (French): publisher, vintage, licence, counts,
    repairs made by the importer, size of each file."""
    parts = ["# geo/ : réseaux embarqués\n",
             "Fichiers dérivés, ne pas modifier à la main. Reconstruction : "
             "`explorer networks build` (fonction `explorer.embedded.build`), depuis les fichiers "
             "des producteurs tels que publiés (dossier `../shared/data`, option `--source`). "
             "Chaque fichier passe par l'importeur du projet (mêmes contrôles et réparations "
             "qu'un import par l'utilisateur) ; seules les colonnes utilisées par l'explorateur "
             f"sont gardées, coordonnées arrondies à {COORD_DECIMALS} décimales (~1 m). Un import "
             "du même type remplace le fichier embarqué.\n"]
    for b in built:
        s = b.source
        lines = [f"## `{b.path.name}` : {s.title}",
                 f"- Producteur : {s.publisher} ; licence : {LICENCE}.",
                 f"- Fichier source : `{s.filename}` ; millésime : {b.source_date}.",
                 f"- {s.note}",
                 f"- Lignes lues : {fr_number(b.rows_read)} ; conservées : {fr_number(b.rows_kept)}.",
                 *(f"- Écartées – {reason} : {fr_number(n)}" for reason, n in b.dropped.items()),
                 *(f"- Note de l'import : {n}" for n in b.notes),
                 *(f"- Avertissement de l'import : {w}" for w in b.warnings),
                 f"- Taille : {fr_number(b.path.stat().st_size / 1e6, 2)} Mo."]
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)
