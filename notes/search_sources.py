"""What the header search finds among notes: their description (see search/registry.py)."""

from django.utils.translation import gettext_lazy as _

from notes.models import Note
from search.matching import Searchable, matching
from search.registry import Source, register

# Indexed in search/migrations/0001_initial.py on exactly this column.
NOTES = Searchable(fields=("description",), config="french")


def find_notes(user, query):
    """The notes this user may see (never an admin-only one without the permission), latest first."""
    notes = Note.objects.visible_to(user).select_related("contact", "type").defer(
        "contact__search_text", "contact__description", "contact__street")
    return matching(notes, NOTES, query.words).order_by("-date", "-pk")


register(Source(key="notes", label=_("Notes"), find=find_notes, template="search/hits/note.html",
                allowed=lambda user: user.has_perm("notes.view_note"), order=30))
