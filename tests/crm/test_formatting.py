from decimal import Decimal

import pytest
from django.utils import translation

from crm.formatting import format_money, format_number


@pytest.mark.parametrize("value, french, english", [
    (Decimal("12345.67"), "12\u202f345,67\u00a0$", "$12,345.67"),
    (Decimal("0.005"), "0,01\u00a0$", "$0.01"),
    (Decimal("-1234.5"), "-1\u202f234,50\u00a0$", "-$1,234.50"),
    (Decimal("1000000"), "1\u202f000\u202f000,00\u00a0$", "$1,000,000.00"),
    (0, "0,00\u00a0$", "$0.00"),
])
def test_money_per_language(value, french, english):
    assert format_money(value, language="fr", currency="CAD") == french
    assert format_money(value, language="en", currency="CAD") == english


def test_money_follows_the_active_language():
    with translation.override("en"):
        assert format_money(Decimal("5")) == "$5.00"
    with translation.override("fr"):
        assert format_money(Decimal("5")) == "5,00\u00a0$"


def test_euro_symbol():
    assert format_money(Decimal("3.5"), language="fr", currency="EUR") == "3,50\u00a0€"


def test_numbers():
    assert format_number(Decimal("1234"), language="fr") == "1\u202f234"
    assert format_number(Decimal("1234.5"), places=1, language="en") == "1,234.5"
    assert format_number(None) == ""
