"""The one value a form preselects in a configurable list (note types, stages, ...).

The default is a flag an administrator sets, never "the first by order": adding
a value, or changing an order, must not change what the next notes are saved as.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def one_default(name: str) -> models.UniqueConstraint:
    """At most one row holds the flag; saving a new default takes it from the old one."""
    return models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name=name)


def list_constraints(prefix: str) -> list[models.UniqueConstraint]:
    """What every bilingual list (note types, products, stages...) declares: each label once
    in each language, and one default. Named `<prefix>_unique_label_fr`, `…_en`, `<prefix>_one_default`."""
    return [
        models.UniqueConstraint(fields=["label_fr"], name=f"{prefix}_unique_label_fr"),
        models.UniqueConstraint(fields=["label_en"], name=f"{prefix}_unique_label_en"),
        one_default(f"{prefix}_one_default"),
    ]


class DefaultQuerySet(models.QuerySet):
    def default(self):
        """The active default, or None (then the form preselects nothing)."""
        return self.filter(is_default=True, is_active=True).first()


class HasDefault(models.Model):
    """A list value that may be the list's default. `default_required`: the list always has one."""

    is_default = models.BooleanField(
        _("default"), default=False,
        help_text=_("Preselected in new forms. Ticking it here takes it from the current default."),
    )

    # Whole sentences per list (French agrees them with the noun); `default_required`: never none.
    default_required = True
    default_inactive_message = _("The default value must be active.")
    default_unticked_message = _("The list needs a default: tick “Default” on another value instead.")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using")):
            if self.is_default:
                type(self)._base_manager.filter(is_default=True).exclude(pk=self.pk).update(is_default=False)
            super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.is_default and not self.is_active:
            raise ValidationError({"is_active": self.default_inactive_message})
        if self.default_required and not self.is_default and self.pk:
            if type(self)._base_manager.filter(pk=self.pk, is_default=True).exists():
                raise ValidationError({"is_default": self.default_unticked_message})

    def validate_constraints(self, exclude=None):
        # The one-default constraint is kept by save() (the flag moves), not by the person.
        super().validate_constraints(exclude={*(exclude or ()), "is_default"})
