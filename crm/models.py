from django.conf import settings
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
