"""Issue 11 without a browser: honest shares, the declared series break and its marks, 1-2-5 log
ticks, dash legends, presentation sizes, framed exports, French catalog notes."""

from __future__ import annotations

import re
import struct

import pandas as pd
import pytest
import vl_convert as vlc

from explorer import catalog, charts, export, queries
from explorer.formatting import NBSP

OPERATORS = ("CNAF", "CNAM", "CNAV", "MSA", "Pôle emploi")
VISIT_CHANNELS = {"Site internet", "Application mobile"}


def svg_of(chart_or_spec, presentation: bool = False) -> str:
    spec = chart_or_spec if isinstance(chart_or_spec, dict) else chart_or_spec.to_dict()
    return vlc.vegalite_to_svg(charts.configure(spec, presentation), allowed_base_urls=[])


@pytest.fixture(scope="module")
def cnaf_volumes(con):
    return queries.run(con, "contacts_by_channel_and_year", operator="CNAF")


def cnaf_break() -> catalog.SeriesBreak:
    return next(b for b in catalog.read_series_breaks() if b.dataset_id == "cnaf_contacts_by_channel_year")


@pytest.mark.parametrize("operator", OPERATORS)
def test_shares_never_add_visits_to_contacts(con, operator):
    shares = queries.run(con, "channel_shares_by_year", operator=operator)
    for kind, rows in shares.groupby("kind"):
        channels = set(rows["channel"])
        assert channels <= VISIT_CHANNELS or not channels & VISIT_CHANNELS, (kind, channels)
    totals = shares.groupby(["year", "kind"])["share_pct"].sum()
    assert ((totals - 100).abs() <= 0.3).all(), totals.to_dict()


def test_cnaf_contact_shares_2018_annexe_3_tableau_8(con):
    # annexe 3, Tableau 8 (2018): courriers 114 868 720 among the contacts only, not the web visits.
    shares = queries.run(con, "channel_shares_by_year", operator="CNAF")
    contacts = shares[(shares["year"] == 2018) & ~shares["channel"].isin(VISIT_CHANNELS)]
    courrier = contacts.set_index("channel").loc["Courrier"]
    assert courrier["share_pct"] == pytest.approx(100 * courrier["contacts_count"] / contacts["contacts_count"].sum(),
                                                  abs=0.05)
    assert courrier["share_pct"] > 50  # beside 659 million web visits it would be under 15 %


def test_series_break_is_declared_once_and_valid():
    breaks = catalog.read_series_breaks()
    keys = [(b.dataset_id, b.dimension, b.series) for b in breaks]
    assert len(keys) == len(set(keys))
    cnaf = cnaf_break()
    assert (cnaf.dimension, cnaf.series, cnaf.year) == ("channel", "Accueil physique", 2017)
    assert "rendez-vous" in cnaf.reason
    assert catalog.check() == []


def test_a_broken_series_break_is_reported(tmp_path):
    (tmp_path / "catalog.csv").write_text(catalog.settings.CATALOG_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / catalog.SERIES_BREAKS_FILE).write_text(
        "dataset_id,dimension,series,year,reason\ncnaf_contacts_by_channel_year,channel,Pigeon voyageur,2017,x\n",
        encoding="utf-8")
    problems = catalog.check(tmp_path / "catalog.csv")
    assert [str(p) for p in problems] == ["cnaf_contacts_by_channel_year: series break: no channel = 'Pigeon voyageur'"]


def test_breaks_apply_only_where_the_series_is_shown(cnaf_volumes):
    breaks = catalog.read_series_breaks()
    assert catalog.breaks_in(breaks, cnaf_volumes["dataset_id"].unique(), cnaf_volumes) == [cnaf_break()]
    assert catalog.breaks_in(breaks, "cnaf_contacts_by_channel_year",
                             cnaf_volumes[cnaf_volumes["channel"] == "Courrier"]) == []
    index = pd.DataFrame({"operator": ["CNAF", "CNAF"], "year": [2014, 2018]})
    assert catalog.breaks_in(breaks, ["cnaf_contacts_by_channel_year"], index, {"channel": "Accueil physique"})
    assert not catalog.breaks_in(breaks, ["cnaf_contacts_by_channel_year"], index, {"channel": "Courrier"})
    before = index.assign(year=[2014, 2016])
    assert not catalog.breaks_in(breaks, ["cnaf_contacts_by_channel_year"], before, {"channel": "Accueil physique"})


def test_every_chart_of_the_series_marks_the_break(cnaf_volumes, con):
    marks = charts.break_labels([cnaf_break()])
    assert "Rupture de série" in svg_of(charts.channel_volumes(cnaf_volumes, True, marks))
    assert "Rupture de série" in svg_of(charts.channel_volumes(cnaf_volumes, False, marks))
    dataset = catalog.read_dataset("cnaf_contacts_by_channel_year")
    assert "Rupture de série" in svg_of(charts.dataset_chart(dataset[dataset["measure"] == "Visites"], "count", "",
                                                             marks))
    index = queries.run(con, "channel_index_by_operator", channel="Accueil physique")
    assert "Rupture de série" in svg_of(charts.operator_lines(index, "index_value", "Indice", 100, marks))
    shares = queries.run(con, "channel_shares_by_year", operator="CNAF")
    assert "⚠" in svg_of(charts.channel_shares(shares, marks))


def test_log_ticks_are_1_2_5():
    ticks = charts.log_ticks([3_517_011, 356_000_000])
    assert ticks == [2e6, 5e6, 1e7, 2e7, 5e7, 1e8, 2e8, 5e8]
    assert all(re.fullmatch(r"[125]0*", str(int(t))) for t in ticks)


def test_log_axis_reads_in_words(cnaf_volumes):
    svg = svg_of(charts.channel_volumes(cnaf_volumes, True))
    labels = re.findall(r'role-axis-label.*?</g></g>', svg, flags=re.S)
    assert f"500{NBSP}millions" in svg and f"2{NBSP}millions" in svg
    assert "900 000" not in " ".join(labels) and "8 000 000" not in svg


def test_measure_legend_shows_line_styles(cnaf_volumes):
    svg = svg_of(charts.channel_volumes(cnaf_volumes, True))
    legend = svg[svg.index("Mesure (style de ligne)"):]
    symbols = re.findall(r'role-legend-symbol[^>]*><path[^>]*>', legend)[:5]
    assert len(symbols) == 5 and all('stroke="#333"' in s for s in symbols), symbols
    assert len({re.search(r'stroke-dasharray="([^"]*)"', s).group(1) for s in symbols}) == 5


def test_bound_codes_read_in_words():
    shown = charts.display_values(catalog.read_dataset("nontakeup_rates_by_benefit"))
    assert set(shown["bound"]) <= {"Valeur publiée", "Borne basse", "Borne haute"}
    svg = svg_of(charts.dataset_chart(catalog.read_dataset("nontakeup_rates_by_benefit"), "percent"))
    assert ">min<" not in svg and ">max<" not in svg and ">valeur<" not in svg


def axis_label_sizes(svg: str) -> set[float]:
    """Font sizes of the axis tick labels (not the axis titles) of a rendered chart."""
    groups = re.findall(r'<g class="mark-text role-axis-label"[^>]*>(.*?)</g>', svg, flags=re.S)
    return {float(s) for group in groups for s in re.findall(r'font-size="([\d.]+)px"', group)}


def test_presentation_enlarges_chart_text_through_the_config(cnaf_volumes):
    chart = charts.channel_volumes(cnaf_volumes, True)
    assert axis_label_sizes(svg_of(chart)) == {12.0}
    assert axis_label_sizes(svg_of(chart, presentation=True)) == {18.0}
    assert charts.configure(chart.to_dict())["usermeta"]["embedOptions"]["actions"] is False


def png_size(raw: bytes) -> tuple[int, int]:
    return struct.unpack(">II", raw[16:24])


def test_export_has_a_fixed_readable_size_title_and_source(cnaf_volumes):
    spec = charts.channel_volumes(cnaf_volumes, True).to_dict()
    source = "Source : IGAS 2019-033R, tome 2 : annexe 3, Tableau 8 (lignes 2886-2910)."
    width, height = png_size(export.png(spec, "Contacts par canal — CNAF", source))
    assert 1900 <= width <= 2600 and height >= 900, (width, height)
    svg = export.svg(spec, "Contacts par canal — CNAF", source).decode("utf-8")
    assert "Contacts par canal — CNAF" in svg and "annexe 3, Tableau 8" in svg
    # The same width whatever the page width was: a fixed size.
    narrow = dict(spec, width=200)
    assert png_size(export.png(narrow, "t", source))[0] == width


def test_faceted_share_chart_exports_at_fixed_width(con):
    shares = queries.run(con, "channel_shares_by_year", operator="MSA")
    width, _ = png_size(export.png(charts.channel_shares(shares).to_dict(), "Parts — MSA", "Source : x"))
    assert width >= 1900


ENGLISH_MARKERS = re.compile(r"\b(the|printed|read as|left empty|No OCR|add up|which|whose|Source as)\b")


def test_catalog_notes_are_in_french():
    notes = catalog.read_catalog()[["dataset_id", "notes"]]
    english = [(r.dataset_id, ENGLISH_MARKERS.search(r.notes).group(0)) for r in notes.itertuples()
               if ENGLISH_MARKERS.search(r.notes)]
    assert english == []


def test_every_catalog_operator_reads_in_french():
    assert set(catalog.CATALOG_OPERATORS) <= set(catalog.OPERATOR_LABELS)
    assert catalog.OPERATOR_LABELS["several"] == "Plusieurs opérateurs"


def test_a_charts_data_csv_is_its_data_tab_in_french():
    import io

    from explorer import ui

    frame = pd.DataFrame({"year": [2017, 2018], "channel": ["Téléphone", "Téléphone"],
                          "value": [15936982.0, 1.5], "dataset_id": ["cnaf_x", "cnaf_x"]})
    read = pd.read_csv(io.BytesIO(ui.data_csv(frame)), sep=";", decimal=",")
    assert list(read.columns) == ["Année", "Canal", "Valeur", "Jeu de données"]
    assert read["Valeur"].tolist() == [15936982.0, 1.5] and read["Année"].tolist() == [2017, 2018]
