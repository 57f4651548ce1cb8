"""Accueil."""

import streamlit as st

st.title("Explorateur du numérique inclusif")
st.markdown(
    "Cet explorateur rassemble les données du rapport de l'Inspection générale des affaires sociales "
    "**2019-033R « Garantir un numérique inclusif : les réponses apportées par les opérateurs de la "
    "protection sociale »** (tome 2, annexes 1 à 9) : usage des canaux de contact (accueil, téléphone, "
    "courriel, site internet, application) et satisfaction pour la CNAF, la CNAM, la CNAV, la MSA et "
    "Pôle emploi, enquêtes sur la fracture numérique, médiation numérique et non-recours.")
