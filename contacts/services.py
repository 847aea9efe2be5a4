"""Writes that touch a contact and its people together.

Transactions: a request's writes are already one transaction (crm.middleware.atomic_writes), so these
open none of their own unless they write several rows and are also called outside a request.
"""

from django.db import transaction
from django.db.models import F

from contacts.models import Contact, ContactPerson


@transaction.atomic  # two writes (the flag taken away, the person), also outside a request (the shell)
def save_person(*, person: ContactPerson) -> ContactPerson:
    """Save a person; a new primary person takes the flag from the previous one.

    Saving a person rebuilds the contact's search_text (see ContactPerson.save). Raises
    StaleEdit (and changes nothing) if someone saved this person since it was read.
    """
    if person.is_primary:
        # The previous primary person changes too: a form opened on them before is refused
        # (it would otherwise take the flag back).
        ContactPerson.objects.filter(contact_id=person.contact_id, is_primary=True).exclude(
            pk=person.pk
        ).update(is_primary=False, version=F("version") + 1)
    person.save()
    return person


def create_contact(*, contact: Contact, created_by) -> Contact:
    contact.created_by = created_by
    contact.save()
    return contact
