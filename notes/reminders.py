"""The daily e-mail digest of each user's overdue and today's actions.

Meant for cron, once a day on one host; safe to run twice: a user's digest
for a day is recorded (ReminderLog) before it is sent, so a second run, even
a concurrent one, sends nothing new. A digest that fails to send is
forgotten, so the next run tries again.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMessage, mailers
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from notes.models import Note, ReminderLog, today


def user_language(user) -> str:
    """The language the user chose on "My preferences", else the site's."""
    try:
        language = user.profile.language
    except ObjectDoesNotExist:
        language = ""
    return language or settings.LANGUAGE_CODE


def recipients(day: datetime.date):
    """Active users with an e-mail address and reminders on, not yet reminded on `day`,
    who have an open action due on or before `day` (one query)."""
    due = Note.objects.actions().filter(date__lte=day).values("assigned_to")
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=due)
        .exclude(email="")
        .exclude(profile__email_reminders=False)
        .exclude(pk__in=ReminderLog.objects.filter(day=day).values("user"))
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


def digest(user, notes: list[Note], day: datetime.date) -> EmailMessage:
    with translation.override(user_language(user)):
        context = {
            "user": user,
            "day": day,
            "total": len(notes),
            "overdue": [note for note in notes if note.date < day],
            "due_today": [note for note in notes if note.date == day],
            "site_url": settings.SITE_URL,
            "calendar_url": settings.SITE_URL + reverse("calendar:month"),
            "preferences_url": settings.SITE_URL + reverse("profile"),
        }
        subject = " ".join(render_to_string("notes/reminder_email_subject.txt", context).split())
        # Template tags leave blank lines behind; a text e-mail wants at most one.
        body = re.sub(r"\n{3,}", "\n\n", render_to_string("notes/reminder_email.txt", context)).strip() + "\n"
    return EmailMessage(subject=subject, body=body, to=[user.email])


def claim(user, day: datetime.date) -> bool:
    """Record that the user's digest for `day` is being sent; False if it already was."""
    _log, created = ReminderLog.objects.get_or_create(user=user, day=day)
    return created


@dataclass
class ReminderReport:
    sent: int = 0
    failed: list[str] = field(default_factory=list)


def send_followup_reminders(*, day: datetime.date | None = None) -> ReminderReport:
    """E-mail each user who has overdue or today's actions one digest for `day` (today by default)."""
    day = day or today()
    report = ReminderReport()
    users = list(recipients(day))
    if not users:
        return report
    with mailers.default as connection:
        for user in users:
            if not user.has_perm("notes.view_note"):
                continue
            notes = due_actions(user, day)
            if not notes or not claim(user, day):
                continue
            try:
                connection.send_messages([digest(user, notes, day)])
            except OSError as error:  # smtplib's errors are OSErrors too
                ReminderLog.objects.filter(user=user, day=day).delete()
                report.failed.append(f"{user.get_username()} <{user.email}>: {error}")
            else:
                report.sent += 1
    return report
