"""Satisfaction et qualité de service."""

import streamlit as st

from explorer import cached, charts, ui
from explorer.themes import PAGE_THEMES

st.title("Satisfaction et qualité de service")
ui.questions([
    "Quel canal satisfait le moins les usagers ?",
    "Comment les notes des allocataires CAF ont-elles évolué, canal par canal ?",
    "La satisfaction des demandeurs d'emploi atteint-elle l'objectif de Pôle emploi ?",
    "Délais, abandons, contacts réitérés, objectifs des conventions d'objectifs et de gestion (COG) : "
    "que disent les autres tableaux ?",
])

st.subheader("1. Quel canal satisfait le moins ? Part d'usagers satisfaits, opérateurs côte à côte")
satisfaction = cached.query("satisfaction_by_operator_and_channel")
populations = {"Retraités": "Retraités", "Actifs": "Actifs (futurs retraités)"}
population = ui.synced_selectbox("Population interrogée par la CNAV", list(populations), key="population",
                                 format_func=populations.get)
shown = satisfaction[(satisfaction["operator"] != "CNAV") | (satisfaction["population"] == population)]
ui.chart_with_data(
    cached.chart(charts.operator_bars, shown, "channel", "satisfied_pct", "percent", "Usagers satisfaits (%)"),
    shown, shown["dataset_id"].unique(),
    alt_text="Barres de la part d'usagers satisfaits par canal pour la CNAM (2018), la CNAV (2018) et la "
             "MSA (2017).", key="by_channel", title="Part d'usagers satisfaits par canal (CNAM, CNAV, MSA)",
    note="Comparaison indicative : chaque opérateur mène sa propre enquête (questions, échelles, années). "
         "La CNAF publie des notes sur 10 (ci-dessous) et Pôle emploi une satisfaction générale mensuelle.")

st.subheader("2. Notes de satisfaction des allocataires CAF (sur 10)")
scores = cached.query("cnaf_satisfaction_scores_by_year")
ui.chart_with_data(
    cached.chart(charts.dataset_chart, scores.drop(columns="channel"), "score"), scores, "cnaf_satisfaction_by_channel_year",
    alt_text="Courbes des notes sur 10 par canal de 2014 à 2018 (axe resserré sur les notes observées).",
    key="cnaf_scores", title="Notes de satisfaction des allocataires CAF par canal (sur 10)")

st.subheader("3. Pôle emploi : satisfaction générale mois par mois, face à l'objectif")
ui.dataset_view("pe_satisfaction_general_by_month", key="pe_monthly")

st.subheader("4. Tous les jeux de données du thème")
ui.dataset_browser(PAGE_THEMES["satisfaction"], key="dataset",
                   shown_above=["cnaf_satisfaction_by_channel_year", "pe_satisfaction_general_by_month",
                                *satisfaction["dataset_id"].unique()])
