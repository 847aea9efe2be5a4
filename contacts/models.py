from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contacts import searchable
from crm.concurrency import Versioned

http_url = URLValidator(schemes=["http", "https"], message=_("Enter a web address starting with http:// or https://."))


class Contact(Versioned):
    """The contact file ("fiche prospect / client"): an organization or a person."""

    class Kind(models.TextChoices):
        ORGANIZATION = "organization", _("Organization")
        INDIVIDUAL = "individual", _("Individual")

    class Status(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        CLIENT = "client", _("Client")
        INACTIVE = "inactive", _("Inactive")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.ORGANIZATION)
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PROSPECT)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.CharField(_("website"), max_length=300, blank=True, validators=[http_url])
    street = models.TextField(_("street address"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("province / state"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="fr"
    )
    description = models.TextField(_("description"), blank=True)
    external_ref = models.CharField(
        _("external reference"),
        max_length=100,
        blank=True,
        help_text=_("Identifier in another system; imports use it to update instead of duplicate."),
    )
    # "Gestionnaire de compte", edited on the Prospection tab.
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_contacts",
    )
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
    # Folded name, e-mail, phone and people, so one indexed column answers
    # the text search (a trigram index on PostgreSQL, see migration 0002).
    search_text = models.TextField(editable=False, default="")

    history = HistoricalRecords(excluded_fields=["search_text", "version", "updated_at"])

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_ref"],
                condition=~Q(external_ref=""),
                name="contact_unique_external_ref",
                violation_error_message=_("Another contact already has this external reference."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["prospect", "client", "inactive"]),
                name="contact_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["organization", "individual"]),
                name="contact_kind_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["name", "id"], name="contact_name_idx"),
            models.Index(fields=["status", "name"], name="contact_status_name_idx"),
            models.Index(fields=["-updated_at"], name="contact_updated_idx"),
            # Imports match e-mails whatever their case: LOWER(email) IN (…).
            models.Index(Lower("email"), name="contact_email_lower_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contacts:detail", args=[self.pk])

    @property
    def website_url(self) -> str:
        """The website if it is safe to link to (http or https only), else ''."""
        return self.website if self.website.lower().startswith(("http://", "https://")) else ""

    @property
    def postal_address(self) -> str:
        locality = " ".join(part for part in [self.city, self.region, self.postal_code] if part)
        return "\n".join(part for part in [self.street, locality, self.country] if part)

    def build_search_text(self, people=None) -> str:
        """Folded words the list's text search looks in: this contact's and its people's (contacts.searchable)."""
        if people is None:
            people = self.people.all() if self.pk else []
        return searchable.build(self, people)

    def refresh_search_text(self) -> None:
        """Rebuild search_text from the people in the database (2 queries); the file counts as updated."""
        people = ContactPerson.objects.filter(contact_id=self.pk).only(*searchable.PERSON_FIELDS)
        self.search_text = self.build_search_text(people=people)
        self.updated_at = timezone.now()
        Contact.objects.filter(pk=self.pk).update(search_text=self.search_text, updated_at=self.updated_at)

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)


class ContactPerson(Versioned):
    """A person at a contact ("personne contact"); versioned like the contact (crm.concurrency)."""

    # The history names the person: "Émilie Bouchard — person added" (« personne ajoutée »).
    history_kinds = {"+": _("person added"), "~": _("person changed"), "-": _("person removed")}

    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="people"
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    role = models.CharField(_("role"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # « Cellulaire » in Québec French; vCards' TEL;TYPE=CELL comes here.
    mobile = models.CharField(_("mobile"), max_length=40, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        ordering = ["-is_primary", "last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact"],
                condition=Q(is_primary=True),
                name="contactperson_one_primary",
                violation_error_message=_("This contact already has a primary person."),
            ),
        ]
        indexes = [models.Index(fields=["contact", "last_name"], name="person_contact_name_idx")]

    def __str__(self):
        return self.full_name

    # The contact's search_text holds its people's names, e-mails and phones,
    # so every single-row write of a person rebuilds it. Bulk writes
    # (QuerySet.update/delete, bulk_create) must call contacts.searchable.refresh().
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.contact.refresh_search_text()

    def get_absolute_url(self):
        return reverse("contacts:detail", args=[self.contact_id]) + "#people"

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.contact.refresh_search_text()
        return result

    @property
    def full_name(self) -> str:
        return " ".join(part for part in [self.first_name, self.last_name] if part)
