"""Bytes to text: UTF-8 first, line by line; another encoding only for a whole consistent file.

Policy (issue 10):
- A file that is valid UTF-8 (BOM allowed) is read as such.
- A UTF-8 file with a few lines that are not (a stray Windows-1252 byte pasted from a
  spreadsheet) keeps its UTF-8 lines; each other line is repaired by reading it as
  Windows-1252, or, where even that fails, blanked (the record is dropped and counted).
  Every such line is named in the report.
- A file with no valid non-ASCII UTF-8 line at all is consistently in another encoding: the
  encoding is chosen by charset-normalizer among the importer's legacy encodings, and the file
  is refused when the detector finds none (binary or garbage).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

from explorer.formatting import fr_number
from explorer.importers.report import ImportRejected

# Legacy encoding of French spreadsheets: the only one lines are repaired from.
REPAIR_ENCODING = "cp1252"
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


@dataclass
class Decoded:
    """Decoded text; `repaired` and `rejected` list the 1-based file lines that were not UTF-8."""

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)
    repaired: list[int] = field(default_factory=list)
    rejected: list[int] = field(default_factory=list)


def _lines_named(lines: list[int]) -> str:
    shown = ", ".join(map(str, lines[:10]))
    return f"ligne{'s' if len(lines) > 1 else ''} {shown}{' …' if len(lines) > 10 else ''}"


def _refuse_binary(raw: bytes, filename: str, label: str) -> None:
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


def _refuse_controls(text: str, filename: str) -> None:
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise ImportRejected(
            f"Encodage non reconnu pour « {filename} » : caractère de contrôle "
            f"U+{ord(bad.group()):04X} à la ligne {line} (fichier binaire ou mal encodé). "
            "Réenregistrez le fichier en UTF-8."
        )


def _whole_file(raw: bytes, filename: str, label: str, fallbacks: Sequence[str],
                first_bad: tuple[int, str]) -> Decoded:
    line, byte = first_bad
    where = f"octet 0x{byte} invalide en UTF-8 à la ligne {line}"
    if not fallbacks:
        raise ImportRejected(
            f"Encodage non reconnu pour « {filename} » : {where} ; le format « {label} » est "
            "publié en UTF-8. Réenregistrez le fichier en UTF-8."
        )
    best = from_bytes(raw, cp_isolation=["utf_8", *fallbacks]).best()
    if best is None or best.encoding not in fallbacks:
        raise ImportRejected(
            f"Encodage non reconnu pour « {filename} » : {where}, et ce n'est pas non plus "
            f"du {', '.join(fallbacks)} cohérent (fichier binaire ou mal encodé ?). "
            "Réenregistrez le fichier en UTF-8."
        )
    text = raw.decode(best.encoding)
    return Decoded(text, best.encoding, [
        f"fichier entièrement non UTF-8 ({where}) : lu en {best.encoding}, l'encodage historique "
        "de l'éditeur ; vérifiez les accents."])


def decode_text(raw: bytes, filename: str, label: str, fallbacks: Sequence[str] = ()) -> Decoded:
    """Decode an importer's input (see the module policy). Raises ImportRejected in French."""
    _refuse_binary(raw, filename, label)
    try:
        decoded = Decoded(raw.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError:
        decoded = _line_by_line(raw, filename, label, fallbacks)
    _refuse_controls(decoded.text, filename)
    return decoded


def _line_by_line(raw: bytes, filename: str, label: str, fallbacks: Sequence[str]) -> Decoded:
    lines = raw.removeprefix(b"\xef\xbb\xbf").splitlines(keepends=True)
    out: list[str] = []
    bad: list[int] = []
    has_utf8 = False
    first_bad = (0, "")
    for number, line in enumerate(lines, start=1):
        try:
            out.append(line.decode("utf-8"))
            has_utf8 = has_utf8 or not line.isascii()
        except UnicodeDecodeError as err:
            if not bad:
                first_bad = (number, line[err.start: err.start + 1].hex().upper())
            bad.append(number)
            out.append(line)  # placeholder, decoded below once the file's kind is known
    if not has_utf8:
        return _whole_file(raw, filename, label, fallbacks, first_bad)
    decoded = Decoded("", "utf-8")
    for number in bad:
        line = out[number - 1]
        try:
            out[number - 1] = line.decode(REPAIR_ENCODING)
            decoded.repaired.append(number)
        except UnicodeDecodeError:
            ending = "\r\n" if line.endswith(b"\r\n") else "\n" if line.endswith((b"\n", b"\r")) else ""
            out[number - 1] = ending
            decoded.rejected.append(number)
    decoded.text = "".join(out)
    if decoded.repaired:
        decoded.warnings.append(
            f"fichier UTF-8 dont des lignes ne l'étaient pas : {fr_number(len(decoded.repaired))} "
            f"({_lines_named(decoded.repaired)}), relues en Windows-1252 ; vérifiez leurs accents.")
    if decoded.rejected:
        decoded.warnings.append(
            f"lignes illisibles ni en UTF-8 ni en Windows-1252, écartées : "
            f"{fr_number(len(decoded.rejected))} ({_lines_named(decoded.rejected)}).")
    return decoded
