"""French code columns restored to their standard width and checked.

Spreadsheets read codes as numbers and drop leading zeros (« 1200 » for the postcode 01200,
« 1 » for the département 01, « 1053 » for the commune 01053) or add a decimal part
(« 1053.0 »). Each cleaner restores the width where the shortened value is unambiguous,
blanks what still does not fit the format, and says how many in the report.
"""

from __future__ import annotations

import pandas as pd

from explorer.formatting import fr_number
from explorer.importers.report import ImportReport

# (label, width, pattern) of each kind of code; patterns after the width is restored.
INSEE = ("Codes INSEE de commune", 5, r"(?:0[1-9]|[1-8]\d|9[0-5])\d{3}|2[AB]\d{3}|97[1-8]\d{2}|98[4-9]\d{2}")
POSTCODE = ("Codes postaux", 5, r"(?:0[1-9]|[1-8]\d|9[0-8])\d{3}")
DEPARTEMENT = ("Codes de département", 2, r"0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-8]|98[4-9]")


def _clean(values: pd.Series, kind: tuple[str, int, str], report: ImportReport) -> pd.Series:
    label, width, pattern = kind
    s = values.fillna("").astype(str).str.strip().str.upper().str.replace(r"\.0$", "", regex=True)
    short = s.str.fullmatch(r"\d+") & (s.str.len() < width)
    if short.any():
        s = s.where(~short, s.str.zfill(width))
        report.warnings.append(f"{label} complétés de zéros initiaux (perdus par un tableur) : "
                               f"{fr_number(int(short.sum()))}.")
    valid = s.str.fullmatch(pattern)
    invalid = ~valid & (s != "")
    if invalid.any():
        shown = ", ".join(sorted(set(s[invalid]))[:5])
        report.warnings.append(f"{label} invalides laissés vides : {fr_number(int(invalid.sum()))} ({shown}).")
    return s.where(valid, None).astype("string")


def clean_insee(values: pd.Series, report: ImportReport) -> pd.Series:
    """5-character commune codes (01053, 2A004, 97411); restores lost zeros, blanks invalid ones."""
    return _clean(values, INSEE, report)


def clean_postcode(values: pd.Series, report: ImportReport) -> pd.Series:
    """5-digit postcodes (01200, 97490); restores lost zeros, blanks invalid ones."""
    return _clean(values, POSTCODE, report)


def clean_departement(values: pd.Series, report: ImportReport) -> pd.Series:
    """Département codes (01, 2A, 974); restores a lost zero, blanks invalid ones."""
    return _clean(values, DEPARTEMENT, report)


def departement_of(insee: pd.Series) -> pd.Series:
    """Département code of 5-character commune codes (97411 -> 974, 2A004 -> 2A)."""
    s = insee.astype("string")
    return s.str[:3].where(s.str.startswith("97"), s.str[:2])


def check_departement(departement: pd.Series, insee: pd.Series, report: ImportReport) -> None:
    """Warn (with a count) where a département column disagrees with the commune code."""
    both = departement.notna() & insee.notna()
    wrong = both & (departement != departement_of(insee))
    if wrong.any():
        shown = ", ".join(f"{c} en {d}" for c, d in zip(insee[wrong][:5], departement[wrong][:5]))
        report.warnings.append(f"Lignes dont le département ne correspond pas au code INSEE de la "
                               f"commune : {fr_number(int(wrong.sum()))} ({shown}).")
