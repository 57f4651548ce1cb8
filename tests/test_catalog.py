"""The catalog and the report files agree, and follow data/README.md."""

import pytest

from explorer import catalog, settings

CAT = catalog.read_catalog()


def test_catalog_and_files_agree():
    problems = catalog.check()
    assert not problems, "\n".join(map(str, problems))


def test_every_csv_is_catalogued_and_every_dataset_present():
    files = {p.stem for p in settings.REPORT_DIR.glob("*.csv")}
    assert files == set(CAT["dataset_id"])


@pytest.mark.parametrize("dataset_id", list(CAT["dataset_id"]))
def test_dataset_values_are_numeric_and_mostly_present(dataset_id):
    frame = catalog.read_dataset(dataset_id)
    assert frame["value"].dtype.kind == "f"
    assert frame["value"].notna().any(), "a dataset with no readable value should not exist"


def test_checker_reports_problems(tmp_path):
    report = tmp_path / "report"
    report.mkdir()
    (report / "bad_dataset.csv").write_text("year,value\n2018,abc\n2018,3\n", encoding="utf-8")
    (report / "orphan.csv").write_text("year,value\n2018,1\n", encoding="utf-8")
    cat = tmp_path / "catalog.csv"
    cat.write_text(",".join(catalog.CATALOG_COLUMNS) + "\n"
                   "bad_dataset,12,Tab 1,,CAF,misc,kg,x,\n", encoding="utf-8")
    messages = " | ".join(str(p) for p in catalog.check(cat, report))
    for expected in ("annex", "label", "operator", "theme", "unit", "source_lines", "empty title",
                     "non-numeric", "duplicate rows", "orphan: CSV file has no catalog row"):
        assert expected in messages


@pytest.mark.parametrize("dataset_id", list(CAT["dataset_id"]))
def test_printed_ranges_are_in_order(dataset_id):
    frame = catalog.read_dataset(dataset_id)
    if "bound" not in frame.columns:
        return
    others = [c for c in catalog.dimensions(frame) if c != "bound"]
    ranges = frame[frame["bound"].isin(["min", "max"])]
    for key, group in ranges.groupby(others) if others else [((), ranges)]:
        bounds = dict(zip(group["bound"], group["value"]))
        # "moins de 20 %" is a lone `max`; a printed range has both, in order.
        if set(bounds) == {"min", "max"} and group["value"].notna().all():
            assert bounds["min"] < bounds["max"], (key, bounds)
