"""Satisfaction et qualité de service."""

import streamlit as st

from explorer import cached, charts, ui
from explorer.themes import PAGE_THEMES

st.title("Satisfaction et qualité de service")
st.markdown("Quel canal satisfait le moins ? Satisfaction par canal et par prestation, délais, abandons, "
            "contacts réitérés, objectifs des conventions d'objectifs et de gestion (COG) et résultats.")

st.subheader("Part d'usagers satisfaits par canal, opérateurs côte à côte")
satisfaction = cached.query("satisfaction_by_operator_and_channel")
populations = {"Retraités": "Retraités", "Actifs": "Actifs (futurs retraités)"}
population = ui.synced_selectbox("Population interrogée par la CNAV", list(populations), key="population",
                                 format_func=populations.get)
shown = satisfaction[(satisfaction["operator"] != "CNAV") | (satisfaction["population"] == population)]
ui.chart_with_data(
    cached.chart(charts.operator_bars, shown, "channel", "satisfied_pct", "percent", "Usagers satisfaits (%)"),
    shown, shown["dataset_id"].unique(),
    alt_text="Barres de la part d'usagers satisfaits par canal pour la CNAM (2018), la CNAV (2018) et la "
             "MSA (2017).", key="by_channel",
    note="Comparaison indicative : chaque opérateur mène sa propre enquête (questions, échelles, années). "
         "La CNAF publie des notes sur 10 (ci-dessous) et Pôle emploi une satisfaction générale mensuelle.")

st.subheader("Notes de satisfaction des allocataires CAF (sur 10)")
scores = cached.query("cnaf_satisfaction_scores_by_year")
ui.chart_with_data(
    cached.chart(charts.dataset_chart, scores.drop(columns="channel"), "score"), scores, "cnaf_satisfaction_by_channel_year",
    alt_text="Courbes des notes sur 10 par canal de 2014 à 2018.", key="cnaf_scores")

st.subheader("Pôle emploi : satisfaction générale mois par mois")
ui.dataset_view("pe_satisfaction_general_by_month", key="pe_monthly")

st.subheader("Tous les jeux de données du thème")
ui.dataset_browser(PAGE_THEMES["satisfaction"], key="dataset")
