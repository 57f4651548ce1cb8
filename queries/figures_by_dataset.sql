-- Toutes les valeurs d'un jeu de données, au format long, avec leur provenance
-- params: $dataset_id
SELECT dataset_id, annex, label, title, unit, dimensions, value, note
FROM figures
WHERE dataset_id = $dataset_id
