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


def test_decimals_are_those_of_the_value_up_to_two_or_as_asked():
    assert fr_number(1.23456) == "1,23"
    assert fr_number(0.00001) == "0,00"  # repr 1e-05: no decimal point to count
    assert fr_pct(96.456, 1) == f"96,5{NBSP}%"
    assert fr_pct(96.0, 1) == f"96,0{NBSP}%"


@pytest.mark.parametrize("missing", [None, float("nan")])
def test_missing_values_read_n_d_without_a_unit(missing):
    assert fr_pct(missing) == "n.d."
    assert fr_value(missing, "percent") == "n.d."
    assert fr_value(missing, "count") == "n.d."


@pytest.mark.parametrize("text, value", [
    (f"96,4{NBSP}%", 96.4),  # what fr_pct writes
    ("96,4 %", 96.4),
    ("1 234,5", 1234.5),  # a plain space, as typed
    ("1\u202f234,5", 1234.5),  # a narrow no-break space, as some spreadsheets write
    (f"12{NBSP}300{NBSP}000", 12_300_000.0),
])
def test_parse_fr_reads_french_numbers_as_written(text, value):
    assert parse_fr(text) == pytest.approx(value)
