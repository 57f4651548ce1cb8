"""The catalog and the report files agree, and follow data/README.md."""

import csv
import re

import pytest

from explorer import catalog, settings

CAT = catalog.read_catalog()
# A value as data/README.md writes it: a plain decimal with a dot, or empty (never "1 234,5", "nan", "1e3").
PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _raw_rows(dataset_id: str) -> list[dict[str, str]]:
    """A report CSV as the file holds it: every cell the exact text, before any reader converts it."""
    with open(settings.REPORT_DIR / f"{dataset_id}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _header(dataset_id: str) -> list[str]:
    with open(settings.REPORT_DIR / f"{dataset_id}.csv", newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


WITH_BOUNDS = [ds for ds in CAT["dataset_id"] if "bound" in _header(ds)]


def test_catalog_and_files_agree():
    problems = catalog.check()
    assert not problems, "\n".join(map(str, problems))


def test_every_csv_is_catalogued_and_every_dataset_present():
    files = {p.stem for p in settings.REPORT_DIR.glob("*.csv")}
    assert files == set(CAT["dataset_id"])


@pytest.mark.parametrize("dataset_id", list(CAT["dataset_id"]))
def test_dataset_values_are_plain_numbers_and_mostly_present(dataset_id):
    values = [row["value"] for row in _raw_rows(dataset_id)]
    odd = [v for v in values if v != "" and not PLAIN_NUMBER.match(v)]
    assert not odd, f"values not written as plain decimals: {odd[:5]}"
    assert any(values), "a dataset with no readable value should not exist"


@pytest.mark.parametrize("dataset_id", WITH_BOUNDS)
def test_printed_ranges_are_in_order(dataset_id):
    frame = catalog.read_dataset(dataset_id)
    others = [c for c in catalog.dimensions(frame) if c != "bound"]
    ranges = frame[frame["bound"].isin(["min", "max"])]
    checked = 0
    for key, group in ranges.groupby(others) if others else [((), ranges)]:
        bounds = dict(zip(group["bound"], group["value"]))
        # "moins de 20 %" is a lone `max`; a printed range has both, in order.
        if set(bounds) == {"min", "max"} and group["value"].notna().all():
            assert bounds["min"] < bounds["max"], (key, bounds)
            checked += 1
    assert checked, "a `bound` column is for printed ranges: at least one min/max pair"


# --- catalog.check: one bad fixture per rule ------------------------------------------------------

GOOD_ROW = {"dataset_id": "cnaf_toy_by_year", "annex": "3", "label": "Tableau 4", "title": "Un titre",
            "operator": "CNAF", "theme": "channel_contacts", "unit": "count", "source_lines": "62; 198-200",
            "notes": ""}
GOOD_CSV = "year,value\n2017,1\n2018,2.5\n"


def _check(tmp_path, rows=(GOOD_ROW,), files=None, header=catalog.CATALOG_COLUMNS) -> list[str]:
    """catalog.check on a catalog of `rows` and report files {stem: text} written under tmp_path."""
    report = tmp_path / "report"
    report.mkdir()
    files = {GOOD_ROW["dataset_id"]: GOOD_CSV} if files is None else files
    for stem, text in files.items():
        (report / f"{stem}.csv").write_text(text, encoding="utf-8")
    path = tmp_path / "catalog.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return [str(p) for p in catalog.check(path, report)]


def test_a_good_fixture_passes(tmp_path):
    assert _check(tmp_path) == []


BAD_ROWS = [  # (field, bad value, the problem reported)
    ("dataset_id", "Cnaf-Toy", "Cnaf-Toy: dataset_id must match [a-z][a-z0-9_]*"),
    ("annex", "12", "annex '12' is not an integer 1-9"),
    ("annex", "0", "annex '0' is not an integer 1-9"),
    ("annex", "III", "annex 'III' is not an integer 1-9"),
    ("label", "Tab 4", "label 'Tab 4' is not 'Tableau N'"),
    ("operator", "CAF", "operator 'CAF' not in"),
    ("theme", "misc", "theme 'misc' not in"),
    ("unit", "kg", "unit 'kg' not in"),
    ("source_lines", "l. 62", "source_lines 'l. 62' is not like"),
    ("title", "  ", "empty title"),
]


@pytest.mark.parametrize("field, bad, expected", BAD_ROWS, ids=[f"{f}={b}" for f, b, _ in BAD_ROWS])
def test_each_catalog_rule_reports_its_row(tmp_path, field, bad, expected):
    row = {**GOOD_ROW, field: bad}
    files = {row["dataset_id"]: GOOD_CSV}
    problems = _check(tmp_path, [row], files)
    assert len(problems) == 1 and expected in problems[0], problems
    assert problems[0].startswith(f"{row['dataset_id']}: ")


def test_a_duplicate_dataset_id_is_reported_once(tmp_path):
    assert _check(tmp_path, [GOOD_ROW, GOOD_ROW]) == ["cnaf_toy_by_year: duplicate dataset_id"]


def test_a_missing_catalog_column_stops_the_check(tmp_path):
    header = [c for c in catalog.CATALOG_COLUMNS if c != "unit"]
    assert _check(tmp_path, header=header) == ["catalog: missing columns ['unit']"]


def test_a_missing_file_and_an_orphan_file(tmp_path):
    problems = _check(tmp_path, files={"orphan_by_year": GOOD_CSV})
    assert problems == ["cnaf_toy_by_year: file cnaf_toy_by_year.csv is missing",
                        "orphan_by_year: CSV file has no catalog row"]


BAD_FILES = [  # (name, CSV text, catalog unit, the problem reported)
    ("unreadable", "year,value\n2017,1\n2018,2,3,4\n", "count", "unreadable CSV"),
    ("no value column", "year,amount\n2017,1\n", "count", "no `value` column"),
    ("no rows", "year,value\n", "count", "no rows"),
    ("French decimal", 'year,value\n2017,"2,5"\n', "count", "non-numeric values ['2,5']"),
    ("no dimension", "value\n1\n", "count", "no dimension column"),
    ("camel case dimension", "Year,value\n2017,1\n", "count", "dimension column 'Year' must be snake_case"),
    ("duplicate rows", "year,value\n2017,1\n2017,2\n", "count", "duplicate rows for the same dimension values"),
    ("empty value without a note", "year,value\n2017,\n2018,2\n", "count",
     "empty values need a `note` column saying why"),
    ("mixed without unit column", GOOD_CSV, "mixed", "unit 'mixed' needs a `unit` column in the CSV"),
    ("mixed with an unknown unit", "year,unit,value\n2017,count,1\n2018,kg,2\n", "mixed",
     "row units ['kg'] not in the vocabulary"),
    ("unit column when not mixed", "year,unit,value\n2017,count,1\n", "count",
     "a `unit` column is only allowed when the catalog unit is 'mixed'"),
]


@pytest.mark.parametrize("text, unit, expected", [case[1:] for case in BAD_FILES],
                         ids=[case[0] for case in BAD_FILES])
def test_each_file_rule_reports_its_dataset(tmp_path, text, unit, expected):
    problems = _check(tmp_path, [{**GOOD_ROW, "unit": unit}], {GOOD_ROW["dataset_id"]: text})
    assert len(problems) == 1 and problems[0].startswith(f"cnaf_toy_by_year: {expected}"), problems


def test_an_empty_value_with_a_note_is_accepted(tmp_path):
    text = "year,value,note\n2017,,illisible dans le rapport\n2018,2,\n"
    assert _check(tmp_path, files={GOOD_ROW["dataset_id"]: text}) == []
