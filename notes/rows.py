"""A note as the Notes tab, the note's own page and « Ma journée » show it.

The markup is in templates/notes/rows/. What makes a row cheap is done here, once a page:
the words every row shares (gettext), the action URLs (one reverse each, notes.links), the four
state badges and the templates themselves; per note, the facts the row prints (its date, its
assignee's name, its linked description) are worked out in Python, so the template has no
lookup, filter or tag beyond printing them and a few {% if %}, and a page's rows are one render
(NoteRows.many). A row as a template doing all of that itself cost about 0.25 ms; this way the
contact file (20 notes a page) costs the CPU it cost when the rows were format_html constants
(within ±5 % at scale L, issue 16).
"""

from dataclasses import asdict
from urllib.parse import quote

from django.template import Context, engines
from django.template.defaultfilters import urlize
from django.utils.formats import time_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from crm.formatting import format_date
from crm.links import url_with_pk
from crm.text import user_name
from notes.links import NoteLinks
from notes.states import STATES, translated

ROWS_TEMPLATE = "notes/rows/note_rows.html"
HOME_ITEM_TEMPLATE = "notes/rows/home_item.html"
BADGE_TEMPLATE = "notes/rows/state_badge.html"
NOTICE_TEMPLATE = "notes/rows/notice.html"


def template(name: str):
    """The compiled template (the engine's cached loader keeps it between requests outside debug)."""
    return engines["django"].engine.get_template(name)


def render_fragment(name_or_template, context: dict) -> str:
    """A template of this module rendered with exactly `context` (no request: rows need no context processor)."""
    compiled = template(name_or_template) if isinstance(name_or_template, str) else name_or_template
    return compiled.render(Context(context))


def words() -> dict:
    """The words of a row's buttons and badges in the current language, looked up once a page."""
    return {
        "pinned": _("Pinned"), "admin_only": _("Admin only"), "mark_done": _("Mark done"),
        "mark_not_done": _("Mark not done"), "tomorrow": _("Tomorrow"), "next_week": _("Next week"),
        "new_date": _("New date"), "move": _("Move"), "pin": _("Pin"), "unpin": _("Unpin"), "edit": _("Edit"),
        "delete": _("Delete"), "more": _("More actions"),
    }


def badges() -> dict[str, str]:
    """Each state's badge, in colour, by icon and in words (never by colour alone), in the current language."""
    badge = template(BADGE_TEMPLATE)
    return {name: render_fragment(badge, {"state": state}) for name, state in translated().items()}


def state_badge(state: str) -> str:
    """One state's badge (a page of rows renders them once: badges())."""
    return render_fragment(BADGE_TEMPLATE, {"state": STATES[state]})


def notice_html(notice: str, *, error: bool = False) -> str:
    """What an in-place action says in the item it replaced (read out by screen readers)."""
    return render_fragment(NOTICE_TEMPLATE, {"notice": notice, "error": error}) if notice else ""


class Renderer:
    """What the renderers of a page's notes look up once: the template, the words, the badges, the states."""

    template_name = ""

    def __init__(self, *, csrf_token: str):
        self.csrf_token = csrf_token
        self.template = template(self.template_name)
        self.words = words()
        self.badges = badges()
        self.states = {name: asdict(state) for name, state in translated().items()}  # dicts: see NoteRows.row


class NoteRows(Renderer):
    """Renders the rows of a page's notes; what they share is looked up once (see the module's docstring).

    `here` is the page the buttons come back to; `links` makes a note's action URLs (given by a page that
    already has one, else made here).
    """

    template_name = ROWS_TEMPLATE

    def __init__(self, *, user, csrf_token: str, here: str, links: NoteLinks | None = None):
        super().__init__(csrf_token=csrf_token)
        self.may_change = user.has_perm("notes.change_note")
        self.here = here
        self.links = links or NoteLinks()
        self.context = {"words": self.words, "csrf_token": csrf_token, "may_delete": user.has_perm("notes.delete_note")}
        self.assigned_words = _("assigned to %(name)s")

    def row(self, note, *, notice: str = "", error: bool = False) -> dict:
        """What the row of a note prints (templates/notes/rows/note_rows.html). A dict: the template
        engine reads a key at once, an attribute only after a failed key lookup."""
        state = note.state
        when = format_date(note.date)
        if note.time:
            when += " · " + time_format(note.time, "TIME_FORMAT")
        back = f"{self.here}#note-{note.pk}"  # this note on the page, where its buttons come back to
        return {
            "pk": note.pk, "state": self.states[state], "badge": self.badges[state], "pinned": note.is_pinned,
            "admin_only": note.admin_only, "is_done": note.is_done, "when": when, "type": note.type.label,
            "assigned": self.assigned_words % {"name": user_name(note.assigned_to)},
            "description": urlize(note.description, autoescape=True),  # the template filter: escapes, then links
            # Its action URLs and in-place forms, for a user who may change notes.
            "links": self.links(note.pk) if self.may_change else None, "back": back,
            "version": note.version,  # posted by its in-place actions: the version shown
            "notice": notice, "error": error,  # what an in-place action says
        }

    def __call__(self, note, *, notice: str = "", error: bool = False) -> str:
        """One note's row (its page, the answer to an in-place action)."""
        return render_fragment(self.template, {**self.context, "rows": [self.row(note, notice=notice, error=error)]})

    def many(self, notes) -> str:
        """The rows of these notes, at once."""
        return render_fragment(self.template, {**self.context, "rows": [self.row(note) for note in notes]})


def note_row(note, *, user, csrf_token: str, here: str, notice: str = "", error: bool = False) -> str:
    """One note's row on its own (its page, the answer to an in-place action); `here` is the page to come back to."""
    return NoteRows(user=user, csrf_token=csrf_token, here=here)(note, notice=notice, error=error)


class HomeItems(Renderer):
    """Renders the notes of « Ma journée » (and of the team view): what they share is looked up once a page."""

    template_name = HOME_ITEM_TEMPLATE

    def __init__(self, request, *, csrf_token: str, back: str | None = None, show_assignee: bool = False):
        super().__init__(csrf_token=csrf_token)
        self.may_change = request.user.has_perm("notes.change_note")
        self.back = back or request.get_full_path()
        self.show_assignee = show_assignee
        self.urls = {key: url_with_pk(name) for key, name in
                     (("done", "notes:toggle_done"), ("reschedule", "notes:reschedule"), ("menu", "notes:actions"))}
        self.context = {"words": self.words, "csrf_token": csrf_token, "back_path": self.back, "back": quote(self.back)}

    def item(self, note, *, menu: str = "") -> dict:
        """What a note on « Ma journée » prints (templates/notes/rows/home_item.html)."""
        state = note.state
        when = format_date(note.date, "SHORT_DATE_FORMAT")
        if note.time:
            when += " " + time_format(note.time, "TIME_FORMAT")
        # With its menu open, the item's own buttons would repeat the menu's first ones.
        actions = self.may_change and not menu
        return {
            "pk": note.pk, "state": self.states[state], "badge": self.badges[state], "is_done": note.is_done,
            "when": when, "type": note.type.label,
            "assignee": user_name(note.assigned_to) if self.show_assignee else "",  # "" on the user's own page
            "contact": note.contact.name, "contact_url": f"{note.contact.get_absolute_url()}?tab=notes#note-{note.pk}",
            "text": Truncator(note.description).chars(120), "actions": actions,
            "version": note.version,
            "done_url": self.urls["done"](note.pk), "reschedule_url": self.urls["reschedule"](note.pk),
            "menu_url": self.urls["menu"](note.pk),
        }

    def __call__(self, note, *, notice: str = "", error: bool = False, menu: str = "") -> str:
        return render_fragment(self.template, {**self.context, "item": self.item(note, menu=menu), "notice": notice,
                                               "error": error, "menu": menu})
