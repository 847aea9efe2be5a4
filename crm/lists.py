"""Configurable bilingual lists: note types, products, stages, categories, lost reasons.

An administrator names each value in French and English, orders them, retires old ones
(records keep them) and ticks the default new forms preselect (crm/defaults.py).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.defaults import DefaultQuerySet, HasDefault
from crm.language import is_english


class ListEntryQuerySet(DefaultQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def offered(self, current_id=None):
        """Active entries, plus the one a row already holds even if it was deactivated."""
        return self.filter(Q(is_active=True) | Q(pk=current_id)) if current_id else self.active()


class ListEntry(HasDefault):
    """A list value labelled in both languages. Subclasses redeclare `is_active` when its help
    text should name what keeps a retired value (notes, opportunities)."""

    label_fr = models.CharField(_("French label"), max_length=100)
    label_en = models.CharField(_("English label"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(
        _("active"), default=True,
        help_text=_("Inactive values are no longer offered; opportunities keep them."),
    )

    objects = ListEntryQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.label_en if is_english() else self.label_fr
