"""Médiation numérique."""

import streamlit as st

from explorer import ui
from explorer.themes import PAGE_THEMES

st.title("Médiation numérique")
st.markdown("Qui accompagne les usagers dans leurs démarches en ligne ? Structures d'accompagnement, "
            "activité des PIMMS, France services, acteurs et financements (annexe 8).")

st.subheader("Les structures d'accompagnement aux démarches numériques")
ui.dataset_view("mediation_support_structures_by_type", key="structures")

st.subheader("PIMMS : motifs de visite")
ui.dataset_view("mediation_pimms_visit_reasons_by_date", key="pimms")

st.subheader("Tous les jeux de données du thème")
ui.dataset_browser(PAGE_THEMES["mediation"], key="dataset")
