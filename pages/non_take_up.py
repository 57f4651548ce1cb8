"""Non-recours."""

import streamlit as st

from explorer import ui
from explorer.themes import PAGE_THEMES

st.title("Non-recours")
ui.questions([
    "Quelle part des personnes éligibles ne demande pas la prestation (taux de non-recours) ?",
    "Le datamining de la CNAF ouvre-t-il des droits, et pour quels montants ?",
    "Combien de bénéficiaires potentiels de l'ASPA le ciblage de la CNAV retrouve-t-il ?",
])

st.subheader("1. Taux de non-recours par prestation")
ui.dataset_view("nontakeup_rates_by_benefit", key="rates")

st.subheader("2. Datamining de la CNAF : droits ouverts par prestation")
ui.dataset_view("cnaf_datamining_results_by_benefit", key="datamining")

st.subheader("3. Ciblage des bénéficiaires potentiels de l'ASPA (CNAV)")
ui.dataset_view("cnav_aspa_targeting_steps", key="aspa")

st.subheader("Tous les jeux de données du thème")
ui.dataset_browser(PAGE_THEMES["non_take_up"], key="dataset",
                   shown_above=["nontakeup_rates_by_benefit", "cnaf_datamining_results_by_benefit",
                                "cnav_aspa_targeting_steps"])
