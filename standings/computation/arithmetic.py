"""Exact numbers: half-up rounding of rationals and a lossless text form for storing them with a run."""

import math
from decimal import Decimal
from fractions import Fraction


def round_half_up(value: Fraction, places: int) -> Decimal:
    """`value` rounded to `places` decimals, halves away from zero (DESIGN.md "rounded half-up")."""
    scale = 10**places
    magnitude = math.floor(abs(value) * scale + Fraction(1, 2))
    return Decimal(magnitude if value >= 0 else -magnitude).scaleb(-places)


def _is_terminating(value: Fraction) -> bool:
    denominator = value.denominator
    for factor in (2, 5):
        while denominator % factor == 0:
            denominator //= factor
    return denominator == 1


def exact_text(value: Fraction | None) -> str | None:
    """The exact value as text: a decimal when it has one ("0.75"), else numerator/denominator ("126/131")."""
    if value is None:
        return None
    if _is_terminating(value):
        places = 0
        while (value * 10**places).denominator != 1:
            places += 1
        return format(Decimal(value.numerator * 10**places // value.denominator).scaleb(-places), "f")
    return f"{value.numerator}/{value.denominator}"


def parse_exact(text: str | None) -> Fraction | None:
    """The inverse of `exact_text`."""
    if text is None:
        return None
    return Fraction(text) if "/" in text else Fraction(Decimal(text))
