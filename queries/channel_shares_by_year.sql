-- Part de chaque canal par année, au sein de mesures de même nature (contacts d'une part, visites numériques d'autre part ; calculée, années complètes seulement)
-- params: $operator
WITH rows AS (
    -- Visits of a website or app are not contacts: they are shared out among themselves only.
    SELECT *, CASE WHEN channel IN ('Site internet', 'Application mobile')
                   THEN 'Visites des sites et applications' ELSE 'Contacts (accueil, téléphone, écrits, bornes)'
              END AS kind
    FROM channel_contacts WHERE operator = $operator
), complete_years AS (
    SELECT year, kind FROM rows GROUP BY year, kind HAVING count(*) = count(value)
), by_channel AS (
    SELECT year, kind, channel, sum(value) AS contacts_count
    FROM rows JOIN complete_years USING (year, kind)
    GROUP BY year, kind, channel
)
SELECT year, kind, channel, contacts_count,
       round(100 * contacts_count / sum(contacts_count) OVER (PARTITION BY year, kind), 1) AS share_pct
FROM by_channel
ORDER BY kind, year, channel
