"""Notes as files: a contact's notes as an XLSX workbook (what its Notes tab lists for this user, with the
tab's filters), and the « Activités » list as CSV or XLSX. The writing is in notes/exports.py; above
settings.EXPORT_BACKGROUND_ROWS rows a background job writes the file (crm.exporting.http.send)."""

from django.contrib.auth.decorators import permission_required

from crm.exporting.http import send
from notes import exports


@permission_required("notes.view_note", raise_exception=True)
def contact_notes_xlsx(request, contact_pk):
    return send(request, exports.CONTACT_NOTES_XLSX, contact_pk=contact_pk)


@permission_required("notes.view_note", raise_exception=True)
def activities_csv(request):
    return send(request, exports.ACTIVITIES_CSV)


@permission_required("notes.view_note", raise_exception=True)
def activities_xlsx(request):
    return send(request, exports.ACTIVITIES_XLSX)
