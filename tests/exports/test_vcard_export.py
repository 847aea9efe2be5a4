"""vCard exports: a contact's people, and the filtered list; read back by import_contacts as the same people."""

import pytest
from django.urls import reverse

from contacts.models import Contact, ContactPerson
from crm.importing import vcard
from tests.factories import ContactFactory, ContactPersonFactory
from tests.imports.conftest import run_import

pytestmark = pytest.mark.django_db


def cards(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    return [card for _line, card in vcard.read_cards(text.splitlines(keepends=True))]


@pytest.fixture
def bakery():
    contact = ContactFactory(name="Boulangerie Saint-Roch; Fils", external_ref="FR-1", street="12, rue Est",
                             city="Québec", postal_code="G1K 3A9", website="https://pain.example")
    ContactPersonFactory(contact=contact, first_name="Émilie", last_name="Bouchard", role="Propriétaire",
                         email="emilie@pain.example", phone="+1 418-555-0101", mobile="+1 418-555-0199",
                         is_primary=True)
    ContactPersonFactory(contact=contact, first_name="Jean-Sébastien-Alexandre-Maximilien", last_name="Côté" * 20,
                         email="jean@pain.example")
    return contact


def test_a_contacts_people_as_vcards_read_back_as_the_same_people(rep_client, bakery, write_file):
    response = rep_client.get(reverse("contacts:people_vcf", args=[bakery.pk]))
    assert response["Content-Disposition"].startswith(f'attachment; filename="contact-{bakery.pk}-')
    found = cards(response)
    assert [card.text("ORG") for card in found] == ["Boulangerie Saint-Roch; Fils"] * 2
    emilie = found[0]
    assert emilie.text("TEL", prefer="CELL") == "+1 418-555-0199"
    assert emilie.components("ADR")[2:6] == ["12, rue Est", "Québec", "", "G1K 3A9"]
    before = sorted(ContactPerson.objects.values_list("first_name", "last_name", "email", "phone", "mobile", "role"))
    path = write_file("people.vcf", b"".join(rep_client.get(
        reverse("contacts:people_vcf", args=[bakery.pk])).streaming_content))
    run_import("import_contacts", path, update=True)  # the same contact (X-RELANCE-REF), nothing changes
    assert Contact.objects.count() == 1
    Contact.objects.all().delete()
    run_import("import_contacts", path)
    contact = Contact.objects.get()
    assert (contact.name, contact.external_ref, contact.city) == ("Boulangerie Saint-Roch; Fils", "FR-1", "Québec")
    after = sorted(ContactPerson.objects.values_list("first_name", "last_name", "email", "phone", "mobile", "role"))
    assert after == before


def test_long_lines_are_folded_at_75_octets(rep_client, bakery):
    response = rep_client.get(reverse("contacts:people_vcf", args=[bakery.pk]))
    lines = b"".join(response.streaming_content).split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)


def test_the_list_export_honours_the_filters(rep_client, bakery):
    ContactFactory(name="Garage Lévesque", status="client", kind="organization", description="Ligne 1\nLigne 2")
    ContactFactory(name="Luc Tremblay", status="client", kind="individual")
    found = cards(rep_client.get(reverse("contacts:export_vcf"), {"status": "client"}))
    assert sorted(card.text("FN") for card in found) == ["Garage Lévesque", "Luc Tremblay"]
    garage = next(card for card in found if card.text("FN") == "Garage Lévesque")
    assert garage.text("X-ABSHOWAS") == "COMPANY" and garage.text("NOTE") == "Ligne 1\nLigne 2"


def test_the_contact_file_links_to_its_peoples_vcards(rep_client, bakery):
    page = rep_client.get(bakery.get_absolute_url()).content.decode()
    assert reverse("contacts:people_vcf", args=[bakery.pk]) in page


def test_an_unknown_contact_is_a_404(rep_client):
    assert rep_client.get(reverse("contacts:people_vcf", args=[999999])).status_code == 404
