"""Money and number formatting per language (fr: 12 345,67 $, en: $12,345.67)."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import get_language

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
CURRENCY_SYMBOLS = {"CAD": "$", "USD": "$", "EUR": "€", "GBP": "£", "CHF": "CHF"}


def group_digits(amount: Decimal, *, places: int, thousands: str, decimal_mark: str) -> str:
    quantum = Decimal(1).scaleb(-places)
    text = f"{abs(amount).quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"
    text = text.replace(",", "\0").replace(".", decimal_mark).replace("\0", thousands)
    return ("-" if amount < 0 and text.strip("0,.") else "") + text


def format_number(value, *, places: int = 0, language: str | None = None) -> str:
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    if (language or get_language() or "fr").startswith("fr"):
        return group_digits(amount, places=places, thousands=NARROW_NBSP, decimal_mark=",")
    return group_digits(amount, places=places, thousands=",", decimal_mark=".")


def format_money(value, *, language: str | None = None, currency: str | None = None) -> str:
    if value is None or value == "":
        return ""
    symbol = CURRENCY_SYMBOLS.get(currency or settings.CRM_CURRENCY, currency or "")
    number = format_number(value, places=2, language=language)
    if (language or get_language() or "fr").startswith("fr"):
        return f"{number}{NBSP}{symbol}"
    if number.startswith("-"):
        return f"-{symbol}{number[1:]}"
    return f"{symbol}{number}"
