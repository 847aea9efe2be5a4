"""« Mon équipe » (issue 18): a manager sees each representative's overdue / today / next 7 days,
counted in SQL; a rep is refused."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from crm.permissions import SALES_REPS
from notes.models import Note
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


@pytest.fixture
def team(rep):
    other = UserFactory(username="paule", first_name="Paule", last_name="Roy", groups=[SALES_REPS])
    for offset in (-30, -2, 0, 1, 7, 8, 40):
        NoteFactory(assigned_to=rep, date=day(offset), description=f"Luc {offset}")
    NoteFactory(assigned_to=rep, date=day(-1), is_done=True, description="Luc fait")
    NoteFactory(assigned_to=other, date=day(0), description="Paule aujourd’hui")
    NoteFactory(assigned_to=other, date=day(3), admin_only=True, description="Paule secret")
    return {"rep": rep, "other": other}


def counts(html: str, user) -> tuple:
    section = html.split(f'data-rep="{user.pk}"', 1)[1].split("</section>", 1)[0]
    return tuple(section.split(f'data-count="{key}">', 1)[1].split("</span>", 1)[0].split("</i>")[1].split()[0]
                 for key in ("overdue", "today", "next-days"))


def test_manager_sees_each_reps_counts_and_their_actions(manager_client, team):
    html = manager_client.get(reverse("notes:team")).content.decode()
    assert counts(html, team["rep"]) == ("2", "1", "2")  # day 8 and day 40 are beyond the week
    assert counts(html, team["other"]) == ("0", "1", "1")  # the manager sees admin-only notes
    assert "Luc -30" in html and "Paule aujourd’hui" in html
    assert "Luc fait" not in html and "Luc 40" not in html and "Luc 8" not in html


def test_the_list_under_each_rep_is_short_and_filtering_by_rep_shows_more(manager_client, rep):
    for offset in range(-20, 0):
        NoteFactory(assigned_to=rep, date=day(offset), description=f"Retard {offset}")
    team_page = manager_client.get(reverse("notes:team")).content.decode()
    assert team_page.count("Retard ") == 3 and f'href="?rep={rep.pk}"' in team_page
    one = manager_client.get(reverse("notes:team"), {"rep": rep.pk}).content.decode()
    assert one.count("Retard ") == 20 and one.count('data-testid="team-member"') == 1


def test_an_unknown_rep_shows_the_whole_team_with_a_message(manager_client, team):
    for value in ["999999", "abc", "1 OR 1=1"]:
        response = manager_client.get(reverse("notes:team"), {"rep": value}, follow=True)
        html = response.content.decode()
        assert response.status_code == 200 and "pas dans l’équipe" in html
        assert html.count('data-testid="team-member"') >= 2


def test_a_rep_is_refused_the_team_view_and_does_not_see_the_link(rep_client, rep_client_en, team):
    assert rep_client.get(reverse("notes:team")).status_code == 403
    assert rep_client.get(reverse("notes:team"), {"rep": team["other"].pk}).status_code == 403
    assert reverse("notes:team") not in rep_client.get("/").content.decode()
    assert reverse("notes:team") not in rep_client_en.get("/").content.decode()


def test_the_manager_sees_the_link_on_ma_journee(manager_client):
    html = manager_client.get("/").content.decode()
    assert f'href="{reverse("notes:team")}"' in html and "Mon équipe" in html


def test_a_rep_without_the_admin_only_permission_never_counts_secret_notes(rep, team):
    # The counts start from Note.objects.visible_to: a manager-like user without the admin-only permission
    # (the team view permission alone) does not count them.
    from django.contrib.auth.models import Permission

    from tests.conftest import client_for

    rep.user_permissions.add(Permission.objects.get(codename="view_team_day"))
    html = client_for(rep).get(reverse("notes:team")).content.decode()
    assert counts(html, team["other"]) == ("0", "1", "0") and "Paule secret" not in html


@pytest.mark.parametrize("notes_per_rep", [1, 30])
def test_the_team_view_costs_the_same_with_few_or_many_notes(manager_client, rep, notes_per_rep,
                                                             django_assert_num_queries):
    others = [UserFactory(username=f"rep{index}", groups=[SALES_REPS]) for index in range(3)]
    for user in [rep, *others]:
        for index in range(notes_per_rep):
            NoteFactory(assigned_to=user, date=day(index % 9 - 2))
    manager_client.get(reverse("notes:team"))
    # session, user, permissions, team, counts, listed notes
    with django_assert_num_queries(6):
        manager_client.get(reverse("notes:team"))


def test_each_listed_action_opens_its_actions_in_place(manager_client, team):
    html = manager_client.get(reverse("notes:team")).content.decode()
    note = Note.objects.get(description="Luc -30")
    menu_url = reverse("notes:actions", args=[note.pk])
    assert f'hx-get="{menu_url}?shape=team"' in html and f'href="{menu_url}?shape=team&amp;next=/team/"' in html
    # A glance: the forms come with the menu, not with each of the 60 items.
    assert "<form" not in html.split('class="row g-3"', 1)[1]


def test_acting_from_the_team_view_redraws_the_team_item(manager_client, team):
    note = Note.objects.get(description="Luc -30")
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/team/?rep=1"}
    menu = manager_client.get(reverse("notes:actions", args=[note.pk]), {"shape": "team"}, **htmx).content.decode()
    assert menu.startswith("<li") and 'data-testid="quick-menu"' in menu and 'name="shape" value="team"' in menu
    done = manager_client.post(reverse("notes:toggle_done", args=[note.pk]),
                               {"version": note.version, "done": "1", "shape": "team"}, **htmx)
    html = done.content.decode()
    assert done.status_code == 200 and html.startswith("<li") and 'data-state="history"' in html
    assert "Marquée terminée." in html and "Luc -30" in html and "next=/team/%3Frep%3D1" in html
    note.refresh_from_db()
    assert note.is_done and note.version == 1
