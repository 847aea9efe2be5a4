"""How an in-place action answers (notes/views.py): with htmx, the item it was asked from, redrawn
(the Notes tab's row, a « Ma journée » item, a calendar entry or list row); without JavaScript, a
message and a redirect back to the page the user was on, with its filters (`next`)."""

from urllib.parse import quote, urlsplit, urlunsplit

from django.contrib import messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from notes import rows
from notes.access import get_note_for_user
from notes.calendar_views import entry_for
from notes.models import NoteType
from notes.quick import log_type_for
from notes.team_items import TeamItems

# The item an action redraws, by where it was asked from: the element its forms target (closest …).
SHAPES = {"row": "article", "home": "li", "team": "li", "cal": ".cal-item", "agenda": "tr"}
# A note logged on the Notes tab also goes to the top of the tab's list (an out-of-band swap).
NEW_ROW_HTML = '<div hx-swap-oob="afterbegin:#contact-notes-list">{}</div>'


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def shape_of(request) -> str:
    """Which item to answer with (an allow-list); "" for none (a page of its own)."""
    shape = request.POST.get("shape") or request.GET.get("shape") or ""
    return shape if shape in SHAPES else ""


def here_of(request, fallback: str = "/") -> str:
    """The page the user is on: the posted `next`, else (htmx) the page htmx says it is on; on this site only."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not target and is_htmx(request):
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        if current.netloc == request.get_host():
            target = urlunsplit(("", "", current.path, current.query, ""))
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return fallback
    return target


def note_place(note) -> str:
    return f"{note.contact.get_absolute_url()}?tab=notes#note-{note.pk}"


def fragment(request, note, *, shape: str = "", notice: str = "", error: bool = False, menu: str = "",
             here: str | None = None) -> str:
    """The note as the item it was asked from (see SHAPES), with what happened and, if given, its menu."""
    shape = shape or shape_of(request) or "row"
    here = (here or here_of(request, note_place(note))).split("#")[0]
    may_change = request.user.has_perm("notes.change_note")
    if shape == "home":
        return rows.HomeItems(request, csrf_token=get_token(request), back=here)(
            note, notice=notice, error=error, menu=menu)
    if shape == "team":
        return render_to_string("notes/_team_items.html", {
            "items": [TeamItems()(note, contact_name=note.contact.name, type_label=note.type.label)],
            "may_change": may_change, "quoted_back": quote(here), "actions_words": _("Actions"),
            "notice": rows.notice_html(notice, error=error), "menu": menu,
        })
    if shape in ("cal", "agenda"):
        entry = entry_for(note, may_change=may_change, here=here)
        notice_markup = rows.notice_html(notice, error=error)
        return entry.html(notice_markup, menu) if shape == "cal" else entry.row_html(notice_markup, menu)
    return rows.note_row(note, user=request.user, csrf_token=get_token(request), here=here,
                         notice=notice, error=error)


def log_choices(kind: str = NoteType.Kind.CALL) -> dict:
    """The types « Noter un appel / un courriel » offers and the one preselected (1 query)."""
    types = list(NoteType.objects.filter(is_active=True))
    return {"log_types": types, "log_type": log_type_for(types, kind)}


def menu_context(request, note, *, shape: str) -> dict:
    # Following up an e-mail is logged as an e-mail; anything else as a call.
    kind = NoteType.Kind.EMAIL if note.type.kind == NoteType.Kind.EMAIL else NoteType.Kind.CALL
    return {"note": note, "shape": shape, "container": SHAPES.get(shape, ""),
            "back": here_of(request, note_place(note)), **log_choices(kind)}


def menu_html(request, note) -> str:
    return render_to_string("notes/_quick_menu.html", menu_context(request, note, shape=shape_of(request) or "row"),
                            request=request)


def log_form_response(request, contact, shape: str, *, error: str = "", notice: str = "",
                      status: int = 200) -> HttpResponse:
    choices = log_choices()
    if error:  # what the user chose and typed stays
        posted = request.POST.get("type", "")
        choices["log_type"] = int(posted) if posted.isdigit() else choices["log_type"]
    return HttpResponse(render_to_string("notes/_log_form.html", {
        "contact": contact, "shape": shape, "back": here_of(request, f"{contact.get_absolute_url()}?tab=notes"),
        "log_error": error, "log_notice": notice, "log_text": request.POST.get("text", "") if error else "",
        **choices,
    }, request=request), status=status)


def first_error(form) -> str:
    """The first thing wrong with a small form, as one sentence."""
    for errors in form.errors.values():
        return str(errors[0])
    return _("This action could not be done.")


def answer(request, note, notice: str):
    if is_htmx(request):
        return HttpResponse(fragment(request, note, notice=notice))
    messages.success(request, notice)
    return redirect(here_of(request, note_place(note)))


def refuse(request, note, message: str, *, status: int = 422):
    """Nothing changed: say why, in the item (htmx) or as a message on the page the user came from."""
    if is_htmx(request):
        return HttpResponse(fragment(request, note, notice=message, error=True), status=status)
    messages.error(request, message)
    return redirect(here_of(request, note_place(note)))


def refuse_stale(request, pk):
    """Someone changed the note since it was shown: nothing changed; show it as it is now."""
    note = get_note_for_user(request, pk)
    return refuse(request, note, _("Someone else changed this note in the meantime: nothing was changed. "
                                   "Here it is as it is now."), status=409)
