"""Canaux de contact: volumes, shares and trends per operator; reception sites."""

import streamlit as st

from explorer import cached, charts, ui
from explorer.themes import PAGE_THEMES

INDEX_DATASETS = ["cnaf_contacts_by_channel_year", "cnam_inbound_contacts_by_channel", "cnav_contacts_by_channel",
                  "msa_incoming_contacts_by_channel", "pe_contacts_by_channel_year"]

st.title("Canaux de contact")
ui.questions([
    "Par quels canaux les usagers contactent-ils la CAF, la CPAM, la CARSAT, la MSA et Pôle emploi, et "
    "comment ces volumes ont-ils évolué de 2014 à 2018 ?",
    "Quelle part chaque canal prend-il parmi les mesures de même nature ?",
    "Un canal évolue-t-il de la même façon chez tous les opérateurs ?",
    "Combien de lieux d'accueil physique chaque opérateur garde-t-il ?",
])

operator = ui.operator_picker()
volumes = cached.query("contacts_by_channel_and_year", operator=operator)
title = f"Contacts par canal et par année — {ui.OPERATOR_NAMES[operator]}"
st.subheader(f"1. {title}")
log_scale = ui.synced_toggle("Échelle logarithmique", key="log_scale", default=True,
                             help="Les visites web se comptent en centaines de millions, les courriers en millions.")
volume_breaks = ui.series_breaks(volumes["dataset_id"].unique(), volumes)
ui.chart_with_data(
    cached.chart(charts.channel_volumes, volumes, log_scale, charts.break_labels(volume_breaks)), volumes,
    volumes["dataset_id"].unique(),
    alt_text=f"Courbes des contacts par canal, {operator}, de {volumes['year'].min()} à "
             f"{volumes['year'].max()} ; valeurs exactes dans l'onglet Données.",
    key="volumes", title=title, breaks=volume_breaks,
    note="Une mesure par canal, telle que publiée par l'opérateur (le style de ligne la distingue) : les canaux "
         "numériques comptent des visites ou connexions, les canaux traditionnels des contacts ; les volumes ne "
         "s'additionnent donc pas d'un canal à l'autre.")

shares = cached.query("channel_shares_by_year", operator=operator)
title = f"Part de chaque canal parmi les mesures de même nature — {ui.OPERATOR_NAMES[operator]}"
st.subheader("2. Part de chaque canal (calculée, par nature de mesure)")
if shares.empty:
    st.info("Aucune année complète pour calculer les parts de cet opérateur.")
else:
    share_breaks = ui.series_breaks(volumes["dataset_id"].unique(), shares)
    ui.chart_with_data(
        cached.chart(charts.channel_shares, shares, charts.break_labels(share_breaks)), shares,
        volumes["dataset_id"].unique(),
        alt_text="Barres empilées à 100 % de la part de chaque canal par année, un panneau pour les contacts "
                 "et un pour les visites des sites et applications.", key="shares", title=title,
        breaks=share_breaks,
        note="Part calculée par l'explorateur, dans chaque nature de mesure séparément : les contacts (accueil, "
             "téléphone, courrier, courriel, bornes) d'un côté, les visites des sites et applications de l'autre, "
             "car une visite web n'est pas un contact. Seules les années où toutes les mesures sont lisibles "
             "sont montrées.")

st.subheader("3. Évolution d'un canal, opérateurs côte à côte")
channel = ui.synced_selectbox("Canal", ["Accueil physique", "Téléphone", "Courriel", "Courrier",
                                         "Site internet", "Application mobile"], key="channel")
index = cached.query("channel_index_by_operator", channel=channel)
index_breaks = ui.series_breaks(INDEX_DATASETS, index, channel=channel)
ui.chart_with_data(
    cached.chart(charts.operator_lines, index, "index_value", "Indice (100 = première année publiée)", 100,
                 charts.break_labels(index_breaks)),
    index, INDEX_DATASETS,
    alt_text=f"Indice d'évolution du canal {channel} par opérateur, base 100 la première année publiée.",
    key="index", title=f"Évolution du canal « {channel} » par opérateur (indice 100 = première année)",
    breaks=index_breaks,
    note="Les volumes absolus ne sont pas comparables d'un opérateur à l'autre (publics et mesures "
         "différents) : l'indice compare les tendances, base 100 la première année publiée par chacun.")

st.subheader("4. Lieux d'accueil physique")
sites = cached.query("reception_sites_by_operator_and_year")
ui.chart_with_data(
    cached.chart(charts.operator_lines, sites, "sites_count", "Lieux d'accueil"), sites, sites["dataset_id"].unique(),
    alt_text="Nombre de lieux d'accueil par opérateur et par année.", key="sites",
    title="Lieux d'accueil physique par opérateur et par année",
    note="Périmètres différents : la CAF compte ses permanences, la CNAV ses points d'accueil retraite ; "
         "Pôle emploi ne publie pas de série dans le rapport.")

st.subheader("Tous les jeux de données du thème")
ui.dataset_browser(PAGE_THEMES["channels"], key="dataset", shown_above=INDEX_DATASETS)
