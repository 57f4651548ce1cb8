"""What the map page shows beside its map for one view: computed together, so that
explorer.cached keeps it once per process for every session showing that view (each of ten
sessions opening the national map recomputed about 0.3 s of tables)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from explorer.territory import captions, rankings, tables, views


@dataclass(frozen=True)
class ViewSummary:
    """Frames of one view (territory `departements`, one network, parameters and threshold).

    dep_view: views.departement_view rows; ranked: rankings.double_peine_communes rows;
    the *_table frames are French display tables (explorer.territory.tables), None where the
    page does not show them (national-only tables, no 4G file, no commune in « double
    peine »); band: views.population_by_band;
    far_communes: captions.largest_far_communes_fr text (national view, else "").
    """

    dep_view: pd.DataFrame
    ranked: pd.DataFrame
    map_table: pd.DataFrame
    double_peine_departements: pd.DataFrame | None
    double_peine_communes: pd.DataFrame | None
    within: pd.DataFrame
    departements_within: pd.DataFrame | None
    coverage: pd.DataFrame | None
    band: pd.DataFrame
    band_table: pd.DataFrame
    far_communes: str


def view_summary(within: pd.DataFrame, view: pd.DataFrame, cover: pd.DataFrame | None,
                 communes: pd.DataFrame, view_key: str, scope_departements: list[str],
                 scoped_departements: list[str], scope_label: str, threshold_min: int
                 ) -> ViewSummary:
    """The ViewSummary of a cached.access_view result (`within`, `view`, `cover`) for the view
    `view_key` (views.NATIONAL, a group or a département code): `scope_departements` are the
    view's départements, `scoped_departements` those the network's file covers (where shares
    are taken), `scope_label` the territory's name in the tables' titles."""
    national = view_key == views.NATIONAL
    scoped = view[view["departement"].isin(scoped_departements)]
    dep_view = views.departement_view(scoped, threshold_min)
    ranked = rankings.double_peine_communes(scoped)
    band = views.population_by_band(scoped)
    return ViewSummary(
        dep_view=dep_view,
        ranked=ranked,
        map_table=tables.departement_table(dep_view, threshold_min) if national else
        tables.commune_table(view[view["departement"].isin(scope_departements)]),
        double_peine_departements=tables.double_peine_departement_table(
            rankings.double_peine_departements(dep_view)) if national and len(ranked) else None,
        double_peine_communes=tables.double_peine_commune_table(ranked.head(500))
        if len(ranked) else None,
        within=tables.within_table(views.population_within(scoped, scoped_departements),
                                   scope_label),
        departements_within=tables.departement_within_table(within) if national else None,
        # 4G coverage does not depend on the sites file: over the whole view, where estimated.
        coverage=None if cover is None or view.loc[view["departement"].isin(scope_departements),
                                                   "n_operators"].isna().all() else
        tables.coverage_table(cover, communes, scope_departements),
        band=band,
        band_table=tables.band_table(band),
        far_communes=captions.largest_far_communes_fr(scoped, threshold_min) if national else "")
