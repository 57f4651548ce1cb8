"""Importers of publishers' open-data files into the unified tables (see explorer.sites).

One module per publisher format, each with `parse(raw, filename) -> DataFrame`,
`parse_report(...) -> (DataFrame, ImportReport)`, `import_file(path_or_bytes) -> ImportReport`
and `download() -> ImportReport`. Every rejection is an `ImportRejected` with a French message.

    from explorer import importers
    report = importers.import_file("france-services", "france-services-2024-08-01.csv")
    print("\\n".join(report.lines_fr()))
"""

from __future__ import annotations

from types import ModuleType

from explorer.importers import annuaire, arcep, france_services, mediation_numerique, packaging
from explorer.importers.report import (DownloadError, ImportRejected, ImportReport, listing_fr,
                                       territories_fr)

# Largest file the upload page asks a browser to send: the upload is held in the server's
# memory, and a slow link makes a longer upload fail silently; bigger files go through the CLI.
BROWSER_UPLOAD_MAX_MB = 100

REGISTRY: dict[str, ModuleType] = {
    module.KEY: module for module in (france_services, arcep, annuaire, mediation_numerique)
}


def get(key: str) -> ModuleType:
    """Importer module registered under `key` (e.g. 'france-services')."""
    try:
        return REGISTRY[key]
    except KeyError:
        raise ImportRejected(
            f"Type de fichier inconnu : « {key} ». Types disponibles : {', '.join(REGISTRY)}."
        ) from None


def import_file(key: str, path_or_bytes, *, filename: str | None = None, source_date=None,
                import_dir=None) -> ImportReport:
    """Validate a file with importer `key` and replace the matching imported table(s)."""
    return get(key).import_file(path_or_bytes, filename=filename, source_date=source_date,
                                import_dir=import_dir)


def download(key: str, *, source_date=None, import_dir=None, timeout: float | None = None) -> ImportReport:
    """Fetch the publisher's current file for importer `key` and import it (needs Internet)."""
    kwargs = {} if timeout is None else {"timeout": timeout}
    return get(key).download(source_date=source_date, import_dir=import_dir, **kwargs)


def describe() -> list[dict]:
    """Every importer, for menus and the upload page.

    Keys: key, label, networks, source, extensions (accepted file name endings, packed ones
    included, without the dot), max_mb (the importer's own size cap, in Mo of 10**6 bytes),
    upload_mb (what the page accepts from a browser: the smaller of max_mb and
    BROWSER_UPLOAD_MAX_MB) and cli (the exact command for a bigger file).
    """
    specs = []
    for key, m in REGISTRY.items():
        max_mb = packaging.max_bytes(getattr(m, "SIZE_FACTOR", 1)) // 1_000_000
        plain = [suffix.lstrip(".") for suffix in m.MEMBER_SUFFIXES]
        specs.append({
            "key": key, "label": m.LABEL, "networks": list(m.NETWORKS), "source": m.SOURCE,
            "extensions": [*plain, *(s.lstrip(".") for s in packaging.PACKED_SUFFIXES)],
            "max_mb": max_mb, "upload_mb": max(1, min(max_mb, BROWSER_UPLOAD_MAX_MB)),
            "cli": f"explorer import {key} CHEMIN/DU/FICHIER --date AAAA-MM-JJ",
        })
    return specs


__all__ = ["REGISTRY", "get", "import_file", "download", "describe", "ImportRejected",
           "DownloadError", "ImportReport", "listing_fr", "territories_fr"]
