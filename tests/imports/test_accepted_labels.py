"""Issue 15: an unknown value's error lists each accepted value once, in the reader's language."""

import pytest
from django.utils import translation

from contacts.models import Contact
from crm.importing import values
from crm.importing.engine import CellError
from notes.models import NoteType


def error_for(parse, cell) -> str:
    with pytest.raises(CellError) as raised:
        parse(cell)
    return str(raised.value)


def test_an_unknown_status_lists_each_status_once_in_french():
    status = values.Choices(values.model_choices(Contact.Status), unknown_message="« %(value)s » ?")
    assert error_for(status, "Lead") == "« Lead » ? Valeurs acceptées : Prospect, Client, Inactif."


def test_an_unknown_status_lists_each_status_once_in_english():
    with translation.override("en"):
        status = values.Choices(values.model_choices(Contact.Status), unknown_message="“%(value)s”?")
        assert error_for(status, "Lead") == "“Lead”? Accepted: Prospect, Client, Inactive."


@pytest.mark.django_db
def test_an_unknown_list_value_lists_each_label_once_in_the_readers_language():
    types = NoteType.objects.filter(label_en__in=["Note", "Meeting"])
    assert error_for(values.labelled(types, unknown_message="%(value)s?"), "X") == (
        "X? Valeurs acceptées : Note, Rendez-vous.")
    with translation.override("en"):
        assert error_for(values.labelled(types, unknown_message="%(value)s?"), "X") == (
            "X? Accepted: Note, Meeting.")
