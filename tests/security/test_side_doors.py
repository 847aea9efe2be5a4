"""Side doors: admin routes, history and caches must keep the same secrets as the pages."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.formats import localize_input

from contacts.models import Contact
from notes.models import CalendarFeed, Note, NoteType
from tests.conftest import client_for
from tests.factories import NoteFactory, UserFactory
from tests.security.test_lost_update import form_data

pytestmark = pytest.mark.django_db

SECRET = "Marge secrète de 40 %"


def staff(username, *codenames, groups=()):
    user = UserFactory(username=username, is_staff=True, groups=list(groups))
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return client_for(user)


def view_on_site(model, object_id) -> str:
    return reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(model).pk, object_id])


def page_text(response, url) -> str:
    """The page less what differs on every request anyway: its address, the CSRF token."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.text.replace(url, ""))


@pytest.fixture
def secret_note(contact, manager):
    return NoteFactory(contact=contact, assigned_to=manager, admin_only=True, description=SECRET)


@pytest.fixture
def public_note(contact, rep):
    return NoteFactory(contact=contact, assigned_to=rep, description="Note publique")


# 1. The admin's "view on site" redirect


def test_staff_without_permission_cannot_read_anyones_feed_secret(rep):
    feed = CalendarFeed.rotate(rep)
    for client in [staff("clerk"), staff("feedclerk", "view_calendarfeed", "change_calendarfeed")]:
        response = client.get(view_on_site(CalendarFeed, feed.pk))
        assert response.status_code == 404
        assert feed.token not in response.get("Location", "") and feed.token not in response.text


def test_view_on_site_does_not_tell_whether_a_hidden_note_exists(secret_note, public_note):
    client = staff("staffrep", "view_note", groups=["Sales reps"])
    hidden_url, missing_url = view_on_site(Note, secret_note.pk), view_on_site(Note, 999999)
    hidden, missing = client.get(hidden_url), client.get(missing_url)
    assert hidden.status_code == missing.status_code == 404
    assert page_text(hidden, hidden_url) == page_text(missing, missing_url)
    assert SECRET not in hidden.text
    # What the user may see still opens on the site.
    visible = client.get(view_on_site(Note, public_note.pk))
    assert visible.status_code == 302 and visible["Location"] == public_note.get_absolute_url()


def test_view_on_site_needs_the_models_view_permission(contact, public_note):
    client = staff("clerk")
    assert client.get(view_on_site(Note, public_note.pk)).status_code == 404
    assert client.get(view_on_site(Contact, contact.pk)).status_code == 404
    viewer = staff("viewer", "view_contact")
    assert viewer.get(view_on_site(Contact, contact.pk))["Location"] == contact.get_absolute_url()


def test_view_on_site_refuses_models_outside_the_admin_and_bad_ids(public_note):
    client = staff("staffrep", "view_note", groups=["Sales reps"])
    history_type = ContentType.objects.get_for_model(Note.history.model)
    record = Note.history.first()
    assert client.get(reverse("admin:view_on_site", args=[history_type.pk, record.pk])).status_code == 404
    assert client.get(reverse("admin:view_on_site", args=[999999, 1])).status_code == 404
    assert client.get(view_on_site(Note, "not-a-number")).status_code == 404


def test_view_on_site_sends_anonymous_visitors_to_sign_in(public_note):
    from django.test import Client

    response = Client().get(view_on_site(Note, public_note.pk))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# 2. History written while a note was admin-only


@pytest.fixture
def note_made_public(contact, manager, manager_client):
    """Written admin-only, revised while hidden, then shared with new text."""
    note = NoteFactory(contact=contact, assigned_to=manager, admin_only=True, description=SECRET)
    url = reverse("notes:update", args=[note.pk])
    manager_client.post(url, {**form_data(manager_client.get(url)), "description": SECRET + " révisée"})
    data = form_data(manager_client.get(url))
    del data["admin_only"]
    manager_client.post(url, {**data, "description": "Compte rendu public"})
    note.refresh_from_db()
    assert not note.admin_only and note.history.count() == 3
    return note


def test_history_of_a_note_hides_its_admin_only_versions_from_a_rep(rep_client, note_made_public):
    response = rep_client.get(reverse("notes:detail", args=[note_made_public.pk]))
    assert response.status_code == 200
    assert "Compte rendu public" in response.text
    assert "Marge secrète" not in response.text
    entries = response.context["data"]["entries"]
    assert len(entries) == 1
    # Nor does it say that the note used to be admin-only.
    assert all(label != "Admin seulement" for label, _before, _after in entries[0].changes)
    assert all(before == "" for _label, before, _after in entries[0].changes)


def test_history_of_a_note_shows_every_version_to_a_manager(manager_client, note_made_public):
    response = manager_client.get(reverse("notes:detail", args=[note_made_public.pk]))
    assert SECRET + " révisée" in response.text and len(response.context["data"]["entries"]) == 3


def test_history_diffs_against_the_last_version_a_rep_could_see(contact, rep, manager_client):
    note = NoteFactory(contact=contact, assigned_to=rep, description="Premier jet")
    url = reverse("notes:update", args=[note.pk])
    manager_client.post(url, {**form_data(manager_client.get(url)), "admin_only": "on", "description": SECRET})
    data = form_data(manager_client.get(url))
    del data["admin_only"]
    manager_client.post(url, {**data, "description": "Version finale"})

    response = client_for(rep).get(reverse("notes:detail", args=[note.pk]))
    assert "Marge secrète" not in response.text
    changed, created = response.context["data"]["entries"]
    assert ("Description", "Premier jet", "Version finale") in changed.changes
    assert created.kind == "créée"  # la note


def test_admin_history_of_a_note_hides_changes_made_while_admin_only(contact, rep, secret_note):
    boss = client_for(UserFactory(username="boss", is_staff=True, is_superuser=True))
    url = reverse("admin:notes_note_change", args=[secret_note.pk])
    base = {"contact": contact.pk, "assigned_to": rep.pk, "date": localize_input(secret_note.date), "initial-date": localize_input(secret_note.date),
            "type": secret_note.type_id, "version": secret_note.version}
    assert boss.post(url, {**base, "admin_only": "on", "description": SECRET + " révisée"}).status_code == 302
    secret_note.refresh_from_db()
    boss.post(url, {**base, "version": secret_note.version, "description": "Compte rendu public"})
    secret_note.refresh_from_db()
    assert not secret_note.admin_only

    history = reverse("admin:notes_note_history", args=[secret_note.pk])
    assert len(boss.get(history).context["action_list"]) == 2
    staff_rep = staff("staffrep", "view_note", groups=["Sales reps"])
    page = staff_rep.get(history)
    assert len(page.context["action_list"]) == 1
    # The change that shared it says what changed, less the admin-only box.
    assert "Modification de Description." in page.text and "admin seulement" not in page.text.lower()
    assert "admin seulement" in boss.get(history).text.lower()


def test_admin_history_hides_a_change_of_the_admin_only_box_alone(contact, rep, public_note):
    boss = client_for(UserFactory(username="boss", is_staff=True, is_superuser=True))
    url = reverse("admin:notes_note_change", args=[public_note.pk])
    base = {"contact": contact.pk, "assigned_to": rep.pk, "date": localize_input(public_note.date), "initial-date": localize_input(public_note.date),
            "type": public_note.type_id, "description": public_note.description}
    boss.post(url, {**base, "version": public_note.version, "admin_only": "on"})
    public_note.refresh_from_db()
    boss.post(url, {**base, "version": public_note.version})
    public_note.refresh_from_db()
    assert not public_note.admin_only

    history = reverse("admin:notes_note_history", args=[public_note.pk])
    assert len(boss.get(history).context["action_list"]) == 2
    staff_rep = staff("staffrep", "view_note", groups=["Sales reps"])
    assert len(staff_rep.get(history).context["action_list"]) == 0


# 3. The admin's delete confirmation


@pytest.fixture
def deleting_staff():
    return staff("staffrep", "view_contact", "delete_contact", "view_note", "delete_note", groups=["Sales reps"])


def test_admin_delete_confirmation_does_not_list_hidden_notes(deleting_staff, contact, secret_note, public_note):
    url = reverse("admin:contacts_contact_delete", args=[contact.pk])
    page = deleting_staff.get(url)
    assert page.status_code == 200
    assert "Note publique" in page.text and SECRET not in page.text
    assert {str(name): count for name, count in page.context["model_count"]} == {"contacts": 1, "notes": 1}
    deleting_staff.post(url, {"post": "yes"})
    assert not Contact.objects.exists() and not Note.objects.exists()


def test_admin_bulk_delete_confirmation_does_not_list_hidden_notes(deleting_staff, contact, secret_note, public_note):
    url = reverse("admin:contacts_contact_changelist")
    data = {"action": "delete_selected", "_selected_action": [contact.pk]}
    page = deleting_staff.post(url, data)
    assert page.status_code == 200 and "Note publique" in page.text and SECRET not in page.text
    deleting_staff.post(url, {**data, "post": "yes"})
    assert not Contact.objects.exists() and not Note.objects.exists()


def test_manager_in_the_admin_still_sees_every_note_to_be_deleted(contact, secret_note, public_note):
    client = staff("staffboss", "view_contact", "delete_contact", groups=["Managers"])
    page = client.get(reverse("admin:contacts_contact_delete", args=[contact.pk]))
    assert SECRET in page.text and dict(page.context["model_count"])["notes"] == 2


def test_protected_hidden_notes_are_counted_not_described(contact, manager):
    visit = NoteType.objects.create(label_fr="Visite", label_en="Visit", order=99)
    NoteFactory(contact=contact, assigned_to=manager, admin_only=True, description=SECRET, type=visit)
    client = staff("typeclerk", "view_notetype", "delete_notetype", "view_note", groups=["Sales reps"])
    url = reverse("admin:notes_notetype_delete", args=[visit.pk])
    page = client.get(url)
    assert page.status_code == 200 and SECRET not in page.text
    assert page.context["protected"]  # still refused: the notes keep their type
    assert "Notes : 1 que vous ne pouvez pas voir" in page.text
    client.post(url, {"post": "yes"})
    assert NoteType.objects.filter(pk=visit.pk).exists()


# 4. Private pages are not kept by shared caches


@pytest.mark.parametrize("url", [
    lambda note: reverse("home"),
    lambda note: note.contact.get_absolute_url(),
    lambda note: note.contact.get_absolute_url() + "?tab=notes",
    lambda note: reverse("calendar:month"),
    lambda note: reverse("notes:detail", args=[note.pk]),
    lambda note: reverse("contacts:export"),
])
def test_signed_in_pages_are_private(manager_client, secret_note, url):
    response = manager_client.get(url(secret_note))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_cache_control_set_by_a_view_is_kept(manager_client):
    # The admin marks its pages never_cache; the middleware adds nothing contrary.
    response = manager_client.get(reverse("admin:login"))
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_the_feed_fetched_without_a_session_is_left_alone(rep, client):
    feed = CalendarFeed.rotate(rep)
    response = client.get(feed.get_absolute_url())
    assert response.status_code == 200 and "Cookie" not in response.get("Vary", "")


# 5. More side doors


def test_calendar_feed_admin_cannot_be_filtered_by_secret(rep):
    feed = CalendarFeed.rotate(rep)
    client = staff("feedclerk", "view_calendarfeed", "delete_calendarfeed")
    url = reverse("admin:notes_calendarfeed_changelist")
    for lookup in ["token__startswith", "token", "token__regex", "token__gte"]:
        response = client.get(url, {lookup: feed.token[:1]})
        assert response.status_code in (302, 400), lookup
        assert rep.username not in response.text
    assert rep.username in client.get(url).text


def test_user_delete_confirmation_counts_hidden_notes_without_their_text(manager, secret_note, public_note):
    client = staff("userclerk", "view_user", "delete_user", "view_note", groups=["Sales reps"])
    url = reverse("admin:auth_user_delete", args=[manager.pk])
    page = client.get(url)
    assert page.status_code == 200 and SECRET not in page.text
    assert page.context["protected"]  # the manager still has notes assigned: refused
    client.post(url, {"post": "yes"})
    assert type(manager).objects.filter(pk=manager.pk).exists()


@pytest.mark.parametrize("content_type_id, object_id", [
    ("99999999999999999999999", "1"), ("-1", "1"), ("abc", "1"), ("notes", "x/y"),
    (None, "99999999999999999999999"), (None, "-1"), (None, "1.5"), (None, "%00"),
])
def test_view_on_site_answers_404_to_odd_ids(public_note, content_type_id, object_id):
    client = staff("staffrep", "view_note", groups=["Sales reps"])
    content_type_id = content_type_id or str(ContentType.objects.get_for_model(Note).pk)
    assert client.get(f"/admin/r/{content_type_id}/{object_id}/").status_code == 404


def test_admin_lists_cannot_be_filtered_through_notes(contact, secret_note):
    client = staff("staffrep", "view_contact", "view_note", groups=["Sales reps"])
    contacts = reverse("admin:contacts_contact_changelist")
    for lookup in ["notes__description__startswith", "account_manager__assigned_notes__description__startswith",
                   "notes__admin_only"]:
        response = client.get(contacts, {lookup: "M" if "description" in lookup else "1"})
        assert response.status_code in (302, 400), lookup
        assert contact.name not in response.text
    notes = client.get(reverse("admin:notes_note_changelist"), {"admin_only__exact": "1"})
    assert SECRET not in notes.text


def test_user_and_feed_admin_pages_never_show_a_feed_secret(rep):
    feed = CalendarFeed.rotate(rep)
    client = staff("userclerk", "view_user", "change_user", "view_calendarfeed", "change_calendarfeed")
    for url in [reverse("admin:auth_user_changelist"), reverse("admin:auth_user_change", args=[rep.pk]),
                reverse("admin:notes_calendarfeed_changelist"), reverse("admin:notes_calendarfeed_change", args=[feed.pk]),
                reverse("admin:notes_calendarfeed_history", args=[feed.pk])]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert feed.token not in response.text, url
    search = client.get(reverse("admin:notes_calendarfeed_changelist"), {"q": feed.token})
    assert len(search.context["cl"].result_list) == 0
