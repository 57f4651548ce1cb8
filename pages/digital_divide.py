"""Fracture numérique."""

import streamlit as st

from explorer import ui
from explorer.themes import PAGE_THEMES

st.title("Fracture numérique")
st.markdown("Quelle part de la population est « distante » du numérique ? Les enquêtes de l'annexe 1 "
            "(équipement, compétences, typologies d'usagers, effets de l'âge et du revenu) et "
            "l'accessibilité des démarches en ligne (annexe 2).")

st.subheader("Profils d'usagers et équipement")
ui.dataset_view("survey_smartphone_capacity_profiles", key="profiles")

st.subheader("Modes de formation au numérique selon le profil")
ui.dataset_view("survey_digital_training_by_user_group", key="training")

st.subheader("Tous les jeux de données du thème")
ui.dataset_browser(PAGE_THEMES["digital_divide"], key="dataset")
