"""Annexe 9 (aller vers les usagers, non-recours): spot checks against the seed text and printed totals."""

import pytest

from tests.report.checks import load, spot_check, value_of

RATES = "nontakeup_rates_by_benefit"
DM = "cnaf_datamining_text"
DMB = "cnaf_datamining_results_by_benefit"
STEPS = "cnav_aspa_targeting_steps"
PILOT = "cnav_aspa_phone_pilot_text"
T4 = "cnam_nontakeup_actions_by_action"
FIVE = "Cinq CARSAT participantes"

SPOT_CHECKS = [
    # (dataset_id, where, expected value, seed line, text as printed there)
    (RATES, {"benefit": "RSA", "bound": "valeur"}, 36, 7601, "RSA 36 %"),
    (RATES, {"benefit": "CMU-C", "bound": "max"}, 34, 7602, "Entre 21 et34 %"),
    (RATES, {"benefit": "ACS", "bound": "min"}, 57, 7603, "ACS Entre 57 et 70 %"),
    ("cnaf_nontakeup_estimates_text", {"indicator": "Taux de non-recours à la prime d'activité (DREES, enquête 2016)", "bound": "valeur"}, 26, 7609, "26 % (enquéte réalisée en 2016)"),
    ("cnaf_nontakeup_estimates_text", {"indicator": "Taux de non-recours parmi les allocataires déjà connus des CAF", "bound": "max"}, 8.2, 7614, "entre 7,5 % et 8,2 %"),
    ("nontakeup_causes_by_profile", {"cause": "Principe de l'aide dissuasif", "profile": "Personnes âgées (ASPA)"}, 3, 7687, "Principe de l'aide dissuasif +++"),
    ("nontakeup_contact_campaigns_text", {"operator": "CNAM", "indicator": "Envois mensuels moyens depuis 2016 : second volume cité", "bound": "valeur"}, 1200000, 7741, "1,2 millions de sms par mois"),
    ("nontakeup_contact_campaigns_text", {"operator": "CNAF", "indicator": "Adresses mail et numéros de portable connus des CAF", "bound": "max"}, 88, 7762, "comprise entre 81 et 88 %"),
    ("nontakeup_rdv_droits_text", {"organisation": "CAF du Gard", "indicator": "RDV des droits à l'origine desquels est une séparation"}, 50, 7803, "a l'origine de 50 % des RDV des droits"),
    ("nontakeup_rdv_droits_text", {"organisation": "CAF du Nord", "indicator": "RDV des droits élargis réalisés (2017)"}, 309, 7835, "attendus pour 309 RDV réalisés"),
    ("nontakeup_rdv_droits_text", {"organisation": "Pôle emploi - CNAF (national)", "indicator": "Objectif de RDV des droits élargis (2017)"}, 6000, 7834, "réalisation de 6000 RDV"),
    (DM, {"indicator": "Allocataires de la CAF de Gironde ne bénéficiant pas de toutes leurs prestations (étude 2017)", "bound": "min"}, 10.2, 7942, "entre 10,2 et 14,2 %"),
    (DM, {"indicator": "Non-recours identifiés : renonciation à solliciter le droit", "bound": "valeur"}, 38, 7950, "38 % ont renoncé"),
    (DM, {"indicator": "Allocataires contactés", "bound": "valeur"}, 12160, 7981, "12.160 allocataires"),
    (DM, {"indicator": "Personnes contactées par téléphone ayant obtenu un droit", "bound": "valeur"}, 20.6, 7984, "(20,6 % des personnes contactées"),
    (DMB, {"benefit": "PPA", "measure": "Droits ouverts parmi les non-recours identifiés"}, 49, 7957, "PPA 49 % 167 € 275 €"),
    (DMB, {"benefit": "ASF", "measure": "Montant moyen du rappel"}, 1734, 7967, "Asf 21% 171 € 1734 €"),
    (DMB, {"benefit": "AJPP ou AEEH", "measure": "Montant mensuel moyen des droits ouverts"}, 403, 7973, "Ajpp ou Aeeh 4% 403 € 983 €"),
    ("cnav_aspa_targeting_text", {"indicator": "Assurés de la sous-population bénéficiant déjà de l'ASPA"}, 195120, 8001, "195.120"),
    (STEPS, {"step": "2 - Mono-pensionnés, vivant seuls, non assujettis à la CSG, titulaires d'un droit propre, résidant en France"}, 1730970, 8012, "1730970 prestataires"),
    (STEPS, {"step": "4 - Potentiellement éligibles à 100 € d'ASPA, au moins un an de service, moins de 75 ans, au moins un an de plus que l'âge minimal"}, 50894, 8032, "50 894 prestataires"),
    (PILOT, {"caisse": FIVE, "indicator": "Assurés ayant accepté d'échanger"}, 237, 8061, "237 assurés ont accepté"),
    (PILOT, {"caisse": FIVE, "indicator": "Appels effectués"}, 493, 8059, "les 493 appels réalisés"),
    (PILOT, {"caisse": "CARSAT de Rouen", "indicator": "ASPA attribuées"}, 14, 8072, "14 ASPA ont été attribuées"),
    (PILOT, {"caisse": "Bénéficiaires du minimum vieillesse (enquête BMS, DREES)", "indicator": "Sans logement propre"}, 27, 8110, "27 % des bénéficiaires du minimum vieillesse"),
    ("nontakeup_rdv_droits_efficiency_text", {"organisation": "MSA", "indicator": "RDV des droits"}, 140, 8148, "(65/140)"),
    ("nontakeup_rdv_droits_efficiency_text", {"organisation": "CAF", "indicator": "Bénéficiaires d'un RDV des droits déclarant avoir obtenu au moins un droit nouveau"}, 50, 8147, "50 % des bénéficiaires"),
    (T4, {"department": "Département 1", "action": "2 - Envoi d'un dossier CMU-C / ACS aux demandeurs d'une aide financière au titre de l'action sanitaire et sociale", "year": "2014", "measure": "Personnes touchées"}, 650, 8183, "Environ 650 dossiers passés"),
    (T4, {"department": "Département 2", "action": "6 - Assurés dont la CMU-C est périmée depuis 8 jours sans demande de renouvellement", "year": "2015", "measure": "Droits ouverts"}, 75, 8233, "Environ 75 accords"),
    (T4, {"department": "Département 2", "action": "9 - Campagnes d'information auprès d'assurés potentiellement éligibles à l'ACS", "year": "2015", "measure": "Droits ouverts"}, 36, 8257, "36 accords pour une ACS"),
    (T4, {"department": "Département 2", "action": "10 - Promotion de l'ACS auprès des nouveaux retraités", "year": "2015", "measure": "Personnes touchées"}, 270, 8262, "Prés de 270 retraités"),
]


@pytest.mark.parametrize("dataset_id, where, expected, line, printed", SPOT_CHECKS)
def test_spot_check(dataset_id, where, expected, line, printed):
    spot_check(dataset_id, where, expected, line, printed)


def test_aspa_rate_is_not_a_number():
    # Tableau 1 prints « Élevé » for the ASPA: no figure to store
    frame = load(RATES)
    assert frame.loc[frame["benefit"] == "ASPA", "value"].isna().all()


def test_causes_scores_are_ordinal():
    # Tableau 2: scores are numbers of « + » (1-3); only one cell could be aligned with its column
    values = load("nontakeup_causes_by_profile")["value"].dropna()
    assert values.between(1, 3).all() and len(values) == 1


def test_datamining_outcomes_add_up():
    # CNAF box: 40 % opened + 22 % not confirmed + 38 % declined = 100 identified cases
    outcomes = [value_of(DM, indicator=f"Non-recours identifiés : {o}", bound="valeur")
                for o in ("droit ouvert", "droit non confirmé par l'étude du dossier", "renonciation à solliciter le droit")]
    assert sum(outcomes) == 100


def test_datamining_range_matches_the_body_text():
    # ¶[4] and the CNAF box give the same 7,5 - 8,2 % non-take-up range among allocataires
    for bound in ("min", "max"):
        assert value_of(DM, indicator="Taux de non-recours parmi les allocataires", bound=bound) == value_of(
            "cnaf_nontakeup_estimates_text", indicator="Taux de non-recours parmi les allocataires déjà connus des CAF", bound=bound)


def test_aspa_targeting_funnel():
    # Graphique 1: each step is a subset of the previous one; ¶[29] rounds steps 2 and 4 (1,7 M; près de 51 000)
    steps = load(STEPS)["value"].tolist()
    assert steps == sorted(steps, reverse=True) and len(steps) == 4
    text = "cnav_aspa_targeting_text"
    pre_targeted = value_of(text, indicator="Sous-population pré-ciblée (mono-pensionnés du régime général vivant seuls, "
                                            "titulaires d'un droit propre, résidant en France, non assujettis à la CSG)")
    assert round(steps[1] / 1e5) * 1e5 == pre_targeted
    assert steps[3] < value_of(text, indicator="Liste finale de bénéficiaires potentiels") and round(steps[3], -3) == 51000
    assert value_of(PILOT, caisse=FIVE, indicator="Dossiers sélectionnés par le ciblage") == steps[3]


def test_aspa_phone_pilot_rates_and_outcomes():
    # ¶[31]: 49 % = 116 / 237 (printed); ¶[32]: outcomes of Nancy and Rouen fit within their positive contacts
    positive = value_of(PILOT, caisse=FIVE, indicator="Contacts aboutis positifs (RDV en agence, formulaire ou rappel)")
    accepted = value_of(PILOT, caisse=FIVE, indicator="Assurés ayant accepté d'échanger")
    assert round(100 * positive / accepted) == value_of(PILOT, caisse=FIVE, indicator="Taux de contacts aboutis positifs")
    assert accepted < value_of(PILOT, caisse=FIVE, indicator="Appels effectués")
    frame = load(PILOT)
    for caisse in ("CARSAT de Nancy", "CARSAT de Rouen"):
        rows = frame[frame["caisse"] == caisse].set_index("indicator")["value"]
        assert rows.drop("Contacts aboutis positivement").sum() <= rows["Contacts aboutis positivement"]
    assert (value_of(PILOT, caisse="CARSAT de Nancy", indicator="Contacts aboutis positivement")
            + value_of(PILOT, caisse="CARSAT de Rouen", indicator="Contacts aboutis positivement")) <= positive


def test_tableau4_rights_never_exceed_people_reached():
    frame = load(T4)
    for (dept, action), group in frame.groupby(["department", "action"]):
        rows = group.set_index("measure")["value"]
        if {"Personnes touchées", "Droits ouverts"} <= set(rows.index) and rows[["Personnes touchées", "Droits ouverts"]].notna().all():
            assert rows["Droits ouverts"] <= rows["Personnes touchées"], (dept, action)


def test_tableau4_unreadable_cells_are_empty_with_a_reason():
    frame = load(T4)
    empty = frame[frame["value"].isna()]
    assert len(empty) == 5 and (empty["note"].str.len() > 0).all()
