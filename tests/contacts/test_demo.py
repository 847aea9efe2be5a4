import pytest

from contacts import demo
from contacts.models import Contact
from crm.demo import seed_users
from crm.text import fold

pytestmark = pytest.mark.django_db


def test_demo_contacts_cover_every_status_with_people_and_run_twice():
    users = seed_users()
    assert demo.seed(users=users) == len(demo.CONTACTS)
    assert demo.seed(users=users) == 0
    for status in Contact.Status.values:
        assert Contact.objects.filter(status=status, people__isnull=False).exists(), status
    for contact in Contact.objects.prefetch_related("people"):
        contact.full_clean()
        for person in contact.people.all():
            person.full_clean()
            assert fold(person.full_name) in contact.search_text
        assert contact.people.filter(is_primary=True).count() <= 1
