"""Kubernetes resource quantities ("250m", "128Mi", "1.5", "2e3"), parsed exactly."""

import re
from fractions import Fraction
from functools import lru_cache

_QUANTITY = re.compile(
    r"^(?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+))"
    r"(?:(?P<binary>Ki|Mi|Gi|Ti|Pi|Ei)|(?P<decimal>[numkMGTPE])|[eE](?P<exponent>[+-]?\d+))?$"
)
# Kubernetes caps every amount at 2**63-1 (19 digits) and keeps at most nine decimals (nano), so a
# real quantity never needs these; longer ones are refused before parsing, where Fraction would
# spend time on them or refuse them (Python reads at most 4300 digits as an int).
MAX_DIGITS = 40
MAX_EXPONENT = 100
_BINARY: dict[str, int] = {
    "Ki": 2**10,
    "Mi": 2**20,
    "Gi": 2**30,
    "Ti": 2**40,
    "Pi": 2**50,
    "Ei": 2**60,
}
_DECIMAL: dict[str, int | Fraction] = {
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


def _match(value: object) -> re.Match | None:
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).strip() if isinstance(value, int | float) else value
    return _QUANTITY.match(text) if isinstance(text, str) else None


def _oversized(match: re.Match) -> str | None:
    digits = sum(c.isdigit() for c in match["number"])
    if digits > MAX_DIGITS:
        return (
            f"its number is too long ({digits:,} digits): Kubernetes holds amounts up to "
            f"2^63-1 (19 digits), to nine decimals at most"
        )
    exponent = (match["exponent"] or "0").lstrip("+-").lstrip("0")
    if len(exponent) > len(str(MAX_EXPONENT)) or int(exponent or 0) > MAX_EXPONENT:
        return (
            f"its exponent is beyond ±{MAX_EXPONENT}: Kubernetes holds amounts from 1e-9 to "
            f"about 9.2e18"
        )
    return None


def oversized(value: object) -> str | None:
    """Why a quantity is too long to be read (more digits, or a larger exponent, than any real
    amount has), or None. Costs time linear in the text, never more."""
    match = _match(value)
    return _oversized(match) if match else None


@lru_cache(maxsize=1024)
def parse_quantity(value: object) -> Fraction | None:
    """The exact amount a quantity stands for, or None when it is not a valid quantity."""
    match = _match(value)
    if not match or _oversized(match):
        return None
    amount = Fraction(match["number"])
    if match["binary"]:
        amount *= _BINARY[match["binary"]]
    elif match["decimal"]:
        amount *= _DECIMAL[match["decimal"]]
    elif match["exponent"] is not None:
        amount *= Fraction(10) ** int(match["exponent"])
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
