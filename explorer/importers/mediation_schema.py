"""The national Table Schema of the lieux de médiation numérique, as a pandera schema.

Transcribed from « standard-mediation-num » v1.0.1 (LaMednum, schema.data.gouv.fr): required
fields, patterns, the date format and the enumerated `|`-lists. Validation is lazy: every
failure is collected, then counted by field and check in the import report (rows are not
dropped for it: the explorer only needs names and coordinates, checked by the importer).
pandera was chosen over frictionless because it checks whole columns at once (vectorised
pandas string methods), where frictionless checks cell by cell in Python; a 10,000-row file
validates in 0.6-1.2 s on a 2-core machine under load 9, plus about 1 s to import pandera once
(`explorer bench` prints the figure; issue 10 asks for under 2 s).
"""

from __future__ import annotations

import functools

import pandas as pd

from explorer.formatting import fr_count
from explorer.importers.report import ImportReport

VERSION = "1.0.1"

_SERVICES = ("Aide aux démarches administratives|Maîtrise des outils numériques du quotidien|"
             "Insertion professionnelle via le numérique|Utilisation sécurisée du numérique|"
             "Parentalité et éducation avec le numérique|Loisirs et créations numériques|"
             "Compréhension du monde numérique|Accès internet et matériel informatique|"
             "Acquisition de matériel informatique à prix solidaire")
# (field, required, pattern or None); patterns of the schema, lists as `(?:value)(?:\|value)*`.
FIELDS = [
    ("id", True, None),
    ("pivot", True, r"[a-zA-Z0-9]{9,14}"),
    ("nom", True, None),
    ("commune", True, None),
    ("code_postal", True, r"\d{5}"),
    ("code_insee", False, r"(?:[013-9]\d|2[AB1-9])\d{3}"),
    ("adresse", True, None),
    ("latitude", False, r"-?\d+(?:\.\d+)?"),
    ("longitude", False, r"-?\d+(?:\.\d+)?"),
    ("telephone", False, r"(?:\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)\d{6,9}"),
    ("itinerance", False, r"(?:Itinérant|Fixe)(?:\|(?:Itinérant|Fixe))*"),
    ("date_maj", True, r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"),
    ("services", False, f"(?:{_SERVICES})(?:\\|(?:{_SERVICES}))*"),
    ("frais_a_charge", False, r"(?:Gratuit sous condition|Gratuit|Payant)(?:\|(?:Gratuit sous condition|Gratuit|Payant))*"),
]
MAX_RESUME_CHARS = 280


@functools.cache
def schema():
    """The pandera DataFrameSchema (built once; pandera is imported only when needed)."""
    import pandera.pandas as pa

    columns = {}
    for name, required, pattern in FIELDS:
        checks = [pa.Check.str_matches(f"(?:{pattern})\\Z", error=f"motif {pattern[:40]}")] if pattern else []
        columns[name] = pa.Column(str, checks=checks, nullable=not required, required=False)
    columns["presentation_resume"] = pa.Column(
        str, pa.Check.str_length(max_value=MAX_RESUME_CHARS, error=f"plus de {MAX_RESUME_CHARS} caractères"),
        nullable=True, required=False)
    return pa.DataFrameSchema(columns, strict=False)


def check(table: pd.DataFrame, report: ImportReport) -> None:
    """Validate a frame of strings (blank = missing) and count failures by field in `report`."""
    from pandera.errors import SchemaErrors  # here: importing pandera costs about 1 s

    fields = [c for c in (*(f[0] for f in FIELDS), "presentation_resume") if c in table.columns]
    frame = table[fields].replace("", None)
    try:
        schema().validate(frame, lazy=True)
    except SchemaErrors as err:
        cases = err.failure_cases.dropna(subset=["index"])
        for (column, rule), group in cases.groupby(["column", "check"], sort=True):
            lines = table.loc[group["index"].astype(int).unique(), "_line"].tolist()
            rule = "valeur obligatoire absente" if "not_nullable" in str(rule) else rule
            report.warnings.append(
                f"non conforme au schéma national v{VERSION} – {column} ({rule}) : "
                f"{fr_count(len(lines), 'ligne')} ({', '.join(map(str, lines[:5]))}"
                f"{' …' if len(lines) > 5 else ''}).")
