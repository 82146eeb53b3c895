"""Ids from request input, parsed one way everywhere.

`str.isdigit()` says yes to "²", `int()` to " 7", "+7", "1_000" and Arabic-Indic digits, and
nothing stops a number no database column can hold. Readers' links, redirects,
forms and template tags turn input into an id with `parse_id` alone: ASCII digits
only, nothing around them, within the column's range; anything else is "no id",
which the caller answers as a 404, a form error or page 1 — never a 500."""

import re

MAX_INT = 2**31 - 1  # a Postgres integer column (the comment tables' ids)
MAX_BIGINT = 2**63 - 1  # a bigint column (every other id here)

DIGITS = re.compile(r"[0-9]+")  # re's [0-9] is ASCII, unlike \d


def parse_id(value, *, minimum=1, maximum=MAX_INT):
    """`value` as an int in [minimum, maximum] if it is plain ASCII digits, else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and len(value) <= 20 and DIGITS.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if minimum <= number <= maximum else None
