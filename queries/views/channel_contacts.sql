-- Contacts entrants par opérateur, canal et année : une mesure par canal, choisie dans chaque tableau du rapport
-- params: none
SELECT 'CNAF' AS operator, CAST(year AS INTEGER) AS year, channel, measure, value, 'cnaf_contacts_by_channel_year' AS dataset_id
FROM cnaf_contacts_by_channel_year
WHERE measure <> 'Appels présentés aux agents' AND measure <> 'Appels traités par les agents'
UNION ALL
SELECT 'CNAM', CAST(year AS INTEGER), channel, 'Contacts entrants', value, 'cnam_inbound_contacts_by_channel'
FROM cnam_inbound_contacts_by_channel WHERE channel <> 'Total'
UNION ALL
SELECT 'CNAM', CAST(year AS INTEGER), channel, 'Contacts numériques', value, 'cnam_digital_contacts_by_channel'
FROM cnam_digital_contacts_by_channel WHERE channel <> 'Total'
UNION ALL
SELECT 'CNAV', CAST(year AS INTEGER), channel, contact_type, value, 'cnav_contacts_by_channel'
FROM cnav_contacts_by_channel
WHERE unit = 'count' AND channel <> 'Total'
  AND contact_type NOT IN ('Courriers sortants', 'Rendez-vous hors EIR', 'Entretiens information retraite (EIR)')
UNION ALL
SELECT 'MSA', CAST(year AS INTEGER), channel, 'Contacts entrants', value, 'msa_incoming_contacts_by_channel'
FROM msa_incoming_contacts_by_channel WHERE channel <> 'Total'
UNION ALL
SELECT 'MSA', CAST(year AS INTEGER), channel, 'Visites', value, 'msa_digital_visits_by_year'
FROM msa_digital_visits_by_year
UNION ALL
SELECT 'Pôle emploi', CAST(year AS INTEGER), channel, detail, value, 'pe_contacts_by_channel_year'
FROM pe_contacts_by_channel_year
WHERE detail NOT IN ('dont e-bornes', 'Courriels sortants')
