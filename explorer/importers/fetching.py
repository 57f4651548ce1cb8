"""Fetching a publisher's current file (urllib; every failure is a French DownloadError)."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence

from explorer.importers.packaging import mb
from explorer.importers.report import DownloadError

DOWNLOAD_TIMEOUT_S = 60
USER_AGENT = "explorer-igas-2019-033R/0.1 (import de donnees ouvertes)"


def fetch(url: str, *, importer_key: str, limit: int, timeout: float = DOWNLOAD_TIMEOUT_S) -> bytes:
    """GET `url` with urllib; every failure becomes a French DownloadError."""
    host = urllib.parse.urlsplit(url).netloc or url
    manual = (f"Vous pouvez télécharger le fichier à la main puis l'importer avec "
              f"« explorer import {importer_key} FICHIER ».")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(limit + 1)
    except urllib.error.HTTPError as err:
        raise DownloadError(
            f"Téléchargement refusé par {host} : erreur HTTP {err.code} ({err.reason}) pour {url}. "
            + manual
        ) from None
    except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise DownloadError(
            f"Téléchargement impossible : {host} est injoignable (pas de connexion Internet, "
            f"serveur indisponible ou délai de {timeout:.0f} s dépassé ; détail : {reason}). "
            + manual
        ) from None
    if len(data) > limit:
        raise DownloadError(
            f"Téléchargement interrompu : le fichier de {url} dépasse la limite de "
            f"{mb(limit)} (réglage EXPLORER_IMPORT_MAX_MB)."
        )
    return data


def datagouv_dataset(slug: str, *, importer_key: str) -> dict:
    """Metadata of a data.gouv.fr dataset (its `resources` list) from the public API."""
    url = f"https://www.data.gouv.fr/api/1/datasets/{slug}/"
    raw = fetch(url, importer_key=importer_key, limit=20_000_000, timeout=30)
    try:
        return json.loads(raw)
    except ValueError:
        raise DownloadError(f"Réponse inattendue de data.gouv.fr pour le jeu « {slug} ».") from None


def pick_resource(resources: Sequence[dict], match: Callable[[dict], bool]) -> dict | None:
    """Most recently modified resource satisfying `match` (data.gouv.fr resource dicts)."""
    candidates = [r for r in resources if isinstance(r, dict) and r.get("url") and match(r)]
    if not candidates:
        return None
    return max(candidates, key=lambda r: str(r.get("last_modified") or r.get("created_at") or ""))
