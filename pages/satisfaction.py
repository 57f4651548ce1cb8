"""Satisfaction et qualité de service."""

import streamlit as st

from explorer import ui
from explorer.themes import PAGE_THEMES

st.title("Satisfaction et qualité de service")
st.markdown("Satisfaction par canal et par prestation, délais, abandons, contacts réitérés, objectifs des "
            "conventions d'objectifs et de gestion (COG) face aux résultats.")

st.subheader("Tous les jeux de données du thème")
ui.dataset_browser(PAGE_THEMES["satisfaction"], key="dataset")
