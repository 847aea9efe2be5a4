from django.db import models
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact


class ContactRedirect(models.Model):
    """The address of a contact merged into another leads to the survivor.

    Holds only the old id: no personal data. Merging the survivor again moves these rows
    with everything else pointing at it; erasing it erases them (CASCADE).
    """

    old_id = models.PositiveBigIntegerField(_("old contact number"), primary_key=True)
    contact = models.ForeignKey(Contact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("merged contact's address")
        verbose_name_plural = _("merged contacts' addresses")
        # The rights of this app, given to the Managers group (migration 0002).
        permissions = [
            ("erase_personal_data", _("Can erase a contact's or a person's data")),
            ("export_personal_data", _("Can export a contact's or a person's data")),
            ("merge_contacts", _("Can merge duplicate contacts and people")),
        ]

    def __str__(self):
        return f"{self.old_id} → {self.contact_id}"


class MatchKey(models.Model):
    """One key a contact is compared on (contacts.matching): the duplicates page joins on them."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=8)
    key = models.CharField(max_length=300)

    class Meta:
        indexes = [
            models.Index(fields=["rule", "key"], name="matchkey_rule_key_idx"),
            models.Index(fields=["contact"], name="matchkey_contact_idx"),
        ]

    def __str__(self):
        return f"{self.contact_id} {self.rule}"


class DuplicatePair(models.Model):
    """Two contacts sharing at least one key, with their score (first.pk < second.pk)."""

    first = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()
    rules = models.CharField(max_length=40)  # the rules shared, comma-separated

    class Meta:
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="duplicatepair_unique")]
        indexes = [
            models.Index(fields=["-score", "first", "second"], name="duplicatepair_score_idx"),
            models.Index(fields=["second"], name="duplicatepair_second_idx"),
        ]

    def __str__(self):
        return f"{self.first_id} ~ {self.second_id} ({self.score})"


class MatchState(models.Model):
    """The one row saying up to which change (contacts' updated_at) the keys are computed."""

    through = models.DateTimeField(null=True)  # the last change seen
    ran_at = models.DateTimeField(null=True)  # when the window last moved
    queued_at = models.DateTimeField(null=True)  # a background refresh is pending (privacy.tasks)

    def __str__(self):
        return str(self.through)
