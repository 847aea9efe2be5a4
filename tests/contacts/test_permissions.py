import pytest
from django.urls import reverse

from contacts.models import Contact, ContactPerson
from tests.factories import ContactPersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(db):
    return ContactPersonFactory()


def every_url(person) -> list[tuple[str, str]]:
    contact = person.contact
    return [
        ("get", reverse("contacts:list")),
        ("get", reverse("contacts:export")),
        ("get", reverse("contacts:create")),
        ("post", reverse("contacts:create")),
        ("get", reverse("contacts:detail", args=[contact.pk])),
        ("get", reverse("contacts:update", args=[contact.pk])),
        ("post", reverse("contacts:update", args=[contact.pk])),
        ("get", reverse("contacts:delete", args=[contact.pk])),
        ("post", reverse("contacts:delete", args=[contact.pk])),
        ("post", reverse("contacts:person_add", args=[contact.pk])),
        ("get", reverse("contacts:person_update", args=[contact.pk, person.pk])),
        ("post", reverse("contacts:person_update", args=[contact.pk, person.pk])),
        ("post", reverse("contacts:person_delete", args=[contact.pk, person.pk])),
        ("get", reverse("contacts:person_delete", args=[contact.pk, person.pk])),
    ]


def test_outsider_gets_403_on_every_contacts_url(outsider_client, person):
    for method, url in every_url(person):
        response = getattr(outsider_client, method)(url, {"new-last_name": "X", "name": "X"})
        assert response.status_code == 403, (method, url)
    assert "Accès refusé" in response.text
    assert Contact.objects.count() == 1
    assert ContactPerson.objects.count() == 1


def test_anonymous_visitor_is_sent_to_sign_in_from_every_contacts_url(client, person):
    for method, url in every_url(person):
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url)
        assert response.url.startswith(reverse("login") + "?next="), (method, url)
    assert ContactPerson.objects.count() == 1


def test_rep_may_do_everything_but_delete_a_contact(rep):
    assert rep.has_perms(["contacts.view_contact", "contacts.add_contact", "contacts.change_contact"])
    assert not rep.has_perm("contacts.delete_contact")


def test_manager_may_do_everything(manager):
    assert manager.has_perms([
        "contacts.view_contact", "contacts.add_contact", "contacts.change_contact", "contacts.delete_contact",
    ])
