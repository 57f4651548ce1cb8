"""Fracture numérique."""

import streamlit as st

from explorer import ui
from explorer.themes import PAGE_THEMES

st.title("Fracture numérique")
st.markdown("Les enquêtes de l'annexe 1 (équipement, compétences, typologies d'usagers, effets de l'âge et du revenu) et l'accessibilité des démarches en ligne (annexe 2).")

st.subheader("Tous les jeux de données du thème")
ui.dataset_browser(PAGE_THEMES["digital_divide"], key="dataset")
