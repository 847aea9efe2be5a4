from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    """What a user chooses for themselves: language and e-mail reminders."""

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

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return str(self.user)

    @classmethod
    def for_user(cls, user) -> "Profile":
        profile, _created = cls.objects.get_or_create(user=user)
        return profile
