"""Médiation numérique."""

import streamlit as st

from explorer import ui
from explorer.themes import PAGE_THEMES

st.title("Médiation numérique")
ui.questions([
    "Qui accompagne les usagers dans leurs démarches en ligne, et combien de personnes ces structures "
    "reçoivent-elles ?",
    "Pour quels motifs vient-on dans un PIMMS ?",
    "France services, acteurs et financements : que disent les autres tableaux de l'annexe 8 ?",
])

st.subheader("1. Qui accompagne les usagers ? Les structures d'accompagnement")
ui.dataset_view("mediation_support_structures_by_type", key="structures")

st.subheader("2. Pour quels motifs vient-on dans un PIMMS ?")
ui.dataset_view("mediation_pimms_visit_reasons_by_date", key="pimms")

st.subheader("3. Tous les jeux de données du thème")
ui.dataset_browser(PAGE_THEMES["mediation"], key="dataset",
                   shown_above=["mediation_support_structures_by_type", "mediation_pimms_visit_reasons_by_date"])
