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

from explorer.importers import annuaire, arcep, france_services, mediation_numerique
from explorer.importers.report import DownloadError, ImportRejected, ImportReport

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
    """Key, label, target networks and publisher source of every importer (for menus)."""
    return [{"key": key, "label": m.LABEL, "networks": list(m.NETWORKS), "source": m.SOURCE}
            for key, m in REGISTRY.items()]


__all__ = ["REGISTRY", "get", "import_file", "download", "describe", "ImportRejected",
           "DownloadError", "ImportReport"]
