from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from crm.importing.engine import elapsed
from crm.text import user_name

register = template.Library()

# The engine's tally names (Importer.tallies()) and counts, as people read them.
TALLY_LABELS = {"contacts": _("Contacts"), "people": _("People"), "notes": _("Notes"),
                "opportunities": _("Opportunities")}
COUNT_LABELS = {"created": pgettext_lazy("import count", "created"), "updated": pgettext_lazy("import count", "updated"),
                "unchanged": pgettext_lazy("import count", "unchanged"),
                "deleted": pgettext_lazy("import count", "deleted"), "restored": pgettext_lazy("import count", "put back")}


@register.filter
def tally_label(name):
    return TALLY_LABELS.get(name, name)


@register.filter
def count_label(name):
    return COUNT_LABELS.get(name, name)


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key, 0)


@register.filter
def display_name(user):
    return user_name(user)


@register.filter
def seconds(value):
    return f"{elapsed(value or 0)} s"
