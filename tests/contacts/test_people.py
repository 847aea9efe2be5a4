import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from contacts.models import Contact, ContactPerson
from tests.conftest import client_for
from tests.factories import ContactFactory, ContactPersonFactory

pytestmark = pytest.mark.django_db


def add_url(contact):
    return reverse("contacts:person_add", args=[contact.pk])


def edit_url(person):
    return reverse("contacts:person_update", args=[person.contact_id, person.pk])


def delete_url(person):
    return reverse("contacts:person_delete", args=[person.contact_id, person.pk])


def new_person(**overrides) -> dict:
    data = {"first_name": "Émilie", "last_name": "Bouchard", "role": "Propriétaire",
            "email": "emilie@saintroch.example", "phone": "418-555-0102"}
    return {f"new-{key}": value for key, value in {**data, **overrides}.items()}


def edited(person, **overrides) -> dict:
    data = {"first_name": person.first_name, "last_name": person.last_name, "role": person.role,
            "email": person.email, "phone": person.phone, "is_primary": "on" if person.is_primary else "",
            "version": person.version}  # the version the form was opened with, as the browser sends it
    data = {key: value for key, value in {**data, **overrides}.items() if value != ""}
    return {f"person-{person.pk}-{key}": value for key, value in data.items()}


def test_add_a_person_from_the_contact_file(rep_client, contact):
    response = rep_client.post(add_url(contact), new_person(is_primary="on"), follow=True)
    person = contact.people.get()
    assert response.redirect_chain == [(contact.get_absolute_url() + "#people", 302)]
    assert (person.full_name, person.role, person.is_primary) == ("Émilie Bouchard", "Propriétaire", True)
    assert "Personne ajoutée : Émilie Bouchard." in response.text
    contact.refresh_from_db()
    assert "emilie bouchard" in contact.search_text
    assert "emilie@saintroch.example" in contact.search_text


def test_the_file_loads_person_forms_only_when_asked(rep_client, contact_with_people):
    sophie = contact_with_people.people.get(first_name="Sophie")
    page = rep_client.get(contact_with_people.get_absolute_url()).text
    assert f'hx-get="{add_url(contact_with_people)}" hx-target="#person-new"' in page
    assert f'hx-get="{edit_url(sophie)}" hx-target="#person-edit-{sophie.pk}"' in page
    assert 'name="new-last_name"' not in page and f'name="person-{sophie.pk}-last_name"' not in page


@pytest.mark.parametrize("as_fragment", [True, False])
def test_the_add_form_comes_as_a_fragment_or_as_a_page(rep_client, contact, as_fragment):
    headers = {"HX-Request": "true"} if as_fragment else {}
    response = rep_client.get(add_url(contact), headers=headers)
    assert response.status_code == 200
    assert f'action="{add_url(contact)}"' in response.text
    assert 'name="new-last_name"' in response.text
    assert ("<html" in response.text) is not as_fragment
    assert "HX-Request" in response["Vary"]
    assert not ContactPerson.objects.exists()


def test_the_edit_form_fragment_holds_the_person(rep_client, contact_with_people):
    sophie = contact_with_people.people.get(first_name="Sophie")
    response = rep_client.get(edit_url(sophie), headers={"HX-Request": "true"})
    assert f'action="{edit_url(sophie)}"' in response.text
    assert 'value="Côté"' in response.text
    assert "<html" not in response.text


def test_a_reader_gets_no_person_forms(outsider, contact_with_people):
    outsider.user_permissions.add(Permission.objects.get(codename="view_contact"))
    reader = client_for(outsider)
    sophie = contact_with_people.people.get(first_name="Sophie")
    page = reader.get(contact_with_people.get_absolute_url()).text
    assert "Sophie" in page
    assert add_url(contact_with_people) not in page and edit_url(sophie) not in page
    for url in (add_url(contact_with_people), edit_url(sophie)):
        assert reader.get(url, headers={"HX-Request": "true"}).status_code == 403


@pytest.mark.parametrize("client_name, messages", [
    ("rep_client", ["Ce champ est obligatoire.", "Saisissez une adresse de courriel valide."]),
    ("rep_client_en", ["This field is required.", "Enter a valid email address."]),
])
def test_an_invalid_person_is_shown_on_the_file_with_its_errors(request, contact, client_name, messages):
    client = request.getfixturevalue(client_name)
    response = client.post(add_url(contact), new_person(last_name="", email="pas-un-courriel"))
    assert response.status_code == 200
    assert response.templates[0].name == "contacts/contact_detail.html"
    assert 'class="collapse show" id="person-new"' in response.text
    for message in messages:
        assert message in response.text
    assert 'value="pas-un-courriel"' in response.text
    assert not ContactPerson.objects.exists()


def test_a_new_primary_person_replaces_the_previous_one(rep_client, contact):
    first = ContactPersonFactory(contact=contact, is_primary=True)
    rep_client.post(add_url(contact), new_person(is_primary="on"))
    first.refresh_from_db()
    assert not first.is_primary
    assert contact.people.get(is_primary=True).last_name == "Bouchard"


def test_edit_a_person(rep_client, contact_with_people):
    sophie = contact_with_people.people.get(first_name="Sophie")
    response = rep_client.post(edit_url(sophie), edited(sophie, last_name="Pelletier", role="Comptable"), follow=True)
    sophie.refresh_from_db()
    assert (sophie.last_name, sophie.role) == ("Pelletier", "Comptable")
    assert "Personne enregistrée : Sophie Pelletier." in response.text
    contact_with_people.refresh_from_db()
    assert "pelletier" in contact_with_people.search_text
    assert "cote" not in contact_with_people.search_text


def test_making_someone_primary_moves_the_flag(rep_client, contact_with_people):
    sophie = contact_with_people.people.get(first_name="Sophie")
    rep_client.post(edit_url(sophie), edited(sophie, is_primary="on"))
    assert contact_with_people.people.get(is_primary=True) == sophie


def test_an_invalid_edit_is_shown_open_on_the_file(rep_client_en, contact_with_people):
    sophie = contact_with_people.people.get(first_name="Sophie")
    response = rep_client_en.post(edit_url(sophie), edited(sophie, email="nope"))
    assert response.status_code == 200
    assert f'class="collapse show" id="person-edit-{sophie.pk}"' in response.text
    assert "Enter a valid email address." in response.text
    sophie.refresh_from_db()
    assert sophie.email == "sophie@atelierlavoie.example"


def test_the_edit_page_works_without_javascript(rep_client, contact_with_people):
    sophie = contact_with_people.people.get(first_name="Sophie")
    response = rep_client.get(edit_url(sophie))
    assert response.status_code == 200
    assert "Modifier la personne" in response.text
    assert 'value="Côté"' in response.text


def test_remove_a_person(rep_client, contact_with_people):
    sophie = contact_with_people.people.get(first_name="Sophie")
    response = rep_client.post(delete_url(sophie), follow=True)
    assert response.redirect_chain == [(contact_with_people.get_absolute_url() + "#people", 302)]
    assert "Personne retirée : Sophie Côté." in response.text
    assert not ContactPerson.objects.filter(pk=sophie.pk).exists()
    assert Contact.objects.filter(pk=contact_with_people.pk).exists()
    assert rep_client.get(reverse("contacts:list"), {"q": "sophie"}).context["page"].paginator.count == 0


def test_removing_asks_first(rep_client, contact_with_people):
    assert 'data-confirm="Retirer Sophie Côté ?"' in rep_client.get(contact_with_people.get_absolute_url()).text


def test_people_change_only_by_post(rep_client, contact_with_people):
    sophie = contact_with_people.people.get(first_name="Sophie")
    assert rep_client.get(delete_url(sophie)).status_code == 405
    assert rep_client.get(add_url(contact_with_people), {"new-last_name": "Intrus"}).status_code == 200  # the form
    assert ContactPerson.objects.filter(pk=sophie.pk).exists()
    assert not ContactPerson.objects.filter(last_name="Intrus").exists()


def test_a_person_of_another_contact_is_404(rep_client, contact_with_people):
    stranger = ContactPersonFactory(contact=ContactFactory(name="Ailleurs"))
    wrong = [contact_with_people.pk, stranger.pk]
    assert rep_client.get(reverse("contacts:person_update", args=wrong)).status_code == 404
    assert rep_client.post(reverse("contacts:person_update", args=wrong), {"person-x-last_name": "X"}).status_code == 404
    assert rep_client.post(reverse("contacts:person_delete", args=wrong)).status_code == 404
    assert ContactPerson.objects.filter(pk=stranger.pk).exists()


def test_adding_to_an_unknown_contact_is_404(rep_client):
    assert rep_client.post(reverse("contacts:person_add", args=[999999]), new_person()).status_code == 404


def test_removing_a_person_needs_the_csrf_token(rep, contact_with_people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(rep)
    sophie = contact_with_people.people.get(first_name="Sophie")
    assert client.post(delete_url(sophie)).status_code == 403
    assert client.post(add_url(contact_with_people), new_person()).status_code == 403
    assert contact_with_people.people.count() == 2
