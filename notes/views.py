from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contacts.access import get_contact_for_user
from crm.concurrency import StaleEdit
from crm.formatting import format_date
from crm.views import safe_next
from notes import quick
from notes.access import get_note_for_user
from notes.forms import DoneForm, LogForm, NoteForm, RescheduleForm
from notes.history import note_history
from notes.models import Note
from notes.quick_answers import (
    NEW_ROW_HTML,
    answer,
    first_error,
    fragment,
    here_of,
    is_htmx,
    log_form_response,
    menu_context,
    menu_html,
    note_place,
    refuse,
    refuse_stale,
    shape_of,
)


@transaction.atomic
def toggle(note: Note, change, *, fields: list[str]) -> Note:
    """A one-click change under a row lock (two quick clicks cannot interleave, so neither
    is refused); the save bumps the version (Versioned), so an edit form opened before
    it is refused."""
    note = Note.objects.select_for_update().get(pk=note.pk)
    change(note)
    note.save(update_fields=[*fields, "updated_at"])
    return note


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
    return render(request, "notes/note_detail.html", {"note": note, "contact": note.contact, "data": {"entries": entries}})


@permission_required("notes.change_note", raise_exception=True)
def note_update(request, pk):
    note = get_note_for_user(request, pk)
    form = NoteForm(request.POST or None, user=request.user, instance=note)
    if request.method == "POST" and form.is_valid():
        if saved := form.save_if_current():  # else someone saved in between: the form explains it
            messages.success(request, _("Note saved."))
            return redirect(note_place(saved))
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
    """Done / not done, in place with htmx. The buttons send the version shown and the state
    wanted; a post without a version (a page from before versions were sent) toggles under
    the row lock as it always did."""
    note = get_note_for_user(request, pk)
    if "version" not in request.POST:
        note = toggle(note, lambda note: note.mark_done(not note.is_done), fields=["is_done", "done_at"])
        return answer(request, note, _("Marked done.") if note.is_done else _("Marked not done."))
    form = DoneForm(request.POST)
    if not form.is_valid():
        return refuse(request, note, first_error(form))
    done = form.cleaned_data["done"]
    try:
        note = quick.set_done(note, done=not note.is_done if done is None else done,
                              version=form.cleaned_data["version"])
    except StaleEdit:
        return refuse_stale(request, pk)
    return answer(request, note, _("Marked done.") if note.is_done else _("Marked not done."))


@require_POST
@permission_required("notes.change_note", raise_exception=True)
def note_reschedule(request, pk):
    """Tomorrow, next week or a chosen date (an action only), in place with htmx."""
    note = get_note_for_user(request, pk)
    form = RescheduleForm(request.POST)
    if note.is_done:
        return refuse(request, note, _("This note is done: it is not rescheduled."))
    if not form.is_valid():
        return refuse(request, note, first_error(form))
    try:
        note = quick.reschedule(note, day=form.cleaned_data["new_date"], version=form.cleaned_data["version"])
    except StaleEdit:
        return refuse_stale(request, pk)
    return answer(request, note, _("Rescheduled to %(date)s.") % {"date": format_date(note.date)})


@permission_required("notes.change_note", raise_exception=True)
def note_actions(request, pk):
    """A note's action menu: in place with htmx (the item with its menu open, or closed again),
    else a page of its own that brings the user back (`next`) after the action."""
    note = get_note_for_user(request, pk)
    if is_htmx(request):
        if request.GET.get("close"):
            return HttpResponse(fragment(request, note))
        return HttpResponse(fragment(request, note, menu=menu_html(request, note)))
    return render(request, "notes/note_actions.html", {
        "note": note, "contact": note.contact, **menu_context(request, note, shape=""),
    })


@require_POST
@permission_required("notes.add_note", raise_exception=True)
def contact_log(request, contact_pk):
    """« Noter un appel / un courriel »: a done note on the contact, dated today. With htmx the
    form answers with itself (emptied, with what was logged); on the Notes tab the new note
    also goes to the top of the list."""
    contact = get_contact_for_user(request, contact_pk)
    form = LogForm(request.POST)
    shape = shape_of(request)
    if not form.is_valid():
        if not is_htmx(request):
            messages.error(request, first_error(form))
            return redirect(safe_next(request, f"{contact.get_absolute_url()}?tab=notes"))
        return log_form_response(request, contact, shape, error=first_error(form), status=422)
    note = quick.log_activity(contact=contact, user=request.user, note_type=form.cleaned_data["type"],
                              text=form.cleaned_data["text"])
    logged = _("Logged: %(type)s, %(contact)s.") % {"type": note.type.label, "contact": contact.name}
    if not is_htmx(request):
        messages.success(request, logged)
        return redirect(safe_next(request, note_place(note)))
    response = log_form_response(request, contact, shape, notice=logged)
    if shape == "row":  # the Notes tab: the new note at the top of its list
        row = fragment(request, note, shape="row", here=here_of(request))
        response.content += format_html(NEW_ROW_HTML, row).encode()
    return response


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
