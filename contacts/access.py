from django.shortcuts import get_object_or_404

from contacts.models import Contact, ContactPerson


def get_contact_for_user(request, pk) -> Contact:
    """The contact, or 404. Every signed-in user with view permission sees every contact."""
    return get_object_or_404(Contact.objects.select_related("account_manager", "created_by"), pk=pk)


def get_person_for_user(request, contact: Contact, pk) -> ContactPerson:
    return get_object_or_404(ContactPerson.objects.select_related("contact"), pk=pk, contact=contact)
