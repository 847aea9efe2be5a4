"""What the header search finds among notes: their description (see search/registry.py)."""

from django.utils.translation import gettext_lazy as _

from notes.models import Note
from search.matching import Searchable, matching
from search.registry import Source, register

# Indexed in search/migrations/0001_initial.py on exactly this column.
NOTES = Searchable(fields=("description",), config="french")


def notes(user):
    """The notes this user may see (never an admin-only one without the permission), latest first."""
    return (Note.objects.visible_to(user).select_related("contact", "type")
            .only("date", "is_done", "description", "contact", "contact__name", "type", "type__label_fr", "type__label_en")
            .order_by("-date", "-pk"))


register(Source(key="notes", label=_("Notes"), rows=notes, match=lambda rows, query: matching(rows, NOTES, query.words),
                template="search/hits/note.html",
                allowed=lambda user: user.has_perm("notes.view_note"), order=30))
