import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from contacts.models import Contact
from crm.models import AuditEntry
from notes.models import Note
from tests.factories import ContactFactory, NoteFactory
from tests.privacy.scan import tables_holding

pytestmark = pytest.mark.django_db


def aged(contact, years):
    when = timezone.now() - datetime.timedelta(days=365 * years + 5)
    Contact.objects.filter(pk=contact.pk).update(updated_at=when)


@pytest.fixture
def world(rep):
    old = ContactFactory(name="Ancien-Client-Oublié", status="inactive")
    NoteFactory(contact=old, assigned_to=rep, description="Vieille-Note-Oubliée",
                date=timezone.localdate() - datetime.timedelta(days=365 * 8))
    Note.objects.update(created_at=timezone.now() - datetime.timedelta(days=365 * 8),
                        updated_at=timezone.now() - datetime.timedelta(days=365 * 8))
    aged(old, 8)
    recent_note = ContactFactory(name="Inactif avec note récente", status="inactive")
    NoteFactory(contact=recent_note, assigned_to=rep)
    aged(recent_note, 8)
    client = ContactFactory(name="Client ancien", status="client")
    aged(client, 8)
    young = ContactFactory(name="Inactif récent", status="inactive")
    return {"old": old, "kept": [recent_note, client, young]}


def test_the_dry_run_lists_and_writes_nothing(world, capsys, settings):
    settings.PRIVACY_RETENTION_YEARS = 7
    before = (Contact.objects.count(), Note.objects.count(), Contact.history.count(), AuditEntry.objects.count())
    call_command("purge_inactive", "--dry-run")
    out = capsys.readouterr().out
    assert "Ancien-Client-Oublié" in out and "1 contact(s) would be erased" in out
    assert "Client ancien" not in out and "Inactif récent" not in out and "note récente" not in out
    assert (Contact.objects.count(), Note.objects.count(), Contact.history.count(), AuditEntry.objects.count()) == before


def test_the_run_erases_what_the_rule_selects(world, capsys, settings):
    settings.PRIVACY_RETENTION_YEARS = 7
    call_command("purge_inactive")
    assert not Contact.objects.filter(pk=world["old"].pk).exists()
    assert all(Contact.objects.filter(pk=contact.pk).exists() for contact in world["kept"])
    assert tables_holding("Vieille-Note-Oubliée") == []
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.kind, entry.user) == ("purge", "contact", None)
    call_command("purge_inactive")  # again, from cron: nothing left to do
    assert "0 contact(s) erased" in capsys.readouterr().out


def test_no_rule_is_a_clear_error(world, settings):
    settings.PRIVACY_RETENTION_YEARS = 0
    with pytest.raises(CommandError, match="PRIVACY_RETENTION_YEARS"):
        call_command("purge_inactive", "--dry-run")
    assert Contact.objects.filter(pk=world["old"].pk).exists()
