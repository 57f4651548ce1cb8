"""Delimited text to a frame of strings, and the cell readers (numbers, flags, text).

The separator is chosen by scoring the header line against the importer's expected columns,
not with csv.Sniffer: that lets the message say « wrong separator » or name the missing
columns instead of guessing (Sniffer finds the same delimiter on the publishers' files; what
we gain is the message). Parsing itself is the standard library's csv module.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence

import pandas as pd

from explorer.formatting import fr_count, fr_number
from explorer.importers.report import ImportRejected

_SEP_NAMES = {",": "la virgule (« , »)", ";": "le point-virgule (« ; »)", "\t": "la tabulation",
              "|": "la barre verticale (« | »)"}
# The publishers' files have a few dozen columns; thousands mean a wrong or hostile file.
MAX_COLUMNS = 1000
MISSING_TOKENS = {"", "#n/a", "n/a", "na", "nan", "null", "none", "-"}
_FLAGS = {"1": True, "0": False, "true": True, "false": False, "oui": True, "non": False,
          "1.0": True, "0.0": False, "": False, "null": False}


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
    if len(header) > MAX_COLUMNS:
        raise ImportRejected(
            f"En-tête de « {filename} » trop large : {fr_number(len(header))} colonnes (au plus "
            f"{fr_number(MAX_COLUMNS)}) ; est-ce bien le fichier attendu ?")
    dups = sorted(c for c, n in Counter(header).items() if c and n > 1)
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
            f"Structure incorrecte dans « {filename} » : lignes dont le nombre de champs diffère de "
            f"l'en-tête ({width}) : {fr_number(len(bad))} ; séparateur ou guillemets incorrects ?",
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
    s = s.where(~s.str.lower().isin(MISSING_TOKENS), "")
    s = s.str.replace("\u00a0", "", regex=False).str.replace(",", ".", regex=False)
    return pd.to_numeric(s, errors="coerce").astype("float64")


def parse_flag(values: pd.Series, column: str, lines: pd.Series, filename: str) -> pd.Series:
    """Booleans from 0/1, True/False, oui/non (blank or NULL: False); reject others with lines."""
    s = values.fillna("").astype(str).str.strip().str.lower()
    out = s.map(_FLAGS)
    bad = out.isna()
    if bad.any():
        found = [f"ligne {ln} : « {v} »" for ln, v in zip(lines[bad][:5], values[bad][:5])]
        raise ImportRejected(
            f"Valeurs invalides dans la colonne « {column} » de « {filename} » "
            f"({fr_count(int(bad.sum()), 'ligne')}) : attendu 0 ou 1.",
            found,
        )
    return out.astype(bool)
