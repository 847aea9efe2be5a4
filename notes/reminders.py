"""The daily e-mail digest of each user's overdue and today's actions.

Meant for cron, once a day on one host; safe to run twice, or at once on two hosts by mistake.
A user's digest for a day is first claimed (a ReminderLog row, claimed_at), then sent, then
marked sent (sent_at):
- a run never sends a digest another run claimed less than CLAIM_LEASE ago, nor one marked sent:
  taking a claim is one conditional INSERT or UPDATE, which only one run can win, on
  PostgreSQL as on SQLite;
- a digest that fails to send is released, so the next run tries again;
- a run that dies between the claim and the send leaves a claim without sent_at: the next run
  after CLAIM_LEASE sends it. The mail server cannot take part in the database's transaction,
  so a run that dies in the instant after the server accepted a digest and before sent_at is
  written leaves it to be sent twice: at least once, and twice only in that instant.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from crm.models import Profile
from notes.models import Note, ReminderLog, today

# How long a claim protects a digest that is being sent: far longer than a send can take (the
# SMTP connection times out after 30 s), short enough that a digest left by a run that died
# goes out the same morning.
CLAIM_LEASE = datetime.timedelta(minutes=10)


def recipients(day: datetime.date, *, now: datetime.datetime):
    """Active users with an e-mail address and reminders on, who have an open action due on or
    before `day` and whose digest for `day` is neither sent nor claimed by a run still within
    CLAIM_LEASE (one query)."""
    due = Note.objects.actions().filter(date__lte=day).values("assigned_to")
    taken = ReminderLog.objects.filter(day=day).filter(Q(sent_at__isnull=False) | Q(claimed_at__gte=now - CLAIM_LEASE))
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=due)
        .exclude(email="")
        .exclude(profile__email_reminders=False)
        .exclude(pk__in=taken.values("user"))
        .select_related("profile")
        .order_by("pk")
    )


def due_actions(user, day: datetime.date) -> list[Note]:
    """The user's open actions due on or before `day` that they may see."""
    return list(
        Note.objects.visible_to(user)
        .assigned_to(user)
        .actions()
        .filter(date__lte=day)
        .select_related("contact", "type")
        .order_by("date", F("time").asc(nulls_first=True), "pk")
    )


@dataclass(frozen=True)
class DigestLine:
    """One action of a digest with its absolute links (e-mail links leave the site)."""

    note: Note
    note_url: str  # the note's page
    contact_url: str
    mark_done_url: str  # a page that asks first: following the link changes nothing

    @classmethod
    def of(cls, note: Note) -> "DigestLine":
        return cls(note=note, note_url=settings.SITE_URL + note.get_absolute_url(),
                   contact_url=settings.SITE_URL + note.contact.get_absolute_url(),
                   mark_done_url=settings.SITE_URL + reverse("notes:mark_done", args=[note.pk]))


def digest(user, notes: list[Note], day: datetime.date) -> EmailMultiAlternatives:
    """The user's digest in their language: the plain-text body and the same in HTML (note text
    escaped), each action with a link to its note and one to mark it done."""
    lines = [DigestLine.of(note) for note in notes]
    with translation.override(Profile.language_of(user)):
        context = {
            "user": user,
            "day": day,
            "total": len(notes),
            "overdue": [line for line in lines if line.note.date < day],
            "due_today": [line for line in lines if line.note.date == day],
            "site_url": settings.SITE_URL,
            "calendar_url": settings.SITE_URL + reverse("calendar:month"),
            "preferences_url": settings.SITE_URL + reverse("profile"),
        }
        subject = " ".join(render_to_string("notes/reminder_email_subject.txt", context).split())
        # Template tags leave blank lines behind; a text e-mail wants at most one.
        body = re.sub(r"\n{3,}", "\n\n", render_to_string("notes/reminder_email.txt", context)).strip() + "\n"
        html = render_to_string("notes/reminder_email.html", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message


def claim(user, day: datetime.date, *, now: datetime.datetime) -> bool:
    """Take the user's digest for `day` for this run, stamped `now`; False when it is sent or
    another run claimed it less than CLAIM_LEASE ago. Only one of several runs at once can win:
    the INSERT meets the unique (user, day), the UPDATE re-checks its condition on the row it
    locks (PostgreSQL) or runs alone (SQLite). 1 or 3 queries."""
    try:
        with transaction.atomic():
            ReminderLog.objects.create(user=user, day=day, claimed_at=now)
        return True
    except IntegrityError:
        pass
    stale = Q(sent_at__isnull=True, claimed_at__lt=now - CLAIM_LEASE)
    return ReminderLog.objects.filter(stale, user=user, day=day).update(claimed_at=now) == 1


def mine(user, day: datetime.date, claimed_at: datetime.datetime):
    """The claim as this run made it (not one another run took over since)."""
    return ReminderLog.objects.filter(user=user, day=day, claimed_at=claimed_at, sent_at__isnull=True)


def claimed_elsewhere(day: datetime.date, *, now: datetime.datetime) -> int:
    """Digests another run claimed less than CLAIM_LEASE ago and has not marked sent."""
    return ReminderLog.objects.filter(day=day, sent_at__isnull=True, claimed_at__gte=now - CLAIM_LEASE).count()


@dataclass
class ReminderReport:
    sent: int = 0
    failed: list[str] = field(default_factory=list)
    # Digests left to another run (claimed less than CLAIM_LEASE ago, not sent yet).
    claimed_elsewhere: int = 0


def send_followup_reminders(*, day: datetime.date | None = None) -> ReminderReport:
    """E-mail each user who has overdue or today's actions one digest for `day` (today by default).

    For each digest: claim (committed), send, mark sent (committed), in that order; see the
    module's docstring for what a crash or a second run at once can do.
    """
    day = day or today()
    report = ReminderReport()
    started = timezone.now()
    users = list(recipients(day, now=started))
    if users:
        with mailers.default as connection:
            for user in users:
                if not user.has_perm("notes.view_note"):
                    continue
                notes = due_actions(user, day)
                claimed_at = timezone.now()
                if not notes or not claim(user, day, now=claimed_at):
                    continue
                try:
                    connection.send_messages([digest(user, notes, day)])
                except OSError as error:  # smtplib's errors are OSErrors too
                    mine(user, day, claimed_at).delete()
                    report.failed.append(f"{user.get_username()} <{user.email}>: {error}")
                else:
                    mine(user, day, claimed_at).update(sent_at=timezone.now())
                    report.sent += 1
    report.claimed_elsewhere = claimed_elsewhere(day, now=timezone.now())
    return report
