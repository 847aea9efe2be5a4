"""A user's display name is written once (crm.text.user_name, {{ user|user_name }}) and shown alike everywhere."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from crm.permissions import SALES_REPS
from crm.text import user_name
from tests.factories import ContactFactory, NoteFactory, UserFactory


@pytest.mark.django_db
def test_user_name_is_the_full_name_else_the_user_name():
    assert user_name(UserFactory(username="jdoe", first_name="Jeanne", last_name="Doe")) == "Jeanne Doe"
    assert user_name(UserFactory(username="nameless", first_name="", last_name="")) == "nameless"


@pytest.mark.django_db
def test_template_filter_gives_the_same_name_and_nothing_for_nobody():
    template = Template("{% load crm_format %}[{{ someone|user_name }}][{{ nobody|user_name }}]")
    someone = UserFactory(username="nameless", first_name="", last_name="")
    assert template.render(Context({"someone": someone, "nobody": None})) == "[nameless][]"


@pytest.mark.django_db
def test_a_user_without_a_full_name_is_shown_by_user_name_on_the_contact_file_and_the_calendar(client):
    nameless = UserFactory(username="nameless-rep", first_name="", last_name="", groups=[SALES_REPS])
    contact = ContactFactory(name="Atelier Lavoie", created_by=nameless)
    NoteFactory(contact=contact, assigned_to=nameless, description="Rappeler")
    client.force_login(nameless)
    page = client.get(contact.get_absolute_url() + "?tab=notes").content.decode()
    assert "assignée à nameless-rep" in page  # the note row
    assert "Créé" in page and page.count("nameless-rep") >= 3  # and the user menu, « Créé »
    calendar = client.get(reverse("calendar:agenda")).content.decode()
    assert '<td class="text-nowrap">nameless-rep</td>' in calendar
