"""vCards keep what they hold: NOTE, every TEL and EMAIL with its type, UID as the external reference;
what has no field is named in the summary, never dropped without a word."""

import pytest
from django.core.management.base import CommandError
from django.utils import translation

from contacts.models import Contact, ContactPerson
from tests.imports.conftest import DATA, run_import

pytestmark = pytest.mark.django_db


def card(*lines) -> str:
    return "BEGIN:VCARD\r\nVERSION:3.0\r\n" + "".join(line + "\r\n" for line in lines) + "END:VCARD\r\n"


def test_google_card_with_org_keeps_note_mobile_uid_and_the_other_phones_and_emails():
    run = run_import("import_contacts", DATA / "contacts_google.vcf")
    bakery = Contact.objects.get(external_ref="c9a1f2e0-google-0001")
    assert bakery.name == "Boulangerie Saint-Roch"
    emilie = bakery.people.get()
    assert (emilie.phone, emilie.mobile, emilie.email) == (
        "+1 418-555-0101", "+1 418-555-0199", "emilie@boulangerie.example")
    assert emilie.role == "Propriétaire"
    # French by default (LANGUAGE_CODE): the NOTE and what has no field, with their type.
    assert bakery.description.splitlines() == [
        "Émilie Bouchard : Préfère être appelée le matin, avant 10 h.",
        "Cliente depuis 2019.",
        "Émilie Bouchard, téléphone (domicile) : +1 418-555-0150",
        "Émilie Bouchard, courriel (domicile) : emilie.bouchard@courriel.example",
    ]
    assert bakery.website == "https://boulangerie.example"
    luc = Contact.objects.get(name="Luc Tremblay")
    assert (luc.kind, luc.phone, luc.email, luc.description) == (
        "individual", "(514) 555-0177", "luc.tremblay@courriel.example", "Rencontré au salon")
    # The birthday and Google's group have no field: said, with how many cards had them.
    assert "Non importé, aucun champ ne les contient : BDAY (1 carte), CATEGORIES (2 cartes)." in run.stdout


def test_apple_cards_folded_lines_base64_photo_company_card_and_quoted_printable():
    run = run_import("import_contacts", DATA / "contacts_apple.vcf")
    hardware = Contact.objects.get(external_ref="5A0C9F1E-8D2B-4C3F-9F7A-APPLE0001")
    jean = hardware.people.get()
    assert (jean.first_name, jean.last_name, jean.role) == ("Jean", "Côté", "Gérant")
    assert (jean.phone, jean.mobile, jean.email) == ("+1 (819) 555-0100", "+1 (819) 555-0123",
                                                     "jean@quincaillerie.example")
    assert (hardware.street, hardware.city, hardware.postal_code) == ("45 boul. des Forges", "Trois-Rivières",
                                                                     "G9A 2G4")
    assert hardware.description.splitlines() == [
        "Jean Côté : Note écrite sur une très longue ligne qu’Apple replie à soixante-quinze octets, comme le veut "
        "la norme.",
        "Jean Côté, téléphone (télécopieur) : +1 (819) 555-0101",
    ]
    garage = Contact.objects.get(external_ref="APPLE-COMPANY-0002")
    assert (garage.name, garage.kind, garage.phone, garage.email) == (
        "Garage Lévesque", "organization", "+1 (418) 555-0400", "info@garage.example")
    assert not garage.people.exists()
    helene = ContactPerson.objects.get(last_name="Gagné")
    assert (helene.first_name, helene.mobile, helene.phone) == ("Hélène", "+1 450 555 0111", "")
    assert helene.contact.name == "Ébénisterie Gagné"
    assert helene.contact.description == "Hélène Gagné : Première ligne\r\nDeuxième ligne"
    assert "PHOTO (1 carte)" in run.stdout


def test_reimporting_after_the_company_was_renamed_updates_it(write_file):
    path = write_file("a.vcf", card("UID:abc-1", "N:Roy;Anne;;;", "FN:Anne Roy", "ORG:Vieux nom inc.",
                                    "TEL;TYPE=CELL:514-555-0001"))
    run_import("import_contacts", path)
    Contact.objects.filter(external_ref="abc-1").update(name="Nouveau nom inc.")
    run = run_import("import_contacts", path, update=True)
    assert Contact.objects.count() == 1
    assert ContactPerson.objects.get().mobile == "514-555-0001"
    assert "créés : 0, modifiés : 1" in run.stdout  # the card's name is what the card says
    renamed = write_file("b.vcf", card("UID:abc-1", "N:Roy;Anne;;;", "FN:Anne Roy", "ORG:Nom de la carte inc.",
                                       "TEL;TYPE=CELL:514-555-0001"))
    run_import("import_contacts", renamed, update=True)
    assert list(Contact.objects.values_list("name", flat=True)) == ["Nom de la carte inc."]


def test_a_later_card_of_the_same_organization_cannot_add_a_note_and_says_so(write_file):
    path = write_file("a.vcf", card("N:Roy;Anne;;;", "ORG:Cie", "NOTE:Première")
                      + card("N:Lee;Bo;;;", "ORG:Cie", "NOTE:Seconde", "TEL;TYPE=HOME:1"))
    with translation.override("en"):
        run = run_import("import_contacts", path)
    contact = Contact.objects.get()
    assert contact.description == "Anne Roy : Première"
    assert contact.people.count() == 2
    assert "NOTE (1 carte)" in run.stdout and "TEL (1 carte)" in run.stdout


def test_summary_in_english(write_file, settings):
    settings.LANGUAGE_CODE = "en"
    path = write_file("a.vcf", card("FN:Ann Lee", "BDAY:2000-01-01", "TEL;TYPE=WORK:1", "TEL;TYPE=CELL:2"))
    run = run_import("import_contacts", path)
    assert "Not imported, no field holds them: BDAY (1 card)." in run.stdout
    assert Contact.objects.get().description == "Phone (mobile): 2"


def test_a_huge_property_other_than_a_photo_is_refused_naming_its_line(write_file):
    path = write_file("a.vcf", card("FN:Ann Lee", "NOTE:" + "x" * (2 * 1024 * 1024)))
    with pytest.raises(CommandError, match="Ligne 4"):
        run_import("import_contacts", path)
    assert not Contact.objects.exists()
