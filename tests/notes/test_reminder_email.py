"""The reminder e-mail's HTML part and its links: open the note, mark it done after a confirmation."""

import datetime
import html
import re
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from crm.models import Profile
from crm.permissions import SALES_REPS
from notes.models import Note
from tests.conftest import client_for
from tests.factories import ContactFactory, NoteFactory, UserFactory

DAY = datetime.date(2026, 11, 28)
SITE = "http://127.0.0.1:8000"


def send(day=DAY) -> None:
    call_command("send_followup_reminders", "--date", day.isoformat(), stdout=StringIO())


def html_part(message) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


def links(content: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'href="([^"]+)"', content)]


def path_of(url: str) -> str:
    assert url.startswith(SITE + "/"), url  # absolute, from SITE_URL
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def digest_for(user):
    [message] = [message for message in mail.outbox if message.to == [user.email]]
    return message


@pytest.fixture
def action(rep):
    return NoteFactory(assigned_to=rep, date=DAY, time=datetime.time(9, 30),
                       contact=ContactFactory(name="Café & Cie"),
                       description="<script>alert('x')</script> Rappeler Tom & Jerry\nDeuxième ligne")


def test_the_digest_has_a_plain_text_part_and_an_html_part(rep, action):
    send()
    message = digest_for(rep)
    assert message.body.startswith("Bonjour Luc,")  # the text part is kept, unescaped
    assert "<script>alert('x')</script> Rappeler Tom & Jerry" in message.body
    content = html_part(message)
    assert content.lstrip().startswith("<!DOCTYPE html>")
    assert '<html lang="fr">' in content
    assert "Bonjour Luc," in content
    assert "En retard" not in content and "Aujourd’hui (1)" in content
    assert "Marquer terminée" in content and "Ouvrir la note" in content


def test_the_html_part_escapes_what_users_typed(rep, action):
    send()
    content = html_part(digest_for(rep))
    assert "<script>" not in content
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Rappeler Tom &amp; Jerry" in content
    assert "Café &amp; Cie" in content
    assert "Café & Cie" not in content


def test_the_html_part_speaks_the_recipient_language(db):
    anna = UserFactory(username="anna", first_name="Anna", groups=[SALES_REPS])
    Profile.objects.create(user=anna, language="en")
    NoteFactory(assigned_to=anna, date=DAY - datetime.timedelta(days=1), description="Call back")
    send()
    content = html_part(digest_for(anna))
    assert '<html lang="en">' in content
    assert "Good morning Anna," in content
    assert "Overdue (1)" in content and "Mark done" in content and "Open the note" in content
    assert "Bonjour" not in content


def test_the_links_are_absolute_and_open_the_note_for_the_recipient(rep, rep_client, action):
    send()
    message = digest_for(rep)
    found = links(html_part(message))
    note_url = SITE + action.get_absolute_url()
    mark_url = SITE + reverse("notes:mark_done", args=[action.pk])
    assert note_url in found and mark_url in found
    assert SITE + action.contact.get_absolute_url() in found
    assert note_url in message.body and mark_url in message.body  # the text part has them too
    for url in found:
        response = rep_client.get(path_of(url))
        assert response.status_code == 200, url
    assert "Rappeler Tom &amp; Jerry" in rep_client.get(path_of(note_url)).content.decode()


def test_admin_only_links_are_404_for_a_rep_who_may_not_see_the_note(manager, rep):
    hidden = NoteFactory(assigned_to=manager, date=DAY, admin_only=True, description="Secret")
    send()
    found = links(html_part(digest_for(manager)))
    note_url = SITE + hidden.get_absolute_url()
    mark_url = SITE + reverse("notes:mark_done", args=[hidden.pk])
    assert note_url in found and mark_url in found
    manager_client, rep_client = client_for(manager), client_for(rep)
    assert manager_client.get(path_of(mark_url)).status_code == 200
    assert rep_client.get(path_of(note_url)).status_code == 404
    assert rep_client.get(path_of(mark_url)).status_code == 404
    assert rep_client.post(path_of(mark_url), {"version": hidden.version}).status_code == 404
    hidden.refresh_from_db()
    assert not hidden.is_done


# The "mark done" page ----------------------------------------------------------------

def mark_done_url(note) -> str:
    return reverse("notes:mark_done", args=[note.pk])


def test_a_get_asks_and_changes_nothing(rep_client, action):
    before = Note.history.filter(id=action.pk).count()
    response = rep_client.get(mark_done_url(action))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Marquer cette action terminée ?" in page
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    assert 'method="post"' in page and "Oui, marquer terminée" in page
    assert f'name="version" value="{action.version}"' in page
    action.refresh_from_db()
    assert not action.is_done and action.done_at is None
    assert Note.history.filter(id=action.pk).count() == before


def test_the_post_marks_it_done_with_history_and_returns_to_the_note(rep_client, action):
    before = Note.history.filter(id=action.pk).count()
    response = rep_client.post(mark_done_url(action), {"version": action.version})
    assert response.status_code == 302
    assert response["Location"] == f"{action.contact.get_absolute_url()}?tab=notes#note-{action.pk}"
    action.refresh_from_db()
    assert action.is_done and action.done_at is not None
    assert Note.history.filter(id=action.pk).count() == before + 1
    page = rep_client.get(response["Location"]).content.decode()
    assert "Marquée terminée." in page


def test_a_second_post_does_not_undo_it(rep_client, action):
    rep_client.post(mark_done_url(action), {"version": action.version})
    action.refresh_from_db()
    response = rep_client.post(mark_done_url(action), {"version": action.version}, follow=True)
    action.refresh_from_db()
    assert action.is_done
    assert "Cette action était déjà terminée." in response.content.decode()
    page = rep_client.get(mark_done_url(action)).content.decode()
    assert "Cette action est terminée" in page and "Oui, marquer terminée" not in page


def test_a_note_changed_since_the_page_was_shown_is_not_marked(rep_client, action):
    shown = action.version
    action.description = "Rappeler plutôt jeudi"
    action.save()
    response = rep_client.post(mark_done_url(action), {"version": shown})
    assert response.status_code == 409
    page = response.content.decode()
    assert "a été modifiée" in page
    assert "Rappeler plutôt jeudi" in page
    assert f'name="version" value="{action.version}"' in page
    action.refresh_from_db()
    assert not action.is_done
    assert rep_client.post(mark_done_url(action), {"version": action.version}).status_code == 302
    action.refresh_from_db()
    assert action.is_done


def test_a_post_without_the_version_is_not_marked(rep_client, action):
    assert rep_client.post(mark_done_url(action), {}).status_code == 409
    action.refresh_from_db()
    assert not action.is_done


def test_the_post_needs_the_csrf_token(rep, action):
    client = Client(enforce_csrf_checks=True)
    client.force_login(rep)
    assert client.post(mark_done_url(action), {"version": action.version}).status_code == 403
    action.refresh_from_db()
    assert not action.is_done


def test_an_outsider_may_not(outsider_client, action):
    assert outsider_client.get(mark_done_url(action)).status_code == 403
    assert outsider_client.post(mark_done_url(action), {"version": action.version}).status_code == 403
    action.refresh_from_db()
    assert not action.is_done


def test_a_signed_out_recipient_signs_in_and_comes_back_to_the_question(rep, action):
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    url = mark_done_url(action)
    response = client.get(url)
    assert response.status_code == 302
    login = response["Location"]
    assert login.startswith(reverse("login")) and "next=" in login
    page = client.get(login).content.decode()
    assert f'name="next" value="{url}"' in page
    response = client.post(login, {"username": "rep", "password": "secret-password-1", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    action.refresh_from_db()
    assert not action.is_done  # signing in on the way changed nothing
    assert "Marquer cette action terminée ?" in client.get(url).content.decode()
    client.post(url, {"version": action.version})
    action.refresh_from_db()
    assert action.is_done


def test_the_confirmation_page_in_english(rep_client_en, action):
    page = rep_client_en.get(mark_done_url(action)).content.decode()
    assert "Mark this action done?" in page and "Yes, mark done" in page and "Open the note" in page
    response = rep_client_en.post(mark_done_url(action), {"version": action.version}, follow=True)
    assert "Marked done." in response.content.decode()
