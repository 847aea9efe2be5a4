"""A POST that fails half-way writes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from contacts.models import Contact
from notes.models import Note

pytestmark = pytest.mark.django_db


def test_a_failing_post_leaves_no_half_written_rows(rep, contact, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("the database went away")

    # The note row is written, then the history record fails.
    monkeypatch.setattr("simple_history.models.HistoricalRecords.create_historical_record", explode)
    client = Client(raise_request_exception=False)
    client.force_login(rep)
    response = client.post(reverse("notes:create", args=[contact.pk]), {
        "assigned_to": rep.pk, "date": "2026-11-28", "type": 1, "description": "moitié"})
    assert response.status_code == 500
    assert not Note.objects.exists()
    assert Contact.objects.filter(pk=contact.pk).exists()
