"""A contact's notes as an XLSX workbook: what its Notes tab lists for this user, with the tab's filters."""

from django.contrib.auth.decorators import permission_required

from contacts.access import get_contact_for_user
from contacts.export_views import export_language
from crm.exporting.http import download
from notes.exports import write_notes_xlsx
from notes.filters import ContactNoteFilter
from notes.models import Note


@permission_required("notes.view_note", raise_exception=True)
def contact_notes_xlsx(request, contact_pk):
    contact = get_contact_for_user(request, contact_pk)
    notes = Note.objects.visible_to(request.user).filter(contact=contact).pinned_first()
    notes = ContactNoteFilter(request.GET, queryset=notes).qs
    language = export_language()
    return download(request, "note", f"notes-{contact.pk}", "xlsx",
                    lambda stream: write_notes_xlsx(notes, language, stream))
