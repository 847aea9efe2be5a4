"""The contact file's History tab: changes to the contact and its people."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact, ContactPerson
from crm import slots
from crm.history import history_entries

LIMIT = 50


def contact_history(request, contact) -> dict:
    """The last changes of the contact and its people, newest first (3 queries + users).

    The account manager belongs to the prospection module: with the module off, its changes are
    not shown (an entry that changed only it is left out)."""
    records = sorted(
        [*Contact.history.filter(id=contact.pk).select_related("history_user")[: LIMIT + 1],
         *ContactPerson.history.filter(contact_id=contact.pk).select_related("history_user")[: LIMIT + 1]],
        key=lambda record: record.history_date,
        reverse=True,
    )

    def subject(record):
        if record.instance_type is Contact:
            return str(_("Contact"))
        return " ".join(part for part in [record.first_name, record.last_name] if part)

    hidden = frozenset() if settings.PROSPECTION_ENABLED else frozenset({"account_manager"})
    return {"entries": history_entries(records, subject=subject, hidden_fields=hidden)[:LIMIT]}


slots.register(slots.CONTACT_TABS, slots.Panel(
    key="history", label=_("History"), template="_history.html", get_context=contact_history, order=90,
))
