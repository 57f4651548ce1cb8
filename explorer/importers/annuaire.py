"""Service-public.fr "Annuaire de l'administration – Base de données locales" (DILA).

Reception points of CAF, CPAM, CARSAT, MSA and France Travail (ex-Pôle emploi).

Formats read:
- the data.gouv.fr dump since July 2022: JSON `{"service": [ {...}, ... ]}` (also a bare list,
  or JSON lines), usually inside a `.tar.bz2` archive (member `*gouv_local.json`); zip/gz too;
- the CSV export of the "API Annuaire de l'administration" (semicolon), whose `pivot`,
  `adresse`, `plage_ouverture` cells hold the same structures as JSON text.
A record: `id`, `nom`, `pivot` [{type_service_local, code_insee_commune: [...]}],
`adresse` [{type_adresse, numero_voie, complement1, complement2, code_postal, nom_commune,
latitude, longitude}], `plage_ouverture` [{nom_jour_debut, nom_jour_fin, valeur_heure_debut_1,
valeur_heure_fin_1, valeur_heure_debut_2, valeur_heure_fin_2, commentaire}],
`code_insee_commune`, `date_modification` ("18/12/2024 17:42:39").
"""

from __future__ import annotations

import functools
import json
import sys
from datetime import datetime

import pandas as pd

from explorer import sites
from explorer.formatting import fr_count, fr_number
from explorer.importers import base, codes, fetching, hours, packaging, places, table as tables, vintage
from explorer.importers.report import ImportRejected, ImportReport, examples

KEY = "service-public"
LABEL = "Annuaire de l'administration (service-public.fr)"
SOURCE = "DILA, Annuaire de l'administration – base de données locales (service-public.fr)"
DOWNLOAD_URL = "https://www.data.gouv.fr/fr/datasets/r/73302880-e4df-4d4c-8676-1a61bb997f3d"
DATASET_PAGE = ("https://www.data.gouv.fr/fr/datasets/"
                "service-public-fr-annuaire-de-l-administration-base-de-donnees-locales/")

# DILA `type_service_local` pivot codes -> (network, French site type).
PIVOTS = {
    "caf": ("caf", "Agence CAF"),
    "cpam": ("cpam", "Accueil CPAM"),
    "carsat": ("carsat", "Agence retraite CARSAT"),
    "msa": ("msa", "Agence MSA"),
    "pole_emploi": ("france_travail", "Agence France Travail"),
    "france_travail": ("france_travail", "Agence France Travail"),
}
NETWORKS = ["caf", "cpam", "carsat", "msa", "france_travail"]
NETWORK_LABELS = {"caf": "CAF", "cpam": "CPAM", "carsat": "CARSAT", "msa": "MSA",
                  "france_travail": "France Travail"}
CSV_REQUIRED = ["id", "nom", "pivot", "adresse"]
# The national dump is large (tens of thousands of offices, all types): a wider size cap.
SIZE_FACTOR = 10
MEMBER_SUFFIXES = (".json", ".jsonl", ".csv")


def prefer_member(name: str) -> int:
    """In the DILA archive, the national file is `*gouv_local.json`."""
    return int("gouv_local" in name)


# --------------------------------------------------------------------------- reading records


def _loads(text: str, what: str):
    """json.loads with French errors; nesting deeper than Python's recursion limit is refused."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ImportRejected(f"JSON trop profondément imbriqué ({what}) : ce n'est pas la base de la DILA.") from None
    except ValueError as err:
        if isinstance(err, json.JSONDecodeError):
            raise
        # Python refuses integers of more than 4,300 digits (a guard against slow conversions).
        raise ImportRejected(f"Nombre illisible ({what}) : plus de 4 300 chiffres ; ce n'est pas la "
                             "base de la DILA.") from None


def _json_cell(value, field: str, where: str):
    """Structures may arrive as JSON text (CSV export); decode them, reject broken JSON."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return []
        if text[0] in "[{":
            try:
                value = _loads(text, f"champ « {field} », {where}")
            except ValueError:
                raise ImportRejected(f"Champ « {field} » illisible ({where}) : JSON invalide.") from None
        else:
            value = [{"type_service_local": text}] if field == "pivot" else []
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _records_from_json(text: str, filename: str) -> tuple[list, str]:
    """Records and the word used to locate them in messages ('enregistrement' or 'ligne')."""
    stripped = text.lstrip()
    try:
        data = _loads(stripped, filename)
    except json.JSONDecodeError as err:
        # JSON lines: one object per line.
        first_line = stripped.split("\n", 1)[0]
        try:
            first_is_object = isinstance(_loads(first_line, filename), dict)
        except ValueError:
            first_is_object = False
        if first_is_object:
            records = []
            for number, line in enumerate(text.splitlines(), start=1):
                if not line.strip():
                    continue
                try:
                    records.append((number, _loads(line, f"ligne {number}")))
                except ValueError:
                    raise ImportRejected(f"JSON invalide dans « {filename} » à la ligne {number}.") from None
            return records, "ligne"
        raise ImportRejected(
            f"JSON invalide dans « {filename} » : erreur de syntaxe ligne {err.lineno}, colonne "
            f"{err.colno} (fichier tronqué ou mal formé ?)."
        ) from None
    if isinstance(data, dict):
        if "service" not in data:
            keys = ", ".join(list(data)[:10]) or "(aucune)"
            raise ImportRejected(
                f"Structure JSON inattendue dans « {filename} » : clé « service » absente "
                f"(clés trouvées : {keys}). Attendu : la base de données locales de la DILA."
            )
        data = data["service"]
    if not isinstance(data, list):
        raise ImportRejected(f"Structure JSON inattendue dans « {filename} » : la liste des services est absente.")
    return list(enumerate(data, start=1)), "enregistrement n°"


def _records_from_csv(text: str, filename: str) -> tuple[list, str]:
    table, _ = tables.read_csv_table(text, filename, LABEL, CSV_REQUIRED, separators=(";", ","))
    records = []
    for row in table.to_dict("records"):
        line = row.pop("_line")
        records.append((line, row))
    return records, "ligne"


# --------------------------------------------------------------------------- conversion


def week_of(plages: list) -> hours.Week:
    """Opening ranges of `plage_ouverture` (day spans, two ranges each, comments as day notes)."""
    week = hours.Week()
    for plage in plages:
        if not isinstance(plage, dict):
            continue
        first = hours.DAY_OF_NAME.get(_text(plage.get("nom_jour_debut")).lower())
        last = hours.DAY_OF_NAME.get(_text(plage.get("nom_jour_fin")).lower(), first)
        if first is None:
            continue
        days = range(first, (last or first) + 1) if (last or first) >= first else [first]
        comment = _text(plage.get("commentaire"))
        for day in days:
            for i in (1, 2):
                start, end = _text(plage.get(f"valeur_heure_debut_{i}")), _text(plage.get(f"valeur_heure_fin_{i}"))
                if start or end:
                    week.add(day, hours.clock(start), hours.clock(end), f"{start}-{end}")
            if comment:
                week.notes[day] = comment
    return week


def _text(value) -> str:
    """A scalar JSON value as stripped text ('' for null, lists and objects)."""
    return "" if value is None or isinstance(value, (list, dict)) else str(value).strip()


def _pick_address(addresses: list) -> dict:
    """The physical address with coordinates if any, else the first one."""
    dicts = [a for a in addresses if isinstance(a, dict)]
    located = [a for a in dicts if str(a.get("latitude") or "").strip() and str(a.get("longitude") or "").strip()]
    physical = [a for a in located if str(a.get("type_adresse") or "").lower() == "adresse"]
    for group in (physical, located, dicts):
        if group:
            return group[0]
    return {}


def _street(a: dict) -> str:
    return ", ".join(t for t in (_text(a.get(k)) for k in ("numero_voie", "complement1", "complement2")) if t)


def _date_modification(value) -> str | None:
    text = _text(value)
    for candidate, fmt in ((text, "%d/%m/%Y %H:%M:%S"), (text[:10], "%d/%m/%Y"), (text[:10], "%Y-%m-%d")):
        try:
            return datetime.strptime(candidate, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _check_duplicate_records(seen: dict, where_word: str, member: str, report: ImportReport) -> None:
    """Same `id` twice: identical records were skipped (counted), differing ones reject the file."""
    conflicts, identical = [], 0
    for record_id, occurrences in seen.items():
        if len(occurrences) < 2:
            continue
        bodies = {json.dumps(r, sort_keys=True, ensure_ascii=False) for _, r in occurrences}
        if len(bodies) > 1:
            places = ", ".join(str(p) for p, _ in occurrences[:6])
            conflicts.append(f"« {record_id} » : {where_word} {places}")
        elif any(str(c).lower() in PIVOTS for c in _pivot_codes(occurrences[0][1])):
            identical += len(occurrences) - 1
    if conflicts:
        raise ImportRejected(
            f"Identifiant en double dans « {member} » (champ « id ») avec des contenus différents : "
            f"{fr_count(len(conflicts), 'identifiant')}. Un identifiant doit désigner un seul guichet.",
            examples(conflicts),
        )
    report.drop("enregistrement en double (même identifiant, même contenu)", identical)


def _pivot_codes(record: dict) -> list[str]:
    try:
        pivots = _json_cell(record.get("pivot"), "pivot", "")
    except ImportRejected:
        return []
    return [_text(p.get("type_service_local") if isinstance(p, dict) else p).lower() for p in pivots]


def parse_report(raw: bytes, filename: str, *, source_date=None) -> tuple[pd.DataFrame, ImportReport]:
    """Validate and convert a DILA dump; (unified sites frame for five networks, report)."""
    report, text = base.open_text_file(sys.modules[__name__], raw, filename)
    member = report.filename
    if text.lstrip()[:1] in ("{", "["):
        records, where_word = _records_from_json(text, member)
    else:
        records, where_word = _records_from_csv(text, member)
    if not records:
        raise ImportRejected(f"Le fichier « {member} » ne contient aucun service.")

    rows, types_seen, dates, seen = [], {}, [], {}
    for position, record in records:
        where = f"{where_word} {position}"
        if not isinstance(record, dict):
            raise ImportRejected(f"Structure inattendue dans « {member} » ({where}) : un objet JSON est attendu.")
        record_id = _text(record.get("id"))
        if record_id:
            if record_id in seen:
                seen[record_id].append((position, record))
                continue
            seen[record_id] = [(position, record)]
        pivots = _json_cell(record.get("pivot"), "pivot", where)
        kinds = [k for k in (_text(p.get("type_service_local") if isinstance(p, dict) else p).lower()
                             for p in pivots) if k]
        for kind in kinds:
            types_seen[kind] = types_seen.get(kind, 0) + 1
        matched = list(dict.fromkeys(PIVOTS[k] for k in kinds if k in PIVOTS))
        if not matched:
            continue
        address = _pick_address(_json_cell(record.get("adresse"), "adresse", where))
        week = week_of(_json_cell(record.get("plage_ouverture"), "plage_ouverture", where))
        insee = _text(record.get("code_insee_commune"))
        if not insee:
            pivot_codes = {_text(c) for p in pivots if isinstance(p, dict)
                           for c in _json_cell(p.get("code_insee_commune"), "code_insee_commune", where)}
            insee = next(iter(pivot_codes)) if len(pivot_codes) == 1 else ""
        day = _date_modification(record.get("date_modification"))
        if day:
            dates.append(day)
        for network, site_type in matched:
            rows.append({
                "network": network, "site_type": site_type,
                "name": _text(record.get("nom")), "street": _street(address),
                "postcode": _text(address.get("code_postal")), "code_insee": insee,
                "commune": _text(address.get("nom_commune")),
                "lat": _text(address.get("latitude")), "lon": _text(address.get("longitude")),
                "week": week, "_line": position,
            })
    report.notes.append(f"{fr_number(len(records))} guichets lus dans le fichier, tous types confondus ; "
                        "seuls CAF, CPAM, CARSAT, MSA et France Travail sont retenus.")
    if not rows:
        common = ", ".join(k for k, _ in sorted(types_seen.items(), key=lambda kv: -kv[1])[:10])
        raise ImportRejected(
            f"Aucun point d'accueil CAF, CPAM, CARSAT, MSA ou France Travail dans « {member} » "
            f"(types trouvés : {common or 'aucun'}).",
        )
    _check_duplicate_records(seen, where_word, member, report)
    report.rows_read = len(rows) + report.rows_dropped
    name = member if vintage.date_from_name(member) else filename
    vintage.resolve(report, source_date, name, max(dates) if dates else None, KEY)
    frame = pd.DataFrame(rows)
    hours.report_counts(frame["week"], frame["_line"], report)
    frame["opening_hours"] = [w.french() for w in frame["week"]]
    frame["opening_ranges"] = [w.records() for w in frame["week"]]
    frame["lat"] = tables.parse_number(frame["lat"].astype("object"))
    frame["lon"] = tables.parse_number(frame["lon"].astype("object"))
    frame["code_insee"] = codes.clean_insee(frame["code_insee"], report)
    postcode = codes.clean_postcode(frame["postcode"], report)
    frame["address"] = [places.join_address(street, "", code, town)
                        for street, code, town in zip(frame["street"], postcode, frame["commune"])]
    frame["source"] = SOURCE
    frame["source_date"] = report.source_date
    frame = places.finish_sites(frame, report, member)
    missing = [NETWORK_LABELS[n] for n in NETWORKS if n not in report.kept_by_network]
    if missing:
        report.warnings.append("aucun point d'accueil " + ", ".join(missing) + " dans ce fichier : "
                               "les données déjà importées pour ces réseaux sont conservées.")
    return sites.conform_sites(frame), report


save = sites.save_sites_by_network
parse = functools.partial(base.parse, sys.modules[__name__])
import_file = functools.partial(base.import_with, sys.modules[__name__])


def download(*, source_date=None, import_dir=None, timeout: float = fetching.DOWNLOAD_TIMEOUT_S) -> ImportReport:
    """Fetch the DILA dump (tar.bz2) from data.gouv.fr, then import it."""
    base.refuse_in_public_mode()
    raw = fetching.fetch(DOWNLOAD_URL, importer_key=KEY, limit=packaging.max_bytes(SIZE_FACTOR), timeout=timeout)
    return import_file(raw, filename="annuaire-service-public.tar.bz2", source_date=source_date,
                       import_dir=import_dir)


__all__ = ["KEY", "LABEL", "NETWORKS", "parse", "parse_report", "import_file", "download",
           "week_of", "ImportRejected"]
