"""Non-recours."""

import streamlit as st

from explorer import ui
from explorer.themes import PAGE_THEMES

st.title("Non-recours")
st.markdown("Le non-recours aux prestations sociales et les démarches pour « aller vers » les usagers (annexe 9) : taux de non-recours, datamining de la CNAF et de la CNAV.")

st.subheader("Tous les jeux de données du thème")
ui.dataset_browser(PAGE_THEMES["non_take_up"], key="dataset")
