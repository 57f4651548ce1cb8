"""Inputs as publishers ship them: a path or bytes, bare or packed in .zip, .gz, .bz2, .tar.bz2.

Decompression is streamed and capped on the bytes it produces (not on what the archive
declares), and an archive may hold at most MAX_MEMBERS entries: a 1.6 MB `.bz2` that would
expand to 480 MB stops at the cap after producing the cap, not after the whole expansion.
Every failure (corrupt, truncated, encrypted, unsupported method) is a French ImportRejected.
"""

from __future__ import annotations

import bz2
import gzip
import io
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from explorer import settings
from explorer.formatting import fr_number
from explorer.importers.report import ImportRejected

# An archive of open data holds a handful of files; thousands of entries mean a hostile or
# wrong file (issue 09: decompression bombs), refused before any entry is read.
MAX_MEMBERS = 1000
CHUNK_BYTES = 1 << 20
# What the upload page and the CLI accept, besides the bare format of each importer.
PACKED_SUFFIXES = (".zip", ".gz", ".bz2", ".tar.bz2", ".tbz2", ".tar.gz", ".tgz", ".tar")
# Refused by name with what to do (saved as CSV), rather than read as a ZIP without a CSV.
SPREADSHEET_SUFFIXES = (".xlsx", ".xls", ".xlsm", ".ods")


def max_bytes(factor: float = 1) -> int:
    """Size cap, read at call time so that tests and the app can change the setting."""
    return int(settings.IMPORT_MAX_BYTES * factor)


def mb(size: int) -> str:
    """Size in Mo as EXPLORER_IMPORT_MAX_MB counts them (settings: 1 Mo = 1 000 000 octets)."""
    return fr_number(size / 1e6, 1) + "\u00a0Mo"


def check_size(size: int, filename: str, limit: int) -> None:
    if size > limit:
        raise ImportRejected(
            f"Fichier trop volumineux : « {filename} » pèse {mb(size)}, au-delà de la "
            f"limite de {mb(limit)} (réglage EXPLORER_IMPORT_MAX_MB). Vérifiez qu'il "
            "s'agit bien du bon fichier."
        )


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


def _read_capped(stream: BinaryIO, name: str, limit: int) -> bytes:
    """Read a (decompressing) stream chunk by chunk; refuse past `limit` bytes produced."""
    out = bytearray()
    while chunk := stream.read(CHUNK_BYTES):
        out += chunk
        if len(out) > limit:
            raise ImportRejected(
                f"Archive trop volumineuse une fois décompressée : « {name} » dépasse "
                f"{mb(limit)} (réglage EXPLORER_IMPORT_MAX_MB) ; décompression arrêtée."
            )
    return bytes(out)


def _inflate(raw: bytes, opener: Callable[[BinaryIO], BinaryIO], kind: str, name: str, limit: int) -> bytes:
    try:
        with opener(io.BytesIO(raw)) as stream:
            return _read_capped(stream, name, limit)
    except (OSError, EOFError, zlib.error) as err:
        cause = "tronquée" if isinstance(err, EOFError) else "corrompue"
        raise ImportRejected(f"Archive {kind} {cause} : « {name} » ne peut pas être décompressée.") from None


def _members_checked(count: int, name: str) -> None:
    if count > MAX_MEMBERS:
        raise ImportRejected(
            f"Archive refusée : « {name} » contient plus de {fr_number(MAX_MEMBERS)} fichiers ; "
            "attendu : le fichier de l'éditeur, seul ou avec quelques annexes."
        )


def _pick(candidates: list, key: Callable, name: str, suffixes: Sequence[str]):
    if not candidates:
        raise ImportRejected(
            f"L'archive « {name} » ne contient aucun fichier {' ou '.join(suffixes)}."
        )
    return max(candidates, key=key)


def _from_zip(raw: bytes, name: str, limit: int, suffixes: Sequence[str], prefer: Callable[[str], int]):
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            infos = archive.infolist()
            _members_checked(len(infos), name)
            if any(i.filename.startswith("xl/") for i in infos):
                raise ImportRejected(
                    f"« {name} » est un classeur Excel (.xlsx), pas un fichier texte : "
                    "exportez-le au format CSV (UTF-8)."
                )
            candidates = [i for i in infos if not i.is_dir() and i.filename.lower().endswith(tuple(suffixes))]
            info = _pick(candidates, lambda i: (prefer(i.filename), i.file_size), name, suffixes)
            if info.flag_bits & 0x1:
                raise ImportRejected(
                    f"Archive ZIP chiffrée : « {info.filename} » dans « {name} » est protégé par un "
                    "mot de passe ; extrayez-le puis importez le fichier lui-même."
                )
            with archive.open(info) as stream:
                return _read_capped(stream, info.filename, limit), info.filename
    except NotImplementedError:
        raise ImportRejected(
            f"Archive ZIP non prise en charge : « {name} » utilise une méthode de compression "
            "inconnue de Python (Deflate64 ?) ; recompressez-la en ZIP standard ou importez le "
            "fichier extrait."
        ) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        raise ImportRejected(f"Archive ZIP illisible : « {name} ».") from None


def _from_tar(raw: bytes, name: str, limit: int, suffixes: Sequence[str], prefer: Callable[[str], int]):
    try:
        with tarfile.open(fileobj=io.BytesIO(raw), mode="r:") as archive:
            members = []
            while (member := archive.next()) is not None:
                members.append(member)
                _members_checked(len(members), name)
            candidates = [m for m in members if m.isfile() and m.name.lower().endswith(tuple(suffixes))]
            member = _pick(candidates, lambda m: (prefer(m.name), m.size), name, suffixes)
            return _read_capped(archive.extractfile(member), member.name, limit), member.name
    except tarfile.TarError:
        raise ImportRejected(f"Archive TAR illisible : « {name} ».") from None


def unpack(raw: bytes, filename: str, limit: int, suffixes: Sequence[str] = (".csv",),
           prefer: Callable[[str], int] = lambda member: 0) -> tuple[bytes, str]:
    """The payload of a possibly packed input and its name (the archive member's, if any).

    `suffixes` are the member names an importer reads; among them the highest `prefer(name)`,
    then the largest, is taken. Raises ImportRejected (French) on any packaging problem.
    """
    if filename.lower().endswith(SPREADSHEET_SUFFIXES):
        raise ImportRejected(f"« {filename} » est un classeur de tableur : enregistrez la feuille "
                             "au format CSV, puis importez ce fichier CSV.")
    packed = raw.startswith((b"BZh", b"\x1f\x8b"))
    if raw.startswith(b"BZh"):
        raw = _inflate(raw, bz2.open, "BZ2", filename, limit)
    elif raw.startswith(b"\x1f\x8b"):
        raw = _inflate(raw, gzip.open, "GZIP", filename, limit)
    if raw.startswith(b"PK\x03\x04"):
        if not zipfile.is_zipfile(io.BytesIO(raw)):
            raise ImportRejected(f"Archive ZIP illisible : « {filename} ».")
        return _from_zip(raw, filename, limit, suffixes, prefer)
    if len(raw) > 262 and raw[257:262] == b"ustar":
        return _from_tar(raw, filename, limit, suffixes, prefer)
    if not packed and filename.lower().endswith(PACKED_SUFFIXES):
        # The content decides (a misnamed CSV is read), except when the name promises an
        # archive: a broken download would otherwise be reported as missing columns.
        raise ImportRejected(f"« {filename} » n'est pas une archive lisible : son contenu n'est ni "
                             "ZIP, ni GZIP, ni BZ2, ni TAR (téléchargement interrompu ?).")
    return raw, filename
