"""A person's mobile number (« Cellulaire »): on the form, on the file, in its history; in both languages."""

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import ContactPersonFactory

pytestmark = pytest.mark.django_db


def test_the_mobile_is_typed_in_the_form_and_shown_on_the_file(rep_client, contact):
    form = rep_client.get(reverse("contacts:person_add", args=[contact.pk])).text
    assert 'name="new-mobile"' in form and "Cellulaire" in form
    rep_client.post(reverse("contacts:person_add", args=[contact.pk]),
                    {"new-first_name": "Émilie", "new-last_name": "Bouchard", "new-mobile": "+1 418-555-0199"})
    person = contact.people.get()
    assert person.mobile == "+1 418-555-0199"
    assert person.history.first().mobile == "+1 418-555-0199"
    page = rep_client.get(contact.get_absolute_url()).text
    assert "Cellulaire" in page and 'href="tel:+1 418-555-0199"' in page


def test_in_english_it_is_mobile(rep):
    person = ContactPersonFactory(mobile="514-555-0001")
    page = client_for(rep, "en").get(person.contact.get_absolute_url()).text
    assert "Mobile" in page and "514-555-0001" in page
