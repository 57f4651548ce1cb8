"""Annexe 2 (simplification et qualité des téléservices): spot checks against the seed text and
consistency with the body text (no table of this annex prints a total row)."""

import pytest

from tests.report.checks import load, spot_check, value_of

CERFA = "accessibility_cerfa_criteria_met"
CRITERIA = "Critères CERFA numérique satisfaits (35 critères)"
ACCESS = "Critères d'accessibilité satisfaits (critères 15 à 17)"
OBS = "observatory_procedures_data_reentry_score"
SAT = "satisfaction_online_services_by_operator"

SPOT_CHECKS = [
    # (dataset_id, where, expected value, seed line, text as printed there)
    ("accessibility_disability_rgaa_audit", {"source": "INSEE 2011"}, 9600000, 880, "9,6 millions de personnes"),
    ("accessibility_disability_rgaa_audit", {"indicator": "Services en ligne inspectés"}, 602, 978,
     "sur 602 services en ligne inspectés, 106"),
    ("accessibility_disability_rgaa_audit",
     {"indicator": "Services présentant une attestation de conformité au RGAA"}, 22, 979, "parmi lesquels 22 uniquement"),
    ("franceconnect_users_connected_territories", {"indicator": "Villes reliées à FranceConnect"}, 400, 1026,
     "pres de 400 villes"),
    ("cnaf_overpayments", {"population": "Ensemble des allocataires des CAF",
                           "indicator": "Allocataires concernés par un indu chaque année"}, 27, 1079,
     "27 % des allocataires des CAF"),
    ("cnaf_overpayments", {"population": "Allocataires du RSA"}, 50, 1079, "(50 % pour les allocataires du"),
    ("comedec_civil_registry_conventions",
     {"indicator": "Conventions signées par des communes ayant une maternité"}, 211, 1374,
     "300 conventions avaient été signées dont 211"),
    (SAT, {"operator": "CNAF", "indicator": "Taille de l'échantillon", "service": "Site internet caf.fr"}, 10167, 1428,
     "échantillon de 10167 bénéficiaires"),
    (SAT, {"operator": "CNAM", "indicator": "Personnes satisfaites"}, 94, 1428, "94 % de satisfaction pour"),
    (SAT, {"operator": "MSA"}, 88, 1429, "88 % pour le site Internet de la CCMSA"),
    (SAT, {"service": "Changement d'adresse en ligne"}, 85, 1423, "(85 % en 2018)"),
    (SAT, {"operator": "CNAV", "population": "Retraités"}, 93, 1434, "86 et 93 % de satisfaits"),
    ("cnaf_nord_survey_simulator_journey", {"unit": "percent"}, 42, 1444, "42 % des personnes accueillies"),
    ("cnaf_nord_survey_simulator_journey", {"indicator": "Nombre d'étapes du parcours"}, 17, 1457,
     "(17 étapes et 14 minutes)"),
    (OBS, {"procedure": "Demande d'allocation logement en ligne"}, 17, 1510, "6 Non Avenir 17 v"),
    (OBS, {"procedure": "Demande de prime d'activité"}, 4, 1518, "6 Non Avenir 4 v"),
    (OBS, {"operator": "CNAV"}, 1, 1524, "Partlel 2 Oul Avenlr 1 v"),
    (CERFA, {"operator": "CNAF", "teleservice": "AF", "indicator": CRITERIA}, 77, 1828,
     "74% 74% 74% 66% 66% 74% 77% 74% 51%"),
    (CERFA, {"operator": "CNAM", "teleservice": "Carte Vitale", "indicator": ACCESS}, 100, 1830,
     "satisfaits 100% 100% 100% 33%"),
    (CERFA, {"operator": "Pôle emploi", "teleservice": "Actualisation", "indicator": ACCESS}, 66, 1830,
     "ND ND 66% 66%|"),
    ("nontakeup_rsa_cmuc_pregnancy_flows", {"flow": "Certificat de grossesse (CPAM) → CAF"}, 20, 1915,
     "moins de 20 % des déclarations"),
    ("mesdroitssociaux_portal_visits", {"period": "2018"}, 447000, 1934, "447.000 en"),
    ("mesdroitssociaux_portal_visits", {"period": "Juillet 2017"}, 83.4, 1953, "83,4 %"),
    ("mediation_digital_safe_experiment", {"indicator": "Habitants des territoires couverts"}, 3700000, 2097,
     "3,7 millions"),
    ("mediation_digital_safe_experiment", {"indicator": "Coffres-forts ouverts"}, 950, 2116, "950 coffres-ouverts"),
    ("mediation_digital_safe_experiment",
     {"indicator": "Taux d'activation des coffres-forts ouverts par le CCAS d'Angers"}, 25, 2118, "25 % des 96 CFN"),
    ("mediation_digital_safe_experiment",
     {"indicator": "Répondants ayant partagé leurs documents au moins une fois"}, 10, 2128, "seuls 10 % des"),
]


@pytest.mark.parametrize("dataset_id, where, expected, line, printed", SPOT_CHECKS)
def test_spot_check(dataset_id, where, expected, line, printed):
    spot_check(dataset_id, where, expected, line, printed)


def test_cerfa_layout_matches_header():
    # Tableau 6 header: CNAM 3 services, CAF 5, CCMSA 7, Pôle emploi 2 = 17 columns per row
    frame = load(CERFA)
    for indicator in (CRITERIA, ACCESS):
        rows = frame[frame["indicator"] == indicator]
        assert rows.groupby("operator").size().to_dict() == {"CNAM": 3, "CNAF": 5, "MSA": 7, "Pôle emploi": 2}


def test_cerfa_range_matches_text():
    # ¶[76]: "le taux de satisfaction aux 35 critères s'établit entre 51 et 77 %"
    crit = load(CERFA)
    crit = crit[crit["indicator"] == CRITERIA]["value"]
    assert (crit.min(), crit.max()) == (51, 77)


def test_cerfa_msa_penalised_by_non_answers():
    # ¶[76]: the CCMSA results are the lowest (non-answers); its accessibility cells are printed ND
    frame = load(CERFA)
    msa = frame[frame["operator"] == "MSA"]
    others = frame[(frame["operator"] != "MSA") & (frame["indicator"] == CRITERIA)]
    assert msa[msa["indicator"] == CRITERIA]["value"].max() < others["value"].min()
    assert msa[msa["indicator"] == ACCESS]["value"].isna().all()


def test_cerfa_only_cnam_at_full_accessibility():
    # ¶[78]: "Seuls les télé services de la CNAM affichent un score de 100 % sur ces trois critères"
    frame = load(CERFA)
    acc = frame[frame["indicator"] == ACCESS]
    assert set(acc.loc[acc["value"] == 100, "operator"]) == {"CNAM"}
    assert (acc.loc[acc["operator"] == "CNAM", "value"] == 100).all()


def test_observatory_reentry_order_matches_text():
    # ¶[71]: DLNUF insufficient "pour les demandes de RSA, PPA et surtout APL"; the others re-ask little
    apl = value_of(OBS, procedure="Demande d'allocation logement en ligne")
    rsa = value_of(OBS, procedure="Demande de Revenu de Solidarité Active (RSA)")
    ppa = value_of(OBS, procedure="Demande de prime d'activité")
    frame = load(OBS)
    others = frame[frame["operator"].isin(["CNAV", "CNAM"])]["value"].dropna()
    assert apl > rsa > ppa > others.max()


def test_site_satisfaction_threshold_discrepancy():
    # ¶[63] says the site satisfaction scores are "supérieurs à 90 %", but its own footnote 34 gives
    # 88 % for the CCMSA site: both are kept. caf.fr and ameli are above the threshold, MSA below.
    threshold = value_of(SAT, operator="Ensemble des opérateurs")
    sites = load(SAT)
    sites = sites[sites["service"].str.startswith("Site") & sites["indicator"].str.startswith("Personnes satisfaites")]
    assert len(sites) == 3
    assert threshold == 90
    assert set(sites.loc[sites["value"] < threshold, "operator"]) == {"MSA"}


def test_audit_and_comedec_counts_are_nested():
    # ¶[21]: 22 attestations "parmi lesquels" the 106 declarations, among 602 services;
    # footnote 31: 211 of the 300 COMEDEC conventions were signed by communes with a maternity ward
    ds = "accessibility_disability_rgaa_audit"
    inspected = value_of(ds, indicator="Services en ligne inspectés")
    declared = value_of(ds, indicator="Services présentant une déclaration de conformité au RGAA")
    attested = value_of(ds, indicator="Services présentant une attestation de conformité au RGAA")
    assert attested < declared < inspected
    ds = "comedec_civil_registry_conventions"
    assert (value_of(ds, indicator="Conventions signées par des communes ayant une maternité")
            < value_of(ds, indicator="Conventions COMEDEC signées"))


def test_portal_visits_grow():
    # ¶[89]: "sa fréquentation est en progression sensible depuis son ouverture"
    visits = load("mesdroitssociaux_portal_visits")
    visits = visits[visits["indicator"] == "Visites du portail"]["value"].tolist()
    assert visits == sorted(visits) and len(visits) == 3


def test_bounds_are_ordered():
    ds = "nontakeup_rsa_cmuc_pregnancy_flows"
    flow = "Demande de RSA (CAF) → CMU-C (CPAM)"
    assert value_of(ds, flow=flow, bound="min") < value_of(ds, flow=flow, bound="max")


def test_unreadable_cells_are_empty_with_a_reason():
    # cells the OCR lost or the report left unmeasured stay empty, each with a note
    for ds, count in ((OBS, 3), (CERFA, 7), ("mediation_digital_safe_experiment", 1)):
        frame = load(ds)
        empty = frame[frame["value"].isna()]
        assert len(empty) == count, ds
        assert (empty["note"].str.len() > 0).all(), ds
