"""The daily reminder e-mail: one digest per user, in their language, once a day."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command

from crm.models import Profile
from crm.permissions import MANAGERS, SALES_REPS
from notes.models import NoteType, ReminderLog
from notes.reminders import send_followup_reminders
from tests.factories import ContactFactory, NoteFactory, UserFactory

DAY = datetime.date(2026, 11, 28)


def run(day=DAY) -> str:
    out = StringIO()
    call_command("send_followup_reminders", "--date", day.isoformat(), stdout=out)
    return out.getvalue()


def days(offset: int) -> datetime.date:
    return DAY + datetime.timedelta(days=offset)


@pytest.fixture
def english_rep(db):
    user = UserFactory(username="anna", first_name="Anna", last_name="Smith", groups=[SALES_REPS])
    Profile.objects.create(user=user, language="en")
    return user


def test_digest_lists_overdue_and_today_actions_with_links(rep, manager):
    contact = ContactFactory(name="Boulangerie Saint-Roch")
    overdue = NoteFactory(assigned_to=rep, contact=contact, date=days(-3), description="Relancer la soumission")
    due_today = NoteFactory(
        assigned_to=rep, date=days(0), time=datetime.time(14, 30), description="Rappeler le client",
        type=NoteType.objects.get(label_en="Phone call"),
    )
    NoteFactory(assigned_to=rep, date=days(1), description="Demain")
    NoteFactory(assigned_to=rep, date=days(-1), is_done=True, description="Déjà fait")
    NoteFactory(assigned_to=manager, date=days(0), description="Pour Marie")

    assert run() == "2 reminder(s) sent.\n"

    mine = [message for message in mail.outbox if message.to == ["rep@example.com"]]
    assert len(mine) == 1
    message = mine[0]
    assert message.subject == "Relance : 2 actions à faire"
    body = message.body
    assert body.startswith("Bonjour Luc,")
    assert "En retard (1)" in body and "Aujourd’hui (1)" in body
    assert body.index("Relancer la soumission") < body.index("Aujourd’hui (1)") < body.index("Rappeler le client")
    assert "25 novembre 2026 · Note · Boulangerie Saint-Roch" in body
    assert "28 novembre 2026 14:30 · Appel téléphonique" in body
    assert f"http://127.0.0.1:8000{contact.get_absolute_url()}" in body
    assert f"http://127.0.0.1:8000{overdue.contact.get_absolute_url()}" in body
    assert f"http://127.0.0.1:8000{due_today.contact.get_absolute_url()}" in body
    assert "http://127.0.0.1:8000/profile/" in body
    for absent in ["Demain", "Déjà fait", "Pour Marie"]:
        assert absent not in body
    assert "&amp;" not in body and "&#x27;" not in body


def test_each_user_gets_the_digest_in_their_language(rep, english_rep):
    NoteFactory(assigned_to=rep, date=days(0), contact=ContactFactory(name="Café & Cie"))
    NoteFactory(assigned_to=english_rep, date=days(-1), type=NoteType.objects.get(label_en="Phone call"))
    run()
    by_user = {message.to[0]: message for message in mail.outbox}
    french, english = by_user["rep@example.com"], by_user["anna@example.com"]
    assert french.subject == "Relance : 1 action à faire"
    assert "Café & Cie" in french.body  # plain text: no HTML escaping
    assert english.subject == "Relance: 1 action to do"
    assert english.body.startswith("Good morning Anna,")
    assert "Overdue (1)" in english.body and "Phone call" in english.body
    assert "Nov. 27, 2026" in english.body


def test_users_who_opted_out_get_nothing(rep):
    Profile.objects.create(user=rep, email_reminders=False)
    NoteFactory(assigned_to=rep, date=days(0))
    assert run() == "0 reminder(s) sent.\n"
    assert mail.outbox == []


def test_running_twice_the_same_day_sends_nothing_new(rep, english_rep):
    NoteFactory(assigned_to=rep, date=days(0))
    NoteFactory(assigned_to=english_rep, date=days(-2))
    assert run() == "2 reminder(s) sent.\n"
    assert run() == "0 reminder(s) sent.\n"
    assert len(mail.outbox) == 2
    assert ReminderLog.objects.filter(day=DAY).count() == 2
    # The next day is a new day.
    assert run(days(1)) == "2 reminder(s) sent.\n"
    assert len(mail.outbox) == 4


def test_nothing_due_means_no_e_mail(rep):
    NoteFactory(assigned_to=rep, date=days(2))
    NoteFactory(assigned_to=rep, date=days(-2), is_done=True)
    assert send_followup_reminders(day=DAY).sent == 0
    assert mail.outbox == []
    assert not ReminderLog.objects.exists()


def test_inactive_users_users_without_address_and_outsiders_get_nothing(db):
    gone = UserFactory(username="gone", is_active=False, groups=[SALES_REPS])
    no_address = UserFactory(username="nomail", email="", groups=[SALES_REPS])
    outsider = UserFactory(username="outsider")
    for user in (gone, no_address, outsider):
        NoteFactory(assigned_to=user, date=days(0))
    assert send_followup_reminders(day=DAY).sent == 0
    assert mail.outbox == []


def test_rep_is_not_reminded_of_admin_only_notes(rep, manager):
    NoteFactory(assigned_to=rep, admin_only=True, date=days(0), description="Dossier confidentiel")
    assert send_followup_reminders(day=DAY).sent == 0
    NoteFactory(assigned_to=rep, date=days(0), description="Appel ordinaire")
    NoteFactory(assigned_to=manager, admin_only=True, date=days(0), description="Pour la direction")
    assert send_followup_reminders(day=DAY).sent == 2
    by_user = {message.to[0]: message.body for message in mail.outbox}
    assert "Appel ordinaire" in by_user["rep@example.com"]
    assert "Dossier confidentiel" not in by_user["rep@example.com"]
    assert "Pour la direction" in by_user["manager@example.com"]


def test_a_user_without_a_profile_is_reminded_in_the_site_language(rep):
    assert not Profile.objects.filter(user=rep).exists()
    NoteFactory(assigned_to=rep, date=days(0))
    run()
    assert mail.outbox[0].subject == "Relance : 1 action à faire"


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("connection refused")


def test_a_digest_that_fails_is_sent_again_next_run(rep, settings):
    NoteFactory(assigned_to=rep, date=days(0))
    settings.MAILERS = {"default": {"BACKEND": "tests.notes.test_reminders.FailingBackend"}}
    with pytest.raises(CommandError, match="could not be sent"):
        run()
    assert not ReminderLog.objects.exists()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert run() == "1 reminder(s) sent.\n"
    assert len(mail.outbox) == 1


def test_manager_digest_counts(manager, django_assert_max_num_queries):
    for offset in range(-5, 1):
        NoteFactory(assigned_to=manager, date=days(offset))
    with django_assert_max_num_queries(8):
        report = send_followup_reminders(day=DAY)
    assert report.sent == 1
    assert mail.outbox[0].subject == "Relance : 6 actions à faire"
    assert manager.groups.filter(name=MANAGERS).exists()
