"""Exact numbers as people read them: one place for how answers and tolerances are written out."""

from __future__ import annotations

from fractions import Fraction
from typing import Any


def decimal(value: Fraction | int, *, places: int | None = None) -> str:
    """An exact Fraction as a decimal when it has one (``41/20`` → ``2.05``), else ``p/q``.

    ``places`` instead rounds a non-terminating value to that many decimal places (for formats that need a
    decimal, such as QTI).
    """
    value = Fraction(value)
    denominator, twos, fives = value.denominator, 0, 0
    while denominator % 2 == 0:
        denominator, twos = denominator // 2, twos + 1
    while denominator % 5 == 0:
        denominator, fives = denominator // 5, fives + 1
    if denominator != 1:
        return f"{float(value):.{places}f}" if places is not None else f"{value.numerator}/{value.denominator}"
    shift = max(twos, fives)
    scaled = abs(value.numerator) * (10**shift) // value.denominator
    digits = str(scaled).rjust(shift + 1, "0")
    text = digits if not shift else f"{digits[:-shift]}.{digits[-shift:]}"
    return f"-{text}" if value < 0 else text


def format_points(value: Fraction | int) -> str:
    """Points for display: rounded half up (away from zero) to 2 decimals, trailing zeros dropped.

    ``2/3`` → ``"0.67"``, ``1/2`` → ``"0.5"``, ``1`` → ``"1"``, ``1/8`` → ``"0.13"``. The browser's ``formatPoints``
    writes the same text.
    """
    value = Fraction(value)
    return format_ratio(value.numerator, value.denominator)


def format_ratio(numerator: int, denominator: int) -> str:
    """``format_points(Fraction(numerator, denominator))`` in integer arithmetic (``denominator`` > 0), for the
    grader's hot loop: no Fraction is built."""
    if denominator == 1:
        return str(numerator)
    hundredths = (abs(numerator) * 200 + denominator) // (2 * denominator)  # |n/d|·100, rounded half up
    whole, cents = divmod(hundredths, 100)
    text = f"{whole}.{cents:02d}".rstrip("0").rstrip(".") if cents else str(whole)
    return f"-{text}" if numerator < 0 and hundredths else text


def tolerance_text(item: Any) -> str:
    """How close a numeric answer must be, in words: ``within ±0.01``, ``within ±1% of the answer``, ``exactly``."""
    if item.tolerance_abs is not None:
        return f"within ±{decimal(item.tolerance_abs)}"
    if item.tolerance_rel is not None:
        return f"within ±{decimal(item.tolerance_rel * 100)}% of the answer"
    return "exactly"
