"""Reading an amount the way people type it, in French or in English: the one parser of the forms and the imports.

12 345,67 · 12345,67 · 12,345.67 · 12.345,67 · 12345.67 · 10 000,50 $ · $10,000.50 → Decimal('12345.67')…

The one mark that cannot be read without knowing the language is a single
comma before exactly three digits: "12,345" is twelve thousand in English and
twelve and a bit in French. A form knows the language of the person typing
(`language`), so it reads it their way; an import file's language is not
known (language=None), so there it is refused with a message saying how to
write it.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from crm.language import is_english

# Spaces people and spreadsheets put between thousands (plain, no-break, narrow no-break, thin,
# apostrophes) and currency signs around amounts.
NOISE = re.compile(r"[\s\u00a0\u202f\u2009'’$€£]|CAD|USD|EUR", re.IGNORECASE)
GROUPED = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
ONE_COMMA_GROUP = re.compile(r"\d{1,3},\d{3}")
PLAIN = re.compile(r"\d+(?:\.\d*)?|\.\d+")


class AmountError(ValueError):
    """Not an amount; `code` is "invalid" (not a number at all) or "ambiguous" (see the module's docstring)."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.code = code


def parse_amount(original: str, *, language: str | None = None) -> Decimal:
    """The amount typed; AmountError when it is none. `language`: the typist's ("fr", "en"), None when unknown."""
    text = NOISE.sub("", original).replace("\u2212", "-")
    sign = ""
    if text[:1] in "+-":
        sign, text = ("-" if text[0] == "-" else ""), text[1:]
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        whole, _mark, fraction = text.rpartition(decimal_mark)
        if not GROUPED.fullmatch(whole) and not whole.isdigit():
            raise AmountError(_("“%(value)s” is not a number.") % {"value": original})
        text = whole.replace(",", "").replace(".", "") + "." + fraction
    elif commas == 1:
        if ONE_COMMA_GROUP.fullmatch(text):
            if language is None:
                raise AmountError(
                    _("“%(value)s” is ambiguous: write 12345 or 12 345,00 (French) or 12,345.00 (English).")
                    % {"value": original}, code="ambiguous")
            text = text.replace(",", "" if is_english(language) else ".")
        else:
            text = text.replace(",", ".")
    elif commas > 1 or dots > 1:
        if not GROUPED.fullmatch(text):
            raise AmountError(_("“%(value)s” is not a number.") % {"value": original})
        text = text.replace(",", "").replace(".", "")
    if not PLAIN.fullmatch(text):
        raise AmountError(_("“%(value)s” is not a number.") % {"value": original})
    try:
        return Decimal(sign + text)
    except InvalidOperation:  # pragma: no cover - the pattern above already refused it
        raise AmountError(_("“%(value)s” is not a number.") % {"value": original}) from None
