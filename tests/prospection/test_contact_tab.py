"""The contact file's "Prospection" tab, its "Sauvegarder info. prospect", the home panel, delete counts."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")
if not settings.PROSPECTION_ENABLED:
    pytest.skip("prospection module is off (CRM_PROSPECTION=off)", allow_module_level=True)

from django.urls import reverse  # noqa: E402

from tests.factories import UserFactory  # noqa: E402
from tests.prospection.factories import OpportunityFactory, first_stage  # noqa: E402


def tab_url(contact):
    return reverse("contacts:detail", args=[contact.pk]) + "?tab=prospection"


@pytest.mark.django_db
def test_tab_shows_the_guide_labels_in_french(rep_client, contact, opportunity):
    response = rep_client.get(tab_url(contact))
    page = response.content.decode()
    assert response.status_code == 200
    for label in ["Prospection", "Gestionnaire de compte", "Sauvegarder info. prospect",
                  "Nouvelle opp. de vente", "Site web", "2\u202f800,00\u00a0$"]:
        assert label in page, label


@pytest.mark.django_db
def test_tab_speaks_english(rep_client_en, contact, opportunity):
    page = rep_client_en.get(tab_url(contact)).content.decode()
    for label in ["Account manager", "Save prospect info", "New sales opportunity", "$2,800.00"]:
        assert label in page, label


@pytest.mark.django_db
def test_account_manager_drop_down_lists_active_users_only(rep_client, contact, rep):
    UserFactory(username="gone", first_name="Parti", last_name="Ailleurs", is_active=False)
    page = rep_client.get(tab_url(contact)).content.decode()
    assert "Luc Gagnon" in page
    assert "Parti Ailleurs" not in page


@pytest.mark.django_db
def test_save_prospect_info_sets_the_account_manager_and_returns_to_the_tab(rep_client, contact, rep):
    url = reverse("prospection:prospect_info", args=[contact.pk])
    response = rep_client.post(url, {"account_manager": rep.pk, "version": contact.version}, follow=True)
    contact.refresh_from_db()
    assert contact.account_manager == rep
    assert response.redirect_chain[-1][0].endswith("?tab=prospection#contact-tabs")
    assert "Info. prospect enregistrée." in response.content.decode()


@pytest.mark.django_db
def test_save_prospect_info_can_clear_the_manager(rep_client, contact, rep):
    contact.account_manager = rep
    contact.save()
    rep_client.post(reverse("prospection:prospect_info", args=[contact.pk]),
                    {"account_manager": "", "version": contact.version})
    contact.refresh_from_db()
    assert contact.account_manager is None


@pytest.mark.django_db
def test_save_prospect_info_refuses_an_inactive_user_and_changes_nothing(rep_client, contact, rep):
    gone = UserFactory(username="gone", is_active=False)
    response = rep_client.post(reverse("prospection:prospect_info", args=[contact.pk]),
                               {"account_manager": gone.pk}, follow=True)
    contact.refresh_from_db()
    assert contact.account_manager is None
    assert "Info. prospect non enregistrée" in response.content.decode()


@pytest.mark.django_db
def test_save_prospect_info_is_post_only_and_needs_change_contact(rep_client, outsider_client, contact, rep):
    url = reverse("prospection:prospect_info", args=[contact.pk])
    assert rep_client.get(url).status_code == 405
    assert outsider_client.post(url, {"account_manager": rep.pk}).status_code == 403
    contact.refresh_from_db()
    assert contact.account_manager is None


@pytest.mark.django_db
def test_save_prospect_info_is_csrf_protected(rep, contact):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(rep)
    response = client.post(reverse("prospection:prospect_info", args=[contact.pk]), {"account_manager": rep.pk})
    assert response.status_code == 403


@pytest.mark.django_db
def test_tab_lists_only_this_contacts_opportunities_with_sums(rep_client, contact, rep):
    OpportunityFactory(contact=contact, subject="Hébergement annuel", value="1000.00", success_percent=50)
    OpportunityFactory(contact=contact, subject="Refonte", value="3000.00", success_percent=100)
    OpportunityFactory(subject="Ailleurs")
    page = rep_client.get(tab_url(contact)).content.decode()
    assert "Hébergement annuel" in page and "Refonte" in page
    assert "Ailleurs" not in page
    assert "4\u202f000,00\u00a0$" in page  # summed value
    assert "3\u202f500,00\u00a0$" in page  # summed total


@pytest.mark.django_db
def test_tab_query_count_does_not_grow_with_opportunities(rep_client, contact, django_assert_max_num_queries):
    OpportunityFactory.create_batch(3, contact=contact)
    rep_client.get(tab_url(contact))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        rep_client.get(tab_url(contact))
    OpportunityFactory.create_batch(20, contact=contact)
    with CaptureQueriesContext(connection) as many:
        rep_client.get(tab_url(contact))
    assert len(many) == len(few)


@pytest.mark.django_db
def test_delete_page_counts_the_opportunities(manager_client, contact):
    OpportunityFactory.create_batch(2, contact=contact)
    response = manager_client.get(reverse("contacts:delete", args=[contact.pk]))
    assert ("opportunités de vente", 2) in [(str(label), count) for label, count in response.context["related"]]
    assert "Opportunités de vente" in response.content.decode()


@pytest.mark.django_db
def test_home_shows_my_open_opportunities_totals(rep_client, rep, manager):
    OpportunityFactory(representative=rep, value="1000.00", success_percent=50)
    OpportunityFactory(representative=rep, value="2000.00", success_percent=10)
    OpportunityFactory(representative=rep, value="9999.00", success_percent=100, stage=first_stage("won"))
    OpportunityFactory(representative=manager, value="7777.00", success_percent=100)
    page = rep_client.get(reverse("home")).content.decode()
    assert "Mes opportunités ouvertes" in page
    assert "700,00\u00a0$" in page
    assert "2 opportunités ouvertes" in page
    assert f"{reverse('prospection:dashboard')}?representative={rep.pk}" in page  # « Mes opportunités »: open ones by default


@pytest.mark.django_db
def test_home_panel_tells_an_outsider_without_leaking_figures(outsider_client, rep):
    OpportunityFactory(representative=rep, value="1000.00", success_percent=50)
    page = outsider_client.get(reverse("home")).content.decode()
    assert "500,00" not in page
