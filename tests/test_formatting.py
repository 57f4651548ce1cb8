import pytest

from explorer.formatting import NBSP, fr_number, fr_pct, fr_value, parse_fr


@pytest.mark.parametrize("value, expected", [
    (1234.5, f"1{NBSP}234,5"),
    (96.4, "96,4"),
    (1589, f"1{NBSP}589"),
    (12300000, f"12{NBSP}300{NBSP}000"),
    (0.25, "0,25"),
    (None, "n.d."),
    (float("nan"), "n.d."),
])
def test_fr_number(value, expected):
    assert fr_number(value) == expected


def test_fr_pct_and_units():
    assert fr_pct(96.4) == f"96,4{NBSP}%"
    assert fr_pct(1234.5) == f"1{NBSP}234,5{NBSP}%"
    assert fr_value(30, "minutes") == f"30{NBSP}min"
    assert fr_value(1589, "count") == f"1{NBSP}589"


@pytest.mark.parametrize("value", [0.0, 1.5, 96.4, 1234.5, 987654.25, -12.5])
def test_parse_round_trip(value):
    assert parse_fr(fr_number(value)) == pytest.approx(value)
