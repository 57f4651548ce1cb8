-- Part de chaque canal dans les contacts de l'année (calculée : somme des mesures retenues, années complètes seulement)
-- params: $operator
WITH rows AS (
    SELECT * FROM channel_contacts WHERE operator = $operator
), complete_years AS (
    SELECT year FROM rows GROUP BY year HAVING count(*) = count(value)
), by_channel AS (
    SELECT year, channel, sum(value) AS contacts_count
    FROM rows JOIN complete_years USING (year)
    GROUP BY year, channel
)
SELECT year, channel, contacts_count,
       round(100 * contacts_count / sum(contacts_count) OVER (PARTITION BY year), 1) AS share_pct
FROM by_channel
ORDER BY year, channel
