import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "rlk_"


def hash_token(key: str) -> str:
    """SHA-256 of a token: the keys are 256 random bits, so a fast hash is enough (no salt needed)."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))


class ApiToken(models.Model):
    """A personal API token. Only its hash is kept: the key is shown once, when it is created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, editable=False)
    # The first characters of the key, so its owner can tell their tokens apart.
    hint = models.CharField(_("starts with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["key_hash"], name="apitoken_unique_key_hash")]

    def __str__(self):
        return self.name

    @classmethod
    def issue(cls, *, user, name: str, expires_at=None) -> tuple["ApiToken", str]:
        """A new token and its key (the only time the key exists outside the client)."""
        key = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, expires_at=expires_at, key_hash=hash_token(key),
                                   hint=key[: len(TOKEN_PREFIX) + 4])
        return token, key

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired


class Webhook(models.Model):
    """A URL that receives signed events; set up by administrators (Django admin)."""

    class Event(models.TextChoices):
        CONTACT_CREATED = "contact.created", _("Contact created")
        CONTACT_UPDATED = "contact.updated", _("Contact updated")
        CONTACT_DELETED = "contact.deleted", _("Contact deleted")
        NOTE_CREATED = "note.created", _("Note created")
        NOTE_UPDATED = "note.updated", _("Note updated")
        NOTE_DELETED = "note.deleted", _("Note deleted")
        NOTE_DONE = "note.done", _("Note done")
        OPPORTUNITY_CREATED = "opportunity.created", _("Opportunity created")
        OPPORTUNITY_UPDATED = "opportunity.updated", _("Opportunity updated")
        OPPORTUNITY_DELETED = "opportunity.deleted", _("Opportunity deleted")
        OPPORTUNITY_WON = "opportunity.won", _("Opportunity won")
        OPPORTUNITY_LOST = "opportunity.lost", _("Opportunity lost")

    # Whose eyes the webhook sees with: it receives only what this user may see.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE,
                              related_name="webhooks",
                              help_text=_("The webhook receives only what this user may see."))
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=64, default=secrets.token_hex,
                              help_text=_("Used to sign each delivery (HMAC-SHA256); give it to the receiver."))
    events = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["url", "pk"]

    def __str__(self):
        return self.url

    def get_absolute_url(self):
        return reverse("admin:api_webhook_change", args=[self.pk])


class WebhookDelivery(models.Model):
    """One event for one webhook, with the outcome of its last attempt."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    webhook = models.ForeignKey(Webhook, verbose_name=_("webhook"), on_delete=models.CASCADE,
                                related_name="deliveries")
    event = models.CharField(_("event"), max_length=40, choices=Webhook.Event)
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    response_status = models.PositiveSmallIntegerField(_("last response status"), null=True, blank=True)
    response_body = models.TextField(_("last response"), blank=True)
    error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["webhook", "-created_at"], name="delivery_webhook_idx")]

    def __str__(self):
        return f"{self.event} → {self.webhook}"
