"""Issue 17: the dashboard, its chart, « Mes opportunités » and the home panel count open opportunities
unless closed ones are asked for (« Ouvertes » by default, « Fermées », « Toutes »)."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")
if not settings.PROSPECTION_ENABLED:
    pytest.skip("prospection module is off (CRM_PROSPECTION=off)", allow_module_level=True)

from django.core.cache import cache  # noqa: E402

from tests.prospection.factories import OpportunityFactory, first_stage  # noqa: E402

pytestmark = [pytestmark, pytest.mark.django_db]
DASHBOARD = "/prospection/"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def deals(rep, manager):
    """Open, won and lost deals of the rep and of the manager (a closed deal is at 100 % or 0 %)."""
    return {
        "open": OpportunityFactory(subject="Ouverte", representative=rep, value=Decimal("1000"), success_percent=30),
        "won": OpportunityFactory(subject="Gagnée", representative=rep, value=Decimal("5000"), success_percent=100,
                                  stage=first_stage("won")),
        "lost": OpportunityFactory(subject="Perdue", representative=rep, value=Decimal("2000"), success_percent=0,
                                   stage=first_stage("lost")),
        "other": OpportunityFactory(subject="Autre", representative=manager, value=Decimal("400"),
                                    success_percent=90),
    }


def chart_texts(client, query="") -> str:
    svg = client.get("/prospection/chart.svg" + query).content
    return " | ".join("".join(node.itertext()) for node in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text"))


def listed(response) -> set[str]:
    return {opp.subject for opp in response.context["page"]}


def test_closed_opportunities_are_out_of_the_default_dashboard_sums_and_bands(rep_client, deals):
    response = rep_client.get(DASHBOARD)
    assert listed(response) == {"Ouverte", "Autre"}
    figures = response.context["figures"]
    assert (figures["count"], figures["value"], figures["total"]) == (2, Decimal("1400.00"), Decimal("660.00"))
    assert [band["total"] for band in figures["bands"]] == [0, Decimal("300.00"), 0, 0, Decimal("360.00")]
    page = response.content.decode()
    assert '<option value="open" selected>Ouvertes</option>' in page


def test_closed_opportunities_are_out_of_the_default_chart(rep_client, deals):
    svg = chart_texts(rep_client)
    assert "300,00" in svg and "360,00" in svg
    assert "5\u202f360,00" not in svg  # won + open in 80–100 %


def test_my_opportunities_are_my_open_ones(rep_client, rep, deals):
    response = rep_client.get(f"{DASHBOARD}?representative={rep.pk}")
    assert listed(response) == {"Ouverte"}
    assert response.context["figures"]["total"] == Decimal("300.00")


@pytest.mark.parametrize("outcome,expected", [
    ("open", {"Ouverte", "Autre"}),
    ("closed", {"Gagnée", "Perdue"}),
    ("won", {"Gagnée"}),
    ("lost", {"Perdue"}),
    ("all", {"Ouverte", "Gagnée", "Perdue", "Autre"}),
])
def test_closed_ones_when_asked_for(rep_client, deals, outcome, expected):
    response = rep_client.get(f"{DASHBOARD}?outcome={outcome}")
    assert listed(response) == expected
    assert response.context["figures"]["count"] == len(expected)


def test_asked_for_closed_ones_the_chart_has_them(rep_client, deals):
    svg = chart_texts(rep_client, "?outcome=all")
    assert "5\u202f360,00" in svg


def test_the_filter_is_part_of_the_cached_figures_key(rep_client, deals):
    assert rep_client.get(DASHBOARD).context["figures"]["count"] == 2
    assert rep_client.get(f"{DASHBOARD}?outcome=all").context["figures"]["count"] == 4
    assert rep_client.get(f"{DASHBOARD}?outcome=closed").context["figures"]["count"] == 2
    assert rep_client.get(f"{DASHBOARD}?outcome=").context["figures"]["count"] == 2


def test_the_filter_reads_in_english(rep_client_en, deals):
    page = rep_client_en.get(DASHBOARD).content.decode()
    for label in ['<option value="open" selected>Open</option>', ">Closed</option>", ">All</option>"]:
        assert label in page, label


def test_the_home_panel_equals_my_opportunities_default(rep_client, rep, deals):
    home = rep_client.get("/")
    panel = home.content.decode()
    link = f'href="{DASHBOARD}?representative={rep.pk}"'
    assert link in panel
    dashboard = rep_client.get(f"{DASHBOARD}?representative={rep.pk}").context["figures"]
    assert "300,00\u00a0$" in panel
    assert dashboard["total"] == Decimal("300.00") and dashboard["count"] == 1
    assert "1 opportunité ouverte" in panel


def test_the_contact_tab_lists_closed_deals_but_sums_the_open_ones(rep_client, rep, contact):
    OpportunityFactory(contact=contact, subject="Ouverte", representative=rep, value=Decimal("1000"), success_percent=30)
    OpportunityFactory(contact=contact, subject="Gagnée", representative=rep, value=Decimal("5000"),
                       stage=first_stage("won"))
    page = rep_client.get(contact.get_absolute_url() + "?tab=prospection").content.decode()
    assert "Ouverte" in page and "Gagnée" in page
    footer = page.split("<tfoot>")[1].split("</tfoot>")[0]
    assert "Totaux des opportunités ouvertes" in footer
    assert "1\u202f000,00\u00a0$" in footer and "300,00\u00a0$" in footer and "6\u202f000,00" not in footer
