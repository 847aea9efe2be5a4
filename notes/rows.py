"""A note as the Notes tab of a contact and the note's own page show it, written in Python.

As a template a row cost about 0.25 ms (a few dozen lookups, filters, tags and
an include), most of the contact file's time with its 20 notes a page. Here it
is a few format_html calls (every value escaped), about 0.05 ms. The markup is
the template's it replaced; the words go through gettext as anywhere else.
"""

from django.template.defaultfilters import urlize
from django.utils.formats import time_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from crm.formatting import format_date
from crm.text import user_name
from notes.states import STATES

# A note's state in colour, by icon and in words (never by colour alone): notes.states.
BADGE_HTML = '<span class="badge text-bg-{}"><i class="bi {}" aria-hidden="true"></i> {}</span>'

ROW_HTML = """<article class="card mb-2 shadow-sm note-item note-{css}" id="note-{pk}" data-state="{state}">
  <div class="card-body py-2">
    <div class="d-flex flex-wrap align-items-center gap-2 mb-1 small">
      {pinned}{badge}{admin_only}
      <span class="fw-semibold">{when}</span>
      <span class="text-secondary">{type}</span>
      <span class="text-secondary">· {assigned}</span>
    </div>
    <div class="note-description">{description}</div>{actions}{notice}
  </div>
</article>
"""
# Pinned at a glance: a badge with the icon and the word, in a tint no state badge uses.
PINNED_HTML = ('<span class="badge bg-warning-subtle text-warning-emphasis border border-warning-subtle">'
               '<i class="bi bi-pin-angle-fill" aria-hidden="true"></i> {}</span>')
ADMIN_ONLY_HTML = '<span class="badge text-bg-dark"><i class="bi bi-shield-lock" aria-hidden="true"></i> {}</span>'
# The buttons post (with the CSRF token and the version shown); `next` brings the user back to
# this note without JavaScript; with htmx the answer is this row again (notes.views.answer).
ACTIONS_HTML = """
    <div class="d-flex flex-wrap gap-2 mt-2">
      <form method="post" action="{done_url}" hx-post="{done_url}" hx-target="#note-{pk}" hx-swap="outerHTML">{hidden}
        <input type="hidden" name="done" value="{done_value}">
        <button class="btn btn-sm {done_class}" type="submit"><i class="bi {done_icon}" aria-hidden="true"></i> {done_words}</button>
      </form>{reschedule}
      <form method="post" action="{pin_url}">{csrf}
        <input type="hidden" name="next" value="{next}">
        <button class="btn btn-sm btn-outline-secondary" type="submit"><i class="bi bi-pin-angle" aria-hidden="true"></i> {pin_words}</button>
      </form>
      <a class="btn btn-sm btn-outline-primary" href="{edit_url}"><i class="bi bi-pencil" aria-hidden="true"></i> {edit_words}</a>{delete}
    </div>"""
HIDDEN_HTML = ('{}<input type="hidden" name="next" value="{}"><input type="hidden" name="version" value="{}">'
               '<input type="hidden" name="shape" value="{}">')
# Tomorrow, next week or a chosen date: one form, the button pressed says which.
RESCHEDULE_HTML = """
      <form method="post" action="{url}" hx-post="{url}" hx-target="{target}" hx-swap="outerHTML" class="d-flex flex-wrap gap-1 align-items-center quick-reschedule">{hidden}
        <button class="btn btn-sm btn-outline-secondary" type="submit" name="when" value="tomorrow"><i class="bi bi-arrow-right" aria-hidden="true"></i> {tomorrow}</button>
        <button class="btn btn-sm btn-outline-secondary" type="submit" name="when" value="next_week">{next_week}</button>
        <label class="visually-hidden" for="{prefix}-date-{pk}">{new_date}</label>
        <input class="form-control form-control-sm quick-date" type="date" name="date" id="{prefix}-date-{pk}">
        <button class="btn btn-sm btn-outline-secondary" type="submit" name="when" value="date">{move}</button>
      </form>"""
NOTICE_HTML = '<p class="small mb-0 mt-1 quick-notice {}" role="{}">{}</p>'
DELETE_HTML = ('\n      <a class="btn btn-sm btn-outline-danger" href="{}"><i class="bi bi-trash" aria-hidden="true"></i> {}</a>')
CSRF_HTML = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'


def state_badge(state: str) -> str:
    state = STATES[state]
    return format_html(BADGE_HTML, state.colour, state.icon, state.label)


def notice_html(notice: str, *, error: bool = False) -> str:
    """What an in-place action says in the item it replaced (read out by screen readers)."""
    if not notice:
        return ""
    return format_html(NOTICE_HTML, "text-danger" if error else "text-success", "alert" if error else "status", notice)


def hidden_fields(note, *, csrf_token: str, next: str, shape: str) -> str:
    return format_html(HIDDEN_HTML, format_html(CSRF_HTML, csrf_token), next, note.version, shape)


def reschedule_form(note, *, url: str, hidden: str, target: str, prefix: str) -> str:
    """The reschedule buttons of an action (a done note is not rescheduled)."""
    if note.is_done:
        return ""
    return format_html(RESCHEDULE_HTML, url=url, hidden=hidden, target=target, prefix=prefix, pk=note.pk,
                       tomorrow=_("Tomorrow"), next_week=_("Next week"), new_date=_("New date"), move=_("Move"))


def note_row(note, *, user, csrf_token: str, here: str, notice: str = "", error: bool = False) -> str:
    """The row of a note that has .links (notes.links.with_links); `here` is the page to come back to."""
    state = note.state
    when = format_date(note.date)
    if note.time:
        when += " · " + time_format(note.time, "TIME_FORMAT")
    assignee = user_name(note.assigned_to)
    return format_html(
        ROW_HTML, css=STATES[state].css, pk=note.pk, state=state,
        pinned=format_html(PINNED_HTML, _("Pinned")) if note.is_pinned else "",
        badge=state_badge(state),
        admin_only=format_html(ADMIN_ONLY_HTML, _("Admin only")) if note.admin_only else "",
        when=when, type=note.type.label, assigned=_("assigned to %(name)s") % {"name": assignee},
        description=urlize(note.description, autoescape=True),  # the template filter: escapes, then links
        actions=actions(note, user=user, csrf_token=csrf_token, here=here) if user.has_perm("notes.change_note") else "",
        notice=notice_html(notice, error=error),
    )


def actions(note, *, user, csrf_token: str, here: str) -> str:
    links = note.links
    done = (("btn-outline-secondary", "bi-arrow-counterclockwise", _("Mark not done")) if note.is_done
            else ("btn-outline-success", "bi-check-lg", _("Mark done")))
    delete = format_html(DELETE_HTML, links["delete"], _("Delete")) if user.has_perm("notes.delete_note") else ""
    back = f"{here}#note-{note.pk}"
    hidden = hidden_fields(note, csrf_token=csrf_token, next=back, shape="row")
    return format_html(
        ACTIONS_HTML, csrf=format_html(CSRF_HTML, csrf_token), next=back, pk=note.pk, hidden=hidden,
        done_url=links["done"], done_value="0" if note.is_done else "1",
        done_class=done[0], done_icon=done[1], done_words=done[2],
        reschedule=reschedule_form(note, url=links["reschedule"], hidden=hidden, target=f"#note-{note.pk}",
                                   prefix="row"),
        pin_url=links["pin"], pin_words=_("Unpin") if note.is_pinned else _("Pin"),
        edit_url=links["edit"], edit_words=_("Edit"), delete=delete,
    )


# A note on « Ma journée »: its state, its contact, its first words, and what can be done at once.
HOME_ITEM_HTML = """<li class="py-2 border-bottom note-{css} ps-2 home-item" data-note="{pk}" data-state="{state}">
    <div class="small d-flex flex-wrap gap-2 align-items-center">
      {badge}
      <span class="fw-semibold">{when}</span>
      <span class="text-secondary">{type}</span>{assignee}
    </div>
    <a href="{contact_url}" class="fw-semibold">{contact}</a>
    <div class="small text-truncate">{text}</div>{actions}{notice}{menu}
  </li>"""
HOME_ASSIGNEE_HTML = '\n      <span class="text-secondary">· {}</span>'
# One form for the item's buttons (its hidden fields once: 40 items a page); each button posts
# where it says (formaction without JavaScript, hx-post with it).
HOME_ACTIONS_HTML = """
    <form method="post" action="{done_url}" class="d-flex flex-wrap gap-1 mt-1 quick-actions" hx-target="closest li" hx-swap="outerHTML">{hidden}<input type="hidden" name="done" value="{done_value}">
      <button class="btn btn-sm {done_class}" type="submit" hx-post="{done_url}"><i class="bi {done_icon}" aria-hidden="true"></i> {done_words}</button>{tomorrow}
      <a class="btn btn-sm btn-outline-secondary" href="{menu_url}?next={back}" hx-get="{menu_url}?shape=home"><i class="bi bi-three-dots" aria-hidden="true"></i> {more}</a>
    </form>"""
HOME_TOMORROW_HTML = """
      <button class="btn btn-sm btn-outline-secondary" type="submit" formaction="{url}" hx-post="{url}" name="when" value="tomorrow"><i class="bi bi-arrow-right" aria-hidden="true"></i> {words}</button>"""


class HomeItems:
    """Renders the notes of « Ma journée » (and of the team view): what they share is looked up once a page."""

    def __init__(self, request, *, csrf_token: str, back: str | None = None, show_assignee: bool = False):
        from urllib.parse import quote

        from crm.links import url_with_pk

        self.may_change = request.user.has_perm("notes.change_note")
        self.csrf_token = csrf_token
        self.back = back or request.get_full_path()
        self.quoted_back = quote(self.back)
        self.show_assignee = show_assignee
        self.urls = {key: url_with_pk(name) for key, name in
                     (("done", "notes:toggle_done"), ("reschedule", "notes:reschedule"), ("menu", "notes:actions"))}

    def __call__(self, note, *, notice: str = "", error: bool = False, menu: str = "") -> str:
        state = note.state
        when = format_date(note.date, "SHORT_DATE_FORMAT")
        if note.time:
            when += " " + time_format(note.time, "TIME_FORMAT")
        assignee = ""
        if self.show_assignee:
            assignee = format_html(HOME_ASSIGNEE_HTML, user_name(note.assigned_to))
        return format_html(
            HOME_ITEM_HTML, css=STATES[state].css, pk=note.pk, state=state, badge=state_badge(state), when=when,
            type=note.type.label, assignee=assignee,
            contact_url=f"{note.contact.get_absolute_url()}?tab=notes#note-{note.pk}", contact=note.contact.name,
            # With its menu open, the item's own buttons would repeat the menu's first ones.
            text=Truncator(note.description).chars(120),
            actions=self.actions(note) if self.may_change and not menu else "",
            notice=notice_html(notice, error=error), menu=menu,
        )

    def actions(self, note) -> str:
        hidden = hidden_fields(note, csrf_token=self.csrf_token, next=self.back, shape="home")
        done = (("btn-outline-secondary", "bi-arrow-counterclockwise", _("Mark not done")) if note.is_done
                else ("btn-outline-success", "bi-check-lg", _("Mark done")))
        tomorrow = "" if note.is_done else format_html(
            HOME_TOMORROW_HTML, url=self.urls["reschedule"](note.pk), words=_("Tomorrow"))
        return format_html(
            HOME_ACTIONS_HTML, done_url=self.urls["done"](note.pk), hidden=hidden,
            done_value="0" if note.is_done else "1", done_class=done[0], done_icon=done[1], done_words=done[2],
            tomorrow=tomorrow, menu_url=self.urls["menu"](note.pk), back=self.quoted_back, more=_("More actions"),
        )
