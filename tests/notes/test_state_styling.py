"""A note's state looks the same wherever it is shown: one colour, one icon, the same words (notes/states.py)."""

import re

import pytest
from django.urls import reverse

from tests.factories import NoteFactory, days_from_today

ICONS = {"history": "bi-check-circle-fill", "follow_up": "bi-alarm", "today": "bi-hourglass-split",
         "overdue": "bi-exclamation-triangle-fill"}
WORDS = {"history": "Note d’historique", "follow_up": "Note de relance", "today": "À faire aujourd’hui", "overdue": "En retard"}


@pytest.fixture
def one_note_per_state(rep, contact):
    return {
        "history": NoteFactory(contact=contact, assigned_to=rep, date=days_from_today(-2), is_done=True),
        "follow_up": NoteFactory(contact=contact, assigned_to=rep, date=days_from_today(3)),
        "today": NoteFactory(contact=contact, assigned_to=rep, date=days_from_today(0)),
        "overdue": NoteFactory(contact=contact, assigned_to=rep, date=days_from_today(-1)),
    }


def icon_of(html: str, pk: int, container: str) -> str:
    """The state icon inside the element of note `pk` (its Notes-tab row or its calendar entry)."""
    item = re.search(rf'<{container}[^>]*(?:id="note-{pk}"|data-note="{pk}")[^>]*>(.*?)</{container}>', html, re.S)
    return re.search(r'<i class="bi (bi-[\w-]+)" aria-hidden="true"></i> (?:<span[^>]*>)?([^<]+)', item[1]).groups()


@pytest.mark.django_db
def test_each_state_has_the_same_icon_and_words_on_the_notes_tab_and_the_calendar(rep_client, contact,
                                                                                   one_note_per_state):
    tab = rep_client.get(contact.get_absolute_url() + "?tab=notes").content.decode()
    agenda = rep_client.get(reverse("calendar:agenda") + "?date=" + days_from_today(-2).isoformat()).content.decode()
    for state, note in one_note_per_state.items():
        assert icon_of(tab, note.pk, "article") == (ICONS[state], WORDS[state])
        assert icon_of(agenda, note.pk, "tr") == (ICONS[state], WORDS[state])


@pytest.mark.django_db
def test_the_notes_tab_legend_shows_the_badges_its_rows_use(rep_client, contact, one_note_per_state):
    tab = rep_client.get(contact.get_absolute_url() + "?tab=notes").content.decode()
    legend = re.search(r'<p class="small text-secondary mb-2">(.*?)</p>', tab, re.S)[1]
    for state in ("history", "follow_up", "overdue"):
        assert ICONS[state] in legend and WORDS[state] in legend
    assert "terminée" in legend and "prévue" in legend
