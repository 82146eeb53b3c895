"""The one id parser: ASCII digits only, nothing around them, within the column."""

from hypothesis import given
from hypothesis import strategies as st

from core.ids import MAX_BIGINT, MAX_INT, parse_id


def test_plain_ascii_digits_are_ids():
    assert parse_id("7") == 7
    assert parse_id("007") == 7
    assert parse_id(str(MAX_INT)) == MAX_INT
    assert parse_id(str(MAX_BIGINT), maximum=MAX_BIGINT) == MAX_BIGINT


def test_anything_else_is_no_id():
    refused = [
        None, "", "0", "²", "١", "௫", "٧", "1²", " 7", "7 ", "+7", "-7", "1_000", "7.0", "0x1f",
        "7\x00", "\x007", str(MAX_INT + 1), "9" * 100, "①",
    ]  # fmt: skip
    for value in refused:
        assert parse_id(value) is None, repr(value)
    assert parse_id(str(MAX_INT + 1), maximum=MAX_BIGINT) == MAX_INT + 1
    assert parse_id(str(MAX_BIGINT + 1), maximum=MAX_BIGINT) is None
    assert parse_id("0", minimum=0) == 0


@given(st.text(max_size=25))
def test_an_id_is_exactly_what_int_reads_from_ascii_digits(value):
    number = parse_id(value, maximum=MAX_BIGINT)
    if number is None:
        return
    assert value.isascii() and value.isdigit() and str(int(value)) == value.lstrip("0")
    assert number == int(value) and 1 <= number <= MAX_BIGINT
