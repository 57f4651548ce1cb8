"""Shared machinery of the importers: French rejections, report, decoding, CSV, checks, download.

Validation policy (the same for every publisher format):
- Structural problems reject the whole file with a French message saying what and where:
  empty file, size over the cap, undecodable bytes, wrong separator, missing columns, rows with
  a wrong number of fields, the same identifier on two rows with different contents, invalid
  flag values, more than MAX_OUTSIDE_SHARE of the located rows outside France.
- Row-level defects that the publishers' own files contain drop the row and are counted in the
  report (reason -> count): missing/unreadable coordinates (ARCEP 2018 has `#N/A`), a few
  coordinates outside France, exact duplicate rows, the same name (or operator) at the same
  coordinates, missing name.
- Nothing is written unless the whole file validated; see explorer.sites for atomic writes.
"""

from __future__ import annotations

import csv
import io
import json
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from explorer import database, settings

# Share of located rows allowed outside France before the file is rejected: beyond it the cause
# is systematic (swapped columns, wrong projection, foreign file), not a few typos.
MAX_OUTSIDE_SHARE = 0.05
DOWNLOAD_TIMEOUT_S = 60
USER_AGENT = "explorer-igas-2019-033R/0.1 (import de donnees ouvertes)"

# (south, north, west, east) in WGS84 degrees, with a margin of a few km.
FRANCE_BOXES = {
    "France métropolitaine": (41.2, 51.2, -5.3, 9.7),
    "Guadeloupe": (15.8, 16.6, -61.9, -60.9),
    "Martinique": (14.3, 14.95, -61.3, -60.75),
    "Guyane": (2.0, 5.9, -54.7, -51.5),
    "La Réunion": (-21.45, -20.85, 55.2, 55.9),
    "Mayotte": (-13.1, -12.55, 44.9, 45.35),
    "Saint-Pierre-et-Miquelon": (46.7, 47.2, -56.5, -56.1),
    "Saint-Martin et Saint-Barthélemy": (17.85, 18.15, -63.2, -62.75),
    "Wallis-et-Futuna": (-14.5, -13.1, -178.3, -176.0),
    "Polynésie française": (-28.0, -7.0, -155.0, -134.0),
    "Nouvelle-Calédonie": (-23.0, -19.0, 163.0, 169.0),
}

_SEP_NAMES = {",": "la virgule (« , »)", ";": "le point-virgule (« ; »)", "\t": "la tabulation",
              "|": "la barre verticale (« | »)"}
_MISSING_TOKENS = {"", "#n/a", "n/a", "na", "nan", "null", "none", "-"}


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


@dataclass
class ImportReport:
    """What an import read, kept and dropped; for display after an import."""

    importer: str
    label: str
    filename: str
    source: str = ""
    source_date: str = ""
    networks: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_kept: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
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
        count = int(count)
        if count:
            self.dropped[reason] = self.dropped.get(reason, 0) + count

    def lines_fr(self) -> list[str]:
        """Human-readable French summary, one line per item."""
        lines = [
            f"Import « {self.label} » depuis {self.filename}",
            f"Source : {self.source} (millésime {self.source_date})",
            f"Lignes lues : {fmt_int(self.rows_read)} ; conservées : {fmt_int(self.rows_kept)} ; "
            f"écartées : {fmt_int(self.rows_dropped)}",
        ]
        lines += [f"  écartées – {reason} : {fmt_int(n)}" for reason, n in self.dropped.items()]
        if len(self.kept_by_network) > 1:
            lines += [f"  conservées – {net} : {fmt_int(n)}" for net, n in self.kept_by_network.items()]
        lines += [f"Note : {n}" for n in self.notes]
        lines += [f"Attention : {w}" for w in self.warnings]
        return lines

    def to_dict(self) -> dict:
        data = asdict(self)
        data["rows_dropped"] = self.rows_dropped
        return data


def fmt_int(n: int) -> str:
    """French thousands separator (narrow no-break space)."""
    return f"{int(n):,}".replace(",", "\u202f")


def fmt_pct(x: float) -> str:
    return f"{100 * x:.1f}".replace(".", ",") + " %"


# --------------------------------------------------------------------------- size and bytes


def max_bytes(factor: float = 1) -> int:
    """Size cap, read at call time so that tests and the app can change the setting."""
    return int(settings.IMPORT_MAX_BYTES * factor)


def check_size(size: int, filename: str, limit: int) -> None:
    if size > limit:
        raise ImportRejected(
            f"Fichier trop volumineux : « {filename} » pèse {size / 1e6:.1f} Mo, au-delà de la "
            f"limite de {limit / 1e6:.0f} Mo (réglage EXPLORER_IMPORT_MAX_MB). Vérifiez qu'il "
            "s'agit bien du bon fichier."
        )


def check_not_empty(raw: bytes, filename: str) -> None:
    if not raw.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise ImportRejected(f"Le fichier « {filename} » est vide.")


def read_input(path_or_bytes, filename: str | None, limit: int) -> tuple[bytes, str]:
    """Bytes and display name of an input given as a path or as bytes; size checked unread."""
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        raw = bytes(path_or_bytes)
        name = filename or "fichier transmis"
        check_size(len(raw), name, limit)
        return raw, name
    path = Path(path_or_bytes)
    name = filename or path.name
    if not path.is_file():
        raise ImportRejected(f"Fichier introuvable : {path}")
    check_size(path.stat().st_size, name, limit)
    return path.read_bytes(), name


# --------------------------------------------------------------------------- decoding


def decode_text(raw: bytes, filename: str, label: str, fallbacks: Sequence[str] = ()) -> tuple[str, str, list[str]]:
    """Decode as UTF-8 (BOM allowed), else with the publisher's legacy encodings, else reject.

    Returns (text, encoding name, warnings).
    """
    head = raw[:4096]
    if head.startswith(b"PK\x03\x04"):
        raise ImportRejected(
            f"« {filename} » est un classeur Excel (.xlsx) ou une archive ZIP, pas un fichier "
            f"texte : exportez-le au format CSV (UTF-8) pour le format « {label} »."
        )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        raise ImportRejected(
            f"Encodage non pris en charge : « {filename} » semble encodé en UTF-16 ou être un "
            "fichier binaire (octets nuls). Enregistrez-le en UTF-8."
        )
    try:
        text = raw.decode("utf-8-sig")
        encoding, warnings = "utf-8", []
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        byte = raw[err.start: err.start + 1].hex().upper()
        where = f"octet 0x{byte} invalide en UTF-8 à la ligne {line}"
        for enc in fallbacks:
            try:
                text = raw.decode(enc)
            except UnicodeDecodeError:
                continue
            encoding = enc
            warnings = [f"fichier non UTF-8 ({where}) : lu en {enc}, l'encodage historique de "
                        "l'éditeur ; vérifiez les accents."]
            break
        else:
            hint = (f" (essayé aussi : {', '.join(fallbacks)})" if fallbacks
                    else f" ; le format « {label} » est publié en UTF-8")
            raise ImportRejected(
                f"Encodage non reconnu pour « {filename} » : {where}{hint}. "
                "Réenregistrez le fichier en UTF-8."
            ) from None
    bad = re.search(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]", text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise ImportRejected(
            f"Encodage non reconnu pour « {filename} » : caractère de contrôle "
            f"U+{ord(bad.group()):04X} à la ligne {line} (fichier binaire ou mal encodé). "
            "Réenregistrez le fichier en UTF-8."
        )
    return text, encoding, warnings


# --------------------------------------------------------------------------- CSV


def norm_col(name: str) -> str:
    return name.strip().strip('"').strip().lstrip("\ufeff").lower()


def _header_fields(first_line: str, sep: str) -> list[str]:
    try:
        return [norm_col(c) for c in next(csv.reader([first_line], delimiter=sep))]
    except (StopIteration, csv.Error):
        return []


def read_csv_table(
    text: str,
    filename: str,
    label: str,
    required: Sequence[str],
    separators: Sequence[str] = (",", ";"),
    alternatives: Sequence[Sequence[str]] = (),
) -> tuple[pd.DataFrame, str]:
    """Parse a delimited text into a frame of strings (lower-cased column names) + `_line`.

    `required` columns must all be present; `alternatives` lists other acceptable column sets
    (a format with two vintages). `_line` is the file line where each record starts (header is
    line 1). Returns (frame, separator).
    """
    first = next((ln for ln in io.StringIO(text, newline=None) if ln.strip()), "").rstrip("\r\n")
    if not first:
        raise ImportRejected(f"Le fichier « {filename} » est vide.")
    options = [list(required), *map(list, alternatives)]

    def score(sep: str) -> tuple[int, list[str], list[str]]:
        cols = _header_fields(first, sep)
        best = max(options, key=lambda opt: sum(c in cols for c in opt))
        return sum(c in cols for c in best), best, cols

    candidates = list(dict.fromkeys([*separators, ",", ";", "\t", "|"]))
    scored = {sep: score(sep) for sep in candidates}
    complete = [s for s in candidates if scored[s][0] == len(scored[s][1])]
    accepted = [s for s in complete if s in separators]
    if not accepted:
        expected = " ou ".join(_SEP_NAMES.get(s, repr(s)) for s in separators)
        if complete:
            raise ImportRejected(
                f"Mauvais séparateur dans « {filename} » : les colonnes sont séparées par "
                f"{_SEP_NAMES.get(complete[0], repr(complete[0]))}, alors que le format « {label} » "
                f"utilise {expected}. Réenregistrez le fichier en CSV avec ce séparateur."
            )
        sep = max(separators, key=lambda s: scored[s][0])
        _, best, cols = scored[sep]
        missing = [c for c in best if c not in cols]
        shown = ", ".join(cols[:15]) + (" …" if len(cols) > 15 else "")
        other = ""
        if alternatives:
            other = " (formats acceptés : " + " | ".join(", ".join(o) for o in options) + ")"
        if len(cols) <= 1 and any(s in first for s in candidates if s not in separators):
            sep_found = next(s for s in candidates if s in first and s not in separators)
            raise ImportRejected(
                f"Mauvais séparateur dans « {filename} » : la ligne d'en-tête est découpée par "
                f"{_SEP_NAMES.get(sep_found, repr(sep_found))}, alors que le format « {label} » "
                f"utilise {expected}.",
                [f"colonnes manquantes : {', '.join(missing)}"],
            )
        raise ImportRejected(
            f"Colonnes manquantes dans « {filename} » (ligne 1) pour le format « {label} » : "
            f"{', '.join(missing)}{other}.",
            [f"colonnes trouvées : {shown or '(aucune)'}"],
        )
    sep = accepted[0]

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        raw_header = next(reader)
        while not any(c.strip() for c in raw_header):
            raw_header = next(reader)
        header = [norm_col(c) for c in raw_header]
    except StopIteration:
        raise ImportRejected(f"Le fichier « {filename} » est vide.") from None
    header_line = reader.line_num
    dups = sorted({c for c in header if c and header.count(c) > 1})
    if dups:
        raise ImportRejected(
            f"Colonne en double dans l'en-tête de « {filename} » (ligne {header_line}) : "
            f"{', '.join(dups)}."
        )
    width = len(header)
    rows: list[list[str]] = []
    starts: list[int] = []
    bad: list[str] = []
    prev = reader.line_num
    try:
        for record in reader:
            start = prev + 1
            prev = reader.line_num
            if not record or not any(f.strip() for f in record):
                continue
            if len(record) != width:
                extra_empty = len(record) > width and not any(f.strip() for f in record[width:])
                if not extra_empty:
                    if len(bad) < 5:
                        bad.append(f"ligne {start} : {len(record)} champs au lieu de {width}")
                    else:
                        bad.append("")
                    continue
                record = record[:width]
            rows.append(record)
            starts.append(start)
    except csv.Error as err:
        raise ImportRejected(
            f"CSV illisible dans « {filename} » vers la ligne {reader.line_num} : {err} "
            "(guillemets non fermés ?)."
        ) from None
    if bad:
        shown = [b for b in bad if b]
        raise ImportRejected(
            f"Structure incorrecte dans « {filename} » : {len(bad)} ligne(s) n'ont pas le même "
            f"nombre de champs que l'en-tête ({width}) ; séparateur ou guillemets incorrects ?",
            shown + (["…"] if len(bad) > len(shown) else []),
        )
    if not rows:
        raise ImportRejected(
            f"Le fichier « {filename} » ne contient que la ligne d'en-tête : aucune donnée."
        )
    names = [c or f"_col{i}" for i, c in enumerate(header)]
    frame = pd.DataFrame(rows, columns=names, dtype="object")
    frame["_line"] = starts
    # Original spelling of each column, for messages ("4G" rather than "4g").
    frame.attrs["columns"] = {n: raw.strip().lstrip("\ufeff") for n, raw in zip(names, raw_header)}
    return frame, sep


def text_col(frame: pd.DataFrame, col: str) -> pd.Series:
    """Stripped strings of a column ('' where absent)."""
    if col not in frame.columns:
        return pd.Series([""] * len(frame), index=frame.index, dtype="object")
    return frame[col].fillna("").astype(str).str.strip()


def parse_number(values: pd.Series) -> pd.Series:
    """Floats from strings with '.' or ',' decimals; NaN for blanks, '#N/A' and garbage."""
    s = values.fillna("").astype(str).str.strip()
    s = s.where(~s.str.lower().isin(_MISSING_TOKENS), "")
    s = s.str.replace("\u00a0", "", regex=False).str.replace(",", ".", regex=False)
    return pd.to_numeric(s, errors="coerce").astype("float64")


def parse_flag(values: pd.Series, column: str, lines: pd.Series, filename: str) -> pd.Series:
    """Booleans from 0/1 (also true/false, oui/non); reject other values with line numbers."""
    s = values.fillna("").astype(str).str.strip().str.lower()
    mapping = {"1": True, "0": False, "true": True, "false": False, "oui": True, "non": False,
               "1.0": True, "0.0": False, "": False}
    out = s.map(mapping)
    bad = out.isna()
    if bad.any():
        examples = [f"ligne {ln} : « {v} »" for ln, v in zip(lines[bad][:5], values[bad][:5])]
        raise ImportRejected(
            f"Valeurs invalides dans la colonne « {column} » de « {filename} » "
            f"({int(bad.sum())} ligne(s)) : attendu 0 ou 1.",
            examples,
        )
    return out.astype(bool)


# --------------------------------------------------------------------------- INSEE codes

_INSEE_RE = r"\d{5}|2[AB]\d{3}"


def clean_insee(values: pd.Series, report: ImportReport) -> pd.Series:
    """5-character commune codes; restores a leading zero lost by spreadsheets, blanks invalid."""
    s = values.fillna("").astype(str).str.strip().str.upper()
    s = s.str.replace(r"\.0$", "", regex=True)
    short = s.str.fullmatch(r"\d{4}")
    if short.any():
        s = s.where(~short, s.str.zfill(5))
        report.warnings.append(f"{fmt_int(short.sum())} code(s) INSEE à 4 chiffres complétés "
                               "d'un zéro initial (perdu par un tableur).")
    valid = s.str.fullmatch(_INSEE_RE)
    invalid = (~valid) & (s != "")
    if invalid.any():
        report.warnings.append(f"{fmt_int(invalid.sum())} code(s) INSEE invalides laissés vides.")
    return s.where(valid, None).astype("string")


# --------------------------------------------------------------------------- coordinates


def in_france(lat: pd.Series | np.ndarray, lon: pd.Series | np.ndarray) -> np.ndarray:
    lat = np.asarray(lat, dtype="float64")
    lon = np.asarray(lon, dtype="float64")
    inside = np.zeros(lat.shape, dtype=bool)
    for south, north, west, east in FRANCE_BOXES.values():
        inside |= (lat >= south) & (lat <= north) & (lon >= west) & (lon <= east)
    return inside


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
        examples = [f"ligne {ln} : latitude {la:.5f}, longitude {lo:.5f}"
                    for ln, la, lo in zip(outside["_line"][:5], outside["lat"][:5], outside["lon"][:5])]
        swapped = in_france(outside["lon"], outside["lat"]).mean() > 0.5
        cause = (" Les colonnes latitude et longitude semblent inversées." if swapped else
                 " Coordonnées dans un autre système (Lambert-93 ?) ou fichier d'un autre pays ?")
        raise ImportRejected(
            f"Coordonnées hors de France dans « {filename} » : {fmt_int(len(outside))} lignes sur "
            f"{fmt_int(len(frame))} ({fmt_pct(len(outside) / len(frame))}), au-delà du seuil de "
            f"{fmt_pct(MAX_OUTSIDE_SHARE)} (métropole et outre-mer).{cause}",
            examples,
        )
    if len(outside):
        report.drop("coordonnées hors de France", len(outside))
        report.warnings.append(
            "coordonnées hors de France écartées : "
            + ", ".join(f"ligne {ln}" for ln in outside["_line"][:10])
            + (" …" if len(outside) > 10 else "")
        )
    return frame[inside]


# --------------------------------------------------------------------------- duplicates


def check_duplicate_ids(frame: pd.DataFrame, id_col: str, report: ImportReport, filename: str,
                        column_label: str, content_cols: Sequence[str]) -> pd.DataFrame:
    """Same identifier twice: identical rows are dropped, differing rows reject the file."""
    ids = frame[id_col].fillna("").astype(str)
    dup = ids.duplicated(keep=False) & (ids != "")
    if not dup.any():
        return frame
    part = frame[dup]
    conflicts = []
    for key, group in part.groupby(ids[dup], sort=False):
        if len(group[list(content_cols)].astype(str).drop_duplicates()) > 1:
            conflicts.append(f"« {key} » aux lignes " + ", ".join(map(str, group["_line"][:6])))
    if conflicts:
        raise ImportRejected(
            f"Identifiant en double dans « {filename} » (colonne « {column_label} ») avec des "
            f"contenus différents : {len(conflicts)} identifiant(s). Un identifiant doit désigner "
            "un seul lieu ; corrigez ou retirez les lignes en conflit.",
            conflicts[:5] + (["…"] if len(conflicts) > 5 else []),
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


def finish_sites(frame: pd.DataFrame, report: ImportReport, filename: str) -> pd.DataFrame:
    """Common tail of the site importers: names, coordinates, same-place duplicates, counts."""
    frame = frame.copy()
    frame["name"] = frame["name"].fillna("").astype(str).str.strip()
    unnamed = frame["name"] == ""
    report.drop("nom absent", unnamed.sum())
    frame = check_coordinates(frame[~unnamed], report, filename)
    frame = drop_same_place(frame, report, "name", "doublon (même nom, mêmes coordonnées)")
    if frame.empty:
        raise ImportRejected(
            f"Aucune ligne exploitable dans « {filename} » : toutes les lignes ont été écartées.",
            [f"{reason} : {fmt_int(n)}" for reason, n in report.dropped.items()],
        )
    report.rows_kept = len(frame)
    report.kept_by_network = {str(k): int(v) for k, v in frame["network"].value_counts().sort_index().items()}
    report.networks = list(report.kept_by_network)
    return frame


# --------------------------------------------------------------------------- dates

_DAY_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")
_QUARTER_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_ ]?T([1-4])(?![\dA-Za-z])", re.IGNORECASE)
_MONTH_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_](0[1-9]|1[0-2])(?!\d)")
_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


def date_from_name(name: str) -> str | None:
    """Vintage carried by a file name: 2024-08-01 / 20240801, 2024_T2 (quarter end), 2018-01."""
    base = Path(name).name
    for m in _DAY_RE.finditer(base):
        try:
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            continue
    m = _QUARTER_RE.search(base)
    if m:
        month, day = _QUARTER_END[int(m[2])]
        return date(int(m[1]), month, day).isoformat()
    m = _MONTH_RE.search(base)
    if m:
        return date(int(m[1]), int(m[2]), 1).isoformat()
    return None


def normalize_date_param(value) -> str | None:
    """ISO date from a date, datetime or string parameter; French rejection if unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y%m%d"):
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            pass
    raise ImportRejected(f"Date de millésime illisible : « {text} » (attendu AAAA-MM-JJ).")


def resolve_source_date(param, filename: str, fallback: str | None = None) -> str:
    """Parameter, else date in the file name, else `fallback` (e.g. newest record), else today."""
    return (normalize_date_param(param) or date_from_name(filename) or fallback
            or date.today().isoformat())


# --------------------------------------------------------------------------- download


def fetch(url: str, *, importer_key: str, limit: int, timeout: float = DOWNLOAD_TIMEOUT_S) -> bytes:
    """GET `url` with urllib; every failure becomes a French DownloadError."""
    host = urllib.parse.urlsplit(url).netloc or url
    manual = (f"Vous pouvez télécharger le fichier à la main puis l'importer avec "
              f"« explorer import {importer_key} FICHIER ».")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(limit + 1)
    except urllib.error.HTTPError as err:
        raise DownloadError(
            f"Téléchargement refusé par {host} : erreur HTTP {err.code} ({err.reason}) pour {url}. "
            + manual
        ) from None
    except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise DownloadError(
            f"Téléchargement impossible : {host} est injoignable (pas de connexion Internet, "
            f"serveur indisponible ou délai de {timeout:.0f} s dépassé ; détail : {reason}). "
            + manual
        ) from None
    if len(data) > limit:
        raise DownloadError(
            f"Téléchargement interrompu : le fichier de {url} dépasse la limite de "
            f"{limit / 1e6:.0f} Mo (réglage EXPLORER_IMPORT_MAX_MB)."
        )
    return data


def datagouv_dataset(slug: str, *, importer_key: str) -> dict:
    """Metadata of a data.gouv.fr dataset (its `resources` list) from the public API."""
    url = f"https://www.data.gouv.fr/api/1/datasets/{slug}/"
    raw = fetch(url, importer_key=importer_key, limit=20_000_000, timeout=30)
    try:
        return json.loads(raw)
    except ValueError:
        raise DownloadError(f"Réponse inattendue de data.gouv.fr pour le jeu « {slug} ».") from None


def pick_resource(resources: Sequence[dict], match: Callable[[dict], bool]) -> dict | None:
    """Most recently modified resource satisfying `match` (data.gouv.fr resource dicts)."""
    candidates = [r for r in resources if isinstance(r, dict) and r.get("url") and match(r)]
    if not candidates:
        return None
    return max(candidates, key=lambda r: str(r.get("last_modified") or r.get("created_at") or ""))


def timed(fn):
    """Decorator filling `report.seconds` of a function returning an ImportReport."""
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        report = fn(*args, **kwargs)
        report.seconds = round(time.perf_counter() - start, 3)
        return report
    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    wrapper.__wrapped__ = fn
    return wrapper


def open_text_file(module, raw: bytes, filename: str, fallbacks: Sequence[str] = ()) -> tuple[ImportReport, str]:
    """A fresh report for `module` and the file's text, once size, emptiness and encoding passed."""
    report = ImportReport(importer=module.KEY, label=module.LABEL, filename=filename, source=module.SOURCE)
    check_size(len(raw), filename, max_bytes())
    check_not_empty(raw, filename)
    text, report.encoding, warnings = decode_text(raw, filename, module.LABEL, fallbacks)
    report.warnings += warnings
    return report, text


def join_address(street: str, complement: str, postcode: str, commune: str) -> str:
    """« 5 rue X, bâtiment B, 01200 Valserhône » from its parts, skipping empty ones."""
    first = ", ".join(p for p in (street, complement) if p)
    town = " ".join(p for p in (postcode, commune) if p)
    return ", ".join(p for p in (first, town) if p)


def parse(module, raw: bytes, filename: str, *, source_date=None) -> pd.DataFrame:
    """The frame `module.parse_report` makes of a file, its ImportReport in `df.attrs['report']`."""
    frame, report = module.parse_report(raw, filename, source_date=source_date)
    frame.attrs["report"] = report
    return frame


@timed
def import_with(module, path_or_bytes, *, filename: str | None = None, source_date=None,
                import_dir=None) -> ImportReport:
    """Read, parse with `module`, then atomically replace the table(s) `module.save` writes.

    Nothing is written unless the whole file validated: a rejected file leaves the previous data.
    """
    refuse_in_public_mode()
    raw, name = read_input(path_or_bytes, filename, max_bytes(getattr(module, "SIZE_FACTOR", 1)))
    frame, report = module.parse_report(raw, name, source_date=source_date)
    paths = module.save(frame, directory=import_dir, metadata=metadata_of(report, module.KEY))
    database.forget_fingerprint()  # the app sees the new data on its next rerun
    report.paths = [str(p) for p in paths]
    return report


def refuse_in_public_mode() -> None:
    if settings.is_public():
        raise ImportRejected(
            "Les imports sont désactivés dans la démonstration publique (EXPLORER_PUBLIC) : "
            "installez l'outil en local pour importer des fichiers."
        )


def metadata_of(report: ImportReport, importer_key: str) -> dict:
    return {
        "importer": importer_key,
        "source": report.source,
        "source_date": report.source_date,
        "original_file": report.filename,
        "rows_read": report.rows_read,
        "rows_kept": report.rows_kept,
        "dropped": report.dropped,
    }
