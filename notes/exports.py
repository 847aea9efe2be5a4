"""Notes going out: an XLSX workbook in the notes import's layout (typed cells: dates, times, yes/no),
and the « Activités » list as CSV.

write_notes_xlsx(notes, language, stream) and write_activities_csv(…) take a queryset that is already
what the user may see (Note.objects.visible_to(user)…) and return the rows written; 1 query, read as
tuples, 2,000 rows at a time (plus the users and note types).
"""

from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext_lazy, pgettext_lazy

from contacts.access import get_contact_for_user
from crm.csv_export import write_csv
from crm.exporting.spec import Export
from crm.exporting.xlsx import write_xlsx
from crm.text import user_name
from notes.filters import ContactNoteFilter
from notes.models import Note, NoteType, state_of, today
from notes.states import STATES

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


def write_notes_xlsx(notes, language: str, stream, progress=None) -> int:
    with translation.override(language):
        header = [str(label) for label in COLUMNS]
        sheet = str(Note._meta.verbose_name_plural).capitalize()
    return write_xlsx(stream, sheet=sheet, header=header, rows=note_rows(notes, language), widths=WIDTHS,
                      progress=progress)


def contact_notes(asker, contact_pk):
    """What a contact's Notes tab lists for this user, with the tab's filters (404: no such contact)."""
    contact = get_contact_for_user(asker, contact_pk)
    notes = Note.objects.visible_to(asker.user).filter(contact=contact).pinned_first()
    return ContactNoteFilter(asker.GET, queryset=notes).qs


CONTACT_NOTES_XLSX = Export(name="contact-notes.xlsx", target="notes", kind="note", stem="notes-{contact_pk}",
                            extension="xlsx", permission="notes.view_note", select=contact_notes,
                            write=write_notes_xlsx)


# « Activités » ------------------------------------------------------------------------------

ACTIVITY_COLUMNS = [
    gettext_lazy("Date"), gettext_lazy("Time"), gettext_lazy("State"), gettext_lazy("Type"),
    gettext_lazy("Contact"), gettext_lazy("Assigned to"), gettext_lazy("Admin only"), gettext_lazy("Description"),
]


def activity_rows(notes, language: str):
    """The list's columns as it shows them: the state in words (« En retard »), names, yes/no."""
    with translation.override(language):
        users = {person.pk: user_name(person) for person in get_user_model().objects.all()}
        types = {kind.pk: kind.label for kind in NoteType.objects.all()}
        states = {key: str(state.label) for key, state in STATES.items()}
        yes, no = translation.gettext("yes"), translation.gettext("no")
    day = today()
    rows = notes.values_list("date", "time", "is_done", "type_id", "contact__name", "assigned_to_id", "admin_only",
                             "description")
    for date, time, is_done, type_id, contact, assignee, admin_only, description in rows.iterator(2000):
        yield [date.isoformat(), time.strftime("%H:%M") if time else "", states[state_of(is_done, date, day)], types.get(type_id, ""),
               contact, users.get(assignee, ""), yes if admin_only else no, description]


def write_activities_csv(notes, language: str, stream, progress=None) -> int:
    """In French `;` (what a French Excel splits on), in English `,`; a UTF-8 BOM either way."""
    with translation.override(language):
        header = [str(name) for name in ACTIVITY_COLUMNS]
    return write_csv(stream, header, activity_rows(notes, language), delimiter=";" if language == "fr" else ",",
                     progress=progress)


def listed_activities(asker):
    """The notes « Activités » lists for this user and query string, in its order (all pages)."""
    from notes.activities import Activities  # the list's own filters (it imports this module's users)

    return Activities(asker.user, asker.GET).notes()


ACTIVITIES_CSV = Export(name="activities.csv", target="notes", kind="note", stem="activities", extension="csv",
                        permission="notes.view_note", select=listed_activities, write=write_activities_csv)
ACTIVITIES_XLSX = Export(name="activities.xlsx", target="notes", kind="note", stem="activities", extension="xlsx",
                         permission="notes.view_note", select=listed_activities, write=write_notes_xlsx)
