"""The explorer: IGAS report 2019-033R datasets, queried with DuckDB and shown with Streamlit."""
