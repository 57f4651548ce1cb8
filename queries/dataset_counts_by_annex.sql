-- Nombre de jeux de données et de valeurs par annexe
-- params: none
SELECT c.annex, count(DISTINCT c.dataset_id) AS datasets_count, count(f.value) AS values_count
FROM catalog c LEFT JOIN figures f USING (dataset_id)
GROUP BY c.annex
ORDER BY c.annex
