import re

import pytest
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse

from contacts.models import Contact, ContactPerson

pytestmark = pytest.mark.django_db


def delete_url(contact):
    return reverse("contacts:delete", args=[contact.pk])


def test_confirmation_says_what_goes_with_the_contact(manager_client, contact_with_people, fake_slots):
    response = manager_client.get(delete_url(contact_with_people))
    assert response.status_code == 200
    assert "Supprimer « Atelier Lavoie &amp; Fils » ?" in response.text
    assert "Personnes : 2" in response.text
    assert "Widgets : 7" in response.text  # counted by another app through slots.CONTACT_DELETE
    assert Contact.objects.filter(pk=contact_with_people.pk).exists()


def test_confirmation_in_english(manager_client_en, contact_with_people, no_slots):
    response = manager_client_en.get(delete_url(contact_with_people))
    assert "People: 2" in response.text
    assert "This cannot be undone." in response.text


def test_post_deletes_the_contact_and_its_people(manager_client, contact_with_people):
    response = manager_client.post(delete_url(contact_with_people), follow=True)
    assert response.redirect_chain == [(reverse("contacts:list"), 302)]
    assert "Contact « Atelier Lavoie &amp; Fils » supprimé." in response.text
    assert not Contact.objects.exists()
    assert not ContactPerson.objects.exists()


def test_rep_may_not_delete(rep_client, contact):
    assert rep_client.get(delete_url(contact)).status_code == 403
    assert rep_client.post(delete_url(contact)).status_code == 403
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_deleting_an_unknown_contact_is_404(manager_client):
    assert manager_client.post(reverse("contacts:delete", args=[999999])).status_code == 404


def test_deleting_needs_the_csrf_token(manager, contact):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    assert client.post(delete_url(contact)).status_code == 403
    assert Contact.objects.filter(pk=contact.pk).exists()

    page = client.get(delete_url(contact)).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert client.post(delete_url(contact), {"csrfmiddlewaretoken": token}).status_code == 302
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_a_contact_another_app_protects_is_kept_with_a_message(manager_client, contact, monkeypatch):
    def protected(self, *args, **kwargs):
        raise ProtectedError("protected", set())

    monkeypatch.setattr(Contact, "delete", protected)
    response = manager_client.post(delete_url(contact), follow=True)
    assert response.redirect_chain == [(contact.get_absolute_url(), 302)]
    assert "ne peut pas être supprimé" in response.text
    assert Contact.objects.filter(pk=contact.pk).exists()
