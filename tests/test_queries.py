"""Every named query loads, declares its parameters, and runs."""

import pytest

from explorer import queries

EXAMPLE_PARAMS = {
    "dataset_id": "cnaf_reception_sites_by_year",
    "operator": "CNAF",
    "channel": "Téléphone",
}


@pytest.mark.parametrize("name", queries.names())
def test_named_query_runs(con, name):
    query = queries.load(name)
    assert queries.NAME_PATTERN.match(name)
    assert query.description and not query.description.startswith("-")
    params = {p: EXAMPLE_PARAMS[p] for p in query.params}
    frame = queries.run(con, name, **params)
    assert len(frame.columns) > 0
    assert len(frame) > 0, f"{name} returned no row with {params}"


def test_wrong_parameters_are_refused(con):
    with pytest.raises(queries.QueryError, match="expects parameters"):
        queries.run(con, "figures_by_dataset")
    with pytest.raises(queries.QueryError, match="no such query"):
        queries.load("does_not_exist")
    with pytest.raises(queries.QueryError, match="not a valid query name"):
        queries.load("../etc/passwd")


def test_channel_shares_add_up_per_year(con):
    for operator in ("CNAF", "CNAM", "CNAV", "MSA", "Pôle emploi"):
        shares = queries.run(con, "channel_shares_by_year", operator=operator)
        assert not shares.empty, operator
        totals = shares.groupby(["year", "kind"])["share_pct"].sum()  # 100 % within each kind
        assert ((totals - 100).abs() <= 0.3).all(), (operator, totals.to_dict())


def test_channel_contacts_keep_report_values(con):
    # annexe 3, Tableau 3 / Tableau 8 and annexe 4, Tableau 10: values pass through unchanged
    cnaf = queries.run(con, "contacts_by_channel_and_year", operator="CNAF")
    visits = cnaf[(cnaf["channel"] == "Accueil physique") & (cnaf["year"] == 2014)]["value"]
    cnam = queries.run(con, "contacts_by_channel_and_year", operator="CNAM")
    cnam_visits = cnam[(cnam["channel"] == "Accueil physique") & (cnam["year"] == 2014)]["value"]
    assert cnam_visits.tolist() == [36143164]
    assert len(visits) == 1 and visits.iloc[0] > 0


def test_channel_index_starts_at_100(con):
    index = queries.run(con, "channel_index_by_operator", channel="Accueil physique")
    firsts = index[index["year"] == index["base_year"]]
    assert set(firsts["index_value"]) == {100.0}
    assert set(index["operator"]) == {"CNAF", "CNAM", "CNAV", "MSA", "Pôle emploi"}


def test_every_view_is_built_and_not_empty(con):
    from explorer.database import VIEWS_DIR
    for path in VIEWS_DIR.glob("*.sql"):
        assert con.execute(f'SELECT count(*) FROM "{path.stem}"').fetchone()[0] > 0, path.stem
