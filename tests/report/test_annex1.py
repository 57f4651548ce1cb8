"""Annexe 1 (revue de littérature): spot checks against the seed text, printed totals and consistency."""

import pytest

from tests.report.checks import assert_sums, load, spot_check, value_of

TRAINING = "survey_digital_training_by_user_group"
GROUPS = ["Intégrés", "Groupe intermédiaire", "Éloignés"]
MODES = ["Autodidacte", "Formation continue", "Formation familiale", "Formation initiale",
         "Formation par des collègues ou amis"]

SPOT_CHECKS = [
    # (dataset_id, where, expected value, seed line, text as printed there)
    ("survey_smartphone_capacity_profiles",
     {"indicator": "Possession d'un smartphone", "population": "Ensemble des Français"}, 75, 62, "2018), 75 %"),
    ("survey_smartphone_capacity_profiles",
     {"indicator": "Part dans la population", "population": "Hyperconnectés"}, 31, 199, "31 % et 38 %"),
    ("survey_smartphone_capacity_profiles",
     {"indicator": "Part dans la population", "population": "Distants"}, 14, 200, "17 % et 14 % de la population"),
    ("survey_nonusers_equipment_by_income",
     {"indicator": "Non-usagers volontaires (« réfractaires »)"}, 3, 229, "3 % de la population"),
    ("survey_nonusers_equipment_by_income",
     {"indicator": "Expriment le sentiment de l'inutilité d'internet"}, 68, 233, "68 % des plus de 60 ans"),
    ("survey_nonusers_equipment_by_income",
     {"indicator": "Possession d'un téléphone mobile"}, 94, 244, "mobile (94 %)"),
    ("survey_nonusers_equipment_by_income",
     {"indicator": "Possession d'un ordinateur", "population": "Bas revenus"}, 66, 249,
     "66 % pour celles a bas revenus"),
    (TRAINING, {"user_group": "Ensemble", "measure": "Part dans la population totale"}, 100, 361,
     "22% 53% 25% 100 %"),
    (TRAINING, {"user_group": "Groupe intermédiaire", "measure": "Autodidacte"}, 36, 364,
     "Autodidacte 43 % 36 % 23% 34 %"),
    (TRAINING, {"user_group": "Éloignés", "measure": "Formation familiale"}, 42, 366,
     "Formation familiale 11 % 20 % 42 % 24 %"),
    (TRAINING, {"user_group": "Ensemble", "measure": "Formation initiale"}, 16, 367,
     "Formation initiale 23 % 17 % 10 % 16 %"),
    ("survey_youth_insertion_equipment_gap", {"equipment": "Ordinateur"}, -20, 442, "-20 % pour"),
    ("survey_seniors_internet_use", {"indicator": "N'utilisent jamais internet", "age_group": "60 ans et plus"},
     27, 516, "27 % des 60 ans et plus"),
    ("survey_seniors_internet_use", {"indicator": "N'utilisent jamais internet", "age_group": "60-70 ans"},
     14, 517, "14 % pour les « jeunes » seniors"),
    ("survey_seniors_internet_use", {"indicator": "Isolés du cercle familial"}, 22, 583,
     "22 % des personnes de 60 ans et plus"),
    ("employment_internet_recruitment", {"indicator": "Part des recrutements mobilisant internet"}, 52, 538,
     "pour 52 % des recrutements"),
    ("employment_internet_recruitment", {"channel": "Diffusion presse"}, 17, 550,
     "17 % pour une diffusion presse"),
]


@pytest.mark.parametrize("dataset_id, where, expected, line, printed", SPOT_CHECKS)
def test_spot_check(dataset_id, where, expected, line, printed):
    spot_check(dataset_id, where, expected, line, printed)


def test_training_population_shares_total():
    # Tableau 2: the three groups' shares of the population add up to the printed Ensemble (100 %)
    assert_sums(TRAINING, "user_group", "Ensemble", measure="Part dans la population totale")


def test_training_ensemble_is_population_weighted_mean():
    # Tableau 2 prints no total row for the learning modes: the Ensemble column is the mean of the
    # three groups weighted by their population shares (within 1 point, all inputs are rounded).
    shares = {g: value_of(TRAINING, user_group=g, measure="Part dans la population totale") for g in GROUPS}
    for mode in MODES:
        mean = sum(shares[g] * value_of(TRAINING, user_group=g, measure=mode) for g in GROUPS) / 100
        assert mean == pytest.approx(value_of(TRAINING, user_group="Ensemble", measure=mode), abs=1.0), mode


def test_training_modes_cover_each_group():
    # each column of learning modes adds up to 100 % give or take the rounding of five values
    frame = load(TRAINING)
    modes = frame[frame["measure"].isin(MODES)]
    for group, rows in modes.groupby("user_group"):
        assert len(rows) == len(MODES)
        assert rows["value"].sum() == pytest.approx(100, abs=1.0), group


def test_capacity_profiles_cover_population():
    # ¶[16]: the four Capacity profiles partition the population (no printed total)
    frame = load("survey_smartphone_capacity_profiles")
    profiles = frame[frame["indicator"] == "Part dans la population"]
    assert len(profiles) == 4
    assert profiles["value"].sum() == pytest.approx(100)


def test_computer_ownership_rises_with_income():
    # ¶[22]: low-income 66 % < average 78 % < high-income 93 %
    ds = "survey_nonusers_equipment_by_income"
    low, avg, high = (value_of(ds, indicator="Possession d'un ordinateur", population=p)
                      for p in ("Bas revenus", "Ensemble", "Hauts revenus"))
    assert low < avg < high


def test_seniors_young_old_below_all_seniors():
    # ¶[58]: the 60-70 y.o. rate is lower than the 60+ rate (higher for the over-80s)
    ds = "survey_seniors_internet_use"
    assert (value_of(ds, indicator="N'utilisent jamais internet", age_group="60-70 ans")
            < value_of(ds, indicator="N'utilisent jamais internet", age_group="60 ans et plus"))
