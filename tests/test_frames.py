import pandas as pd
import pytest

from explorer import frames


@pytest.mark.parametrize("values", [
    ["75056", "2A004", None],
    pd.Series(["2A004", "97411"], dtype="str"),
    pd.Index(["75056"]),
    set(),
])
def test_isin_answers_as_pandas_does_on_arrow_strings(values):
    codes = pd.Series(["75056", "2A004", None, "97411", "01001"], dtype="str", index=[5, 4, 3, 2, 1])
    expected = codes.isin(list(values))
    result = frames.isin(codes, values)
    pd.testing.assert_series_equal(result, expected)
    assert result.any() == bool(len(values))
