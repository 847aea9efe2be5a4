import pytest
from django.urls import reverse

from contacts.models import ContactPerson
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts(contact_with_people):
    ContactFactory(name="Garage Roy", status="prospect")
    return contact_with_people


def result_names(response) -> list[str]:
    return [str(obj) for obj in response.context["cl"].result_list]


def test_contact_admin_searches_names_and_people_without_accents(superuser_client, contacts):
    url = reverse("admin:contacts_contact_changelist")
    assert result_names(superuser_client.get(url, {"q": "cote"})) == ["Atelier Lavoie & Fils"]
    assert result_names(superuser_client.get(url, {"q": "pierre@atelierlavoie.example"})) == ["Atelier Lavoie & Fils"]
    assert result_names(superuser_client.get(url, {"q": "ROY"})) == ["Garage Roy"]


def test_contact_admin_filters_by_status(superuser_client, contacts):
    url = reverse("admin:contacts_contact_changelist")
    assert result_names(superuser_client.get(url, {"status__exact": "client"})) == ["Atelier Lavoie & Fils"]


def test_person_admin_searches_and_filters(superuser_client, contacts):
    url = reverse("admin:contacts_contactperson_changelist")
    assert result_names(superuser_client.get(url, {"q": "sophie"})) == ["Sophie Côté"]
    assert result_names(superuser_client.get(url, {"is_primary__exact": "1"})) == ["Pierre Lavoie"]
    assert sorted(result_names(superuser_client.get(url, {"contact__status__exact": "client"}))) == [
        "Pierre Lavoie", "Sophie Côté",
    ]


def test_contact_admin_pages_open(superuser_client, contacts):
    assert superuser_client.get(reverse("admin:contacts_contact_change", args=[contacts.pk])).status_code == 200
    assert superuser_client.get(reverse("admin:contacts_contact_add")).status_code == 200
    autocomplete = superuser_client.get(reverse("admin:autocomplete"), {
        "term": "cote", "app_label": "contacts", "model_name": "contactperson", "field_name": "contact",
    })
    assert [result["text"] for result in autocomplete.json()["results"]] == ["Atelier Lavoie & Fils"]


def inline_data(contact=None, people=()) -> dict:
    data = {
        "kind": "organization", "name": "Nouvelle SA", "status": "prospect", "email": "", "phone": "", "website": "",
        "street": "", "city": "", "region": "", "postal_code": "", "country": "", "language": "fr",
        "description": "", "external_ref": "", "account_manager": "",
        "people-TOTAL_FORMS": str(len(people)), "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0", "people-MAX_NUM_FORMS": "1000",
    }
    for index, (last_name, primary) in enumerate(people):
        data[f"people-{index}-last_name"] = last_name
        if primary:
            data[f"people-{index}-is_primary"] = "on"
    return data


def test_admin_adds_a_contact_with_people_and_search_text(superuser_client, superuser):
    response = superuser_client.post(reverse("admin:contacts_contact_add"), inline_data(people=[("Bédard", True), ("Roy", False)]))
    assert response.status_code == 302
    person = ContactPerson.objects.get(last_name="Bédard")
    assert person.contact.created_by == superuser
    assert "bedard" in person.contact.search_text and "roy" in person.contact.search_text


def test_admin_refuses_two_primary_people_without_crashing(superuser_client):
    response = superuser_client.post(reverse("admin:contacts_contact_add"), inline_data(people=[("A", True), ("B", True)]))
    assert response.status_code == 200
    assert "Une seule personne peut être le contact principal." in response.text
    assert not ContactPerson.objects.exists()


def test_admin_person_form_refuses_a_second_primary(superuser_client, contact_with_people):
    response = superuser_client.post(reverse("admin:contacts_contactperson_add"), {
        "contact": contact_with_people.pk, "last_name": "Second", "is_primary": "on",
    })
    assert response.status_code == 200
    assert "Ce contact a déjà une personne principale." in response.text


def test_admin_bulk_delete_of_people_refreshes_search_text(superuser_client, contact_with_people):
    sophie = contact_with_people.people.get(first_name="Sophie")
    response = superuser_client.post(reverse("admin:contacts_contactperson_changelist"), {
        "action": "delete_selected", "_selected_action": [sophie.pk], "post": "yes",
    })
    assert response.status_code == 302
    contact_with_people.refresh_from_db()
    assert "sophie" not in contact_with_people.search_text
