"""Rows of other imports (notes, opportunities) name their contact by external reference or exact name."""

from collections import defaultdict

from django.utils.translation import gettext as _

from contacts.models import Contact
from crm.importing.engine import Column


def contact_column(**options) -> Column:
    return Column(
        "contact",
        ("contact", "nom du contact", "contact name", "référence externe", "external reference", "external_ref",
         "référence du contact", "contact reference", "client", "entreprise", "company"),
        required=True,
        **options,
    )


def find_contacts(importer, rows, *, key: str = "contact", only=("name", "external_ref")) -> dict:
    """Row number → the contact its `key` cell names: by external reference, else by exact name (2 queries).

    A name several contacts share, or that nobody has, is an error on the row.
    """
    wanted = {row[key] for row in rows if key in row}
    if not wanted:
        return {}
    fields = {"pk", *only}
    # exclude(external_ref="") lets the database use the unique (partial) index.
    by_ref = {contact.external_ref: contact
              for contact in Contact.objects.exclude(external_ref="").filter(external_ref__in=wanted).only(*fields)}
    by_name = defaultdict(list)
    names = wanted - set(by_ref)
    if names:
        for contact in Contact.objects.filter(name__in=names).only(*fields).order_by("pk"):
            by_name[contact.name].append(contact)
    found = {}
    for row in rows:
        if key not in row:
            continue
        value = row[key]
        contact = by_ref.get(value)
        if contact is None:
            named = by_name.get(value, [])
            if len(named) > 1:
                importer.error(row, key, _("%(count)s contacts are named “%(value)s”; use the contact’s external "
                                           "reference instead.") % {"count": len(named), "value": value})
                continue
            if not named:
                importer.error(row, key, _("No contact has the external reference or the name “%(value)s”.")
                               % {"value": value})
                continue
            contact = named[0]
        found[row.number] = contact
    return found
