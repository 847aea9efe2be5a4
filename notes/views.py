from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contacts.access import get_contact_for_user
from crm.concurrency import StaleEdit
from crm.views import safe_next
from notes.access import get_note_for_user
from notes.forms import NoteForm
from notes.history import note_history
from notes.links import with_links
from notes.models import Note


@transaction.atomic
def toggle(note: Note, change, *, fields: list[str]) -> Note:
    """A one-click change under a row lock (two quick clicks cannot interleave, so neither
    is refused); the save bumps the version (Versioned), so an edit form opened before
    it is refused."""
    note = Note.objects.select_for_update().get(pk=note.pk)
    change(note)
    note.save(update_fields=[*fields, "updated_at"])
    return note


def note_place(note: Note) -> str:
    """Where a note is shown: its contact's Notes tab, at the note."""
    return f"{note.contact.get_absolute_url()}?tab=notes#note-{note.pk}"


@permission_required("notes.add_note", raise_exception=True)
def note_create(request, contact_pk):
    contact = get_contact_for_user(request, contact_pk)
    form = NoteForm(request.POST or None, user=request.user, instance=Note(contact=contact))
    if request.method == "POST" and form.is_valid():
        note = form.save(commit=False)
        note.created_by = request.user
        note.save()
        messages.success(request, _("Note added."))
        return redirect(note_place(note))
    return render(request, "notes/note_form.html", {"form": form, "contact": contact})


@permission_required("notes.view_note", raise_exception=True)
def note_detail(request, pk):
    note = get_note_for_user(request, pk)
    # The note's history is shown only here, behind the same visibility rule
    # (and without its admin-only versions for those who may not see them).
    entries = note_history(request.user, note)
    with_links([note])
    return render(request, "notes/note_detail.html", {"note": note, "contact": note.contact, "data": {"entries": entries}})


@permission_required("notes.change_note", raise_exception=True)
def note_update(request, pk):
    note = get_note_for_user(request, pk)
    form = NoteForm(request.POST or None, user=request.user, instance=note)
    if request.method == "POST" and form.is_valid():
        try:
            note = form.save()
        except StaleEdit:  # someone saved in between: the form now explains it
            pass
        else:
            messages.success(request, _("Note saved."))
            return redirect(note_place(note))
    return render(request, "notes/note_form.html", {"form": form, "contact": note.contact, "note": note})


@permission_required("notes.delete_note", raise_exception=True)
def note_delete(request, pk):
    note = get_note_for_user(request, pk)
    if request.method == "POST":
        contact = note.contact
        note.delete()
        messages.success(request, _("Note deleted."))
        return redirect(f"{contact.get_absolute_url()}?tab=notes")
    return render(request, "notes/note_confirm_delete.html", {"note": note, "contact": note.contact})


@require_POST
@permission_required("notes.change_note", raise_exception=True)
def note_toggle_done(request, pk):
    note = toggle(get_note_for_user(request, pk), lambda note: note.mark_done(not note.is_done),
                  fields=["is_done", "done_at"])
    messages.success(request, _("Marked done.") if note.is_done else _("Marked not done."))
    return redirect(safe_next(request, note_place(note)))


@permission_required("notes.change_note", raise_exception=True)
def note_mark_done(request, pk):
    """The reminder e-mail's "mark done": a GET shows the action and asks; only the POST marks it
    done, under the toggle's rules, and only if the note is still the one shown (its version)."""
    note = get_note_for_user(request, pk)
    changed = False
    if request.method == "POST":
        if note.is_done:
            messages.info(request, _("This action was already done."))
            return redirect(note_place(note))
        shown = request.POST.get("version", "")

        def mark_done(note):
            if str(note.version) != shown:
                raise StaleEdit(f"note {note.pk} changed since the confirmation page was shown")
            note.mark_done()

        try:
            note = toggle(note, mark_done, fields=["is_done", "done_at"])
        except StaleEdit:
            note = get_note_for_user(request, pk)
            changed = True
        else:
            messages.success(request, _("Marked done."))
            return redirect(note_place(note))
    return render(request, "notes/note_mark_done.html", {"note": note, "contact": note.contact, "changed": changed},
                  status=409 if changed else 200)


@require_POST
@permission_required("notes.change_note", raise_exception=True)
def note_toggle_pin(request, pk):
    note = toggle(get_note_for_user(request, pk), lambda note: setattr(note, "is_pinned", not note.is_pinned),
                  fields=["is_pinned"])
    messages.success(request, _("Pinned.") if note.is_pinned else _("Unpinned."))
    return redirect(safe_next(request, note_place(note)))
