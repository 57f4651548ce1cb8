-- Nombre de lieux d'accueil physique par opérateur et par année
-- params: none
SELECT operator, year, scope, value AS sites_count, dataset_id
FROM reception_sites
WHERE value IS NOT NULL
ORDER BY operator, year
