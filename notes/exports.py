"""Notes going out, as an XLSX workbook in the notes import's layout (typed cells: dates, times, yes/no).

write_notes_xlsx(notes, language, stream) takes a queryset that is already what the user may see
(Note.objects.visible_to(user)…) and returns the rows written; 1 query, read as tuples, 2,000 rows at
a time.
"""

from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import pgettext_lazy

from crm.exporting.xlsx import write_xlsx
from notes.models import Note, NoteType

COLUMNS = [
    pgettext_lazy("export column", "Contact"), pgettext_lazy("export column", "Date"),
    pgettext_lazy("export column", "Time"), pgettext_lazy("export column", "Assigned to"),
    pgettext_lazy("export column", "Note type"), pgettext_lazy("export column", "Description"),
    pgettext_lazy("export column", "Done"), pgettext_lazy("export column", "Pinned"),
    pgettext_lazy("export column", "Admin only"),
]
WIDTHS = [30, 12, 8, 16, 16, 60, 8, 8, 10]


def note_rows(notes, language: str):
    with translation.override(language):
        types = {note_type.pk: note_type.label for note_type in NoteType.objects.all()}
    User = get_user_model()
    usernames = dict(User.objects.values_list("pk", User.USERNAME_FIELD))
    values = notes.values_list("contact__name", "date", "time", "assigned_to_id", "type_id", "description",
                               "is_done", "is_pinned", "admin_only")
    for contact, date, time, assigned_to, note_type, description, done, pinned, admin_only in values.iterator(
            chunk_size=2000):
        yield [contact, date, time.strftime("%H:%M") if time else None, usernames.get(assigned_to, ""),
               types.get(note_type, ""), description, done, pinned, admin_only]


def write_notes_xlsx(notes, language: str, stream) -> int:
    with translation.override(language):
        header = [str(label) for label in COLUMNS]
        sheet = str(Note._meta.verbose_name_plural).capitalize()
    return write_xlsx(stream, sheet=sheet, header=header, rows=note_rows(notes, language), widths=WIDTHS)
