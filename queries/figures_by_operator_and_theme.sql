-- Nombre de valeurs transcrites par opérateur et par thème
-- params: none
SELECT operator, theme, count(*) AS values_count, count(DISTINCT dataset_id) AS datasets_count
FROM figures
GROUP BY operator, theme
ORDER BY operator, theme
