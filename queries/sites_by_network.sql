-- Lieux d'accueil par réseau, avec leur source et leur millésime
-- params: none
SELECT network, site_type, source, source_date, count(*) AS sites_count
FROM sites
GROUP BY ALL
ORDER BY network, site_type
