"""Amounts in øre shown the way each language writes Danish kroner."""

from decimal import ROUND_HALF_UP, Decimal


def format_price(ore: int, language: str) -> str:
    """The amount in kroner: "1.234,50 kr." in Danish, "DKK 1,234.50" in English, Swedish and German."""
    if ore < 0:
        raise ValueError("A price cannot be negative.")
    kroner, rest = divmod(ore, 100)
    if language.split("-")[0].lower() == "da":
        return f"{kroner:,}".replace(",", ".") + f",{rest:02d} kr."
    return f"DKK {kroner:,}.{rest:02d}"


def vat_included(gross_ore: int, rate: Decimal) -> int:
    """The VAT inside an amount that includes it, rounded once, half up, to whole øre: 25 % of a price
    of 125.00 kr. is 25.00 kr. Round the sum of a rate's amounts, not each amount, so totals add up."""
    return int((Decimal(gross_ore) * rate / (Decimal(100) + rate)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
