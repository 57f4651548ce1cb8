"""A missing prerequisite (Chromium, the seed text) skips with its reason, or fails in CI."""

import pytest

from explorer import settings
from tests import prerequisites
from tests.report import checks

# annexe 1: « 75 % » of the French own a smartphone (CREDOC 2018), seed line 62
SMARTPHONE = ("survey_smartphone_capacity_profiles",
              {"indicator": "Possession d'un smartphone", "population": "Ensemble des Français"})


@pytest.fixture
def no_seed(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "SEED_TEXT", tmp_path / "absent.txt")
    checks._seed_lines.cache_clear()
    yield
    checks._seed_lines.cache_clear()


@pytest.mark.parametrize("ci", ["", "false"])
def test_outside_ci_a_missing_prerequisite_skips_with_its_reason(monkeypatch, ci):
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception, match="chromium is absent"):
        prerequisites.missing("chromium is absent")


@pytest.mark.parametrize("ci", ["true", "TRUE", "1"])
def test_in_ci_a_missing_prerequisite_fails_with_its_reason(monkeypatch, ci):
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match="CI=true and a test prerequisite is missing: chromium"):
        prerequisites.missing("chromium is absent")


def test_without_the_seed_a_spot_check_checks_the_csv_then_skips(no_seed, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    dataset_id, where = SMARTPHONE
    with pytest.raises(pytest.skip.Exception, match="absent.txt is absent"):
        checks.spot_check(dataset_id, where, 75, 62, "2018), 75 %")
    with pytest.raises(AssertionError):
        checks.spot_check(dataset_id, where, 76, 62, "2018), 75 %")


def test_without_the_seed_a_spot_check_fails_in_ci(no_seed, monkeypatch):
    monkeypatch.setenv("CI", "true")
    dataset_id, where = SMARTPHONE
    with pytest.raises(pytest.fail.Exception, match="seed text"):
        checks.spot_check(dataset_id, where, 75, 62, "2018), 75 %")
