import pytest
from django.test import Client
from django.urls import reverse

from contacts.models import Contact
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db
CREATE = reverse("contacts:create")


def form_data(**overrides) -> dict:
    data = {
        "kind": "organization", "name": "Boulangerie Saint-Roch", "status": "prospect",
        "email": "info@saintroch.example", "phone": "418-555-0101", "website": "https://saintroch.example",
        "language": "fr", "street": "", "city": "Québec", "region": "QC", "postal_code": "", "country": "Canada",
        "description": "", "external_ref": "",
    }
    return {**data, **overrides}


def test_the_new_contact_form_is_shown(rep_client):
    response = rep_client.get(CREATE)
    assert response.status_code == 200
    assert "Nouveau contact" in response.text
    assert 'name="website"' in response.text


def test_rep_creates_a_contact(rep_client, rep):
    response = rep_client.post(CREATE, form_data(), follow=True)
    contact = Contact.objects.get()
    assert response.redirect_chain == [(contact.get_absolute_url(), 302)]
    assert contact.created_by == rep
    assert contact.name == "Boulangerie Saint-Roch"
    assert "boulangerie saint-roch" in contact.search_text
    assert "Contact « Boulangerie Saint-Roch » créé." in response.text


@pytest.mark.parametrize("typed, saved", [
    ("www.saintroch.example", "https://www.saintroch.example"),
    ("saintroch.example:8080/menu", "https://saintroch.example:8080/menu"),
    ("HTTP://saintroch.example", "HTTP://saintroch.example"),
])
def test_a_website_without_a_scheme_gets_https(rep_client, typed, saved):
    assert rep_client.post(CREATE, form_data(website=typed)).status_code == 302
    assert Contact.objects.get().website == saved


@pytest.mark.parametrize("client_name, messages", [
    ("rep_client", [
        "Saisissez une adresse Web commençant par http:// ou https://.",
        "Saisissez une adresse de courriel valide.",
        "Ce champ est obligatoire.",
    ]),
    ("rep_client_en", [
        "Enter a web address starting with http:// or https://.",
        "Enter a valid email address.",
        "This field is required.",
    ]),
])
def test_validation_messages_in_the_users_language(request, client_name, messages):
    client = request.getfixturevalue(client_name)
    response = client.post(CREATE, form_data(name="", website="ftp://x", email="pas-un-courriel"))
    assert response.status_code == 200
    for message in messages:
        assert message in response.text
    assert not Contact.objects.exists()


@pytest.mark.parametrize("website", ["javascript:alert(1)", "ftp://files.example", "http://", "mailto:a@b.example"])
def test_only_http_and_https_websites_are_accepted(rep_client, website):
    response = rep_client.post(CREATE, form_data(website=website))
    assert response.status_code == 200
    assert response.context["form"].errors["website"]
    assert not Contact.objects.exists()


def test_a_taken_external_reference_is_refused_on_the_field(rep_client_en):
    ContactFactory(external_ref="CRM-1", name="Other")
    response = rep_client_en.post(CREATE, form_data(external_ref="CRM-1"))
    assert response.context["form"].errors == {"external_ref": ["Another contact already has this external reference."]}
    assert Contact.objects.count() == 1


@pytest.mark.parametrize("field, value", [("name", "BOULANGERIE saint-roch"), ("email", "INFO@saintroch.example")])
def test_a_likely_duplicate_is_shown_before_saving(rep_client, field, value):
    existing = ContactFactory(name="Boulangerie Saint-Roch", email="info@saintroch.example", city="Québec")
    data = form_data(name="Autre nom", email="autre@example.com")
    data[field] = value
    response = rep_client.post(CREATE, data)
    assert response.status_code == 200
    assert "Ce contact existe peut-être déjà :" in response.text
    assert f'href="{existing.get_absolute_url()}"' in response.text
    assert 'name="save_anyway"' in response.text
    assert Contact.objects.count() == 1


def test_save_anyway_creates_the_look_alike(rep_client):
    ContactFactory(name="Boulangerie Saint-Roch")
    response = rep_client.post(CREATE, {**form_data(), "save_anyway": "1"})
    assert response.status_code == 302
    assert Contact.objects.filter(name="Boulangerie Saint-Roch").count() == 2


def test_the_plain_save_button_comes_first_so_enter_does_not_save_anyway(rep_client):
    ContactFactory(name="Boulangerie Saint-Roch")
    page = rep_client.post(CREATE, form_data()).text
    assert page.index('<button type="submit" class="btn btn-relance">') < page.index('name="save_anyway"')


def test_editing_a_contact(rep_client, contact):
    url = reverse("contacts:update", args=[contact.pk])
    assert rep_client.get(url).status_code == 200
    response = rep_client.post(url, form_data(name="Boulangerie Saint-Roch enr.", status="client",
                                              version=contact.version), follow=True)
    contact.refresh_from_db()
    assert contact.name == "Boulangerie Saint-Roch enr."
    assert contact.status == "client"
    assert "saint-roch enr." in contact.search_text
    assert "Contact « Boulangerie Saint-Roch enr. » enregistré." in response.text


def test_editing_does_not_warn_again_about_a_known_look_alike(rep_client):
    ContactFactory(name="Garage Roy")
    contact = ContactFactory(name="Garage Roy")
    response = rep_client.post(reverse("contacts:update", args=[contact.pk]), form_data(name="Garage Roy", email=contact.email, city="Laval",
                                                                                          version=contact.version))
    assert response.status_code == 302


def test_renaming_to_an_existing_name_warns(rep_client, contact):
    ContactFactory(name="Garage Roy")
    response = rep_client.post(reverse("contacts:update", args=[contact.pk]),
                               form_data(name="Garage Roy", version=contact.version))
    assert response.status_code == 200
    assert "Ce contact existe peut-être déjà :" in response.text
    contact.refresh_from_db()
    assert contact.name == "Boulangerie Saint-Roch"


def test_an_invalid_edit_keeps_the_saved_name_in_the_title(rep_client, contact):
    response = rep_client.post(reverse("contacts:update", args=[contact.pk]), form_data(name=""))
    assert response.status_code == 200
    assert "Modifier « Boulangerie Saint-Roch »" in response.text
    contact.refresh_from_db()
    assert contact.name == "Boulangerie Saint-Roch"


def test_editing_an_unknown_contact_is_404(rep_client):
    assert rep_client.get(reverse("contacts:update", args=[999999])).status_code == 404


def test_creating_needs_the_csrf_token(rep):
    client = Client(enforce_csrf_checks=True)
    client.force_login(rep)
    assert client.post(CREATE, form_data()).status_code == 403
    assert not Contact.objects.exists()
