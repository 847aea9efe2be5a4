"""Personas shared by every test: a sales rep, a manager, an outsider, an anonymous visitor."""

import pytest
from django.test import Client
from django.utils import translation

from crm.permissions import MANAGERS, SALES_REPS
from tests.factories import ContactFactory, UserFactory


@pytest.fixture(autouse=True)
def _french_by_default(settings):
    # Tests speak the product's default language unless they switch.
    settings.LANGUAGE_CODE = "fr"
    translation.activate("fr")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    # Sign-in throttling and cached charts must not leak from one test to the next.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_webhooks_remembered():
    # The active webhooks are remembered a second (api/events.py): not from one test to the next,
    # so that a bulk change's pinned query count always includes their lookup.
    from api.events import forget_hooks

    forget_hooks()
    yield
    forget_hooks()


@pytest.fixture(scope="session")
def migrated_data(django_db_setup, django_db_blocker) -> str:
    """What the migrations put in the database (groups, note types, lists), as JSON."""
    from django.db import connection

    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


@pytest.fixture
def migrated_data_restored(migrated_data, transactional_db):
    """For transactional tests: the database is emptied after each one, so put back
    what the migrations created before the test builds its own data."""
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    if not Group.objects.exists():
        # The flush re-created content types and permissions with new ids;
        # the saved rows (groups point at permissions) bring back the old ones.
        ContentType.objects.all().delete()
        ContentType.objects.clear_cache()
        connection.creation.deserialize_db_from_string(migrated_data)


@pytest.fixture
def rep(db):
    return UserFactory(username="rep", first_name="Luc", last_name="Gagnon", groups=[SALES_REPS])


@pytest.fixture
def manager(db):
    return UserFactory(username="manager", first_name="Marie", last_name="Tremblay", groups=[MANAGERS])


@pytest.fixture
def outsider(db):
    """Signed in, but in no group: may see nothing of the CRM."""
    return UserFactory(username="outsider", first_name="Oscar", last_name="Dehors")


def client_for(user, language="fr") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


@pytest.fixture
def rep_client(rep):
    return client_for(rep)


@pytest.fixture
def manager_client(manager):
    return client_for(manager)


@pytest.fixture
def outsider_client(outsider):
    return client_for(outsider)


@pytest.fixture
def rep_client_en(rep):
    return client_for(rep, "en")


@pytest.fixture
def contact(db):
    return ContactFactory(name="Boulangerie Saint-Roch")
