import pytest
from django.urls import reverse

from crm import audit
from crm.models import AuditEntry


@pytest.fixture
def entries(manager, rep):
    audit.record(manager, "erase", kind="contact", count=1)
    audit.record(manager, "export", kind="person", count=1)
    audit.record(rep, "import", kind="contacts", count=120)
    audit.record(None, "purge", kind="contact", count=1)


def test_the_audit_lists_every_action(entries, admin_client):
    response = admin_client.get(reverse("privacy:audit"))
    assert response.status_code == 200
    table = response.text.split('data-testid="audit"')[1]
    assert table.count("<tr>") == 5
    assert "120" in table and "Marie Tremblay" in table


def test_the_audit_filters_by_action_and_user(entries, admin_client, manager):
    table = admin_client.get(reverse("privacy:audit"), {"action": "import"}).text.split('data-testid="audit"')[1]
    assert table.count("<tr>") == 2 and "120" in table
    table = admin_client.get(reverse("privacy:audit"), {"user": manager.pk}).text.split('data-testid="audit"')[1]
    assert table.count("<tr>") == 3


def test_bad_filters_change_nothing_and_give_no_error(entries, admin_client):
    for params in ({"action": "<b>"}, {"user": "abc"}, {"since": "2026-02-30"}, {"page": "9999"}):
        assert admin_client.get(reverse("privacy:audit"), params).status_code == 200
    assert AuditEntry.objects.count() == 4


def test_the_audit_page_costs_the_same_with_many_entries(entries, admin_client, manager, django_assert_max_num_queries):
    for _number in range(60):
        audit.record(manager, "export", kind="contact", count=1)
    with django_assert_max_num_queries(10):
        admin_client.get(reverse("privacy:audit"))
