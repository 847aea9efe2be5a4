"""Reading one cell the way people type it, in French or in English."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from contacts.models import Contact
from crm.importing import values
from crm.importing.engine import PLAINLY_VALID
from crm.importing.values import CellError


@pytest.mark.parametrize("text, expected", [
    ("12 345,67", "12345.67"),             # French, plain space
    ("12\u202f345,67", "12345.67"),        # French, narrow no-break space (what Relance itself writes)
    ("12\u00a0345,67", "12345.67"),        # French, no-break space (Excel)
    ("12345,67", "12345.67"),
    ("12,345.67", "12345.67"),             # English
    ("1,234,567.89", "1234567.89"),
    ("12.345,67", "12345.67"),             # European
    ("12345.67", "12345.67"),
    ("1 000", "1000"),
    ("0,5", "0.5"),
    ("-5,50", "-5.50"),
    ("12 345,67 $", "12345.67"),
    ("$12,345.67", "12345.67"),
    (12345, "12345"),                      # workbook cells
    (12345.67, "12345.67"),
    (0.1 + 0.2, "0.30"),                   # a workbook's binary float, rounded to cents
])
def test_french_and_english_numbers(text, expected):
    assert values.decimal(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["12,345", "1,000", "100,000"])
def test_a_lone_comma_before_three_digits_is_ambiguous(text):
    with pytest.raises(CellError, match="ambigu"):
        values.decimal(text)


@pytest.mark.parametrize("text", ["abc", "1,2,3", "12..5", "1 2x", "--5", "1.234.5"])
def test_what_is_not_a_number(text):
    with pytest.raises(CellError):
        values.decimal(text)


def test_more_decimals_than_the_field_keeps_is_refused():
    with pytest.raises(CellError, match="2"):
        values.decimal("10,125")


@pytest.mark.parametrize("text, expected", [
    ("35", 35), ("35 %", 35), ("35%", 35), ("35\u202f%", 35), ("0", 0), ("100", 100), ("1", 1),
    ("0,35", 35), ("0.35", 35), ("0,5", 50), (0.35, 35), (35, 35), ("35,0", 35),
])
def test_percentages_whole_or_as_a_fraction(text, expected):
    assert values.percent(text) == expected


@pytest.mark.parametrize("text", ["35,5", "150", "-5", "0,5 %", "0,355", "beaucoup"])
def test_percentages_that_are_refused(text):
    with pytest.raises(CellError):
        values.percent(text)


@pytest.mark.parametrize("text", ["2026-11-28", "28/11/2026", "28.11.2026", "28-11-2026", "2026-11-28 00:00:00",
                                  datetime.datetime(2026, 11, 28), datetime.date(2026, 11, 28)])
def test_dates(text):
    assert values.date(text) == datetime.date(2026, 11, 28)


@pytest.mark.parametrize("text", ["11/28/2026", "2026-02-30", "28/11/26", "demain"])
def test_what_is_not_a_date(text):
    with pytest.raises(CellError):
        values.date(text)


@pytest.mark.parametrize("text, expected", [
    ("14:30", datetime.time(14, 30)), ("14h30", datetime.time(14, 30)), ("14 h 30", datetime.time(14, 30)),
    ("14h", datetime.time(14)), ("9:05:00", datetime.time(9, 5)), (datetime.time(8, 15), datetime.time(8, 15)),
])
def test_times(text, expected):
    assert values.time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "14", "midi", "14:60"])
def test_what_is_not_a_time(text):
    with pytest.raises(CellError):
        values.time(text)


@pytest.mark.parametrize("word", ["oui", "OUI", "yes", "Yes", "vrai", "true", "TRUE", "1", "x", "X", True])
def test_yes_in_both_languages(word):
    assert values.boolean(word) is True


@pytest.mark.parametrize("word", ["non", "Non", "no", "faux", "false", "0", False])
def test_no_in_both_languages(word):
    assert values.boolean(word) is False


def test_neither_yes_nor_no():
    with pytest.raises(CellError):
        values.boolean("peut-être")


@pytest.mark.parametrize("cell, expected", [
    ("'=1+1", "=1+1"), ("'+33 1 23", "+33 1 23"), ("'-2", "-2"), ("'@x", "@x"), ("'\tx", "\tx"), ("'\rx", "\rx"),
    ("'Allo", "'Allo"), ("'s-Hertogenbosch", "'s-Hertogenbosch"), ("''=1", "''=1"), ("=1+1", "=1+1"),
    ("  Café  ", "Café"), (4185550111.0, "4185550111"), (12345, "12345"), (None, ""),
])
def test_the_exports_formula_quote_comes_off_and_nothing_else(cell, expected):
    assert values.cell_text(cell) == expected


def test_choices_by_code_or_label_in_either_language_any_case_or_accents():
    status = values.Choices(values.model_choices(Contact.Status), unknown_message="%(value)s?")
    assert status("inactive") == status("Inactif") == status("INACTIF") == status(" inactif ") == "inactive"
    assert status("Client") == "client"
    with pytest.raises(CellError, match="Prospect"):
        status("Lead")


EMAILS = ["a@b.example", "Émilie@x.example", "a..b@x.example", "a@-x.example", "a@x", "jean.cote+crm@x.example",
          "a@x.c", "a b@x.example", "a@x.example.", "o'neil@x.example", "x@[127.0.0.1]", "a@xn--caf-dma.example"]
URLS = ["https://x.example", "http://x.example/a?b=c#d", "https://-x.example", "https://x", "ftp://x.example",
        "https://x.example:8080", "https://café.example", "https://x.example/a b", "javascript:alert(1)"]


@pytest.mark.parametrize("email", EMAILS)
def test_the_quick_email_check_accepts_nothing_django_refuses(email):
    if PLAINLY_VALID[type(validate_email)].match(email):
        validate_email(email)


@pytest.mark.parametrize("url", URLS)
def test_the_quick_url_check_accepts_nothing_django_refuses(url):
    if PLAINLY_VALID[URLValidator].match(url):
        URLValidator(schemes=["http", "https"])(url)


def test_a_refused_address_is_refused_by_django():
    with pytest.raises(ValidationError):
        validate_email("a@-x.example")
