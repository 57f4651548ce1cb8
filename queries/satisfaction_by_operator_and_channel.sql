-- Part d'usagers satisfaits par canal, opérateurs côte à côte (enquêtes et années propres à chacun)
-- params: none
SELECT operator, channel, population, year, value AS satisfied_pct, dataset_id
FROM channel_satisfaction
WHERE value IS NOT NULL
ORDER BY operator, population, channel
