"""The dataset catalog (data/catalog.csv) and the rules every report dataset follows."""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from explorer import settings

CATALOG_COLUMNS = (
    "dataset_id", "annex", "label", "title", "operator", "theme", "unit", "source_lines", "notes",
)
OPERATORS = ("CNAF", "CNAM", "CNAV", "MSA", "Pôle emploi")
CATALOG_OPERATORS = OPERATORS + ("several", "")
# How a catalog operator code reads on screen.
OPERATOR_LABELS = {**{o: o for o in OPERATORS}, "several": "Plusieurs opérateurs", "": "Aucun (hors opérateurs)"}
THEMES = {
    "digital_divide": "Fracture numérique",
    "accessibility": "Accessibilité",
    "digital_usage": "Usages numériques",
    "satisfaction": "Satisfaction",
    "quality_of_service": "Qualité de service",
    "channel_contacts": "Contacts par canal",
    "reception_sites": "Sites d'accueil",
    "territorial_access": "Accès territorial",
    "staff_and_costs": "Moyens et coûts",
    "mediation": "Médiation numérique",
    "non_take_up": "Non-recours",
    "governance": "Objectifs COG",
    "other": "Autres",
}
# percent: 96.4 for "96,4 %"; points: percentage points; eur: euros (never thousands/millions);
# score: a mark on the scale given in the notes; mixed: the CSV carries its own `unit` column.
UNITS = {
    "percent": "%",
    "points": "points",
    "count": "nombre",
    "eur": "€",
    "etp": "ETP",
    "days": "jours",
    "hours": "heures",
    "minutes": "minutes",
    "months": "mois",
    "years": "années",
    "score": "note",
    "ratio": "ratio",
    "mixed": "mixte",
}
# Columns of a report CSV that are not dimensions.
RESERVED_COLUMNS = ("value", "unit", "note")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
LABEL_PATTERN = re.compile(r"^(Tableau|Graphique|Schéma|Carte|Encadré) \d+[a-z]?$|^texte$|^tableau non numéroté$")
LINES_PATTERN = re.compile(r"^\d+(-\d+)?(;\s*\d+(-\d+)?)*$")


@dataclass(frozen=True)
class Problem:
    dataset_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.dataset_id}: {self.message}"


def read_catalog(path: Path = settings.CATALOG_PATH) -> pd.DataFrame:
    """The catalog as a DataFrame of strings (annex as int), in file order."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["annex"] = frame["annex"].astype(int)
    return frame


def read_dataset(dataset_id: str, report_dir: Path = settings.REPORT_DIR) -> pd.DataFrame:
    """One report dataset as a DataFrame; `value` is float, dimensions are strings."""
    frame = pd.read_csv(report_dir / f"{dataset_id}.csv", dtype=str, keep_default_na=False)
    frame["value"] = pd.to_numeric(frame["value"].replace("", None), errors="raise").astype("float64")
    return frame


def dimensions(frame: pd.DataFrame) -> list[str]:
    """The dimension columns of a report dataset."""
    return [c for c in frame.columns if c not in RESERVED_COLUMNS]


def check(catalog_path: Path = settings.CATALOG_PATH, report_dir: Path = settings.REPORT_DIR,
          require_all_files: bool = True) -> list[Problem]:
    """Every rule a catalog and its CSV files must follow; an empty list means valid."""
    problems: list[Problem] = []
    with open(catalog_path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        header = tuple(reader.fieldnames or ())
        rows = list(reader)
    missing = [c for c in CATALOG_COLUMNS if c not in header]
    if missing:
        return [Problem("catalog", f"missing columns {missing}")]
    seen: set[str] = set()
    for row in rows:
        ds = row["dataset_id"]
        problems += [Problem(ds, m) for m in _check_row(row, seen)]
        seen.add(ds)
        path = report_dir / f"{ds}.csv"
        if not path.exists():
            problems.append(Problem(ds, f"file {path.name} is missing"))
            continue
        problems += [Problem(ds, m) for m in _check_file(path, row["unit"])]
    if require_all_files:
        for path in sorted(report_dir.glob("*.csv")):
            if path.stem not in seen:
                problems.append(Problem(path.stem, "CSV file has no catalog row"))
    breaks_path = catalog_path.parent / SERIES_BREAKS_FILE
    if breaks_path.exists():
        problems += _check_series_breaks(read_series_breaks(breaks_path), report_dir, seen)
    return problems


# A series whose definition changes in a given year (data/series_breaks.csv): declared once here,
# marked on every chart that shows the series.
SERIES_BREAKS_FILE = "series_breaks.csv"
SERIES_BREAK_COLUMNS = ("dataset_id", "dimension", "series", "year", "reason")


@dataclass(frozen=True)
class SeriesBreak:
    dataset_id: str
    dimension: str  # the dataset column that names the series, e.g. "channel"
    series: str  # its value, e.g. "Accueil physique"
    year: int  # first year of the new definition
    reason: str  # French, shown under the chart


def read_series_breaks(path: Path = settings.DATA_DIR / SERIES_BREAKS_FILE) -> list[SeriesBreak]:
    """Every declared series break; raises ValueError on a missing column or a non-integer year."""
    return list(_series_breaks(path, path.stat().st_mtime_ns))


@functools.lru_cache(maxsize=4)
def _series_breaks(path: Path, mtime_ns: int) -> tuple[SeriesBreak, ...]:
    # Read once per file version (pages ask on every run; an edit is seen at the next run).
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in SERIES_BREAK_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{path.name}: missing columns {missing}")
    return tuple(SeriesBreak(r.dataset_id, r.dimension, r.series, int(r.year), r.reason)
                 for r in frame.itertuples())


def breaks_in(breaks: list[SeriesBreak], dataset_ids, frame: pd.DataFrame,
              fixed: dict[str, str] | None = None) -> list[SeriesBreak]:
    """The breaks of `breaks` that a chart of `frame` (rows of `dataset_ids`) shows.

    A break applies when its series is among the frame's values of its dimension, or is the
    value the view is narrowed to (`fixed`, e.g. {"channel": "Accueil physique"}), and the
    frame's years reach across the break year.
    """
    ids = {dataset_ids} if isinstance(dataset_ids, str) else set(dataset_ids)
    fixed = fixed or {}
    years = pd.to_numeric(frame["year"], errors="coerce").dropna() if "year" in frame.columns else pd.Series()
    shown = []
    for b in breaks:
        in_view = fixed.get(b.dimension) == b.series or (
            b.dimension in frame.columns and (frame[b.dimension] == b.series).any())
        if b.dataset_id in ids and in_view and len(years) and years.min() < b.year <= years.max():
            shown.append(b)
    return shown


def _check_series_breaks(breaks: list[SeriesBreak], report_dir: Path, catalogued: set[str]) -> list[Problem]:
    out = []
    for b in breaks:
        if b.dataset_id not in catalogued:
            out.append(Problem(b.dataset_id, "series break on a dataset without catalog row"))
            continue
        frame = read_dataset(b.dataset_id, report_dir)
        if b.dimension not in frame.columns or not (frame[b.dimension] == b.series).any():
            out.append(Problem(b.dataset_id, f"series break: no {b.dimension} = {b.series!r}"))
        elif "year" not in frame.columns or str(b.year) not in set(frame["year"]):
            out.append(Problem(b.dataset_id, f"series break: year {b.year} not in the dataset"))
        if not b.reason.strip():
            out.append(Problem(b.dataset_id, "series break without a reason"))
    return out


def _check_row(row: dict, seen: set[str]) -> list[str]:
    out = []
    ds = row["dataset_id"]
    if not ID_PATTERN.match(ds):
        out.append("dataset_id must match [a-z][a-z0-9_]*")
    if ds in seen:
        out.append("duplicate dataset_id")
    if not row["annex"].isdigit() or not 1 <= int(row["annex"]) <= 9:
        out.append(f"annex {row['annex']!r} is not an integer 1-9")
    if not LABEL_PATTERN.match(row["label"]):
        out.append(f"label {row['label']!r} is not 'Tableau N', 'Graphique N', ... or 'texte'")
    if row["operator"] not in CATALOG_OPERATORS:
        out.append(f"operator {row['operator']!r} not in {CATALOG_OPERATORS}")
    if row["theme"] not in THEMES:
        out.append(f"theme {row['theme']!r} not in {sorted(THEMES)}")
    if row["unit"] not in UNITS:
        out.append(f"unit {row['unit']!r} not in {sorted(UNITS)}")
    if not LINES_PATTERN.match(row["source_lines"]):
        out.append(f"source_lines {row['source_lines']!r} is not like '2405-2416' or '62; 198-200'")
    if not row["title"].strip():
        out.append("empty title")
    return out


def _check_file(path: Path, unit: str) -> list[str]:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except Exception as exc:  # noqa: BLE001 - any parse failure is a problem to report
        return [f"unreadable CSV: {exc}"]
    out = []
    if "value" not in frame.columns:
        return ["no `value` column"]
    if frame.empty:
        out.append("no rows")
    bad = [v for v in frame["value"] if v != "" and not _is_number(v)]
    if bad:
        out.append(f"non-numeric values {bad[:5]}")
    dims = dimensions(frame)
    if not dims:
        out.append("no dimension column")
    for c in dims:
        if not ID_PATTERN.match(c):
            out.append(f"dimension column {c!r} must be snake_case")
    if dims and frame.duplicated(subset=dims).any():
        out.append("duplicate rows for the same dimension values")
    if (frame["value"] == "").any() and "note" not in frame.columns:
        out.append("empty values need a `note` column saying why")
    if unit == "mixed":
        if "unit" not in frame.columns:
            out.append("unit 'mixed' needs a `unit` column in the CSV")
        else:
            wrong = set(frame["unit"]) - (set(UNITS) - {"mixed"})
            if wrong:
                out.append(f"row units {sorted(wrong)} not in the vocabulary")
    elif "unit" in frame.columns:
        out.append("a `unit` column is only allowed when the catalog unit is 'mixed'")
    return out


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
