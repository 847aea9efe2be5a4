"""Every writer keeps a contact's search_text right (contacts.searchable), a person's mobile number included:
the contact list finds the contact by it after each of them."""

import pytest
from django.urls import reverse

from contacts.models import Contact, ContactPerson
from tests.contacts.test_admin import inline_data
from tests.contacts.test_forms import form_data
from tests.contacts.test_people import add_url, delete_url, edit_url, edited, new_person
from tests.factories import ContactFactory, ContactPersonFactory
from tests.imports.conftest import run_import

pytestmark = pytest.mark.django_db
LIST = reverse("contacts:list")
MOBILE = "581 555-0142"


def found_by(client, query) -> list[str]:
    """The names the contact list shows for this search."""
    return [contact.name for contact in client.get(LIST, {"q": query}).context["page"]]


@pytest.fixture
def with_mobile(db):
    ContactFactory(name="Sans rapport", phone="418-555-0000")
    contact = ContactFactory(name="Atelier Lavoie & Fils")
    ContactPersonFactory(contact=contact, first_name="Sophie", last_name="Côté", mobile=MOBILE)
    contact.refresh_from_db()
    return contact


def test_a_person_added_with_a_mobile_is_found_by_it(rep_client, contact):
    rep_client.post(add_url(contact), new_person(mobile=MOBILE))
    assert found_by(rep_client, "5815550142") == [contact.name]
    assert found_by(rep_client, MOBILE) == [contact.name]


def test_a_changed_mobile_is_found_and_the_old_one_is_not(rep_client, with_mobile):
    sophie = with_mobile.people.get()
    response = rep_client.post(edit_url(sophie), edited(sophie, mobile="438 555-0199"))
    assert response.status_code == 302
    assert found_by(rep_client, "4385550199") == [with_mobile.name]
    assert found_by(rep_client, "5815550142") == []


def test_a_deleted_persons_mobile_no_longer_finds_the_contact(rep_client, with_mobile):
    response = rep_client.post(delete_url(with_mobile.people.get()))
    assert response.status_code == 302
    assert found_by(rep_client, "5815550142") == []


def test_the_contact_form_keeps_the_peoples_mobiles(rep_client, with_mobile):
    url = reverse("contacts:update", args=[with_mobile.pk])
    response = rep_client.post(url, form_data(name="Atelier Lavoie enr.", version=with_mobile.version))
    assert response.status_code == 302
    assert found_by(rep_client, "5815550142") == ["Atelier Lavoie enr."]


def test_the_admin_adds_a_person_with_a_mobile(superuser_client, rep_client):
    data = inline_data(people=[("Bédard", True)])
    data["people-0-mobile"] = MOBILE
    assert superuser_client.post(reverse("admin:contacts_contact_add"), data).status_code == 302
    assert found_by(rep_client, "5815550142") == ["Nouvelle SA"]


def test_the_admins_bulk_delete_of_people_forgets_their_mobiles(superuser_client, rep_client, with_mobile):
    response = superuser_client.post(reverse("admin:contacts_contactperson_changelist"), {
        "action": "delete_selected", "_selected_action": [with_mobile.people.get().pk], "post": "yes",
    })
    assert response.status_code == 302
    assert found_by(rep_client, "5815550142") == []
    with_mobile.refresh_from_db()
    assert with_mobile.search_text == with_mobile.build_search_text()


def test_an_imported_person_is_found_by_their_mobile(rep_client, tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text("nom;nom de famille;cellulaire\r\nAtelier Lavoie & Fils;Côté;581 555-0142\r\n", encoding="utf-8")
    run_import("import_contacts", path)
    assert found_by(rep_client, "5815550142") == ["Atelier Lavoie & Fils"]
    contact = Contact.objects.get()
    assert contact.search_text == contact.build_search_text()


def test_a_person_imported_in_a_later_batch_is_found_by_their_mobile(rep_client, tmp_path, monkeypatch):
    from crm.importing.engine import Importer

    monkeypatch.setattr(Importer, "batch_size", 2)  # the contact's second row comes in the second batch
    path = tmp_path / "contacts.csv"
    path.write_text("ref;nom;nom de famille;cellulaire\r\nR-1;Un;Premier;\r\nR-2;Deux;Autre;\r\n"
                    "R-1;Un;Second;581 555-0142\r\n", encoding="utf-8")
    run_import("import_contacts", path)
    assert found_by(rep_client, "5815550142") == ["Un"]


def test_a_merged_contacts_people_bring_their_mobiles(manager_client, rep_client, with_mobile):
    survivor = ContactFactory(name="Atelier Lavoie")
    survivor.refresh_from_db()
    with_mobile.refresh_from_db()
    response = manager_client.post(reverse("privacy:contact_merge", args=[survivor.pk]), {
        "other": with_mobile.pk, "survivor_version": survivor.version, "other_version": with_mobile.version})
    assert response.status_code == 302
    assert ContactPerson.objects.get().contact_id == survivor.pk
    assert found_by(rep_client, "5815550142") == ["Atelier Lavoie"]
