-- Évolution des contacts d'un canal, indice 100 la première année publiée, opérateurs côte à côte
-- params: $channel
WITH by_channel AS (
    SELECT operator, year, sum(value) AS contacts_count
    FROM channel_contacts
    WHERE channel = $channel
    GROUP BY operator, year
    HAVING count(*) = count(value)  -- a year with an unreadable measure is left out
), first_year AS (
    SELECT operator, arg_min(contacts_count, year) AS base, min(year) AS base_year
    FROM by_channel GROUP BY operator
)
SELECT b.operator, b.year, f.base_year, round(100 * b.contacts_count / f.base, 1) AS index_value
FROM by_channel b JOIN first_year f USING (operator)
WHERE f.base > 0
ORDER BY b.operator, b.year
