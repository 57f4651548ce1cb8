"""Canaux de contact."""

import streamlit as st

from explorer import ui
from explorer.themes import PAGE_THEMES

st.title("Canaux de contact")
st.markdown("Volumes de contacts par canal et par année pour chaque opérateur, taux de dématérialisation, "
            "sites d'accueil, effectifs et coûts (annexes 3 à 7).")

st.subheader("Tous les jeux de données du thème")
ui.dataset_browser(PAGE_THEMES["channels"], key="dataset")
