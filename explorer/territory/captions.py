"""French sentences of the map page: headline, territory of a share, vintages, methods."""

from __future__ import annotations

import pandas as pd

from explorer import coverage
from explorer.formatting import fr_count, fr_number, fr_pct
from explorer.territory.networks import NetworkScope


def headline_fr(dep_rows: pd.DataFrame, threshold_min: int, network_label: str,
                scope_label: str, poor_label: str = "") -> str:
    """The page's answer for the view's territory, from its views.departement_view rows:
    « Estimation : 1 484 575 personnes (2,2 % de la population de France entière) à plus de
    15 min du site « France services » le plus proche ; dont 35 582 en « double peine » … »."""
    population = int(dep_rows["population_count"].sum())
    beyond = int(dep_rows["beyond_count"].sum())
    unknown = int(dep_rows["unestimated_count"].sum())
    share = 100 * beyond / population if population else float("nan")
    text = (f"Estimation : {fr_count(beyond, 'personne')} ({fr_pct(share, 1)} de la population "
            f"de {scope_label}) à plus de {threshold_min} min du site « {network_label} » le "
            "plus proche")
    if "double_peine_count" in dep_rows and poor_label:
        hit = int(dep_rows["double_peine_count"].sum())
        text += (f" ; {fr_number(hit)} d'entre elles cumulent cet éloignement et une couverture "
                 f"4G faible ({poor_label}) : la « double peine »")
    if unknown:
        text += (f". {fr_count(unknown, 'personne')} sans estimation (commune sans point, ou "
                 "aucun site à moins de 150 km)")
    return text + "."


def scope_note_fr(scope: NetworkScope, network_label: str) -> str:
    """Empty when the file covers France entière; else which territory its shares are about."""
    if scope.is_everywhere:
        return ""
    return (f"Le fichier « {network_label} » ne couvre que {scope.label} : les parts et les "
            "totaux de cette page portent sur ce territoire, pas sur la France entière.")


def vintage_fr(network_label: str, metadata: dict, embedded: bool) -> str:
    """« France services : ANCT, …, millésime 2024-08-01 (données embarquées) »."""
    origin = "données embarquées" if embedded else "fichier importé"
    source = metadata.get("source") or "source non renseignée"
    return (f"{network_label} : {source}, millésime {metadata.get('source_date') or 'non renseigné'}"
            f" ({origin}).")


def coverage_method_fr(source_date: str, embedded: bool,
                       params=coverage.CoverageParameters()) -> str:
    """The 4G method text with the vintage and origin of the ARCEP sites file."""
    origin = "données embarquées" if embedded else "fichier importé"
    return (f"{coverage.method_text_fr(params)} Fichier des sites mobiles de l'ARCEP : "
            f"millésime {source_date or 'non renseigné'} ({origin}).")
