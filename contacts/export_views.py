"""The contact exports: the list (with its filters and sort, all pages) as CSV, XLSX or vCards,
and one contact's people as vCards. Views only; the writing is in contacts/exports.py."""

from django.contrib.auth.decorators import permission_required

from contacts import exports
from contacts.access import get_contact_for_user
from contacts.models import Contact
from contacts.views import filtered_contacts
from crm.exporting.http import download, send


@permission_required("contacts.view_contact", raise_exception=True)
def contact_export(request):
    """CSV of what the list shows with the same filters and sort: one row per person (a background job
    above settings.EXPORT_BACKGROUND_ROWS rows)."""
    return send(request, exports.CONTACTS_CSV)


@permission_required("contacts.view_contact", raise_exception=True)
def contact_export_xlsx(request):
    return send(request, exports.CONTACTS_XLSX)


@permission_required("contacts.view_contact", raise_exception=True)
def contact_export_vcf(request):
    contacts = filtered_contacts(request).qs
    return download(request, "contact", "contacts", "vcf", lambda stream: exports.write_vcards(contacts, stream))


@permission_required("contacts.view_contact", raise_exception=True)
def contact_people_vcf(request, pk):
    contact = get_contact_for_user(request, pk)
    return download(request, "contact", f"contact-{contact.pk}", "vcf",
                    lambda stream: exports.write_vcards(Contact.objects.filter(pk=contact.pk), stream))
