"""Non-recours."""

import streamlit as st

from explorer import ui
from explorer.themes import PAGE_THEMES

st.title("Non-recours")
st.markdown("Le non-recours aux prestations sociales et les démarches pour « aller vers » les usagers "
            "(annexe 9) : taux de non-recours, résultats du datamining de la CNAF et du ciblage de "
            "l'ASPA par la CNAV.")

st.subheader("Taux de non-recours par prestation")
ui.dataset_view("nontakeup_rates_by_benefit", key="rates")

st.subheader("Datamining de la CNAF : droits ouverts par prestation")
ui.dataset_view("cnaf_datamining_results_by_benefit", key="datamining")

st.subheader("Ciblage des bénéficiaires potentiels de l'ASPA (CNAV)")
ui.dataset_view("cnav_aspa_targeting_steps", key="aspa")

st.subheader("Tous les jeux de données du thème")
ui.dataset_browser(PAGE_THEMES["non_take_up"], key="dataset")
