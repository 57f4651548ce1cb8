"""Entry point: page registry, frame and footer around every page."""

import streamlit as st

from explorer import settings
from explorer.navigation import visible_sections
from explorer.ui import presentation_toggle

st.set_page_config(page_title="Explorateur IGAS 2019-033R · numérique inclusif", page_icon=":material/hub:",
                   layout="wide")

navigation = st.navigation({
    section: [st.Page(p.path, title=p.title, url_path=p.url_path, icon=p.icon, default=(i == 0 and s == 0))
              for i, p in enumerate(pages)]
    for s, (section, pages) in enumerate(visible_sections(settings.is_public()).items())
})

with st.sidebar:
    st.caption("Données : rapport IGAS 2019-033R « Garantir un numérique inclusif », tome 2, annexes 1 à 9.")
    if settings.is_public():
        st.caption("Démonstration publique en lecture seule.")

# In the page body, not the sidebar: presentation mode hides the sidebar.
_, toggle_column = st.columns([4, 1])
with toggle_column:
    presentation_toggle()

navigation.run()

st.divider()
st.caption(f"Explorateur des données du rapport {settings.REPORT_CITATION}. Chaque graphique indique "
           "son annexe et son tableau d'origine ; la page « Sources » liste toutes les provenances.")
