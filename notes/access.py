from django.shortcuts import get_object_or_404

from notes.models import Note


def get_note_for_user(request, pk) -> Note:
    """The note, or 404 when it does not exist or this user may not see it."""
    notes = Note.objects.visible_to(request.user).select_related("contact", "type", "assigned_to")
    return get_object_or_404(notes, pk=pk)
