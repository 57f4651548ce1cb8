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

import bz2
import functools
import io
import json
import re
import sys
import tarfile
import zipfile
import zlib
from datetime import datetime

import pandas as pd

from explorer import sites
from explorer.importers import base
from explorer.importers.base import ImportRejected, ImportReport

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

_DAYS = {"lundi": "lun.", "mardi": "mar.", "mercredi": "mer.", "jeudi": "jeu.", "vendredi": "ven.",
         "samedi": "sam.", "dimanche": "dim."}


# --------------------------------------------------------------------------- unpacking


def _limited(data: bytes, filename: str, limit: int) -> bytes:
    base.check_size(len(data), filename, limit)
    return data


def _decompress_stream(raw: bytes, decompressor, filename: str, limit: int) -> bytes:
    out = decompressor.decompress(raw, max_length=limit + 1)
    return _limited(out, filename + " (décompressé)", limit)


def unpack(raw: bytes, filename: str, limit: int) -> tuple[bytes, str]:
    """The JSON/CSV payload of a possibly compressed input, and its (member) name."""
    if raw.startswith(b"BZh"):
        raw = _decompress_stream(raw, bz2.BZ2Decompressor(), filename, limit)
    elif raw.startswith(b"\x1f\x8b"):
        raw = _decompress_stream(raw, zlib.decompressobj(16 + zlib.MAX_WBITS), filename, limit)
    if raw.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                members = [i for i in archive.infolist()
                           if not i.is_dir() and i.filename.lower().endswith((".json", ".csv"))]
                if not members:
                    raise ImportRejected(f"L'archive « {filename} » ne contient aucun fichier .json ou .csv.")
                info = max(members, key=lambda i: i.file_size)
                base.check_size(info.file_size, info.filename, limit)
                return archive.read(info), info.filename
        except zipfile.BadZipFile:
            raise ImportRejected(f"Archive ZIP illisible : « {filename} ».") from None
    if len(raw) > 262 and raw[257:262] == b"ustar":
        try:
            with tarfile.open(fileobj=io.BytesIO(raw)) as archive:
                members = [m for m in archive.getmembers()
                           if m.isfile() and m.name.lower().endswith(".json")]
                if not members:
                    raise ImportRejected(f"L'archive « {filename} » ne contient aucun fichier .json.")
                member = max(members, key=lambda m: ("gouv_local" in m.name, m.size))
                base.check_size(member.size, member.name, limit)
                return archive.extractfile(member).read(), member.name
        except tarfile.TarError:
            raise ImportRejected(f"Archive TAR illisible : « {filename} ».") from None
    return raw, filename


# --------------------------------------------------------------------------- reading records


def _json_cell(value, field: str, where: str):
    """Structures may arrive as JSON text (CSV export); decode them, reject broken JSON."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return []
        if text[0] in "[{":
            try:
                value = json.loads(text)
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
        data = json.loads(stripped)
    except json.JSONDecodeError as err:
        # JSON lines: one object per line.
        first_line = stripped.split("\n", 1)[0]
        try:
            first_is_object = isinstance(json.loads(first_line), dict)
        except ValueError:
            first_is_object = False
        if first_is_object:
            records = []
            for number, line in enumerate(text.splitlines(), start=1):
                if not line.strip():
                    continue
                try:
                    records.append((number, json.loads(line)))
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
    table, _ = base.read_csv_table(text, filename, LABEL, CSV_REQUIRED, separators=(";", ","))
    records = []
    for row in table.to_dict("records"):
        line = row.pop("_line")
        records.append((line, row))
    return records, "ligne"


# --------------------------------------------------------------------------- conversion


def _hm(value) -> str:
    text = str(value or "").strip()
    m = re.match(r"(\d{1,2})[:hH](\d{2})", text)
    return f"{int(m[1]):02d}:{m[2]}" if m else ""


def opening_hours(plages: list) -> str:
    """French summary of `plage_ouverture`, e.g. 'lun.–ven. 08:30-12:00, 13:30-16:30'."""
    parts = []
    for plage in plages:
        if isinstance(plage, str):
            if plage.strip():
                parts.append(plage.strip())
            continue
        if not isinstance(plage, dict):
            continue
        first = _DAYS.get(str(plage.get("nom_jour_debut") or "").strip().lower(), "")
        last = _DAYS.get(str(plage.get("nom_jour_fin") or "").strip().lower(), "")
        if not first:
            continue
        days = first if not last or last == first else f"{first}–{last}"
        slots = []
        for i in (1, 2):
            start = _hm(plage.get(f"valeur_heure_debut_{i}"))
            end = _hm(plage.get(f"valeur_heure_fin_{i}"))
            if start and end:
                slots.append(f"{start}-{end}")
        text = f"{days} {', '.join(slots)}" if slots else days
        comment = str(plage.get("commentaire") or "").strip()
        if comment:
            text += f" ({comment})"
        parts.append(text)
    return " ; ".join(parts)


def _pick_address(addresses: list) -> dict:
    """The physical address with coordinates if any, else the first one."""
    dicts = [a for a in addresses if isinstance(a, dict)]
    located = [a for a in dicts if str(a.get("latitude") or "").strip() and str(a.get("longitude") or "").strip()]
    physical = [a for a in located if str(a.get("type_adresse") or "").lower() == "adresse"]
    for group in (physical, located, dicts):
        if group:
            return group[0]
    return {}


def _address_text(a: dict) -> str:
    street = ", ".join(str(a.get(k) or "").strip() for k in ("numero_voie", "complement1", "complement2")
                       if str(a.get(k) or "").strip())
    town = " ".join(str(a.get(k) or "").strip() for k in ("code_postal", "nom_commune")
                    if str(a.get(k) or "").strip())
    return ", ".join(p for p in (street, town) if p)


def _date_modification(value) -> str | None:
    text = str(value or "").strip()
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
            f"{len(conflicts)} identifiant(s). Un identifiant doit désigner un seul guichet.",
            conflicts[:5] + (["…"] if len(conflicts) > 5 else []),
        )
    report.drop("enregistrement en double (même identifiant, même contenu)", identical)


def _pivot_codes(record: dict) -> list[str]:
    try:
        pivots = _json_cell(record.get("pivot"), "pivot", "")
    except ImportRejected:
        return []
    return [str(p.get("type_service_local") if isinstance(p, dict) else p or "").strip().lower()
            for p in pivots]


def parse_report(raw: bytes, filename: str, *, source_date=None) -> tuple[pd.DataFrame, ImportReport]:
    """Validate and convert a DILA dump; (unified sites frame for five networks, report)."""
    report = ImportReport(importer=KEY, label=LABEL, filename=filename, source=SOURCE)
    limit = base.max_bytes(SIZE_FACTOR)
    base.check_size(len(raw), filename, limit)
    base.check_not_empty(raw, filename)
    payload, member = unpack(raw, filename, limit)
    base.check_not_empty(payload, member)
    text, report.encoding, warnings = base.decode_text(payload, member, LABEL)
    report.warnings += warnings
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
        record_id = str(record.get("id") or "").strip()
        if record_id:
            if record_id in seen:
                seen[record_id].append((position, record))
                continue
            seen[record_id] = [(position, record)]
        pivots = _json_cell(record.get("pivot"), "pivot", where)
        codes = []
        for p in pivots:
            code = str(p.get("type_service_local") if isinstance(p, dict) else p or "").strip().lower()
            if code:
                codes.append(code)
                types_seen[code] = types_seen.get(code, 0) + 1
        matched = list(dict.fromkeys(PIVOTS[c] for c in codes if c in PIVOTS))
        if not matched:
            continue
        address = _pick_address(_json_cell(record.get("adresse"), "adresse", where))
        hours = opening_hours(_json_cell(record.get("plage_ouverture"), "plage_ouverture", where))
        insee = str(record.get("code_insee_commune") or "").strip()
        if not insee:
            pivot_codes = {c for p in pivots if isinstance(p, dict)
                           for c in (p.get("code_insee_commune") or [])}
            insee = next(iter(pivot_codes)) if len(pivot_codes) == 1 else ""
        day = _date_modification(record.get("date_modification"))
        if day:
            dates.append(day)
        for network, site_type in matched:
            rows.append({
                "network": network, "site_type": site_type,
                "name": str(record.get("nom") or "").strip(),
                "address": _address_text(address), "code_insee": insee,
                "commune": str(address.get("nom_commune") or "").strip(),
                "lat": address.get("latitude"), "lon": address.get("longitude"),
                "opening_hours": hours, "_line": position,
            })
    report.notes.append(f"{base.fmt_int(len(records))} guichets lus dans le fichier, tous types confondus ; "
                        "seuls CAF, CPAM, CARSAT, MSA et France Travail sont retenus.")
    if not rows:
        common = ", ".join(k for k, _ in sorted(types_seen.items(), key=lambda kv: -kv[1])[:10])
        raise ImportRejected(
            f"Aucun point d'accueil CAF, CPAM, CARSAT, MSA ou France Travail dans « {member} » "
            f"(types trouvés : {common or 'aucun'}).",
        )
    _check_duplicate_records(seen, where_word, member, report)
    report.rows_read = len(rows) + report.rows_dropped
    report.source_date = (base.normalize_date_param(source_date) or base.date_from_name(member)
                          or base.resolve_source_date(None, filename, max(dates) if dates else None))
    frame = pd.DataFrame(rows)
    frame["lat"] = base.parse_number(frame["lat"].astype("object"))
    frame["lon"] = base.parse_number(frame["lon"].astype("object"))
    frame["code_insee"] = base.clean_insee(frame["code_insee"], report)
    frame["source"] = SOURCE
    frame["source_date"] = report.source_date
    frame = base.finish_sites(frame, report, member)
    missing = [NETWORK_LABELS[n] for n in NETWORKS if n not in report.kept_by_network]
    if missing:
        report.warnings.append("aucun point d'accueil " + ", ".join(missing) + " dans ce fichier : "
                               "les données déjà importées pour ces réseaux sont conservées.")
    return sites.conform_sites(frame), report


save = sites.save_sites_by_network
parse = functools.partial(base.parse, sys.modules[__name__])
import_file = functools.partial(base.import_with, sys.modules[__name__])


def download(*, source_date=None, import_dir=None, timeout: float = base.DOWNLOAD_TIMEOUT_S) -> ImportReport:
    """Fetch the DILA dump (tar.bz2) from data.gouv.fr, then import it."""
    base.refuse_in_public_mode()
    raw = base.fetch(DOWNLOAD_URL, importer_key=KEY, limit=base.max_bytes(SIZE_FACTOR), timeout=timeout)
    return import_file(raw, filename="annuaire-service-public.tar.bz2", source_date=source_date,
                       import_dir=import_dir)


__all__ = ["KEY", "LABEL", "NETWORKS", "parse", "parse_report", "import_file", "download",
           "opening_hours", "ImportRejected"]
