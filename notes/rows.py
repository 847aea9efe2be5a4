"""A note as the Notes tab of a contact and the note's own page show it, written in Python.

As a template a row cost about 0.25 ms (a few dozen lookups, filters, tags and
an include), most of the contact file's time with its 20 notes a page. Here it
is a few format_html calls (every value escaped), about 0.05 ms. The markup is
the template's it replaced; the words go through gettext as anywhere else.
"""

from django.template.defaultfilters import urlize
from django.utils.formats import time_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.formatting import format_date

# A note's state in colour, by icon and in words (never by colour alone).
BADGES = {
    "history": ("success", "bi-check-circle", gettext_lazy("History note")),
    "follow_up": ("primary", "bi-alarm", gettext_lazy("Follow-up")),
    "overdue": ("danger", "bi-exclamation-triangle", gettext_lazy("Overdue")),
    "today": ("warning", "bi-hourglass-split", gettext_lazy("To do today")),
}
BADGE_HTML = '<span class="badge text-bg-{}"><i class="bi {}" aria-hidden="true"></i> {}</span>'

ROW_HTML = """<article class="card mb-2 shadow-sm note-item note-{css}" id="note-{pk}" data-state="{state}">
  <div class="card-body py-2">
    <div class="d-flex flex-wrap align-items-center gap-2 mb-1 small">
      {pinned}{badge}{admin_only}
      <span class="fw-semibold">{when}</span>
      <span class="text-secondary">{type}</span>
      <span class="text-secondary">· {assigned}</span>
    </div>
    <div class="note-description">{description}</div>{actions}
  </div>
</article>
"""
# Pinned at a glance: a badge with the icon and the word, in a tint no state badge uses.
PINNED_HTML = ('<span class="badge bg-warning-subtle text-warning-emphasis border border-warning-subtle">'
               '<i class="bi bi-pin-angle-fill" aria-hidden="true"></i> {}</span>')
ADMIN_ONLY_HTML = '<span class="badge text-bg-dark"><i class="bi bi-shield-lock" aria-hidden="true"></i> {}</span>'
# The two toggles post (with the CSRF token); `next` brings the user back to this note.
ACTIONS_HTML = """
    <div class="d-flex flex-wrap gap-2 mt-2">
      <form method="post" action="{done_url}">{csrf}
        <input type="hidden" name="next" value="{next}">
        <button class="btn btn-sm {done_class}" type="submit"><i class="bi {done_icon}" aria-hidden="true"></i> {done_words}</button>
      </form>
      <form method="post" action="{pin_url}">{csrf}
        <input type="hidden" name="next" value="{next}">
        <button class="btn btn-sm btn-outline-secondary" type="submit"><i class="bi bi-pin-angle" aria-hidden="true"></i> {pin_words}</button>
      </form>
      <a class="btn btn-sm btn-outline-primary" href="{edit_url}"><i class="bi bi-pencil" aria-hidden="true"></i> {edit_words}</a>{delete}
    </div>"""
DELETE_HTML = ('\n      <a class="btn btn-sm btn-outline-danger" href="{}"><i class="bi bi-trash" aria-hidden="true"></i> {}</a>')
CSRF_HTML = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'


def state_badge(state: str) -> str:
    colour, icon, words = BADGES[state]
    return format_html(BADGE_HTML, colour, icon, words)


def note_row(note, *, user, csrf_token: str, here: str) -> str:
    """The row of a note that has .links (notes.links.with_links); `here` is the page to come back to."""
    state = note.state
    when = format_date(note.date)
    if note.time:
        when += " · " + time_format(note.time, "TIME_FORMAT")
    assignee = note.assigned_to.get_full_name() or note.assigned_to.username
    return format_html(
        ROW_HTML, css=state.replace("_", ""), pk=note.pk, state=state,
        pinned=format_html(PINNED_HTML, _("Pinned")) if note.is_pinned else "",
        badge=state_badge(state),
        admin_only=format_html(ADMIN_ONLY_HTML, _("Admin only")) if note.admin_only else "",
        when=when, type=note.type.label, assigned=_("assigned to %(name)s") % {"name": assignee},
        description=urlize(note.description, autoescape=True),  # the template filter: escapes, then links
        actions=actions(note, user=user, csrf_token=csrf_token, here=here) if user.has_perm("notes.change_note") else "",
    )


def actions(note, *, user, csrf_token: str, here: str) -> str:
    links = note.links
    done = (("btn-outline-secondary", "bi-arrow-counterclockwise", _("Mark not done")) if note.is_done
            else ("btn-outline-success", "bi-check-lg", _("Mark done")))
    delete = format_html(DELETE_HTML, links["delete"], _("Delete")) if user.has_perm("notes.delete_note") else ""
    return format_html(
        ACTIONS_HTML, csrf=format_html(CSRF_HTML, csrf_token), next=f"{here}#note-{note.pk}",
        done_url=links["done"], done_class=done[0], done_icon=done[1], done_words=done[2],
        pin_url=links["pin"], pin_words=_("Unpin") if note.is_pinned else _("Pin"),
        edit_url=links["edit"], edit_words=_("Edit"), delete=delete,
    )
