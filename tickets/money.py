"""Amounts in øre shown the way each language writes Danish kroner."""


def format_price(ore: int, language: str) -> str:
    """The amount in kroner: "1.234,50 kr." in Danish, "DKK 1,234.50" in English, Swedish and German."""
    if ore < 0:
        raise ValueError("A price cannot be negative.")
    kroner, rest = divmod(ore, 100)
    if language.split("-")[0].lower() == "da":
        return f"{kroner:,}".replace(",", ".") + f",{rest:02d} kr."
    return f"DKK {kroner:,}.{rest:02d}"
