"""The import pipeline every publisher format goes through: open, parse, save atomically.

    raw bytes -> packaging.unpack -> decoding.decode_text -> module.parse_report -> module.save

Each step raises ImportRejected with a French message; nothing is written unless the whole
file validated (see explorer.sites for the atomic writes). The steps live in their own
modules: packaging (archives, size caps), decoding, table (CSV and cells), codes, hours,
vintage, places (row checks) and download.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Sequence

import pandas as pd

from explorer import database, settings, sites
from explorer.importers import decoding, packaging
from explorer.importers.report import ImportRejected, ImportReport


def check_not_empty(raw: bytes, filename: str) -> None:
    if not raw.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise ImportRejected(f"Le fichier « {filename} » est vide.")


def open_text_file(module, raw: bytes, filename: str, fallbacks: Sequence[str] = ()) -> tuple[ImportReport, str]:
    """A fresh report for `module` and the file's text, once packaging, size and encoding passed.

    `report.filename` is the archive member's name when the input was packed; lines that were
    not UTF-8 are named in the report, and those that could not be repaired are counted as
    dropped rows.
    """
    limit = packaging.max_bytes(getattr(module, "SIZE_FACTOR", 1))
    packaging.check_size(len(raw), filename, limit)
    check_not_empty(raw, filename)
    payload, member = packaging.unpack(raw, filename, limit, module.MEMBER_SUFFIXES,
                                       getattr(module, "prefer_member", lambda name: 0))
    check_not_empty(payload, member)
    report = ImportReport(importer=module.KEY, label=module.LABEL, filename=member, source=module.SOURCE)
    decoded = decoding.decode_text(payload, member, module.LABEL, fallbacks)
    report.encoding = decoded.encoding
    report.warnings += decoded.warnings
    report.drop("ligne illisible (encodage)", len(decoded.rejected))
    return report, decoded.text


def timed(fn):
    """Decorator filling `report.seconds` of a function returning an ImportReport."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        report = fn(*args, **kwargs)
        report.seconds = round(time.perf_counter() - start, 3)
        return report
    return wrapper


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
    Leftovers of an import killed earlier are removed first.
    """
    refuse_in_public_mode()
    sites.remove_leftovers(import_dir)
    limit = packaging.max_bytes(getattr(module, "SIZE_FACTOR", 1))
    raw, name = packaging.read_input(path_or_bytes, filename, limit)
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
    """Provenance stored with the imported file (see sites.read_metadata)."""
    return {
        "importer": importer_key,
        "source": report.source,
        "source_date": report.source_date,
        "vintage_origin": report.vintage_origin,
        "original_file": report.filename,
        "rows_read": report.rows_read,
        "rows_kept": report.rows_kept,
        "dropped": report.dropped,
        "hours_rejected": report.hours_rejected,
    }
