-- Contacts par canal et par année pour un opérateur (mesure retenue par canal)
-- params: $operator
SELECT year, channel, measure, value, dataset_id
FROM channel_contacts
WHERE operator = $operator AND value IS NOT NULL
ORDER BY channel, measure, year
