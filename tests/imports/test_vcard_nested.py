"""A vCard file whose BEGIN/END lines do not pair up is refused, naming the line; nothing is imported.

(A BEGIN:VCARD inside a card used to start the card again silently: 100,000 nested
cards imported as one contact, and the command said it went well.)
"""

import io

import pytest
from django.core.management import CommandError
from django.utils import translation

from contacts.models import Contact
from crm.importing import vcard
from tests.imports.conftest import run_import

CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nEND:VCARD\r\n"


def cards(text: str):
    return list(vcard.read_cards(io.StringIO(text)))


def test_begin_inside_a_card_names_both_lines():
    text = "BEGIN:VCARD\r\nFN:Dehors\r\nBEGIN:VCARD\r\nFN:Dedans\r\nEND:VCARD\r\nEND:VCARD\r\n"
    with translation.override("en"), pytest.raises(vcard.VCardError) as raised:
        cards(text)
    assert str(raised.value) == "Line 3: BEGIN:VCARD inside the card that begins on line 1 (is its END:VCARD missing?)."


def test_end_without_begin_names_its_line():
    with translation.override("en"), pytest.raises(vcard.VCardError) as raised:
        cards(CARD.format(name="A") + "END:VCARD\r\n" + CARD.format(name="B"))
    assert str(raised.value) == "Line 5: END:VCARD without a BEGIN:VCARD before it."


def test_end_without_begin_on_the_last_line():
    with translation.override("en"), pytest.raises(vcard.VCardError, match="^Line 5: END:VCARD without"):
        cards(CARD.format(name="A") + "END:VCARD")


def test_a_file_ending_inside_a_card():
    with translation.override("en"), pytest.raises(vcard.VCardError) as raised:
        cards(CARD.format(name="A") + "BEGIN:VCARD\r\nFN:B\r\n")
    assert str(raised.value) == "The card that begins on line 5 has no END:VCARD."


def test_well_formed_cards_still_read():
    assert [card.text("FN") for _line, card in cards(CARD.format(name="A") + "\r\n" + CARD.format(name="B"))] == [
        "A", "B"]


def test_nested_cards_import_nothing_and_fail_in_french(db, tmp_path):
    path = tmp_path / "nested.vcf"
    # Many well-formed cards first: the error at the end must undo them all.
    path.write_text(CARD.format(name="Premier") * 50 + "BEGIN:VCARD\r\nFN:Dehors\r\n"
                    + "BEGIN:VCARD\r\nFN:Dedans\r\n" * 1000 + "END:VCARD\r\n", encoding="utf-8", newline="")
    with pytest.raises(CommandError) as raised:
        run_import("import_contacts", path)
    assert "Ligne 203 : BEGIN:VCARD dans la fiche qui commence à la ligne 201" in str(raised.value)
    assert not Contact.objects.exists()


def test_end_without_begin_imports_nothing(db, tmp_path):
    path = tmp_path / "extra-end.vcf"
    path.write_text(CARD.format(name="Premier") + "END:VCARD\r\n", encoding="utf-8", newline="")
    with pytest.raises(CommandError, match="Ligne 5 : END:VCARD sans BEGIN:VCARD"):
        run_import("import_contacts", path)
    assert not Contact.objects.exists()
