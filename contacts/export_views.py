"""The contact exports: the list (with its filters and sort, all pages) as CSV, XLSX or vCards,
and one contact's people as vCards. Views only; the writing is in contacts/exports.py."""

from django.contrib.auth.decorators import permission_required
from django.utils.translation import get_language

from contacts import exports
from contacts.access import get_contact_for_user
from contacts.models import Contact
from contacts.views import filtered_contacts
from crm.exporting.http import download


def export_language() -> str:
    """The page's language: the export's column names and values follow it."""
    return "en" if (get_language() or "fr").startswith("en") else "fr"


@permission_required("contacts.view_contact", raise_exception=True)
def contact_export(request):
    """CSV of what the list shows with the same filters and sort: one row per person."""
    contacts, language = filtered_contacts(request).qs, export_language()
    return download(request, "contact", "contacts", "csv",
                    lambda stream: exports.write_contacts_csv(contacts, language, stream))


@permission_required("contacts.view_contact", raise_exception=True)
def contact_export_xlsx(request):
    contacts, language = filtered_contacts(request).qs, export_language()
    return download(request, "contact", "contacts", "xlsx",
                    lambda stream: exports.write_contacts_xlsx(contacts, language, stream))


@permission_required("contacts.view_contact", raise_exception=True)
def contact_export_vcf(request):
    contacts = filtered_contacts(request).qs
    return download(request, "contact", "contacts", "vcf", lambda stream: exports.write_vcards(contacts, stream))


@permission_required("contacts.view_contact", raise_exception=True)
def contact_people_vcf(request, pk):
    contact = get_contact_for_user(request, pk)
    return download(request, "contact", f"contact-{contact.pk}", "vcf",
                    lambda stream: exports.write_vcards(Contact.objects.filter(pk=contact.pk), stream))
