"""A representative's action as « Mon équipe » lists it (templates/notes/_team_item.html): a glance
(its state, day, type, contact and first words) and the « Actions » link that opens its actions in
place (notes/quick_answers.py, shape "team").

With each item's own buttons, as on « Ma journée », the page weighed 125 KB and most of its CPU was
those 60 forms; a manager acts on a colleague's note less often than on their own, so here the
forms come with the menu. What an item shows is worked out here once a page (links reversed once,
a badge and a date written once each), so that the template only writes it out.
"""

from dataclasses import dataclass

from django.utils.formats import time_format

from crm.formatting import format_date
from crm.links import url_with_pk
from notes.rows import state_badge

TEXT_LENGTH = 120  # the first words; the line is cut to its width with an ellipsis by CSS (text-truncate)


@dataclass(frozen=True, slots=True)
class TeamItem:
    pk: int
    css: str
    state: str
    badge: str
    when: str
    type: str
    contact: str
    contact_url: str
    text: str
    menu_url: str


class TeamItems:
    """Makes the items of one page."""

    def __init__(self):
        self.contact_url = url_with_pk("contacts:detail")
        self.menu_url = url_with_pk("notes:actions")
        self.badges = {}
        self.days = {}

    def __call__(self, note, *, contact_name: str, type_label: str) -> TeamItem:
        state = note.state
        if state not in self.badges:
            self.badges[state] = state_badge(state)
        if note.date not in self.days:
            self.days[note.date] = format_date(note.date, "SHORT_DATE_FORMAT")
        when = self.days[note.date]
        if note.time:
            when += " " + time_format(note.time, "TIME_FORMAT")
        return TeamItem(
            pk=note.pk, css=state.replace("_", ""), state=state, badge=self.badges[state], when=when,
            type=type_label, contact=contact_name,
            contact_url=f"{self.contact_url(note.contact_id)}?tab=notes#note-{note.pk}",
            text=note.description[:TEXT_LENGTH], menu_url=self.menu_url(note.pk),
        )
