"""Chart planning and building for every catalogued dataset."""

import pandas as pd
import pytest

from explorer import catalog, charts
from explorer.formatting import fr_value

CAT = catalog.read_catalog()


def _frame(**columns):
    return pd.DataFrame(columns)


def test_plan_puts_time_on_the_axis_and_limits_series():
    frame = _frame(channel=["A", "A", "A", "B", "B", "B"] * 2, year=["2014", "2015", "2016"] * 4,
                   measure=["x"] * 6 + ["y"] * 6, value=range(12))
    axis, series, filters = charts.plan(frame)
    assert axis == "year" and len(series) == 1 and len(filters) == 1
    assert set(series + filters) == {"channel", "measure"}


def test_plan_prefers_months_within_years():
    frame = _frame(month=["Janvier", "Février", "Mars"] * 2, year=["2017"] * 3 + ["2018"] * 3, value=range(6))
    assert charts.plan(frame)[:2] == ("month", ["year"])


def test_series_of_very_different_sizes_get_a_filter_not_one_axis():
    frame = _frame(structure=["a", "b"] * 2, measure=["Structures"] * 2 + ["Public"] * 2,
                   value=[7000, 4500, 26_400_000, 653_905])
    assert charts.plan(frame) == ("structure", [], ["measure"])
    comparable = frame.assign(value=[7000, 4500, 12000, 9000])
    assert charts.plan(comparable) == ("structure", ["measure"], [])


def test_two_dates_are_paired_bars_not_lines():
    frame = _frame(reason=["a", "b", "c"] * 2, date=["2015"] * 3 + ["2018"] * 3, value=range(6))
    assert charts.plan(frame)[:2] == ("reason", ["date"])
    assert charts.dataset_chart(frame, "percent").to_dict()["layer"][0]["mark"]["type"] == "bar"


def test_years_are_drawn_in_numeric_order():
    frame = _frame(year=["2018", "2013", "2015"], value=[1.0, 2.0, 3.0])
    spec = charts.dataset_chart(frame, "count").to_dict()
    assert spec["encoding"]["x"]["sort"] == ["2013", "2015", "2018"]


def test_plan_filters_instead_of_drawing_too_many_bars():
    frame = _frame(caisse=[f"C{i}" for i in range(30) for _ in range(6)],
                   benefit=[f"B{j}" for _ in range(30) for j in range(6)], value=range(180))
    axis, series, filters = charts.plan(frame)
    assert axis == "caisse" and series == [] and filters == ["benefit"]


def _one_view(dataset_id: str) -> tuple[pd.DataFrame, str]:
    """A dataset narrowed as `ui.dataset_view` does: one unit, each filter at one value (the first
    with a readable value, so that every view has something to draw)."""
    frame = catalog.read_dataset(dataset_id)
    unit = CAT.set_index("dataset_id").loc[dataset_id, "unit"]
    if "unit" in frame.columns:
        unit = frame["unit"].iloc[0]
        frame = frame[frame["unit"] == unit]
    for dim in charts.plan(frame)[2]:
        frame = frame[frame[dim] == frame.loc[frame["value"].notna(), dim].iloc[0]]
    return frame, unit


@pytest.mark.parametrize("dataset_id", list(CAT["dataset_id"]))
def test_every_dataset_chart_draws_each_value_once_with_its_french_label(dataset_id):
    frame, unit = _one_view(dataset_id)
    axis, series, filters = charts.plan(frame)
    assert not filters, "once its filters are fixed, a dataset needs no further filter"
    spec = charts.dataset_chart(frame, unit).to_dict()
    marks = spec["layer"][0] if "layer" in spec else spec
    rows = pd.DataFrame(spec["datasets"][spec["data"]["name"]])
    shown = frame.dropna(subset=["value"])

    assert sorted(rows["value"]) == sorted(shown["value"])
    assert list(rows["valeur"]) == [fr_value(v, unit) for v in rows["value"]]
    assert not rows.duplicated(subset=[axis, *series]).any(), "two marks drawn at the same place"
    encoding = marks["encoding"]
    value_channel, category_channel = ("y", "x") if encoding["y"]["type"] == "quantitative" else ("x", "y")
    assert encoding[value_channel]["field"] == "value"
    assert encoding[category_channel]["field"] == axis
    assert encoding[category_channel]["type"] in ("nominal", "ordinal")
    assert encoding[category_channel]["title"] == charts.label(axis)
    tooltip = {t["field"] for t in encoding["tooltip"]}
    assert tooltip == set(catalog.dimensions(shown)) | {"valeur"}
    if series:
        assert encoding["color"]["field"] == "série"
        assert encoding["color"]["scale"]["domain"] == list(dict.fromkeys(rows["série"]))
        assert len(encoding["color"]["scale"]["domain"]) == len(shown[series].drop_duplicates())
    else:
        assert "field" not in encoding.get("color", {})


def test_operator_and_channel_colours_are_fixed_and_distinct():
    assert len(set(charts.OPERATOR_COLOURS.values())) == len(charts.OPERATOR_COLOURS)
    assert len(set(charts.CHANNEL_COLOURS.values())) == len(charts.CHANNEL_COLOURS)
    scale = charts.scale_for("operator", ["MSA", "CNAF"]).to_dict()
    assert scale["range"] == [charts.OPERATOR_COLOURS["MSA"], charts.OPERATOR_COLOURS["CNAF"]]


def test_chart_exports_are_svg_and_png():
    from explorer import export

    spec = charts.dataset_chart(catalog.read_dataset("cnaf_reception_sites_by_year"), "count").to_dict()
    assert export.svg(spec).startswith(b"<svg")
    assert export.png(spec, scale=1).startswith(b"\x89PNG")
