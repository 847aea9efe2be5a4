"""Reading one cell the way people type it, in French or in English.

Every parser takes what the file holds (a string from CSV, or an int, float,
date or string from a workbook) and returns the value, or raises CellError
with a sentence the user can act on. Empty cells never reach a parser.
"""

import datetime
import re
from decimal import Decimal

from django.utils.translation import gettext as _

from crm.amounts import AmountError, parse_amount
from crm.text import fold

# What crm.csv_export puts before text a spreadsheet would run ("'=1+1").
FORMULA_QUOTED = re.compile(r"'[=+\-@\t\r]")


class CellError(Exception):
    """A cell that cannot be read; the message says why, in plain words."""


def cell_text(value) -> str:
    """Any cell as text: spaces trimmed, the export's formula quote taken off again.

    Only a quote followed by = + - @ tab or CR is removed: that is exactly what
    the export adds, so "'Allo" or "'s-Hertogenbosch" keep theirs.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        text = value.strip()
    elif isinstance(value, bool):
        text = "1" if value else "0"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime.datetime):
        text = value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ")
    elif isinstance(value, (datetime.date, datetime.time)):
        text = value.isoformat()
    else:
        text = str(value).strip()
    if FORMULA_QUOTED.match(text):
        return text[1:]
    return text


def text(value) -> str:
    return cell_text(value)


def decimal(value, *, places: int | None = 2) -> Decimal:
    """12 345,67 · 12345,67 · 12,345.67 · 12.345,67 · 12345.67 → Decimal('12345.67').

    Read by crm.amounts.parse_amount without a language: a single comma is a decimal comma (French),
    except "12,345", which could be twelve thousand or twelve and a bit, so it is refused.
    """
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a number.") % {"value": value})
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        number = value
    else:
        try:
            number = parse_amount(cell_text(value))
        except AmountError as error:
            raise CellError(str(error)) from None
    if places is not None and number.as_tuple().exponent < -places:
        # Workbooks store 0.1 + 0.2 as 0.30000000000000004: round those, refuse real extra digits.
        rounded = number.quantize(Decimal(1).scaleb(-places))
        if not isinstance(value, float) or abs(rounded - number) > Decimal("1e-9"):
            raise CellError(
                _("“%(value)s” has more than %(places)d decimal places.") % {"value": value, "places": places}
            )
        number = rounded
    return number


def percent(value) -> int:
    """A whole percentage from 0 to 100: 35, "35 %", "35%", and fractions 0,35 or 0.35 → 35.

    A number between 0 and 1 with a decimal part and no % sign is a fraction
    (that is how spreadsheets store percentages); 1 means 1 %, not 100 %.
    Workbook cells formatted as percentages arrive here as "35 %".
    """
    if isinstance(value, str) and "%" in value:
        number = decimal(value.replace("%", ""), places=None)
    else:
        number = decimal(value, places=None)
        if 0 < number < 1:
            number *= 100
    if number != number.to_integral_value() or not 0 <= number <= 100:
        raise CellError(_("“%(value)s” is not a whole percentage between 0 and 100.") % {"value": value})
    return int(number)


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")


def date(value) -> datetime.date:
    """2026-11-28 or 28/11/2026 (day first, also 28.11.2026 and 28-11-2026); workbook dates as they are."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text_value = cell_text(value)
    if match := _ISO_DATE.fullmatch(text_value):
        year, month, day = match.groups()
    elif match := _DAY_FIRST.fullmatch(text_value):
        day, month, year = match.groups()
    else:
        raise CellError(_("“%(value)s” is not a date: write 2026-11-28 or 28/11/2026.") % {"value": text_value})
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(
            _("“%(value)s” is not a date (day first: 28/11/2026 is 28 November).") % {"value": text_value}
        ) from None


_TIME = re.compile(r"(\d{1,2})\s*(?:[:h]\s*(\d{2})?(?::(\d{2}))?)?", re.IGNORECASE)


def time(value) -> datetime.time:
    """14:30, 14h30, 14 h 30, 14h, 9:05:00; workbook times as they are."""
    if isinstance(value, datetime.datetime):
        return value.time()
    if isinstance(value, datetime.time):
        return value
    text_value = cell_text(value)
    match = _TIME.fullmatch(text_value)
    if match and (":" in text_value or "h" in text_value.lower()):
        hour, minute, second = (int(part or 0) for part in match.groups())
        if hour < 24 and minute < 60 and second < 60:
            return datetime.time(hour, minute, second)
    raise CellError(_("“%(value)s” is not a time: write 14:30 or 14h30.") % {"value": text_value})


TRUE_WORDS = {"oui", "yes", "vrai", "true", "1", "x", "o", "y"}
FALSE_WORDS = {"non", "no", "faux", "false", "0", "n"}


def boolean(value) -> bool:
    """oui/non, yes/no, vrai/faux, true/false, 1/0, x (a ticked box)."""
    if isinstance(value, bool):
        return value
    word = fold(cell_text(value))
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("“%(value)s” is not yes or no: write oui/non, yes/no, 1/0 or x.") % {"value": value})


class Choices:
    """A value named by its code or its French or English label, any case or accents.

    `entries` are (value, names...) tuples; a name given for two values is ambiguous.
    An error lists one name per value, the first it was given (its label in the reader's language).
    """

    def __init__(self, entries, *, unknown_message: str):
        self.by_name: dict[str, set] = {}
        self.names: dict = {}
        for value, *names in entries:
            for name in names:
                if name:
                    self.by_name.setdefault(fold(str(name)).strip(), set()).add(value)
            first = next((str(name) for name in names if name), None)
            if first is not None:
                self.names.setdefault(value, first)
        self.unknown_message = unknown_message
        self.known = {}  # cell → value, for the thousands of rows that say "Client"

    def __call__(self, value):
        if value in self.known:
            return self.known[value]
        text_value = cell_text(value)
        found = self.by_name.get(fold(text_value), set())
        if len(found) == 1:
            self.known[value] = next(iter(found))
            return self.known[value]
        if found:
            raise CellError(_("“%(value)s” names several entries; use the other language’s label.")
                            % {"value": text_value})
        accepted = ", ".join(self.names.values())
        raise CellError(self.unknown_message % {"value": text_value} + " " +
                        _("Accepted: %(accepted)s.") % {"accepted": accepted})


def model_choices(choices) -> list[tuple]:
    """(code, label in the active language, French label, English label, code) for a TextChoices class."""
    from django.utils import translation

    entries = []
    for code, label in choices.choices:
        with translation.override("fr"):
            french = str(label)
        with translation.override("en"):
            english = str(label)
        entries.append((code, str(label), french, english, code))
    return entries


def labelled(queryset, *, unknown_message: str) -> Choices:
    """Rows of a configurable list (label_fr, label_en) named by either label, the active
    language's first: 1 query."""
    from django.utils.translation import get_language

    fields = ["label_en", "label_fr"] if (get_language() or "fr").startswith("en") else ["label_fr", "label_en"]
    return Choices(queryset.values_list("pk", *fields), unknown_message=unknown_message)


class Users:
    """A user named by username or e-mail (any case): 1 query, on first use."""

    def __init__(self):
        self._loaded = False
        self.known = {}

    def _load(self):
        from django.contrib.auth import get_user_model

        User = get_user_model()
        self.by_username, self.by_folded, self.by_email = {}, {}, {}
        for pk, username, email in User.objects.values_list("pk", User.USERNAME_FIELD, "email"):
            self.by_username[username] = pk
            self.by_folded.setdefault(username.casefold(), set()).add(pk)
            if email:
                self.by_email.setdefault(email.casefold(), set()).add(pk)
        self._loaded = True

    def __call__(self, value) -> int:
        if value in self.known:
            return self.known[value]
        self.known[value] = pk = self.find(value)
        return pk

    def find(self, value) -> int:
        if not self._loaded:
            self._load()
        name = cell_text(value)
        if name in self.by_username:
            return self.by_username[name]
        for table in (self.by_folded, self.by_email):
            found = table.get(name.casefold(), set())
            if len(found) == 1:
                return next(iter(found))
            if found:
                raise CellError(_("Several users match “%(value)s”; use the username.") % {"value": name})
        raise CellError(_("No user has the username or e-mail “%(value)s”.") % {"value": name})
