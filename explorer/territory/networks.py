"""Site networks: their French names, which one to show first, and the territory each file covers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from explorer import access, formatting, geography
from explorer.importers import codes
from explorer.territory import views

NETWORK_LABELS = {
    "mairie": "Mairies", "france_services": "France services", "caf": "CAF (accueils)",
    "cpam": "CPAM (accueils)", "carsat": "Carsat (accueils retraite)", "msa": "MSA (accueils)",
    "france_travail": "France Travail (agences)",
    "mediation_numerique": "Lieux de médiation numérique",
}
# Shown first when present: the network the report's « double peine » is about (a front desk
# for every social-protection operator); town halls are everyone's point, so 0 min by design.
PREFERRED_NETWORKS = ("france_services", "caf", "cpam", "carsat", "msa", "france_travail",
                      "mediation_numerique", "mairie")


def network_label(network: str) -> str:
    return NETWORK_LABELS.get(network, network)


def default_network(networks: Sequence[str]) -> str:
    """The first of PREFERRED_NETWORKS among `networks`.

    Each commune's point is its own town hall, so the `mairie` time is 0 by construction: it
    comes last.
    """
    return next(n for n in (*PREFERRED_NETWORKS, *networks) if n in networks)


def site_departements(network_sites: pd.DataFrame, communes: pd.DataFrame) -> pd.Series:
    """Département code of each site (index of `network_sites`): that of its INSEE code (a
    municipal arrondissement's, 75112, is Paris's), else of the nearest commune point (a site
    with no or an unknown code), else NA (no position)."""
    dep_of = communes.set_index("code_insee")["departement"]
    dep = network_sites["code_insee"].map(dep_of).astype("object")
    prefix = codes.departement_of(network_sites["code_insee"]).astype("object")
    dep = dep.fillna(prefix.where(prefix.isin(set(communes["departement"]))))
    missing = dep.isna() & network_sites["lat"].notna() & network_sites["lon"].notna()
    if missing.any():
        points = communes.dropna(subset=["lat", "lon"]).reset_index(drop=True)
        index = access.SiteIndex(points.assign(name=points["nom"]))
        _, pos = index.query(network_sites.loc[missing, "lat"], network_sites.loc[missing, "lon"])
        dep[missing] = index.sites["departement"].to_numpy()[pos[:, 0]]
    return dep


@dataclass(frozen=True)
class NetworkScope:
    """The départements where a network's file has at least one site, and how to say it.

    A share of « France entière » computed from a one-département file would be taken over the
    few people that file can reach: shares are taken over this territory instead.
    """

    departements: tuple[str, ...]
    is_everywhere: bool
    label: str  # « France entière », « France entière sauf Mayotte », « Hérault (34) »...
    label_de: str = ""  # the same after « de »: « de la France entière », « de l'Hérault (34) »...

    def contains(self, departement: str) -> bool:
        return departement in self.departements


def network_scope(network_sites: pd.DataFrame, communes: pd.DataFrame,
                  names_de: Mapping[str, str] | None = None) -> NetworkScope:
    """Territory covered by a sites file: départements with a site; named in French, and after
    « de » with `names_de` (code → « de l'Hérault », the départements' name_de; « de Hérault »
    without it)."""
    names = communes.groupby("departement")["departement_nom"].first()
    names_de = {code: (names_de or {}).get(code, f"de {name}") for code, name in names.items()}
    present = set(site_departements(network_sites, communes).dropna())
    inside = tuple(sorted(present & set(names.index)))
    missing = [d for d in names.index if d not in present]
    if not missing:
        return NetworkScope(inside, True, "France entière", "de la France entière")
    if not inside:
        return NetworkScope((), False, "aucun territoire (aucun site localisé)",
                            "d'aucun territoire (aucun site localisé)")
    if len(missing) <= 3 and len(missing) < len(inside):
        label = "France entière sauf " + formatting.join_fr(
            [f"{geography.name_with_article(names_de[d])} ({d})" for d in missing])
        label_de = f"de la {label}"
    elif len(inside) <= 3:
        label = formatting.join_fr([views.scope_label(d, names) for d in inside])
        label_de = formatting.join_fr([views.scope_label_de(d, names_de) for d in inside])
    else:
        label = f"{len(inside)} départements sur {len(names)}"
        label_de = f"de {label}"
    return NetworkScope(inside, False, label, label_de)
