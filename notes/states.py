"""How a note's state (Note.state) is shown: the one place its colour, icon and words are written.

The Notes tab, « Ma journée », the calendar, its legend, « Activités » and the search hits all
take them from here, so a state looks the same wherever it appears. A state is shown by colour,
by icon and in words, never by colour alone.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True, slots=True)
class State:
    name: str  # Note.state
    css: str  # the suffix of the CSS classes note-… (a row's border) and cal-… (the calendar's colours)
    colour: str  # the Bootstrap colour of its badge: text-bg-…
    icon: str  # a Bootstrap icon class
    label: str | Promise  # its words


# In the legends' order.
STATES = {
    state.name: state for state in (
        State("history", "history", "success", "bi-check-circle-fill", _("History note")),
        State("follow_up", "followup", "primary", "bi-alarm", _("Follow-up")),
        State("today", "today", "warning", "bi-hourglass-split", _("To do today")),
        State("overdue", "overdue", "danger", "bi-exclamation-triangle-fill", _("Overdue")),
    )
}


def translated() -> dict[str, State]:
    """The states with their words in the current language, as plain strings (read many times a page)."""
    return {name: State(state.name, state.css, state.colour, state.icon, str(state.label))
            for name, state in STATES.items()}
