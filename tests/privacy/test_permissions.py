import pytest
from django.urls import reverse

from contacts.models import Contact
from crm.models import AuditEntry
from tests.factories import ContactFactory, ContactPersonFactory


@pytest.fixture
def two(db):
    first = ContactPersonFactory(contact__name="Premier").contact
    ContactPersonFactory(contact=first)
    second = ContactFactory(name="Second")
    return first, second


def urls(first, second):
    person, other_person = first.people.all()[:2]
    return [
        reverse("privacy:contact_erase", args=[first.pk]),
        reverse("privacy:contact_export", args=[first.pk]),
        reverse("privacy:contact_merge", args=[first.pk]) + f"?other={second.pk}",
        reverse("privacy:person_erase", args=[first.pk, person.pk]),
        reverse("privacy:person_export", args=[first.pk, person.pk]),
        reverse("privacy:person_merge", args=[first.pk, person.pk]) + f"?other={other_person.pk}",
        reverse("privacy:duplicates"),
        reverse("privacy:audit"),
    ]


def test_a_rep_gets_403_on_every_privacy_url_get_and_post(two, rep_client):
    first, second = two
    for url in urls(first, second):
        assert rep_client.get(url).status_code == 403, url
        assert rep_client.post(url, {"other": second.pk, "survivor_version": 0, "other_version": 0}).status_code == 403, url
    assert Contact.objects.count() == 2
    assert first.people.count() == 2
    assert not AuditEntry.objects.exists()


def test_an_outsider_gets_403(two, outsider_client):
    for url in urls(*two):
        assert outsider_client.get(url).status_code == 403, url


def test_a_manager_may_not_see_the_audit_but_an_administrator_may(two, manager_client, admin_client):
    assert manager_client.get(reverse("privacy:audit")).status_code == 403
    assert admin_client.get(reverse("privacy:audit")).status_code == 200


def test_the_file_shows_the_actions_to_managers_only(two, manager_client, rep_client):
    first, _second = two
    url = first.get_absolute_url()
    assert reverse("privacy:contact_erase", args=[first.pk]) in manager_client.get(url).text
    page = rep_client.get(url).text
    assert reverse("privacy:contact_erase", args=[first.pk]) not in page
    assert reverse("privacy:contact_export", args=[first.pk]) not in page
