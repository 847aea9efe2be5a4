import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contacts.models import Contact
from crm.concurrency import Versioned
from crm.defaults import list_constraints
from crm.history import FEMININE_KINDS
from crm.lists import ListEntry


class NoteType(ListEntry):
    """A configurable kind of note (meeting, phone call, ...), labelled in both languages.
    The note form preselects the default one (« Note » as shipped); « Noter un appel / un
    courriel » preselects the type of the kind it logs (`kind`), whatever its labels say."""

    class Kind(models.TextChoices):
        OTHER = "", _("Other")
        CALL = "call", _("A call")
        EMAIL = "email", _("An e-mail")

    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive types are no longer offered; old notes keep them.")
    )
    kind = models.CharField(
        _("logged as"), max_length=10, choices=Kind.choices, default=Kind.OTHER, blank=True,
        help_text=_("The type « Log a call or an e-mail » preselects for a call or an e-mail: one type of each."),
    )

    default_inactive_message = _("The default type must be active.")
    default_unticked_message = _("The notes need a default type: tick “Default” on another type instead.")

    class Meta(ListEntry.Meta):
        verbose_name = _("note type")
        verbose_name_plural = _("note types")
        constraints = [
            *list_constraints("notetype"),
            models.UniqueConstraint(
                fields=["kind"], condition=~Q(kind=""), name="notetype_one_per_kind",
                violation_error_message=_("Another type is already logged as this: change that one first."),
            ),
        ]


def today() -> datetime.date:
    return timezone.localdate()


class NoteQuerySet(models.QuerySet):
    def visible_to(self, user) -> "NoteQuerySet":
        """The one place the admin-only rule lives: every surface starts here."""
        if not user.is_authenticated or not user.has_perm("notes.view_note"):
            return self.none()
        if user.has_perm("notes.view_admin_only_note"):
            return self
        return self.filter(admin_only=False)

    def history(self):
        return self.filter(is_done=True)

    def actions(self):
        return self.filter(is_done=False)

    def follow_ups(self, *, on: datetime.date | None = None):
        """Actions planned after today ("notes de relance")."""
        return self.actions().filter(date__gt=on or today())

    def overdue(self, *, on: datetime.date | None = None):
        return self.actions().filter(date__lt=on or today())

    def due_on(self, day: datetime.date):
        return self.actions().filter(date=day)

    def assigned_to(self, user):
        return self.filter(assigned_to=user)

    def pinned_first(self):
        return self.order_by("-is_pinned", "-date", "-time", "-pk")


def state_of(is_done: bool, date, day) -> str:
    """A note's state from its facts, `day` being today: what Note.state says, for rows read as plain values."""
    if is_done:
        return "history"
    if date > day:
        return "follow_up"
    return "overdue" if date < day else "today"


class Note(Versioned):
    """A note on a contact: an action until it is done, then a history note."""

    history_kinds = FEMININE_KINDS  # « Note — créée »

    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="notes"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        related_name="assigned_notes",
    )
    date = models.DateField(_("date"), default=today)
    time = models.TimeField(_("time"), null=True, blank=True)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_done = models.BooleanField(_("done"), default=False)
    admin_only = models.BooleanField(_("admin only"), default=False)
    type = models.ForeignKey(
        NoteType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="notes"
    )
    description = models.TextField(_("description"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NoteQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-is_pinned", "-date", "-time", "-pk"]
        permissions = [
            ("view_admin_only_note", _("Can see admin-only notes")),
            # « Ma journée » of every representative (notes/team.py): managers.
            ("view_team_day", _("Can see the team's day")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_done=False, done_at__isnull=True) | Q(is_done=True),
                name="note_done_at_only_when_done",
            ),
        ]
        indexes = [
            # The Notes tab's order; admin_only last, after the unique id, changes no
            # order but lets the tab's count read the index alone (a 5,000-note file: 5 → 1 ms).
            models.Index(fields=["contact", "-is_pinned", "-date", "-time", "-id", "admin_only"],
                         name="note_contact_order_idx"),
            models.Index(fields=["assigned_to", "is_done", "date"], name="note_assignee_state_idx"),
            models.Index(fields=["date", "is_done"], name="note_date_idx"),
            # (note_calendar_idx, covering the calendar, is written by hand in migration 0006.)
            # The home page's pinned notes: a small slice of a large table.
            models.Index(fields=["-date", "-id"], condition=Q(is_pinned=True), name="note_pinned_date_idx"),
            # The team view (notes/team.py): each representative's first open actions by date, and
            # their counts, from a small index (open actions are about an eighth of the notes)
            # that the planner cannot trade for a walk along note_date_idx.
            models.Index(fields=["assigned_to", "date", "time", "id"], condition=Q(is_done=False),
                         name="note_open_assignee_idx"),
            # The API's notes of a contact, newest first (api/filters.py NOTE_ORDERINGS): a page of 50
            # of a 5,000-note file read from the index (35 → 1 ms at scale L).
            models.Index(fields=["contact", "-date", "-id"], name="note_contact_date_idx"),
        ]

    def __str__(self):
        first_line = self.description.strip().splitlines()[0] if self.description.strip() else ""
        return first_line[:80]

    def get_absolute_url(self):
        return reverse("notes:detail", args=[self.pk])

    @property
    def is_history(self) -> bool:
        return self.is_done

    @property
    def is_follow_up(self) -> bool:
        return not self.is_done and self.date > today()

    @property
    def is_overdue(self) -> bool:
        return not self.is_done and self.date < today()

    @property
    def state(self) -> str:
        """history, follow_up, overdue or today (an action due today)."""
        return state_of(self.is_done, self.date, today())

    def mark_done(self, done: bool = True) -> None:
        self.is_done = done
        self.done_at = timezone.now() if done else None


def new_feed_token() -> str:
    import secrets

    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A user's private iCalendar address; whoever knows the token reads the feed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("secret"), max_length=64, default=new_feed_token, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [models.UniqueConstraint(fields=["token"], name="calendarfeed_unique_token")]

    def __str__(self):
        return str(self.user)

    def get_absolute_url(self):
        return reverse("calendar:feed", args=[self.token])

    @property
    def full_url(self) -> str:
        return settings.SITE_URL + self.get_absolute_url()

    @property
    def webcal_url(self) -> str:
        """The same address for the link that opens the user's calendar app."""
        return "webcal://" + self.full_url.split("://", 1)[-1]

    @classmethod
    def rotate(cls, user) -> "CalendarFeed":
        """A new secret for this user; the old address stops working at once."""
        feed, created = cls.objects.get_or_create(user=user)
        if not created:
            feed.token = new_feed_token()
            feed.created_at = timezone.now()
            feed.save(update_fields=["token", "created_at"])
        return feed


class ReminderLog(models.Model):
    """One row per user and day a reminder digest was claimed by a run, then sent (notes/reminders.py):
    running twice sends nothing new; a claim left unsent by a run that died is taken again later."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    day = models.DateField(_("day"))
    claimed_at = models.DateTimeField(_("claimed at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="reminderlog_unique_user_day")]

    def __str__(self):
        return f"{self.user} {self.day.isoformat()}"
