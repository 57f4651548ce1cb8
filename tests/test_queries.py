"""Every named query loads, declares its parameters, and runs."""

import pytest

from explorer import queries

EXAMPLE_PARAMS = {
    "dataset_id": "cnaf_reception_sites_by_year",
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
