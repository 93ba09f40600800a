"""Numbers written out for people: exact decimals, fractions when a decimal would be a rounding, tolerances."""

from __future__ import annotations

from fractions import Fraction

from sample_items import BY_TYPE

from sourcework.core.numbers import decimal, tolerance_text


def test_decimal_is_exact_or_a_fraction():
    assert decimal(Fraction(41, 20)) == "2.05"
    assert decimal(Fraction(-1, 8)) == "-0.125"
    assert decimal(23100) == "23100"
    assert decimal(Fraction(1, 3)) == "1/3"
    assert decimal(Fraction(1, 3), places=4) == "0.3333"
    assert decimal(Fraction(1, 100)) == "0.01"


def test_tolerance_text():
    item = BY_TYPE["numeric"]
    assert tolerance_text(item).startswith("within ±")
