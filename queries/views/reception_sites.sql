-- Nombre total de lieux d'accueil physique par opérateur et par année (totaux imprimés par le rapport)
-- params: none
SELECT 'CNAF' AS operator, CAST(year AS INTEGER) AS year, 'Sites et permanences' AS scope, value,
       'cnaf_reception_sites_by_year' AS dataset_id
FROM cnaf_reception_sites_by_year WHERE site_type = 'Total'
UNION ALL
SELECT 'CNAV', CAST(year AS INTEGER), 'Sièges, agences et points d''accueil retraite', value, 'cnav_network_sites_2013_2018'
FROM cnav_network_sites_2013_2018 WHERE site_type = 'Total'
UNION ALL
SELECT 'MSA', CAST(year AS INTEGER), 'Agences et points d''accueil', value, 'msa_reception_sites_by_year'
FROM msa_reception_sites_by_year WHERE site_type = 'Total'
UNION ALL
SELECT 'CNAM', CAST(year AS INTEGER), 'Agences et points d''accueil', value, 'cnam_sites_by_attendance_class'
FROM cnam_sites_by_attendance_class WHERE site_class = 'Total Assurance Maladie'
