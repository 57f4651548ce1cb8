-- Notes de satisfaction sur 10 des allocataires CAF par canal et par année (annexe 3, tableau 15)
-- params: none
SELECT block AS channel, item, CAST(year AS INTEGER) AS year, value
FROM cnaf_satisfaction_by_channel_year
WHERE unit = 'score' AND value IS NOT NULL
ORDER BY item, year
