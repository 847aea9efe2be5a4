import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.models import Contact
from tests.factories import ContactFactory, ContactPersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_file_shows_details_and_people(rep_client, contact_with_people, rep, settings):
    settings.PROSPECTION_ENABLED = True
    Contact.objects.filter(pk=contact_with_people.pk).update(
        website="https://atelierlavoie.example", account_manager=rep, street="12 rue Principale", city="Montréal",
    )
    response = rep_client.get(contact_with_people.get_absolute_url())
    assert response.status_code == 200
    page = response.text
    assert "<h1 class=\"h3 mb-0 me-1\">Atelier Lavoie &amp; Fils</h1>" in page
    assert "Client" in page
    assert 'href="mailto:contact@atelierlavoie.example"' in page
    assert 'href="https://atelierlavoie.example"' in page
    assert "12 rue Principale" in page
    assert "Luc Gagnon" in page  # account manager
    assert "Pierre Lavoie" in page and "Président" in page
    assert "Sophie Côté" in page and 'href="tel:514-555-0199"' in page
    assert page.index("Pierre Lavoie") < page.index("Sophie Côté"), "the primary person comes first"
    assert "Principal" in page
    assert [person.full_name for person in response.context["people"]] == ["Pierre Lavoie", "Sophie Côté"]


def test_the_file_without_people_says_so(rep_client, contact):
    response = rep_client.get(contact.get_absolute_url())
    assert response.status_code == 200
    assert "Aucune personne pour l’instant." in response.text
    assert "Ajouter une personne" in response.text


def test_an_unknown_contact_is_404(rep_client):
    assert rep_client.get(reverse("contacts:detail", args=[999999])).status_code == 404


def test_rep_may_edit_but_not_delete(rep_client, contact):
    page = rep_client.get(contact.get_absolute_url()).text
    assert reverse("contacts:update", args=[contact.pk]) in page
    assert reverse("contacts:delete", args=[contact.pk]) not in page


def test_manager_may_delete(manager_client, contact):
    assert reverse("contacts:delete", args=[contact.pk]) in manager_client.get(contact.get_absolute_url()).text


def test_a_website_that_is_not_http_is_not_linked(rep_client):
    contact = ContactFactory(website="javascript:alert(1)")
    page = rep_client.get(contact.get_absolute_url()).text
    assert 'href="javascript:' not in page
    assert "javascript:alert(1)" in page


def test_text_typed_by_users_is_escaped(rep_client):
    contact = ContactFactory(name="<script>alert(1)</script>", description="<b>gras</b> https://a.example")
    page = rep_client.get(contact.get_absolute_url()).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;b&gt;gras&lt;/b&gt;" in page
    assert '<a href="https://a.example"' in page


def test_tabs_registered_by_other_apps_are_shown(rep_client, contact, fake_slots):
    response = rep_client.get(contact.get_absolute_url(), {"tab": "unknown"})
    assert response.status_code == 200
    assert "Onglet de test" in response.text
    assert response.context["active_tab"].key == "fake"


def test_no_tab_no_tab_bar(rep_client, contact, no_slots):
    response = rep_client.get(contact.get_absolute_url())
    assert 'id="contact-tabs"' not in response.text


def make_people(contact, count: int) -> None:
    ContactPersonFactory(contact=contact, is_primary=True)
    ContactPersonFactory.create_batch(count - 1, contact=contact)


@pytest.mark.parametrize("count", [2, 30])
def test_the_file_runs_a_constant_number_of_queries(rep_client, no_slots, django_assert_num_queries, count):
    contact = ContactFactory(account_manager=UserFactory(), created_by=UserFactory())
    make_people(contact, count)
    # session, user, permissions (one query), contact with its users, people
    with django_assert_num_queries(5):
        response = rep_client.get(contact.get_absolute_url())
    assert len(response.context["people"]) == count


def test_the_file_with_other_apps_tabs_costs_the_same_with_2_or_30_people(rep_client):
    # Whatever the installed apps add, the number of people must not change the cost.
    small, large = ContactFactory(), ContactFactory()
    make_people(small, 2)
    make_people(large, 30)

    with CaptureQueriesContext(connection) as with_2:
        rep_client.get(small.get_absolute_url())
    with CaptureQueriesContext(connection) as with_30:
        rep_client.get(large.get_absolute_url())
    assert len(with_30) == len(with_2)
