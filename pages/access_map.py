"""Carte de l'accès : sites d'accueil, temps de trajet estimé, couverture 4G, « double peine »."""

import streamlit as st
from streamlit_folium import st_folium

from explorer import access, cached, charts, maps, territory, ui

st.title("Carte de l'accès")
st.markdown("Où les lieux d'accueil sont-ils loin, et où la couverture mobile 4G est-elle faible ? "
            "Le rapport (annexe 4) parle de « double peine » pour les habitants cumulant les deux. "
            "Tous les temps et couvertures de cette page sont des **estimations** (méthode ci-dessous).")

networks = cached.available_networks()
controls = st.columns(4)
with controls[0]:
    network = ui.synced_selectbox("Réseau de sites", networks, key="reseau",
                                  default=territory.default_network(networks),
                                  format_func=territory.network_label)
with controls[1]:
    threshold = int(ui.synced_selectbox("Temps de référence", [str(t) for t in territory.THRESHOLDS_MIN],
                                        key="seuil", default="30", format_func=lambda t: f"{t} min"))
with controls[2]:
    base = ui.synced_selectbox("Fond de carte", list(maps.BASE_MAPS), key="fond",
                               format_func=lambda k: maps.BASE_MAPS[k][0])
distances = cached.mobile_distances()
with controls[3]:
    poor_max = st.selectbox("Couverture 4G « faible »", list(territory.POOR_COVERAGE_CHOICES),
                            index=territory.DEFAULT_POOR_MAX_OPERATORS, key="couverture_faible",
                            format_func=territory.POOR_COVERAGE_CHOICES.get, disabled=distances is None)
label, poor_label = territory.network_label(network), territory.POOR_COVERAGE_CHOICES[poor_max]

defaults = access.Parameters()
with st.expander("Paramètres du temps de trajet (estimation, modifiables)"):
    left, right = st.columns(2)
    params = access.Parameters(
        detour_factor=left.slider("Coefficient de détour (route / vol d'oiseau)", 1.0, 2.0,
                                  defaults.detour_factor, 0.05, key="detour"),
        speed_dense_kmh=left.slider("Vitesse en commune dense (km/h)", 10.0, 60.0,
                                    defaults.speed_dense_kmh, 5.0, key="v_dense"),
        speed_intermediate_kmh=left.slider("Vitesse en commune intermédiaire (km/h)", 20.0, 80.0,
                                           defaults.speed_intermediate_kmh, 5.0, key="v_inter"),
        speed_rural_kmh=right.slider("Vitesse en commune rurale et sur route (km/h)", 40.0, 100.0,
                                     defaults.speed_rural_kmh, 5.0, key="v_rural"),
        local_leg_km=right.slider("Trajet local à la vitesse de la commune de départ (km)", 0.0,
                                  20.0, defaults.local_leg_km, 0.5, key="local_leg"))
    st.caption("Valeurs par défaut : " + access.method_text_fr(defaults))
st.caption(access.method_text_fr(params))
if network == "mairie":
    st.caption("Le point de chaque commune est sa mairie : le temps jusqu'à la mairie la plus proche est "
               "nul par construction. Importez un réseau (France services, CAF…) pour une carte utile.")

communes = cached.communes()
within, view, cover = cached.access_view(network, params, poor_max)
st.info(territory.headline_fr(within, threshold, label))


@st.fragment
def map_section(view, within):
    deps = cached.departements()
    names = dict(zip(deps["code"], deps["nom"]))
    dep = ui.synced_selectbox("Vue de la carte", ["FR", *names], key="dep", format_func=lambda c:
                              "France (par département)" if c == "FR" else f"{c} {names[c]}")
    sites = {n: cached.network_sites(n) for n in sorted(networks, key=lambda n: n != network)}
    if dep == "FR":
        dep_view = territory.departement_view(within, threshold, view)
        m, _ = territory.national_map(deps, dep_view, threshold, sites, base, poor_label)
        table = territory.departement_table(dep_view, threshold)
    else:
        dep_communes = view[view["departement"] == dep]
        m = territory.departement_map(cached.commune_geometries(dep), dep_communes, sites, base)
        table = territory.commune_table(dep_communes)
    st_folium(m, key="access_map", height=maps.MAP_HEIGHT_PX, width=None, returned_objects=[])
    st.dataframe(table, hide_index=True, height=300, key="map_table")
    st.caption("Le tableau reprend les données de la carte (même classement) ; chaque zone indique sa "
               "classe dans son infobulle. La carte se dessine sans connexion (Leaflet servi localement) ; "
               "seuls les fonds OpenStreetMap et CartoDB demandent Internet.")


map_section(view, within)

st.subheader("Population à 15, 30, 45 et 60 minutes ou moins (estimation)")
st.dataframe(territory.national_within_table(within), hide_index=True, key="within_table")
with st.expander("Par département, présenté comme le tableau 5 de l'annexe 4"):
    st.dataframe(territory.departement_within_table(within), hide_index=True, key="within_deps")
with st.expander("Méthode et comparaison avec les chiffres publiés par le rapport"):
    ids = ["cnam_population_share_by_travel_time", "cnav_access_55_64"]
    st.dataframe(territory.report_comparison(*(cached.dataset(i) for i in ids), within, label),
                 hide_index=True, key="comparison")
    st.markdown("Ce qui diffère :\n" + "\n".join(f"- {d}" for d in territory.REPORT_DIFFERENCES_FR))
    st.caption(ui.provenance(ids))

st.subheader("Couverture 4G (estimation)")
if cover is None:
    st.info("Aucun fichier de sites mobiles importé : importez les sites de l'ARCEP (page « Importer des "
            "données ») pour estimer la couverture 4G par commune.")
else:
    st.caption(territory.coverage_method_fr(cached.mobile_source_date()))
    st.dataframe(territory.national_coverage_table(cover, communes), hide_index=True, key="coverage_table")

st.subheader("Sites les plus proches d'une commune")
query = st.text_input("Commune (nom ou code INSEE)", key="commune", placeholder="Aurillac ou 15014")
if query.strip():
    found = territory.find_communes(query, communes)
    if found.empty:
        st.warning(territory.unknown_commune_message(query))
    else:
        rows = {r.code_insee: territory.commune_choice_label(r._asdict()) for r in found.itertuples()}
        code = st.selectbox("Commune trouvée", list(rows), format_func=rows.get, key="commune_code")
        nearest = access.commune_locator(code, communes, {n: cached.site_index(n) for n in networks},
                                         k=3, params=params)
        st.dataframe(territory.locator_table(nearest), hide_index=True, key="locator_table")

st.subheader("« Double peine » : loin des sites et mal couvert en 4G")
if cover is None:
    st.info("Ce classement croise le temps estimé et la couverture 4G : il attend l'import des sites "
            "mobiles de l'ARCEP (page « Importer des données »).")
else:
    st.caption(f"Communes à plus de {threshold} min (estimation) du site « {label} » le plus proche et "
               f"couvertes en 4G par {poor_label} (estimation), classées par population.")
    ranked = territory.double_peine_communes(view, threshold)
    if ranked.empty:
        st.info(f"Aucune commune n'est à la fois à plus de {threshold} min (estimation) et couverte par "
                f"{poor_label} : essayez un temps de référence plus court ou une couverture moins stricte.")
    else:
        by_dep, by_commune = st.columns(2)
        by_dep.dataframe(territory.double_peine_departements(view, threshold), hide_index=True)
        by_commune.dataframe(ranked.head(200), hide_index=True)

st.subheader("Graphiques")
band_column, density_column = st.columns(2)
for column, frame, unit, text in (
        (band_column, territory.population_by_band(view), "count",
         f"Population par classe de temps estimé jusqu'au site « {label} » le plus proche."),
        (density_column, territory.sites_per_100k(cached.network_sites(network), communes), "ratio",
         f"Sites « {label} » pour 100 000 habitants, par département.")):
    with column:
        chart_tab, data_tab = st.tabs(["Graphique", "Données"])
        chart_tab.vega_lite_chart(cached.chart(charts.dataset_chart, frame.drop(columns="sites_count",
                                                                               errors="ignore"), unit),
                                  width="stretch", alt=text)
        data_tab.dataframe(frame, hide_index=True)
        st.caption(f"{text} Estimation de l'explorateur (données embarquées et importées).")
reception = cached.query("reception_sites_by_operator_and_year")
st.markdown("**Lieux d'accueil physique par branche et par année (chiffres du rapport)**")
ui.chart_with_data(cached.chart(charts.dataset_chart, territory.reception_sites_tidy(reception), "count"),
                   territory.reception_sites_tidy(reception), list(dict.fromkeys(reception["dataset_id"])),
                   "Nombre de lieux d'accueil de chaque branche par année, d'après le rapport.",
                   key="reception_sites")
