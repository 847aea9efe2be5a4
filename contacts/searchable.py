"""A contact's search_text: the folded words the contact list's text search looks in — built here and nowhere else.

A contact's search_text holds its own name, e-mail, phone (also as digits)
and external reference, and each of its people's names, e-mail, phone and
mobile (also as digits). Every writer goes through this module:

- the model: Contact.save() builds it (build), ContactPerson.save() and
  delete() rebuild their contact's (Contact.refresh_search_text → build);
- the bulk writers, which send no signals and call no save() (the admin's
  bulk delete of people, the import, the undo of an import): refresh();
- the import builds it in memory for the contacts of a batch (build on drafts).
"""

from collections import defaultdict

from django.utils import timezone

from crm.text import digits, fold

# The fields read, listed once: what the loaders below and Contact.refresh_search_text load.
CONTACT_FIELDS = ("name", "email", "phone", "external_ref")
PERSON_FIELDS = ("first_name", "last_name", "email", "phone", "mobile")


def build(contact, people) -> str:
    """The search text of `contact` with `people`: model instances, Blueprint drafts, or historical models."""
    words = [contact.name, contact.email, contact.phone, digits(contact.phone), contact.external_ref]
    for person in people:
        words += [person.first_name, person.last_name, person.email, person.phone, digits(person.phone),
                  person.mobile, digits(person.mobile)]
    return fold(" ".join(word for word in words if word))


def people_of(contact_ids) -> dict:
    """contact pk → its people, with the fields the search text reads (1 query)."""
    from contacts.models import ContactPerson

    found = defaultdict(list)
    for person in ContactPerson.objects.filter(contact_id__in=contact_ids).only("contact_id", *PERSON_FIELDS) \
            .order_by("pk"):
        found[person.contact_id].append(person)
    return found


def refresh(contact_ids, *, chunk: int = 2000) -> int:
    """Rebuild the search text of these contacts from the database; those whose text changed count as updated.

    3 queries a chunk (contacts, people, one UPDATE; no history, no version: it is no edit). Returns how many changed.
    """
    from contacts.models import Contact
    from crm.importing import bulk_sql

    ids, now, changed_count = sorted(set(contact_ids)), timezone.now(), 0
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        people = people_of(part)
        changed = []
        for contact in Contact.objects.filter(pk__in=part).only(*CONTACT_FIELDS, "search_text"):
            text = build(contact, people.get(contact.pk, []))
            if text != contact.search_text:
                contact.search_text, contact.updated_at = text, now
                changed.append(contact)
        bulk_sql.update(Contact, changed, ["search_text", "updated_at"])
        changed_count += len(changed)
    return changed_count
