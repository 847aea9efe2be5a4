from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    """What a user chooses for themselves: language, e-mail reminders and calendar alarms."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    email_reminders = models.BooleanField(
        _("daily e-mail reminders"),
        default=True,
        help_text=_("One e-mail each morning listing your overdue and today's actions."),
    )

    class Alarm(models.IntegerChoices):
        """Minutes before a follow-up with a time that the calendar feed asks calendar apps to ring."""

        __empty__ = _("No alarm")
        MINUTES_5 = 5, _("5 minutes before")
        MINUTES_10 = 10, _("10 minutes before")
        MINUTES_15 = 15, _("15 minutes before")
        MINUTES_30 = 30, _("30 minutes before")
        HOUR_1 = 60, _("1 hour before")
        DAY_1 = 1440, _("1 day before")

    calendar_alarm = models.PositiveIntegerField(
        _("calendar alarm"),
        choices=Alarm,
        null=True,
        blank=True,
        help_text=_("Your calendar app (subscribed to your private address) alerts you this long before each "
                    "action that has a time."),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return str(self.user)

    @classmethod
    def for_user(cls, user) -> "Profile":
        profile, _created = cls.objects.get_or_create(user=user)
        return profile

    @staticmethod
    def language_of(user) -> str:
        """The language the user chose on "My preferences", else the site's (e-mails, the calendar feed)."""
        try:
            language = user.profile.language
        except ObjectDoesNotExist:
            language = ""
        return language or settings.LANGUAGE_CODE


class AuditEntry(models.Model):
    """What was done to people's data, kept after the data itself is gone (Law 25 / GDPR).

    Holds no personal data: who acted, when, what kind of record, how many rows; `details` is
    for counts and ids of the audit's own world (an import log id), never names, e-mails or text.
    Written through `crm.audit.record()`.
    """

    class Action(models.TextChoices):
        ERASE = "erase", _("erasure")
        EXPORT = "export", _("export of personal data")
        MERGE = "merge", _("merge")
        IMPORT = "import", _("import")
        UNDO_IMPORT = "undo_import", _("import undone")
        PURGE = "purge", _("retention purge")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    action = models.CharField(_("action"), max_length=16, choices=Action, db_index=True)
    kind = models.CharField(_("kind of record"), max_length=32, blank=True)
    count = models.PositiveIntegerField(_("records"), default=0)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} · {self.kind} · {self.count}"
