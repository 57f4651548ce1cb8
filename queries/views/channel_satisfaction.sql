-- Part d'usagers satisfaits par opérateur et par canal (enquêtes de chaque opérateur, années différentes)
-- params: none
SELECT 'CNAM' AS operator,
       CASE WHEN channel LIKE 'Ensemble%' THEN 'Satisfaction globale' ELSE channel END AS channel,
       'Assurés' AS population, CAST(year AS INTEGER) AS year, value, 'cnam_satisfaction_by_channel_2018' AS dataset_id
FROM cnam_satisfaction_by_channel_2018
UNION ALL
SELECT 'CNAV', channel, population, 2018, value, 'cnav_satisfaction_by_channel'
FROM cnav_satisfaction_by_channel WHERE response = 'Satisfait'
UNION ALL
SELECT 'MSA', breakdown, 'Adhérents', 2017, value, 'msa_satisfaction_survey_2017'
FROM msa_satisfaction_survey_2017 WHERE indicator LIKE 'Taux de satisfaction%'
