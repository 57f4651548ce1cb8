"""Annexe 7 (Pôle emploi): spot checks against the seed text, printed totals, cross-checks."""

import pytest

from tests.report.checks import assert_sums, load, spot_check, value_of

CONV = "Conventions de partenariat signées avec des MSAP"
ZONE = "ETPT d'animation des zones de libre accès et d'assistance aux e-bornes"
NB, TX = "Nombre total de procédures", "Taux de dématérialisation"
CONTACTS = "pe_contacts_by_channel_year"
MAIL_ITEM = "Réception d'information par mail"
LETTER_ITEM = "Réception des courriers Pôle emploi dans son espace personnel"

SPOT_CHECKS = [
    # (dataset_id, where, expected value, seed line, text as printed there)
    ("pe_network_and_partnerships", {"indicator": "Agences Pôle emploi", "breakdown": ""}, 851, 5776,
     "851 agences et 45 points relais"),
    ("pe_network_and_partnerships", {"indicator": CONV, "breakdown": "Total"}, 1008, 5812, "1 008 conventions"),
    ("pe_network_and_partnerships", {"indicator": CONV, "breakdown": "Portées par La Poste"}, 446, 5812,
     "dont 446 portées par La"),
    ("pe_phone_email_service_levels", {"indicator": "Courriel : engagement de délai de réponse"}, 72, 5906,
     "dans les 72 heures"),
    ("pe_phone_email_service_levels",
     {"indicator": "MEVO : durée d'attente estimée à partir de laquelle un rappel est proposé"}, 3, 5889,
     "supérieure ou égale a 3 minutes"),
    ("pe_ebornes_and_services", {"indicator": "E-bornes installées dans les zones de libre-service"}, 7853, 5921,
     "7 853 e-bornes"),
    ("pe_staff_and_contact_volumes", {"indicator": ZONE, "breakdown": "Volontaires du service civique"}, 1327, 6094,
     "1327 ETPT de volontaires"),
    ("pe_staff_and_contact_volumes",
     {"indicator": "ETPT de relation de 1er niveau par téléphone, courriels et courriers (2018)", "breakdown": ""},
     7656, 6098, "7656 ETPT en 2018"),
    (CONTACTS, {"year": 2017, "channel": "Application mobile", "detail": "Applications mobiles"}, 112595910, 6114,
     "[ 112595910 |"),
    (CONTACTS, {"year": 2018, "channel": "Courrier", "detail": "Courriers papier"}, 61795871, 6120, "| 61795871"),
    (CONTACTS, {"year": 2015, "channel": "Courriel", "detail": "Courriels sortants"}, 58399912, 6116,
     "Mails Sortants ND 58399912"),
    (CONTACTS, {"year": 2014, "channel": "Téléphone", "detail": "3949"}, 59325312, 6117, "3949 59 325312"),
    (CONTACTS, {"year": 2016, "channel": "Site internet", "detail": "dont e-bornes"}, 27043831, 6113,
     "37149278 | 27043831 |"),
    ("population_users_by_operator", {"operator": "CNAM"}, 61000000, 6129, "61,0 millions"),
    ("population_users_by_operator", {"operator": "Pôle emploi"}, 5500000, 6127, "(5,5 millions de demandeurs inscrits"),
    ("pe_claims_dematerialisation_by_year", {"procedure": "Inscription", "measure": TX, "year": 2016}, 71, 6140,
     "36 % 45 % 71 % 77 % 80 %"),
    ("pe_claims_dematerialisation_by_year", {"procedure": "Actualisation", "measure": NB, "year": 2017}, 76174647,
     6142, "| 76174 647 |"),
    ("pe_claims_dematerialisation_by_year", {"procedure": "Inscription", "measure": NB, "year": 2015}, 7890087, 6137,
     "7890087 | 8798168"),
    ("pe_dematerialisation_rate_by_age_2018", {"age_group": "Plus de 50 ans", "procedure": "Actualisation"}, 82, 6159,
     "+50 73% 82 %"),
    ("pe_dematerialisation_rate_by_age_2018", {"age_group": "Moins de 25 ans", "procedure": "Inscription"}, 88, 6157,
     "-25 ans 88 % 97 %"),
    ("pe_postal_mail_choice_montelimar", {"document_type": "Courriers"}, 19, 6165, "prés de 19 % des demandeurs"),
    ("pe_digital_consent_montelimar", {"item": MAIL_ITEM, "consent": "Oui"}, 10137, 6176, "par mail 10137 698 89 366"),
    ("pe_digital_consent_montelimar", {"item": LETTER_ITEM, "consent": "Non"}, 2061, 6174, "8700 2061 163 366"),
    ("pe_channel_trends_2014_2018", {"indicator": "Courriels", "period": "2018"}, 35000000, 6193,
     "35,0 millions de contacts en 2018"),
    ("pe_phone_calls_by_reason", {"year": 2018, "reason": "Indemnisation + spectacle"}, 11248396, 6215,
     "8 506 646 11248 396"),
    ("pe_phone_calls_by_reason", {"year": 2015, "reason": "Actualisation"}, 21959759, 6213,
     "Tel/ Actualisation 21959 759"),
    ("pe_satisfaction_august_2019", {"period": "Août 2019"}, 77.0, 6234, "77,0 % sur les thématiques"),
    ("pe_satisfaction_general_by_month", {"series": "Résultat", "year": 2019, "month": "Août"}, 77.0, 6243,
     "76,1% 77,0%"),
    ("pe_satisfaction_general_by_month", {"series": "Objectif", "year": 2019, "month": "Mars"}, 73.0, 6242,
     "Objectif 2019 73,0% 73,0%"),
    ("pe_satisfaction_general_by_month", {"series": "Résultat", "year": 2017, "month": "Janvier"}, 71.2, 6245,
     "2017 71.2% 70,8%"),
    ("pe_satisfaction_allowances_by_month", {"series": "Résultat", "year": 2018, "month": "Mars"}, 75.6, 6251,
     "2018 73,2% 74,8% 75,6%"),
    ("pe_satisfaction_allowances_by_month", {"series": "Résultat", "year": 2017, "month": "Octobre"}, 71.1, 6252,
     "72,2% 71,1%"),
    ("pe_phone_quality_indicators", {"indicator": "Taux de décroché", "year": 2019}, 78.9, 6287,
     "Taux de décroché (2019) : 78,9 %"),
    ("pe_phone_quality_indicators", {"indicator": "Taux de réitération", "year": 2019}, 15.2, 6292, "(2019) : 15,2 %"),
]


@pytest.mark.parametrize("dataset_id, where, expected, line, printed", SPOT_CHECKS)
def test_spot_check(dataset_id, where, expected, line, printed):
    spot_check(dataset_id, where, expected, line, printed)


def _contacts(year: int, channel: str, detail: str) -> float:
    return value_of(CONTACTS, year=year, channel=channel, detail=detail)


# --- ¶[13]: MSAP conventions ----------------------------------------------------------------------

def test_msap_conventions_known_discrepancy():
    # ¶[13] prints 1 008 conventions "dont 446 portées par La Poste et 553 par une collectivité":
    # the two named carriers add up to 999, nine short of the printed total. Both are kept.
    total = value_of("pe_network_and_partnerships", indicator=CONV, breakdown="Total")
    parts = (value_of("pe_network_and_partnerships", indicator=CONV, breakdown="Portées par La Poste")
             + value_of("pe_network_and_partnerships", indicator=CONV, breakdown="Portées par une collectivité"))
    assert total == 1008 and parts == 999


# --- ¶[27]: ETPT ----------------------------------------------------------------------------------

def test_self_service_staff_total():
    # 1 327 civic volunteers + 927 advisers = 2 254 ETPT
    assert_sums("pe_staff_and_contact_volumes", "breakdown", "Total", indicator=ZONE)


# --- Tableau 2 vs ¶[29], ¶[37]-[39] ---------------------------------------------------------------

def _incoming_excluding_mail(year: int) -> float:
    # ¶[29] counts contacts "hors courrier": site (e-bornes included in it), apps, incoming e-mails, 3949, visits
    return (_contacts(year, "Site internet", "Ensemble du site")
            + _contacts(year, "Application mobile", "Applications mobiles")
            + _contacts(year, "Courriel", "Courriels entrants")
            + _contacts(year, "Téléphone", "3949")
            + _contacts(year, "Accueil physique", "Visites des demandeurs d'emploi"))


def test_contacts_match_paragraph_29():
    total_2018 = _incoming_excluding_mail(2018)
    assert abs(total_2018 - value_of("pe_staff_and_contact_volumes",
                                     indicator="Contacts entrants (2018, hors courrier)", breakdown="")) < 10e6
    growth = (total_2018 / _incoming_excluding_mail(2014) - 1) * 100
    assert round(growth) == value_of("pe_staff_and_contact_volumes",
                                     indicator="Évolution des contacts entrants en 4 ans (2014-2018)", breakdown="")


def test_ebornes_are_part_of_site():
    for year in range(2014, 2019):
        assert _contacts(year, "Site internet", "dont e-bornes") < _contacts(year, "Site internet", "Ensemble du site")


def test_visits_trend_matches_paragraph_37():
    def visits(year):
        return (_contacts(year, "Accueil physique", "Visites des demandeurs d'emploi")
                + _contacts(year, "Site internet", "dont e-bornes"))
    indicator = "Visites en agence, utilisation des e-bornes incluse"
    assert round(visits(2018) / 1e6) * 1e6 == value_of("pe_channel_trends_2014_2018", indicator=indicator,
                                                       period="2018")
    assert round((visits(2018) / visits(2014) - 1) * 100) == value_of(
        "pe_channel_trends_2014_2018", indicator=indicator, period="Évolution 2014-2018")


@pytest.mark.parametrize("year", [2014, 2018])
def test_emails_match_paragraph_38(year):
    printed = value_of("pe_channel_trends_2014_2018", indicator="Courriels", period=str(year))
    assert round(_contacts(year, "Courriel", "Courriels entrants") / 1e5) * 1e5 == printed


def test_phone_trend_matches_paragraph_39():
    change = _contacts(2018, "Téléphone", "3949") / _contacts(2014, "Téléphone", "3949") - 1
    assert round(change * 100) == value_of("pe_channel_trends_2014_2018", indicator="Recours au téléphone",
                                           period="Évolution 2014-2018")


# --- Tableau 5 vs ¶[34] ---------------------------------------------------------------------------

@pytest.mark.parametrize("item, document_type", [(LETTER_ITEM, "Courriers"), (MAIL_ITEM, "Informations générales")])
def test_postal_choice_matches_consent_table(item, document_type):
    # ¶[34]'s shares are 'non' / (oui + non + rétracté), Montélimar: 18,9 % ("près de 19 %") and 6,4 % ("6 %")
    answered = sum(value_of("pe_digital_consent_montelimar", item=item, consent=c)
                   for c in ("Oui", "Non", "Rétracté (bascule de oui à non)"))
    share = value_of("pe_digital_consent_montelimar", item=item, consent="Non") / answered * 100
    assert abs(share - value_of("pe_postal_mail_choice_montelimar", document_type=document_type)) < 0.5


def test_consent_rows_cover_the_same_population():
    frame = load("pe_digital_consent_montelimar")
    sums = frame.groupby("item")["value"].sum()
    assert sums.nunique() == 1 and sums.iloc[0] == 11290


# --- Tableaux 7-8 vs ¶[41] ------------------------------------------------------------------------

def test_august_2019_satisfaction_matches_table_7():
    assert value_of("pe_satisfaction_august_2019", period="Août 2019") == value_of(
        "pe_satisfaction_general_by_month", series="Résultat", year=2019, month="Août")


@pytest.mark.parametrize("dataset_id, target", [("pe_satisfaction_general_by_month", 73.0),
                                                ("pe_satisfaction_allowances_by_month", 74.4)])
def test_satisfaction_tables_shape(dataset_id, target):
    frame = load(dataset_id)
    results = frame[frame["series"] == "Résultat"]
    assert results.groupby("year")["value"].count().to_dict() == {"2017": 12, "2018": 12, "2019": 8}
    assert (frame.loc[frame["series"] == "Objectif", "value"] == target).all()
    assert results["value"].dropna().between(65, 80).all()  # repaired '731%'-style cells are back in range
