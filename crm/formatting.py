"""Money, number and date formatting per language (fr: 12 345,67 $, 1er décembre 2026; en: $12,345.67, 1 Dec 2026)."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.translation import get_language, override

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
CURRENCY_SYMBOLS = {"CAD": "$", "USD": "$", "EUR": "€", "GBP": "£", "CHF": "CHF"}


def is_french(language: str | None = None) -> bool:
    return (language or get_language() or "fr").startswith("fr")


def group_digits(amount: Decimal, *, places: int, thousands: str, decimal_mark: str) -> str:
    quantum = Decimal(1).scaleb(-places)
    text = f"{abs(amount).quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"
    text = text.replace(",", "\0").replace(".", decimal_mark).replace("\0", thousands)
    return ("-" if amount < 0 and text.strip("0,.") else "") + text


def format_number(value, *, places: int = 0, language: str | None = None) -> str:
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    if is_french(language):
        return group_digits(amount, places=places, thousands=NARROW_NBSP, decimal_mark=",")
    return group_digits(amount, places=places, thousands=",", decimal_mark=".")


def format_money(value, *, language: str | None = None, currency: str | None = None) -> str:
    if value is None or value == "":
        return ""
    symbol = CURRENCY_SYMBOLS.get(currency or settings.CRM_CURRENCY, currency or "")
    number = format_number(value, places=2, language=language)
    if is_french(language):
        return f"{number}{NBSP}{symbol}"
    if number.startswith("-"):
        return f"-{symbol}{number[1:]}"
    return f"{symbol}{number}"


def money_parts(*, language: str | None = None, currency: str | None = None) -> dict:
    """How format_money writes an amount, for a script that writes money (static/js/total.js).

    {"decimal": ",", "group": NARROW_NBSP, "prefix": "", "suffix": NBSP + "$"} in French,
    {"decimal": ".", "group": ",", "prefix": "$", "suffix": ""} in English; a minus sign goes first.
    Read from format_money itself, so the two cannot disagree.
    """
    sample = format_money(Decimal("1000"), language=language, currency=currency)  # 1 000,00 $ / $1,000.00
    start, end = sample.index("1"), sample.rindex("0") + 1
    number = sample[start:end]
    return {"decimal": number[-3], "group": number[1], "prefix": sample[:start], "suffix": sample[end:]}


def format_percent(value, *, language: str | None = None) -> str:
    """35 → "35 %" in French (no-break space), "35%" in English."""
    if value is None or value == "":
        return ""
    return f"{value}{NBSP}%" if is_french(language) else f"{value}%"


# Ways a model may ask for its values to be written (`field_formats = {"value": "money"}`, read by crm/history.py).
FORMATTERS = {"money": format_money, "percent": format_percent}


# Dates. Which format a place uses is a Django format name (DATE_FORMAT for text and
# cards, SHORT_DATE_FORMAT for tables...); what each name writes is in the language's
# format module (crm/formats/en/formats.py: 1 Dec 2026, 2026-12-01; French: Django's own).
# What no format letter can say is French's ordinal first of the month, « 1er décembre
# 2026 » (« 2 décembre » the next day): format_date adds it.
FIRST_OF_MONTH = r"1\e\r"  # e and r are format letters: escaped
NUMERIC_MONTHS = frozenset("mn")


def _letters(fmt: str):
    """(letter, escaped) for each character of a Django date format."""
    escaped = False
    for char in fmt:
        if escaped:
            yield char, True
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            yield char, False


def first_of_month_format(fmt: str) -> str:
    """`fmt` with its day number (j) written « 1er », unless the month is a number (1/12/2026)."""
    letters = list(_letters(fmt))
    if any(char in NUMERIC_MONTHS and not escaped for char, escaped in letters):
        return fmt
    return "".join(
        "\\" + char if escaped else FIRST_OF_MONTH if char == "j" else char for char, escaped in letters
    )


def format_date(value, fmt: str = "DATE_FORMAT", *, language: str | None = None) -> str:
    """A date, or a datetime in local time, in a format name (DATE_FORMAT...) or a format string.

    Every date the app writes goes through here (the `format_date` template filter too).
    """
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if language:
        with override(language):
            return format_date(value, fmt)
    fmt = get_format(fmt)
    if value.day == 1 and is_french():
        fmt = first_of_month_format(fmt)
    return dateformat.format(value, fmt)
