"""Kubernetes resource quantities ("250m", "128Mi", "1.5", "2e3"), parsed exactly."""

import re
from fractions import Fraction
from functools import lru_cache

_QUANTITY = re.compile(
    r"^(?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+))"
    r"(?:(?P<binary>Ki|Mi|Gi|Ti|Pi|Ei)|(?P<decimal>[numkMGTPE])|[eE](?P<exponent>[+-]?\d+))?$"
)
_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {
    "n": Fraction(1, 10**9),
    "u": Fraction(1, 10**6),
    "m": Fraction(1, 1000),
    "k": 10**3,
    "M": 10**6,
    "G": 10**9,
    "T": 10**12,
    "P": 10**15,
    "E": 10**18,
}


@lru_cache(maxsize=1024)
def parse_quantity(value: object) -> Fraction | None:
    """The exact amount a quantity stands for, or None when it is not a valid quantity."""
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).strip() if isinstance(value, int | float) else value
    if not isinstance(text, str):
        return None
    match = _QUANTITY.match(text)
    if not match:
        return None
    exponent = match["exponent"]
    if exponent is not None and abs(int(exponent)) > 100:
        return None
    amount = Fraction(match["number"])
    if match["binary"]:
        amount *= _BINARY[match["binary"]]
    elif match["decimal"]:
        amount *= _DECIMAL[match["decimal"]]
    elif exponent is not None:
        amount *= Fraction(10) ** int(exponent)
    return amount


def format_cpu(amount: Fraction) -> str:
    """CPU in millicores when not whole: 700m, 2."""
    if amount.denominator == 1:
        return str(amount.numerator)
    millis = amount * 1000
    return f"{round(millis)}m" if millis.denominator == 1 else f"{float(amount):g}"


def format_memory(amount: Fraction) -> str:
    """Memory in the largest binary unit that divides it exactly: 384Mi, 1Gi, 1500."""
    for suffix in ("Ei", "Pi", "Ti", "Gi", "Mi", "Ki"):
        size = _BINARY[suffix]
        if amount >= size and (amount / size).denominator == 1:
            return f"{amount // size}{suffix}"
    return str(round(amount)) if amount.denominator == 1 else f"{float(amount):g}"
