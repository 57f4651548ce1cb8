"""What an import tells the user: the French rejection and the report of a accepted file."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from explorer.formatting import MISSING, fr_cells, fr_date, fr_number


class ImportRejected(Exception):
    """A file that cannot be imported. `message` is French and meant for the user."""

    def __init__(self, message: str, details: Iterable[str] = ()):
        self.message = message
        self.details = list(details)
        super().__init__(str(self))

    def __str__(self) -> str:
        return self.message + "".join(f"\n  – {d}" for d in self.details)


class DownloadError(ImportRejected):
    """The publisher's file could not be fetched (offline, HTTP error, too big)."""


def examples(items: list[str], limit: int = 5) -> list[str]:
    """At most `limit` examples, then « … » when some were left out (for ImportRejected details)."""
    return items[:limit] + (["…"] if len(items) > limit else [])


@dataclass
class ImportReport:
    """What an import read, kept and dropped; for display after an import.

    `source_date` is the vintage (ISO date) and `vintage_origin` says where it came from:
    « colonnes du fichier », « nom du fichier » or « indiqué à l'import ».
    """

    importer: str
    label: str
    filename: str
    source: str = ""
    source_date: str = ""
    vintage_origin: str = ""
    networks: list[str] = field(default_factory=list)
    territories: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_kept: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    hours_rejected: int = 0
    kept_by_network: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    encoding: str = ""
    paths: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rows_dropped(self) -> int:
        return sum(self.dropped.values())

    def drop(self, reason: str, count: int | np.integer) -> None:
        """Count `count` rows dropped for `reason` (zero counts are not listed)."""
        count = int(count)
        if count:
            self.dropped[reason] = self.dropped.get(reason, 0) + count

    def lines_fr(self) -> list[str]:
        """Human-readable French summary, one line per item."""
        lines = [
            f"Import « {self.label} » depuis {self.filename}",
            f"Source : {self.source} (millésime du {fr_date(self.source_date)}, {self.vintage_origin})",
            f"Lignes lues : {fr_number(self.rows_read)} ; conservées : {fr_number(self.rows_kept)} ; "
            f"écartées : {fr_number(self.rows_dropped)}",
        ]
        lines += [f"  écartées – {reason} : {fr_number(n)}" for reason, n in self.dropped.items()]
        if len(self.kept_by_network) > 1:
            lines += [f"  conservées – {net} : {fr_number(n)}" for net, n in self.kept_by_network.items()]
        if self.hours_rejected:
            lines.append(f"Plages horaires impossibles rejetées : {fr_number(self.hours_rejected)}")
        if self.territories:
            lines.append("Territoires couverts : " + ", ".join(self.territories))
        lines += [f"Note : {n}" for n in self.notes]
        lines += [f"Attention : {w}" for w in self.warnings]
        return lines

    def to_dict(self) -> dict:
        data = asdict(self)
        data["rows_dropped"] = self.rows_dropped
        return data


def listing_fr(listing: pd.DataFrame, coverage: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The imports listing (sites.list_imports) as the import page shows it: one row per file,
    columns Réseau, Lignes, Territoire couvert, Source, Millésime, Origine du millésime, Importé
    le, Fichier d'origine.

    `coverage`: network → the territory its file covers (NetworkScope.label, « France entière
    sauf Mayotte », « Cantal (15) »); the ARCEP file's territories are listed in their own table.
    """
    from explorer.sites import MOBILE_TABLE
    from explorer.territory.networks import network_label

    coverage = coverage or {}
    return pd.DataFrame({
        "Réseau": ["Sites mobiles ARCEP" if n == MOBILE_TABLE else network_label(n)
                   for n in listing["network"]],
        "Lignes": fr_cells(listing["rows"]),
        "Territoire couvert": ["voir le tableau par territoire" if n == MOBILE_TABLE else coverage.get(n, MISSING)
                               for n in listing["network"]],
        "Source": listing["source"],
        "Millésime": [fr_date(d) for d in listing["source_date"]],
        "Origine du millésime": listing["vintage_origin"],
        "Importé le": [fr_date(d) for d in listing["imported_at"]],
        "Fichier d'origine": listing["original_file"],
    })


def territories_fr(territories: pd.DataFrame) -> pd.DataFrame:
    """The ARCEP territories listing (sites.mobile_territories) in French."""
    return pd.DataFrame({
        "Territoire": territories["territory"], "Sites": fr_cells(territories["rows"]),
        "Millésime": [fr_date(d) for d in territories["source_date"]],
        "Fichier d'origine": territories["original_file"],
        "Importé le": [fr_date(d) for d in territories["imported_at"]],
    })
