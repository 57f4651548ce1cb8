-- Chiffres clés du rapport, chacun avec son jeu de données source
-- params: none
SELECT 1 AS rank, 'Lieux d''accueil CAF en 2018 (1 589 en 2014)' AS label, value, 'count' AS unit,
       'cnaf_reception_sites_by_year' AS dataset_id
FROM cnaf_reception_sites_by_year WHERE year = 2018 AND site_type = 'Total'
UNION ALL
SELECT 2, 'Population à moins de 30 minutes d''une agence CPAM', value, 'percent', 'cnam_population_share_by_travel_time'
FROM cnam_population_share_by_travel_time WHERE site_type = 'Agence' AND threshold = 'Moins de 30 minutes'
UNION ALL
SELECT 3, 'Personnes de 55-64 ans à plus d''une heure d''un accueil retraite', value, 'count', 'cnav_access_55_64'
FROM cnav_access_55_64 WHERE indicator = 'Personnes de 55-64 ans à plus d''une heure'
UNION ALL
SELECT 4, 'Français « distants » du numérique (enquête Capacity 2017)', value, 'percent', 'survey_smartphone_capacity_profiles'
FROM survey_smartphone_capacity_profiles WHERE population = 'Distants'
UNION ALL
SELECT 5, 'Non-recours au RSA', value, 'percent', 'nontakeup_rates_by_benefit'
FROM nontakeup_rates_by_benefit WHERE benefit = 'RSA'
UNION ALL
SELECT 6, 'Visites des offres numériques des CAF en 2018', value, 'count', 'cnaf_digital_usage_figures'
FROM cnaf_digital_usage_figures WHERE indicator LIKE 'Visites des offres digitales%'
ORDER BY rank
