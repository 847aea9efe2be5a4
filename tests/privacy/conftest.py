import pytest
from django.conf import settings

from tests.conftest import client_for
from tests.factories import ContactFactory, ContactPersonFactory, NoteFactory, UserFactory

MARKER = "ZQXJ-Marqueur-Effacé"


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", first_name="Ada", last_name="Admin", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(admin_user):
    return client_for(admin_user)


@pytest.fixture
def marked_contact(rep, manager):
    """A contact whose every piece of personal data carries MARKER, with a history of changes."""
    contact = ContactFactory(name=f"Atelier {MARKER}", email="atelier@marqueur.example", phone="418 555 0199",
                             description=f"Notes {MARKER}", external_ref=f"ref-{MARKER}")
    contact.city = f"Ville {MARKER}"
    contact.save()  # a second history row
    person = ContactPersonFactory(contact=contact, first_name="Émile", last_name=MARKER, email="emile@marqueur.example")
    person.role = f"Rôle {MARKER}"
    person.save()
    removed = ContactPersonFactory(contact=contact, last_name=f"Parti {MARKER}")
    removed.delete()  # a person deleted earlier: only their history is left
    NoteFactory(contact=contact, assigned_to=rep, description=f"Appel {MARKER}")
    NoteFactory(contact=contact, assigned_to=rep, description=f"Secret {MARKER}", admin_only=True)
    gone = NoteFactory(contact=contact, assigned_to=rep, description=f"Ancienne {MARKER}")
    gone.delete()
    if settings.PROSPECTION_ENABLED:
        from tests.prospection.factories import OpportunityFactory

        opportunity = OpportunityFactory(contact=contact, subject=f"Projet {MARKER}", contact_person=person,
                                         representative=rep)
        opportunity.subject = f"Projet modifié {MARKER}"
        opportunity.save()
    return contact
