"""Entry point: page registry, frame and footer around every page."""

import streamlit as st

from explorer import settings, ui
from explorer.navigation import visible_sections

st.set_page_config(page_title="Explorateur IGAS 2019-033R · numérique inclusif", page_icon="🧭",
                   layout="wide")

sections = visible_sections(settings.is_public())
home = next(iter(sections.values()))[0]
navigation = st.navigation({
    # The default page is served at "/" and Streamlit drops its url_path: the home page keeps an
    # internal one (not its file name, which a first visit would run without this frame) and its
    # own address (/accueil) is a hidden page running the same file, so that /accueil opens the
    # home page instead of a "Page not found" dialog.
    section: [st.Page(p.path, title=p.title, url_path=f"{p.url_path}-racine" if p == home else p.url_path,
                      icon=p.icon, default=(p == home)) for p in pages]
    + ([st.Page(home.path, title=home.title, url_path=home.url_path, icon=home.icon, visibility="hidden")]
       if s == 0 else [])
    for s, (section, pages) in enumerate(sections.items())
})
ui.app_style()

with st.sidebar:
    st.caption("Données : rapport IGAS 2019-033R « Garantir un numérique inclusif », tome 2, annexes 1 à 9.")
    if settings.is_public():
        st.caption("Démonstration publique en lecture seule.")

# In the page body, not the sidebar: presentation mode hides the sidebar and shows a compact menu.
if ui.presentation_toggle():
    ui.compact_menu([p for pages in sections.values() for p in pages])

navigation.run()

st.divider()
st.caption(f"Explorateur des données du rapport {settings.REPORT_CITATION}. Chaque graphique indique "
           "son annexe et son tableau d'origine ; la page « Sources » liste toutes les provenances.")
