"""The list endpoints cost the same number of queries for 2 rows or a full page, page 1 or later."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import Contact
from tests.factories import ContactFactory, ContactPersonFactory, NoteFactory

# A token request: the token with its user, the user's permissions (one query), then the
# page (and for contacts, their people in one query).
PINNED = {"contacts": 4, "notes": 3, "opportunities": 3}


def queries(api, url, params=None) -> int:
    api.get(url, params)  # the token's last-used date is written once a minute: not counted below
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url, params)
    assert response.status_code == 200, response.content
    return len(captured)


def test_contacts_list_costs_the_same_with_2_or_60_contacts(rep_api):
    for contact in ContactFactory.create_batch(2):
        ContactPersonFactory(contact=contact)
    few = queries(rep_api, "/api/v1/contacts/")
    for contact in ContactFactory.create_batch(58):
        ContactPersonFactory.create_batch(2, contact=contact)
    many = queries(rep_api, "/api/v1/contacts/")
    second_page = rep_api.get("/api/v1/contacts/").json()["next"]
    assert few == many == queries(rep_api, second_page) == PINNED["contacts"]


def test_notes_of_a_contact_cost_the_same_with_2_or_60_notes(rep_api, contact, rep):
    NoteFactory.create_batch(2, contact=contact, assigned_to=rep)
    few = queries(rep_api, "/api/v1/notes/", {"contact": contact.pk})
    NoteFactory.create_batch(58, contact=contact, assigned_to=rep)
    many = queries(rep_api, "/api/v1/notes/", {"contact": contact.pk})
    assert few == many == PINNED["notes"]


@pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module off")
def test_opportunities_cost_the_same_with_2_or_60(rep_api, rep):
    from prospection.models import Opportunity, Stage

    stage = Stage.objects.default()

    def add(count):
        contacts = Contact.objects.bulk_create([Contact(name=f"Client {index}") for index in range(count)])
        for contact in contacts:
            Opportunity.objects.create(contact=contact, subject="Site", stage=stage, representative=rep)

    add(2)
    few = queries(rep_api, "/api/v1/opportunities/")
    add(58)
    many = queries(rep_api, "/api/v1/opportunities/")
    assert few == many == PINNED["opportunities"]
