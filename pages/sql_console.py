"""Données (SQL): a read-only SQL console over the database."""

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from explorer import cached, export, queries, settings, sql_console, ui
from explorer.formatting import fr_count, fr_number

st.title("Données (SQL)")
st.markdown(
    "Interrogez directement la base DuckDB de l'explorateur : une table par jeu de données, la table "
    "`catalog` (provenance) et la table `figures` (toutes les valeurs au format long). "
    f"Limites : une seule requête de lecture (`SELECT`), {fr_number(settings.MAX_ROWS_SHOWN)} lignes "
    f"affichées (et {fr_number(settings.MAX_RESULT_BYTES / 1e6)} Mo), {settings.SQL_TIME_LIMIT_S:g} secondes, "
    "mémoire bornée ; seules les tables de la base et les fonctions de calcul sont accessibles : aucun "
    "fichier, réglage ni réseau.")

examples = {q: queries.load(q) for q in queries.names() if not queries.load(q).params}
example = st.selectbox("Exemples (requêtes nommées de queries/)", list(examples), index=None,
                       format_func=lambda name: f"{examples[name].description} ({name})",
                       placeholder="Choisir un exemple…", key="example")
if example and st.session_state.get("loaded_example") != example:
    st.session_state["sql"] = examples[example].sql
    st.session_state["loaded_example"] = example

if "sql" not in st.session_state:
    st.session_state["sql"] = st.query_params.get("sql", "SELECT annex, label, title FROM catalog LIMIT 20")
sql = st.text_area("Requête SQL", key="sql", height=180)

if st.button("Exécuter", type="primary", key="run"):
    st.query_params["sql"] = sql
    try:
        session = get_script_run_ctx().session_id  # one console query at a time per session
        result = sql_console.run(cached.database_path(), sql, session=session)
    except sql_console.QueryRejected as exc:
        st.error(ui.markdown_text(str(exc)))  # the message quotes what the visitor typed
    else:
        st.caption(f"{fr_count(len(result.frame), 'ligne')} en {fr_number(round(result.seconds, 2))} s.")
        if result.truncated == "rows":
            st.warning(f"Résultat tronqué aux {fr_number(settings.MAX_ROWS_SHOWN)} premières lignes.")
        elif result.truncated == "bytes":
            st.warning(f"Résultat tronqué aux {fr_number(len(result.frame))} premières lignes : au-delà, il "
                       f"dépassait {fr_number(settings.MAX_RESULT_BYTES / 1e6)} Mo.")
        st.dataframe(result.frame, hide_index=True, width="stretch")
        # Built on click from the rows shown, not held in the page (issue 9).
        st.download_button("Résultat (CSV)", lambda: export.csv(result.frame), file_name="requete.csv",
                           mime="text/csv", on_click="ignore", key="result_csv")



def schema_browser():  # in ui.lazy_expander's fragment: the query's result above stays
    schema = cached.query("table_columns")
    table = st.selectbox("Table", sorted(schema["table_name"].unique()), key="schema_table",
                         placeholder="Choisir une table")
    st.dataframe(schema[schema["table_name"] == table][["column_name", "data_type"]], hide_index=True,
                 column_config={"column_name": "Colonne", "data_type": "Type"})


ui.lazy_expander("Schéma des tables", "schema_open", schema_browser)
