"""Canaux de contact: volumes, shares and trends per operator; reception sites."""

import streamlit as st

from explorer import cached, charts, ui
from explorer.themes import PAGE_THEMES

st.title("Canaux de contact")
st.markdown("Comment les usagers contactent-ils la CAF, la CPAM, la CARSAT, la MSA et Pôle emploi, et "
            "comment cela a-t-il évolué entre 2014 et 2018 ? Volumes par canal, part de chaque canal, "
            "évolution comparée des opérateurs et sites d'accueil (annexes 3 à 7).")

operator = ui.operator_picker()
volumes = cached.query("contacts_by_channel_and_year", operator=operator)
st.subheader(f"Contacts par canal et par année — {ui.OPERATOR_NAMES[operator]}")
log_scale = st.toggle("Échelle logarithmique", value=True, key="log_scale",
                      help="Les visites web se comptent en centaines de millions, les courriers en millions.")
ui.chart_with_data(
    cached.chart(charts.channel_volumes, volumes, log_scale), volumes, volumes["dataset_id"].unique(),
    alt_text=f"Courbes des contacts par canal de {operator} de {volumes['year'].min()} à "
             f"{volumes['year'].max()} ; valeurs exactes dans l'onglet Données.",
    key="volumes",
    note="Une mesure par canal, telle que publiée par l'opérateur : les canaux numériques comptent des "
         "visites ou connexions, les canaux traditionnels des contacts ; les volumes ne s'additionnent "
         "donc pas d'un canal à l'autre sans précaution.")

shares = cached.query("channel_shares_by_year", operator=operator)
st.subheader("Part de chaque canal (calculée)")
if shares.empty:
    st.info("Aucune année complète pour calculer les parts de cet opérateur.")
else:
    ui.chart_with_data(
        cached.chart(charts.channel_shares, shares), shares, volumes["dataset_id"].unique(),
        alt_text="Barres empilées à 100 % de la part de chaque canal par année.", key="shares",
        note="Part calculée par l'explorateur : somme des mesures retenues pour chaque canal, rapportée au "
             "total de l'année ; seules les années où toutes les mesures sont lisibles sont montrées.")

st.subheader("Évolution d'un canal, opérateurs côte à côte")
channel = ui.synced_selectbox("Canal", ["Accueil physique", "Téléphone", "Courriel", "Courrier",
                                         "Site internet", "Application mobile"], key="channel")
index = cached.query("channel_index_by_operator", channel=channel)
ui.chart_with_data(
    cached.chart(charts.operator_lines, index, "index_value", "Indice (100 = première année publiée)", 100),
    index, ["cnaf_contacts_by_channel_year", "cnam_inbound_contacts_by_channel", "cnav_contacts_by_channel",
            "msa_incoming_contacts_by_channel", "pe_contacts_by_channel_year"],
    alt_text=f"Indice d'évolution du canal {channel} par opérateur, base 100 la première année publiée.",
    key="index",
    note="Les volumes absolus ne sont pas comparables d'un opérateur à l'autre (publics et mesures "
         "différents) : l'indice compare les tendances, base 100 la première année publiée par chacun.")

st.subheader("Lieux d'accueil physique")
sites = cached.query("reception_sites_by_operator_and_year")
ui.chart_with_data(
    cached.chart(charts.operator_lines, sites, "sites_count", "Lieux d'accueil"), sites, sites["dataset_id"].unique(),
    alt_text="Nombre de lieux d'accueil par opérateur et par année.", key="sites",
    note="Périmètres différents : la CAF compte ses permanences, la CNAV ses points d'accueil retraite ; "
         "Pôle emploi ne publie pas de série dans le rapport.")

st.subheader("Tous les jeux de données du thème")
ui.dataset_browser(PAGE_THEMES["channels"], key="dataset")
