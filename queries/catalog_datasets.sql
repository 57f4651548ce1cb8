-- Catalogue des jeux de données du rapport, par annexe
-- params: none
SELECT dataset_id, annex, label, title, operator, theme, unit, source_lines, notes
FROM catalog
ORDER BY annex, dataset_id
