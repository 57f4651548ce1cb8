"""Médiation numérique."""

import streamlit as st

from explorer import ui
from explorer.themes import PAGE_THEMES

st.title("Médiation numérique")
st.markdown("L'offre d'accompagnement aux démarches numériques (annexe 8) : structures, PIMMS, France services, acteurs et financements.")

st.subheader("Tous les jeux de données du thème")
ui.dataset_browser(PAGE_THEMES["mediation"], key="dataset")
