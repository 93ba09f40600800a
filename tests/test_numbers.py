"""Numbers written out for people: exact decimals, fractions when a decimal would be a rounding, tolerances."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from sample_items import BY_TYPE

from sourcework.core.numbers import decimal, format_points, format_ratio, tolerance_text


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


def _reference_points(value: Fraction) -> str:
    """format_points by another road: Decimal's half-up rounding of the exact quotient."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    text = str(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "0") else text


def test_format_points_rounds_half_up_away_from_zero():
    shown = [format_points(Fraction(n, d)) for n, d in ((2, 3), (1, 2), (1, 1), (1, 200), (5, 1000), (-1, 200), (0, 1),
                                                          (-1, 201), (-5, 2), (199, 100))]
    assert shown == ["0.67", "0.5", "1", "0.01", "0.01", "-0.01", "0", "0", "-2.5", "1.99"]


def test_format_ratio_agrees_with_decimal_rounding():
    rng = random.Random(7)
    for _ in range(5000):
        denominator = rng.choice([1, 2, 3, 4, 6, 7, 8, 12, 200, 999, rng.randint(1, 10**5)])
        value = Fraction(rng.randint(-(10**6), 10**6), denominator)
        shown = format_ratio(value.numerator, value.denominator)
        assert shown == format_points(value) == _reference_points(value), value
        # an unreduced ratio reads the same as its lowest terms (the grader sums over a common denominator)
        assert format_ratio(value.numerator * 6, value.denominator * 6) == format_points(value)
