"""The daily reminder e-mail: one digest per user, in their language, once a day."""

import datetime
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from io import StringIO
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.db.models import F
from django.utils import timezone

from crm.models import Profile
from crm.permissions import MANAGERS, SALES_REPS
from notes.models import NoteType, ReminderLog
from notes.reminders import send_followup_reminders
from tests.factories import ContactFactory, NoteFactory, UserFactory
from tests.notes.mailbox import received

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

    assert run() == "2 rappels envoyés.\n"

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
    assert "27 Nov 2026" in english.body


def test_users_who_opted_out_get_nothing(rep):
    Profile.objects.create(user=rep, email_reminders=False)
    NoteFactory(assigned_to=rep, date=days(0))
    assert run() == "0 rappel envoyé.\n"
    assert mail.outbox == []


def test_running_twice_the_same_day_sends_nothing_new(rep, english_rep):
    NoteFactory(assigned_to=rep, date=days(0))
    NoteFactory(assigned_to=english_rep, date=days(-2))
    assert run() == "2 rappels envoyés.\n"
    assert run() == "0 rappel envoyé.\n"
    assert len(mail.outbox) == 2
    assert ReminderLog.objects.filter(day=DAY).count() == 2
    # The next day is a new day.
    assert run(days(1)) == "2 rappels envoyés.\n"
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
    with pytest.raises(CommandError, match="n’a pas pu être envoyé"):
        run()
    assert not ReminderLog.objects.exists()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert run() == "1 rappel envoyé.\n"
    assert len(mail.outbox) == 1


def test_manager_digest_counts(manager, django_assert_max_num_queries):
    for offset in range(-5, 1):
        NoteFactory(assigned_to=manager, date=days(offset))
    with django_assert_max_num_queries(8):
        report = send_followup_reminders(day=DAY)
    assert report.sent == 1
    assert mail.outbox[0].subject == "Relance : 6 actions à faire"
    assert manager.groups.filter(name=MANAGERS).exists()


# A run that dies ------------------------------------------------------------------------
# A digest is claimed (a row with claimed_at), sent, then marked sent (sent_at). A run killed
# between the claim and the send leaves a claim without sent_at: the next run after
# CLAIM_LEASE takes it and sends the digest, once.

def subprocess_database(tmp_path) -> str:
    """A DATABASE_URL another process can open holding this test's committed rows: the test
    database itself on PostgreSQL, a copy of the in-memory one in a file on SQLite."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        path = tmp_path / "db.sqlite3"
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.close()
        return f"sqlite:///{path}"
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    return f"postgres://{quote(db['USER'])}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def command(database_url: str, mailbox, **extra_env) -> subprocess.Popen:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(DJANGO_SETTINGS_MODULE="tests.notes.mailbox", DATABASE_URL=database_url,
               RELANCE_TEST_MAILBOX=str(mailbox), **extra_env)
    return subprocess.Popen(
        [sys.executable, "manage.py", "send_followup_reminders", "--date", DAY.isoformat()],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def finished(process: subprocess.Popen) -> str:
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    return stdout


def claims(database_url: str) -> list[tuple[str, bool]]:
    """(user name, sent?) of the day's rows, as the other process left them."""
    sql = ("SELECT u.username, r.sent_at IS NOT NULL FROM notes_reminderlog r"
           " JOIN auth_user u ON u.id = r.user_id WHERE r.day = %s ORDER BY u.username")
    if database_url.startswith("sqlite"):
        with closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as db:
            return [(name, bool(sent)) for name, sent in db.execute(sql.replace("%s", "?"), [DAY.isoformat()])]
    with connection.cursor() as cursor:
        cursor.execute(sql, [DAY])
        return [(name, bool(sent)) for name, sent in cursor.fetchall()]


def age_claims(database_url: str, minutes: int) -> None:
    """As if `minutes` had gone by since the day's claims were made."""
    if database_url.startswith("sqlite"):
        with closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as db, db:
            for pk, claimed_at in db.execute("SELECT id, claimed_at FROM notes_reminderlog").fetchall():
                older = datetime.datetime.fromisoformat(claimed_at) - datetime.timedelta(minutes=minutes)
                db.execute("UPDATE notes_reminderlog SET claimed_at = ? WHERE id = ?",
                           [older.isoformat(sep=" "), pk])
        return
    ReminderLog.objects.update(claimed_at=F("claimed_at") - datetime.timedelta(minutes=minutes))


@pytest.mark.django_db(transaction=True)
def test_a_run_killed_after_claiming_leaves_the_digest_to_the_next_run_once(migrated_data_restored, tmp_path):
    first = UserFactory(username="luc", first_name="Luc", groups=[SALES_REPS])
    second = UserFactory(username="marie", first_name="Marie", groups=[SALES_REPS])
    assert first.pk < second.pk  # the run claims users in this order
    NoteFactory(assigned_to=first, date=days(0))
    NoteFactory(assigned_to=second, date=days(-1))
    database_url = subprocess_database(tmp_path)
    mailbox = tmp_path / "mailbox"
    mailbox.mkdir()

    stalled = tmp_path / "stalled"
    process = command(database_url, mailbox, RELANCE_TEST_MAIL_STALL=str(stalled))
    deadline = time.monotonic() + 60
    while not stalled.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert stalled.exists(), process.communicate()
    process.send_signal(signal.SIGKILL)  # after claiming luc, while his digest is not yet sent
    process.wait(timeout=10)
    assert received(mailbox) == []
    assert claims(database_url) == [("luc", False)]

    # Right away, luc's claim may be a run that is still sending: it is left alone, and said so.
    out = finished(command(database_url, mailbox))
    assert out.startswith("1 rappel envoyé.\n")
    assert "1 récapitulatif a été réservé par une autre exécution il y a moins de 10 minutes" in out
    assert received(mailbox) == ["marie@example.com"]

    age_claims(database_url, 11)
    assert finished(command(database_url, mailbox)) == "1 rappel envoyé.\n"
    assert received(mailbox) == ["luc@example.com", "marie@example.com"]
    assert claims(database_url) == [("luc", True), ("marie", True)]

    age_claims(database_url, 60 * 24)
    assert finished(command(database_url, mailbox)) == "0 rappel envoyé.\n"
    assert received(mailbox) == ["luc@example.com", "marie@example.com"]


def test_a_fresh_claim_of_another_run_is_left_alone_a_stale_one_is_taken_once(rep):
    NoteFactory(assigned_to=rep, date=days(0))
    claim = ReminderLog.objects.create(user=rep, day=DAY, claimed_at=timezone.now())
    out = run()
    assert out.startswith("0 rappel envoyé.\n")
    assert mail.outbox == []
    ReminderLog.objects.filter(pk=claim.pk).update(claimed_at=timezone.now() - datetime.timedelta(minutes=11))
    assert run() == "1 rappel envoyé.\n"
    assert run() == "0 rappel envoyé.\n"
    assert len(mail.outbox) == 1
    log = ReminderLog.objects.get()
    assert log.sent_at is not None and log.sent_at >= log.claimed_at


def test_a_sent_digest_is_never_taken_again_however_old(rep):
    NoteFactory(assigned_to=rep, date=days(0))
    assert run() == "1 rappel envoyé.\n"
    ReminderLog.objects.update(claimed_at=F("claimed_at") - datetime.timedelta(days=1))
    assert run() == "0 rappel envoyé.\n"
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (SQLite serialises them)")
def test_two_runs_at_once_send_each_digest_once(migrated_data_restored):
    users = [UserFactory(username=f"user{number}", groups=[SALES_REPS]) for number in range(12)]
    for user in users:
        NoteFactory(assigned_to=user, date=days(0))
    start = threading.Barrier(2)
    reports = []

    def one_run():
        try:
            start.wait()
            reports.append(send_followup_reminders(day=DAY))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(report.sent for report in reports) == 12
    assert sorted(message.to[0] for message in mail.outbox) == sorted(user.email for user in users)
