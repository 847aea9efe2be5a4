"""The opportunity dashboard ("Liste des prospections"): filters, "Mes opportunités", sort, sums, CSV."""

import csv
import io
from decimal import Decimal

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")
if not settings.PROSPECTION_ENABLED:
    pytest.skip("prospection module is off (CRM_PROSPECTION=off)", allow_module_level=True)

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from prospection.models import Category, Product, Stage  # noqa: E402
from tests.factories import ContactFactory  # noqa: E402
from tests.prospection.factories import OpportunityFactory, first_stage  # noqa: E402

DASHBOARD = "/prospection/"
# session, user, permissions (one query), the figures' stamp, page rows (the pager takes the sums' count),
# and the filter form's four drop-downs (users, stages, products, categories); plus the
# figures (one grouped query) when they are not cached yet.
DASHBOARD_QUERIES = 9


def subjects(response) -> list[str]:
    return [opp.subject for opp in response.context["page"]]


@pytest.fixture
def pipeline(rep, manager):
    """Opportunities of two reps across products, stages, categories and bands."""
    website = Product.objects.get(label_en="Website")
    hosting = Product.objects.get(label_en="Hosting")
    inbound = Category.objects.get(label_en="Inbound call")
    referral = Category.objects.get(label_en="Referral")
    bakery = ContactFactory(name="Boulangerie Saint-Roch")
    garage = ContactFactory(name="Garage Tremblay")
    return {
        "a": OpportunityFactory(subject="Refonte du site", contact=bakery, representative=rep, product=website,
                                category=inbound, value=Decimal("10000"), purchase_costs=Decimal("2000"),
                                success_percent=35),
        "b": OpportunityFactory(subject="Hébergement annuel", contact=bakery, representative=rep, product=hosting,
                                category=referral, value=Decimal("1200"), success_percent=100,
                                stage=first_stage("won")),
        "c": OpportunityFactory(subject="Boutique en ligne", contact=garage, representative=manager,
                                product=website, category=referral, value=Decimal("25000"),
                                purchase_costs=Decimal("5000"), success_percent=10),
        "d": OpportunityFactory(subject="Serveur dédié", contact=garage, representative=manager, product=hosting,
                                category=inbound, value=Decimal("3000"), success_percent=0,
                                stage=first_stage("lost")),
    }


@pytest.mark.django_db
def test_dashboard_lists_every_opportunity_with_the_tab_and_guide_labels(rep_client, pipeline):
    assert set(subjects(rep_client.get(DASHBOARD))) == {"Refonte du site", "Boutique en ligne"}  # open ones
    response = rep_client.get(f"{DASHBOARD}?outcome=all")
    page = response.content.decode()
    assert response.status_code == 200
    assert set(subjects(response)) == {"Refonte du site", "Hébergement annuel", "Boutique en ligne", "Serveur dédié"}
    for label in ["Liste des prospections", "Mes opportunités", "Sujet", "Produit", "Étape", "% réussite", "Total"]:
        assert label in page, label
    assert 'class="nav-link active" aria-current="page" href="/prospection/">Liste des prospections' in page


@pytest.mark.django_db
@pytest.mark.parametrize("query,expected", [
    ("representative={rep}", {"Refonte du site", "Hébergement annuel"}),
    ("outcome=open", {"Refonte du site", "Boutique en ligne"}),
    ("outcome=won", {"Hébergement annuel"}),
    ("outcome=lost", {"Serveur dédié"}),
    ("product={website}", {"Refonte du site", "Boutique en ligne"}),
    ("category={referral}", {"Hébergement annuel", "Boutique en ligne"}),
    ("stage={won}", {"Hébergement annuel"}),
    ("band=0", {"Boutique en ligne", "Serveur dédié"}),
    ("band=1", {"Refonte du site"}),
    ("band=3", set()),
    ("band=4", {"Hébergement annuel"}),
    ("q=boutique", {"Boutique en ligne"}),
    ("q=saint-roch", {"Refonte du site", "Hébergement annuel"}),
    ("q=garage serveur", {"Serveur dédié"}),
    ("representative={rep}&product={website}", {"Refonte du site"}),
])
def test_filters(rep_client, rep, pipeline, query, expected):
    query = query.format(rep=rep.pk, website=Product.objects.get(label_en="Website").pk,
                         referral=Category.objects.get(label_en="Referral").pk,
                         won=Stage.objects.get(label_en="Won").pk)
    if "outcome=" not in query:  # each filter over every opportunity, closed ones too
        query = "outcome=all&" + query
    assert set(subjects(rep_client.get(f"{DASHBOARD}?{query}"))) == expected


@pytest.mark.django_db
def test_my_opportunities_is_one_click_to_mine(rep_client, rep, pipeline):
    page = rep_client.get(DASHBOARD).content.decode()
    assert f'href="?representative={rep.pk}"' in page
    response = rep_client.get(f"{DASHBOARD}?representative={rep.pk}")
    assert set(subjects(response)) == {"Refonte du site"}  # open ones (issue 17)
    assert response.context["mine"] is True


@pytest.mark.django_db
def test_sums_are_for_what_is_filtered(rep_client, rep, pipeline):
    response = rep_client.get(f"{DASHBOARD}?representative={rep.pk}&outcome=all")
    figures = response.context["figures"]
    assert figures["count"] == 2
    assert figures["value"] == Decimal("11200.00")
    assert figures["total"] == Decimal("2800.00") + Decimal("1200.00")
    page = response.content.decode()
    assert "11\u202f200,00\u00a0$" in page and "4\u202f000,00\u00a0$" in page


@pytest.mark.django_db
@pytest.mark.parametrize("ordering,expected", [
    ("total", "dbca"), ("-total", "acbd"), ("value", "bdac"), ("-value", "cadb"),
    ("subject", "cbad"), ("-percent", "bacd"),
    # Ties (same contact, stage, representative, product, no date): the newest first.
    ("contact", "badc"), ("-contact", "dcba"), ("stage", "cabd"), ("representative", "badc"),
    ("product", "cadb"), ("close", "dcba"), ("-updated", "dcba"),
])
def test_sortable_columns(rep_client, pipeline, ordering, expected):
    response = rep_client.get(f"{DASHBOARD}?outcome=all&ordering={ordering}")
    assert subjects(response) == [pipeline[key].subject for key in expected]


@pytest.mark.django_db
def test_sort_by_total_orders_by_the_database_total(rep_client, pipeline):
    response = rep_client.get(f"{DASHBOARD}?ordering=-total")
    assert [opp.total for opp in response.context["page"]] == sorted(
        [opp.total for opp in response.context["page"]], reverse=True)


@pytest.mark.django_db
@pytest.mark.parametrize("query", [
    "ordering=representative__password", "ordering=contact__account_manager__password", "ordering=;drop",
    "ordering=-", "band=9", "band=x", "representative=abc", "stage=999999", "outcome=maybe",
    "page=abc", "page=999", "page=-1", "q=" + "x" * 500, "product=1&product=2",
])
def test_bad_query_values_never_500(rep_client, pipeline, query):
    response = rep_client.get(f"{DASHBOARD}?{query}")
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_bad_sort_is_ignored_with_a_message(rep_client, pipeline):
    response = rep_client.get(f"{DASHBOARD}?outcome=all&ordering=representative__password")
    assert "Certains filtres n’ont pas été compris" in response.content.decode()
    assert len(subjects(response)) == 4


@pytest.mark.django_db
def test_pagination(rep_client, rep):
    OpportunityFactory.create_batch(30, representative=rep)
    first = rep_client.get(DASHBOARD)
    second = rep_client.get(f"{DASHBOARD}?page=2")
    assert len(subjects(first)) == 25 and len(subjects(second)) == 5
    assert not set(subjects(first)) & set(subjects(second))
    assert first.context["figures"]["count"] == 30  # sums cover all pages


@pytest.mark.django_db
def test_dashboard_query_count_is_constant(rep_client, rep, django_assert_num_queries):
    OpportunityFactory.create_batch(3, representative=rep)
    with django_assert_num_queries(DASHBOARD_QUERIES + 1):
        rep_client.get(DASHBOARD)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        rep_client.get(DASHBOARD)
    OpportunityFactory.create_batch(40, representative=rep)
    with django_assert_num_queries(DASHBOARD_QUERIES + 1):
        rep_client.get(f"{DASHBOARD}?ordering=-total&outcome=all&page=2")
    with django_assert_num_queries(DASHBOARD_QUERIES):  # another page or order: the same sums
        rep_client.get(f"{DASHBOARD}?ordering=subject&outcome=all&page=1")
    with django_assert_num_queries(DASHBOARD_QUERIES):  # open is the default: the same sums as no choice
        rep_client.get(f"{DASHBOARD}?outcome=open")


@pytest.mark.django_db
def test_dashboard_is_reached_from_the_contact_list_tab_and_the_diamond_icon(rep_client):
    page = rep_client.get(reverse("contacts:list")).content.decode()
    assert 'href="/prospection/">Liste des prospections' in page
    assert 'data-testid="prospection-icon"' in page


@pytest.mark.django_db
def test_csv_export_has_the_filtered_rows_and_neutralises_formulas(rep_client, rep, pipeline):
    OpportunityFactory(subject="=HYPERLINK(\"http://evil\")", representative=rep, value=Decimal("1"))
    response = rep_client.get(f"{reverse('prospection:export')}?representative={rep.pk}&outcome=all&ordering=-total")
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [row["subject"] for row in rows] == ["Refonte du site", "Hébergement annuel", "'=HYPERLINK(\"http://evil\")"]
    first = rows[0]
    assert (first["contact"], first["product"], first["stage"], first["outcome"]) == (
        "Boulangerie Saint-Roch", "Site Web", "Premier contact", "open")
    assert (first["value"], first["purchase_costs"], first["success_percent"], first["total"]) == (
        "10000.00", "2000.00", "35", "2800.00")
    assert first["representative"] == "rep"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["dashboard", "chart", "export"])
def test_outsider_gets_403_and_anonymous_goes_to_login(outsider_client, name):
    url = reverse(f"prospection:{name}")
    assert outsider_client.get(url).status_code == 403
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_dashboard_in_english(rep_client_en, pipeline):
    page = rep_client_en.get(DASHBOARD).content.decode()
    for label in ["Opportunities list", "My opportunities", "Subject", "Success %", "$10,000.00"]:
        assert label in page, label


@pytest.mark.django_db
def test_a_rep_who_left_can_still_be_filtered_on(rep_client):
    from tests.factories import UserFactory

    gone = UserFactory(username="gone", first_name="Parti", last_name="Ailleurs", is_active=False)
    UserFactory(username="idle", first_name="Jamais", last_name="Vendu", is_active=False)
    OpportunityFactory(subject="Ancienne affaire", representative=gone)
    response = rep_client.get(f"{DASHBOARD}?representative={gone.pk}")
    assert subjects(response) == ["Ancienne affaire"]
    page = response.content.decode()
    assert "Parti Ailleurs" in page and "Jamais Vendu" not in page


@pytest.mark.django_db
def test_csv_export_runs_a_constant_number_of_queries(rep_client, rep, django_assert_num_queries):
    # session, user, permissions (one query), the rows counted up to the background threshold (a LIMIT),
    # the rows, the four lists looked up by id (products, stages, categories, users), the audit entry.
    OpportunityFactory.create_batch(2, representative=rep)
    with django_assert_num_queries(10):
        rep_client.get(reverse("prospection:export")).getvalue()
    OpportunityFactory.create_batch(30, representative=rep)
    with django_assert_num_queries(10):
        assert len(rep_client.get(reverse("prospection:export")).getvalue().decode().splitlines()) == 33
