"""Every state change needs the CSRF token: a forged cross-site POST changes nothing."""

import pytest
from django.conf import settings
from django.test import Client

from tests.crm.urlwalk import walk
from tests.factories import ContactPersonFactory, NoteFactory
from tests.security.test_hostile_input import snapshot

pytestmark = pytest.mark.django_db


def test_no_url_accepts_a_post_without_the_csrf_token(manager):
    person = ContactPersonFactory()
    contact = person.contact
    note = NoteFactory(contact=contact, assigned_to=manager)
    values = {"/contacts/|pk": contact.pk, "/contacts/|contact_pk": contact.pk, "/contacts/|person_pk": person.pk,
              "/notes/|pk": note.pk, "/prospection/contacts/|contact_pk": contact.pk}
    if settings.PROSPECTION_ENABLED:
        from tests.prospection.factories import OpportunityFactory

        values["/prospection/|pk"] = OpportunityFactory(contact=contact).pk
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    before = snapshot()
    checked = 0
    for url, _view, name in walk(values):
        if name.startswith("admin:") and name != "admin:logout":
            continue
        response = client.post(url, {"name": "forged", "description": "forged", "language": "en",
                                     "is_pinned": "on", "account_manager": manager.pk})
        # The API (api:*) never takes the session: a cookie-borne POST is 401 there, not a CSRF 403.
        refused = (401, 403, 404, 405) if name.startswith("api:") else (403, 404, 405)
        assert response.status_code in refused, f"POST {url} → {response.status_code}"
        checked += 1
    assert checked > 25
    assert snapshot() == before


def test_admin_post_needs_the_token_too(db):
    from tests.factories import UserFactory

    admin = UserFactory(username="boss", is_staff=True, is_superuser=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    response = client.post("/admin/contacts/contact/add/", {"name": "forged"})
    assert response.status_code == 403
