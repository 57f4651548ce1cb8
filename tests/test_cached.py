"""explorer.cached: shared results that each caller may still modify; chart specs keyed by
their frame's content."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from explorer import cached


def test_a_shared_result_is_built_once_not_copied_and_safe_to_modify():
    calls = []

    @cached.shared(max_entries=2)
    def build(n: int):
        calls.append(n)
        return pd.DataFrame({"a": range(n)}), {"s": pd.Series([1, 2])}, "texte"

    frame, parts, text = build(3)
    first_values = frame["a"].to_numpy()
    frame["b"] = 1
    frame.loc[0, "a"] = 99
    parts["s"].iloc[0] = -1
    again, parts_again, text_again = build(3)
    assert calls == [3] and text_again == text
    assert list(again.columns) == ["a"] and again["a"].tolist() == [0, 1, 2]
    assert parts_again["s"].tolist() == [1, 2]
    # The callers share the cached values until one of them writes (copy-on-write).
    assert np.shares_memory(again["a"].to_numpy(), build(3)[0]["a"].to_numpy())
    assert not np.shares_memory(first_values, frame["a"].to_numpy())


def test_a_computed_result_is_shared_per_inputs_and_its_frames_stay_safe():
    from explorer.territory.summaries import ViewSummary

    builds = []

    def build(n: int):
        builds.append(n)
        frame = pd.DataFrame({"a": range(n)})
        return ViewSummary(*([frame] * 10), far_communes="")

    first = cached.computed(("test", 2), lambda: build(2))
    first.map_table["b"] = 0
    again = cached.computed(("test", 2), lambda: build(2))
    other = cached.computed(("test", 3), lambda: build(3))
    assert builds == [2, 3]
    assert list(again.map_table.columns) == ["a"] and len(other.band) == 3


def test_a_chart_is_built_once_per_frame_content():
    builds = []

    def builder(frame: pd.DataFrame, unit: str):
        builds.append(unit)

        class Spec:
            def to_dict(self, validate):
                return {"columns": list(frame.columns), "values": frame.astype(str).values.tolist(),
                        "unit": unit}
        return Spec()

    frame = pd.DataFrame({"année": [2017, 2018], "canal": ["Téléphone", "Web"], "v": [1.5, 2.0]})
    first = cached.chart(builder, frame, "count")
    assert cached.chart(builder, frame.copy(), "count") == first and builds == ["count"]
    # Any change of content, type, name or option is another chart.
    for other, unit in ((frame.assign(v=[1.5, 2.5]), "count"), (frame.astype({"v": "float32"}), "count"),
                        (frame.rename(columns={"v": "w"}), "count"), (frame, "percent"),
                        (frame.assign(canal=["Téléphone", 1]), "count"),  # mixed types: pickled
                        (frame.set_axis(["v"] * 3, axis=1), "count")):  # twice a name: pickled
        cached.chart(builder, other, unit)
    assert len(builds) == 7
    cached.chart(builder, frame.assign(canal=["Téléphone", 1]), "count")
    assert len(builds) == 7


def test_a_network_scope_follows_the_departements_file(import_dir, tmp_path, monkeypatch):
    """The territory of a partial sites file is named from the départements file: a rebuilt
    file (names, charnières) must be seen, not the scope cached from the old one."""
    import shutil

    from explorer import settings, sites

    geo = tmp_path / "geo"
    geo.mkdir()
    for name in ("communes.parquet", "departements.geojson"):
        shutil.copy(settings.GEO_DIR / name, geo / name)
    cantal = cached.network_sites("mairie").query("code_insee.str.startswith('15')")
    monkeypatch.setattr(settings, "GEO_DIR", geo)
    sites.save_sites(cantal.assign(network="caf"), "caf", directory=import_dir)
    assert cached.network_scope("caf").label_de == "du Cantal (15)"
    renamed = (geo / "departements.geojson").read_text(encoding="utf-8").replace(
        '"du Cantal"', '"du Cantal renommé"')
    (geo / "departements.geojson").write_text(renamed, encoding="utf-8")
    assert cached.network_scope("caf").label_de == "du Cantal renommé (15)"


@pytest.mark.parametrize("file_name, load", [
    ("communes.parquet", lambda: cached.communes()),
    ("commune_aliases.parquet", lambda: cached.commune_aliases()),
    ("communes_geometry.parquet", lambda: cached.commune_geometries(["15"])),
])
def test_the_geography_is_read_where_its_fingerprint_looked(tmp_path, monkeypatch, file_name, load):
    """Each cached geography file is read from settings.GEO_DIR as it is when asked (a rebuilt
    or test folder), not from the folder of the first import of explorer.geography."""
    import geopandas as gpd

    from explorer import settings

    real = load()
    reader = gpd.read_parquet if file_name == "communes_geometry.parquet" else pd.read_parquet
    full = reader(settings.GEO_DIR / file_name)
    kept = full[full["departement"] == "15"].head(3) if "departement" in full else full.head(3)
    kept.to_parquet(tmp_path / file_name)
    monkeypatch.setattr(settings, "GEO_DIR", tmp_path)
    assert len(load()) == 3 < len(real)


def test_network_territory_names_a_known_network_and_marks_an_unknown_one():
    from explorer.formatting import MISSING

    assert cached.network_territory("mairie") == "France entière"  # a town hall in every commune
    assert cached.network_territory("autre_version") == MISSING  # a file of another version: no crash
