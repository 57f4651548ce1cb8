"""Accueil: what the explorer is, the report's key figures with their sources, how to use it."""

import streamlit as st

from explorer import cached, settings, ui
from explorer.formatting import fr_value
from explorer.navigation import visible_sections

st.title("Explorateur du numérique inclusif")
st.markdown(
    "Cet explorateur rassemble les données du rapport de l'Inspection générale des affaires sociales "
    "**2019-033R « Garantir un numérique inclusif : les réponses apportées par les opérateurs de la "
    "protection sociale »** (tome 2, annexes 1 à 9) : usage des canaux de contact (accueil, téléphone, "
    "courriel, site internet, application) et satisfaction pour la CNAF, la CNAM, la CNAV, la MSA et "
    "Pôle emploi, enquêtes sur la fracture numérique, médiation numérique et non-recours.")

st.subheader("Chiffres clés")
figures = cached.query("key_figures")
columns = st.columns(3)
for i, row in enumerate(figures.itertuples()):
    with columns[i % 3]:
        ui.key_figure(row.label, fr_value(row.value, row.unit, words=True), row.dataset_id, key=str(row.rank))

st.subheader("Mode d'emploi")
st.markdown(
    "- Chaque page commence par les questions auxquelles elle répond, puis le graphique qui répond à "
    "la première.\n"
    "- Sous chaque graphique : son annexe, son tableau et les lignes du texte du rapport ; l'onglet "
    "**Données** montre les valeurs exactes, téléchargeables en CSV (et le graphique en SVG ou PNG, "
    "avec son titre et sa source).\n"
    "- Les filtres et les options d'affichage sont gardés dans l'adresse de la page : copiez-la pour "
    "partager exactement la même vue.\n"
    "- Le **mode présentation** (en haut à droite) agrandit les textes et les graphiques pour un partage "
    "d'écran.\n"
    "- Les valeurs illisibles dans le rapport sont laissées vides (« — ») et expliquées dans les notes de "
    "transcription ; rien n'est deviné.")
for page in [p for pages in visible_sections(settings.is_public()).values() for p in pages][1:]:
    st.page_link(page.path, label=page.title, icon=page.icon)
