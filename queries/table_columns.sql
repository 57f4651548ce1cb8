-- Tables de la base et leurs colonnes (schéma consultable dans la console)
-- params: none
SELECT table_name, column_name, data_type
FROM duckdb_columns()
WHERE schema_name = 'main' AND NOT internal AND table_name <> 'build_info'
ORDER BY table_name, column_index
