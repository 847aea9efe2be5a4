"""Every URL, as every persona, with hostile query strings: never a 500, never hidden data,
and a GET never changes anything."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client

from contacts.models import Contact, ContactPerson
from notes.models import Note
from tests.crm.urlwalk import walk
from tests.factories import ContactPersonFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "SECRET-admin-only-7f3a"
XSS = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
HOSTILE_QUERIES = [
    {"ordering": XSS, "page": "99999999999999999999999", "q": XSS},
    {"ordering": "-password", "page": "-1", "q": "' OR 1=1 --", "status": "nope", "kind": "x" * 5000},
    {"date": "9999-99-99", "assignee": "everyone'--", "type": "abc", "state": "<b>", "tab": "../../etc"},
    {"date": "0001-01-01", "assignee": "-5", "type": "99999999999", "representative": "x",
     "band": "7", "outcome": "{}", "stage": "1e9", "product": "NaN", "category": "[]"},
    {"next": "https://evil.example/", "language": "xx", "page": "0", "tab": "prospection"},
    {"q": "\x00\x01", "date": "2026-02-30", "account_manager": "\u202e"},
]


def snapshot():
    return {
        "contacts": list(Contact.objects.order_by("pk").values_list("pk", "name", "updated_at")),
        "people": list(ContactPerson.objects.order_by("pk").values_list("pk", "last_name")),
        "notes": list(Note.objects.order_by("pk").values_list("pk", "is_done", "is_pinned", "admin_only", "updated_at")),
    }


@pytest.fixture
def world(rep, manager):
    person = ContactPersonFactory(contact__name="Atelier <b>Lavoie</b>", last_name=XSS)
    contact = person.contact
    secret = NoteFactory(contact=contact, assigned_to=rep, admin_only=True, is_pinned=True, description=SECRET)
    public = NoteFactory(contact=contact, assigned_to=rep, description=XSS)
    values = {"/contacts/|pk": contact.pk, "/contacts/|contact_pk": contact.pk, "/contacts/|person_pk": person.pk,
              "/notes/|pk": secret.pk, "/prospection/contacts/|contact_pk": contact.pk}
    if settings.PROSPECTION_ENABLED:
        from tests.prospection.factories import OpportunityFactory

        opportunity = OpportunityFactory(contact=contact, subject=XSS)
        values["/prospection/|pk"] = opportunity.pk
    staff_rep = UserFactory(username="staffrep", is_staff=True, groups=["Sales reps"])
    staff_rep.user_permissions.add(*Permission.objects.filter(codename__in=["view_note", "change_note"]))
    return {"values": values, "secret": secret, "public": public, "staff_rep": staff_rep}


def personas(rep, manager, outsider, staff_rep):
    clients = {"anonymous": Client()}
    for name, user in [("rep", rep), ("manager", manager), ("outsider", outsider), ("staff rep", staff_rep)]:
        clients[name] = Client()
        clients[name].force_login(user)
    return clients


def test_hostile_query_strings_on_every_url_as_every_persona(world, rep, manager, outsider):
    before = snapshot()
    for persona, client in personas(rep, manager, outsider, world["staff_rep"]).items():
        for url, _view, _name in walk(world["values"]):
            for params in HOSTILE_QUERIES:
                response = client.get(url, params)
                assert response.status_code < 500, f"{persona} GET {url} {params} → {response.status_code}"
                body = b"".join(response.streaming_content) if response.streaming else response.content
                text = body.decode("utf-8", "replace")
                if persona != "manager":
                    assert SECRET not in text, f"{persona} saw the admin-only note at {url}"
                if response["Content-Type"].startswith(("text/html", "image/svg+xml")):
                    # Downloads (CSV, iCalendar) carry the text as data, not markup.
                    assert "<script>alert(1)</script>" not in text, f"unescaped text at {url} for {persona}"
                    assert "<img src=x" not in text, f"unescaped text at {url} for {persona}"
    assert snapshot() == before, "a GET changed the database"


def test_the_manager_does_see_the_secret_where_it_belongs(world, manager_client):
    page = manager_client.get(world["secret"].contact.get_absolute_url(), {"tab": "notes"}).content.decode()
    assert SECRET in page
