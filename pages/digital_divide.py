"""Fracture numérique."""

import streamlit as st

from explorer import ui
from explorer.themes import PAGE_THEMES

st.title("Fracture numérique")
ui.questions([
    "Quelle part de la population est « distante » du numérique ?",
    "Comment chaque profil d'usagers apprend-il le numérique ?",
    "Que disent les autres enquêtes de l'annexe 1 et l'accessibilité des démarches en ligne (annexe 2) ?",
])

st.subheader("1. Quelle part de la population est « distante » du numérique ?")
ui.dataset_view("survey_smartphone_capacity_profiles", key="profiles",
                title="Profils d'usagers du numérique (enquête Capacity 2017)",
                defaults={"year": "2017", "indicator": "Part dans la population", "source":
                          "Enquête Capacity (GIS M@rsouin)"})
st.caption("L'enquête Capacity (2017) classe 14 % des Français parmi les « distants ». L'enquête du CREDOC "
           "(ci-dessous) découpe autrement la population : ses « éloignés » (25 %) ne sont pas les mêmes "
           "personnes et les deux parts ne se comparent pas.")

st.subheader("2. Comment chaque profil d'usagers apprend-il le numérique ?")
ui.dataset_view("survey_digital_training_by_user_group", key="training",
                title="Modes de formation au numérique selon le profil (CREDOC)",
                hidden={"measure": ["Part dans la population totale"]})

st.subheader("3. Tous les jeux de données du thème")
ui.dataset_browser(PAGE_THEMES["digital_divide"], key="dataset",
                   shown_above=["survey_smartphone_capacity_profiles", "survey_digital_training_by_user_group"])
