import pytest

from crm import slots
from tests.conftest import client_for
from tests.factories import ContactFactory, ContactPersonFactory, UserFactory


@pytest.fixture
def no_slots():
    """The contact pages with no tab or delete count from other apps, so query counts are ours."""
    with slots.isolated():
        yield


@pytest.fixture
def fake_slots():
    """One tab and one delete count registered the way another app would."""
    with slots.isolated():
        slots.register(slots.CONTACT_TABS, slots.Panel(
            key="fake", label="Onglet de test", template="contacts/_status_badge.html",
            get_context=lambda request, contact: {"contact": contact},
        ))
        slots.register(slots.CONTACT_DELETE, slots.Count(key="fake", label="widgets", count=lambda request, contact: 7))
        yield


@pytest.fixture
def superuser(db):
    return UserFactory(username="boss", is_staff=True, is_superuser=True)


@pytest.fixture
def superuser_client(superuser):
    return client_for(superuser)


@pytest.fixture
def manager_client_en(manager):
    return client_for(manager, "en")


@pytest.fixture
def contact_with_people(db):
    contact = ContactFactory(name="Atelier Lavoie & Fils", email="contact@atelierlavoie.example", status="client")
    ContactPersonFactory(contact=contact, first_name="Pierre", last_name="Lavoie", email="pierre@atelierlavoie.example",
                         role="Président", is_primary=True)
    ContactPersonFactory(contact=contact, first_name="Sophie", last_name="Côté", email="sophie@atelierlavoie.example",
                         phone="514-555-0199")
    contact.refresh_from_db()
    return contact

