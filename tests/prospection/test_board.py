"""Issue 17: the pipeline board — columns by stage with the dashboard's filters and sums, and moving
a card (htmx or a plain POST) under the same rules as the form."""

import re
from decimal import Decimal

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")
if not settings.PROSPECTION_ENABLED:
    pytest.skip("prospection module is off (CRM_PROSPECTION=off)", allow_module_level=True)

from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from crm.formatting import format_money  # noqa: E402
from prospection.board import CARDS_PER_COLUMN  # noqa: E402
from prospection.models import Category, LostReason, Opportunity, Product, Stage  # noqa: E402
from tests.factories import ContactFactory  # noqa: E402
from tests.prospection.factories import OpportunityFactory  # noqa: E402

pytestmark = [pytestmark, pytest.mark.django_db]
BOARD = "/prospection/board/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def stage(label_en) -> Stage:
    return Stage.objects.get(label_en=label_en)


@pytest.fixture
def pipeline(rep, manager):
    website = Product.objects.get(label_en="Website")
    hosting = Product.objects.get(label_en="Hosting")
    referral = Category.objects.get(label_en="Referral")
    bakery = ContactFactory(name="Boulangerie Saint-Roch")
    garage = ContactFactory(name="Garage Tremblay")
    return {
        "site": OpportunityFactory(subject="Refonte du site", contact=bakery, representative=rep, product=website,
                                   value=Decimal("10000"), purchase_costs=Decimal("2000"), success_percent=35,
                                   stage=stage("Quote sent")),
        "shop": OpportunityFactory(subject="Boutique en ligne", contact=garage, representative=manager,
                                   product=website, category=referral, value=Decimal("25000"),
                                   purchase_costs=Decimal("5000"), success_percent=10, stage=stage("Quote sent")),
        "hosting": OpportunityFactory(subject="Hébergement annuel", contact=bakery, representative=rep,
                                      product=hosting, value=Decimal("1200.50"), stage=stage("Won")),
        "server": OpportunityFactory(subject="Serveur dédié", contact=garage, representative=manager,
                                     product=hosting, value=Decimal("3000"), stage=stage("Lost")),
        "first": OpportunityFactory(subject="Premier appel", contact=garage, representative=rep,
                                    product=hosting, value=Decimal("500"), stage=stage("First contact")),
    }


def columns(response) -> dict[str, dict]:
    return {column.stage.label_en: {"count": column.count, "value": column.value, "total": column.total,
                                    "cards": [card.subject for card in column.cards]}
            for column in response.context["columns"]}


def test_board_has_a_column_per_stage_in_order_then_won_and_lost(rep_client, pipeline):
    response = rep_client.get(BOARD)
    assert response.status_code == 200
    assert list(columns(response)) == ["First contact", "Needs analysis", "Quote sent", "Negotiation", "Won", "Lost"]
    page = response.content.decode()
    assert "Tableau des étapes" in page and 'aria-current="page" href="/prospection/board/"' in page
    assert page.count("<details") == 2  # won and lost fold away
    quote = columns(response)["Quote sent"]
    assert quote["count"] == 2 and quote["cards"] == ["Refonte du site", "Boutique en ligne"]  # by total
    assert format_money(Decimal("35000")) in page  # the column's summed value, in French


def test_board_speaks_english_with_english_money(rep_client_en, pipeline):
    page = rep_client_en.get(BOARD).content.decode()
    assert "Pipeline board" in page and "Quote sent" in page and "$35,000.00" in page and "Move" in page


def test_the_board_is_a_tab_of_the_dashboard_and_of_the_contact_list(rep_client):
    for url in [reverse("prospection:dashboard"), reverse("contacts:list")]:
        assert 'href="/prospection/board/"' in rep_client.get(url).content.decode()


@pytest.mark.parametrize("query", ["", "representative={rep}", "product={website}", "category={referral}",
                                   "q=garage", "representative={rep}&product={hosting}"])
def test_column_sums_equal_the_dashboards_for_the_same_filters(rep_client, rep, pipeline, query):
    query = query.format(rep=rep.pk, website=Product.objects.get(label_en="Website").pk,
                         hosting=Product.objects.get(label_en="Hosting").pk,
                         referral=Category.objects.get(label_en="Referral").pk)
    board = rep_client.get(f"{BOARD}?{query}")
    for column in board.context["columns"]:
        outcome = column.stage.outcome
        dashboard = rep_client.get(f"/prospection/?{query}&stage={column.stage.pk}&outcome={outcome}")
        figures = dashboard.context["figures"]
        assert (column.count, column.value, column.total) == (figures["count"], figures["value"], figures["total"]), \
            column.stage.label_en


def test_a_reps_board_with_my_opportunities_shows_what_my_opportunities_shows(rep_client, rep, pipeline):
    board = rep_client.get(f"{BOARD}?representative={rep.pk}")
    assert board.context["mine"] is True
    on_board = {subject for column in columns(board).values() for subject in column["cards"]}
    dashboard = rep_client.get(f"/prospection/?representative={rep.pk}")  # open ones, as the folded board
    assert on_board == {opportunity.subject for opportunity in dashboard.context["page"]}
    assert on_board == {"Refonte du site", "Premier appel"}
    board = rep_client.get(f"{BOARD}?representative={rep.pk}&closed=on")  # the won and lost cards too
    on_board = {subject for column in columns(board).values() for subject in column["cards"]}
    dashboard = rep_client.get(f"/prospection/?representative={rep.pk}&outcome=all")
    assert on_board == {opportunity.subject for opportunity in dashboard.context["page"]}
    assert on_board == {"Refonte du site", "Hébergement annuel", "Premier appel"}


def test_won_and_lost_come_folded_with_their_figures_and_open_with_their_cards(rep_client, rep, pipeline):
    won, lost = stage("Won"), stage("Lost")
    response = rep_client.get(f"{BOARD}?representative={rep.pk}")
    page = response.content.decode()
    folded = columns(response)["Won"]
    assert (folded["count"], folded["value"], folded["cards"]) == (1, Decimal("1200.50"), [])
    assert "Hébergement annuel" not in page and format_money(Decimal("1200.50")) in page  # the header's sum
    assert page.count("<details") == 2 and "<details open" not in page and " open>" not in page
    column_url = f"/prospection/board/column/{won.pk}/?representative={rep.pk}"
    assert f'hx-get="{column_url}" hx-trigger="toggle once"' in page
    # Without JavaScript, the folded column's link draws the board with the closed cards.
    assert f'href="{BOARD}?representative={rep.pk}&amp;closed=on#board-column-{won.pk}"' in page
    assert f'<div class="board-cards" id="board-cards-{lost.pk}" data-stage="{lost.pk}"></div>' in page  # a drop
    opened = rep_client.get(f"{BOARD}?representative={rep.pk}&closed=on").content.decode()
    assert "Hébergement annuel" in opened and f'id="board-column-{won.pk}" data-testid="board-column"' in opened
    # The column opened with JavaScript: its cards alone, under the same filters.
    body = rep_client.get(column_url, HTTP_HX_REQUEST="true")
    assert body.status_code == 200 and "<html" not in body.content.decode()
    assert "Hébergement annuel" in body.content.decode() and "Serveur dédié" not in body.content.decode()
    assert "Serveur dédié" in rep_client.get(f"/prospection/board/column/{lost.pk}/").content.decode()
    assert rep_client.get("/prospection/board/column/999999/").status_code == 404


# session, user, permissions; the stages with the figures' stamp, the column's cards
COLUMN_QUERIES = 5


def test_an_opened_column_costs_the_same_with_few_or_many_cards(rep_client, rep, django_assert_num_queries):
    won = stage("Won")
    url = f"/prospection/board/column/{won.pk}/"
    OpportunityFactory(representative=rep, stage=won)
    rep_client.get(url)
    with django_assert_num_queries(COLUMN_QUERIES):
        rep_client.get(url)
    OpportunityFactory.create_batch(CARDS_PER_COLUMN + 5, representative=rep, stage=won)
    cache.clear()
    with django_assert_num_queries(COLUMN_QUERIES + 1):  # + the sums, counted again
        assert len(rep_client.get(url).context["column"].cards) == CARDS_PER_COLUMN


def test_a_card_shows_its_figures_and_flags_a_past_close_date_in_words(rep_client, pipeline):
    import datetime

    site = pipeline["site"]
    site.expected_close_date = datetime.date(2020, 1, 15)
    site.save()
    page = rep_client.get(BOARD).content.decode()
    card = re.search(r'<article[^>]*id="card-%d".*?</article>' % site.pk, page, re.S).group(0)
    for text in ["Refonte du site", "Boulangerie Saint-Roch", "Luc Gagnon", format_money(Decimal("10000")),
                 "35\u00a0%", format_money(Decimal("2800")), "En retard", "bi-exclamation-triangle-fill"]:
        assert text in card, text
    assert f'href="{site.get_absolute_url()}"' in card


def test_a_column_shows_its_first_cards_by_total_and_links_to_the_rest(rep_client, rep):
    quote = stage("Quote sent")
    for index in range(CARDS_PER_COLUMN + 3):
        OpportunityFactory(representative=rep, stage=quote, value=Decimal(1000 + index), success_percent=50)
    response = rep_client.get(f"{BOARD}?representative={rep.pk}")
    column = columns(response)["Quote sent"]
    assert column["count"] == CARDS_PER_COLUMN + 3 and len(column["cards"]) == CARDS_PER_COLUMN
    totals = [card.total for card in response.context["columns"][2].cards]
    assert totals == sorted(totals, reverse=True)
    page = response.content.decode()
    assert "3 de plus dans la liste" in page
    assert f"/prospection/?representative={rep.pk}&amp;stage={quote.pk}&amp;ordering=-total" in page


# session, user, permissions; the filter's representatives, products, categories; the stages with the
# figures' stamp (the sums are cached under it), cards
BOARD_QUERIES = 8


def test_board_query_count_does_not_depend_on_the_data_size(rep_client, rep, django_assert_num_queries):
    OpportunityFactory.create_batch(2, representative=rep)
    rep_client.get(BOARD)
    with django_assert_num_queries(BOARD_QUERIES):
        rep_client.get(BOARD)
    for label in ["First contact", "Quote sent", "Won", "Lost"]:
        OpportunityFactory.create_batch(CARDS_PER_COLUMN + 5, representative=rep, stage=stage(label))
    with django_assert_num_queries(BOARD_QUERIES):
        response = rep_client.get(BOARD)
    # The open columns' first cards (the first 2 are among the first contacts); won and lost come folded.
    assert sum(len(column.cards) for column in response.context["columns"]) == 2 * CARDS_PER_COLUMN
    with django_assert_num_queries(BOARD_QUERIES):
        response = rep_client.get(f"{BOARD}?closed=on")
    assert sum(len(column.cards) for column in response.context["columns"]) == 4 * CARDS_PER_COLUMN
    with django_assert_num_queries(BOARD_QUERIES + 1):  # + the sums (first time for this filter)
        response = rep_client.get(f"{BOARD}?representative={rep.pk}")
    assert sum(len(column.cards) for column in response.context["columns"]) == 2 * CARDS_PER_COLUMN
    # The values chosen in the menus are found among the menus' choices: no query of their own.
    product, category = Product.objects.first(), Category.objects.first()
    filtered = f"{BOARD}?representative={rep.pk}&product={product.pk}&category={category.pk}"
    rep_client.get(filtered)
    with django_assert_num_queries(BOARD_QUERIES):
        response = rep_client.get(filtered)
    assert response.context["filter"].form.cleaned_data["representative"] == rep


def test_a_move_costs_the_same_with_few_or_many_opportunities(rep_client, rep, django_assert_num_queries):
    def moved_query_count(opportunity):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = rep_client.post(reverse("prospection:board_move", args=[opportunity.pk]),
                                       move_data(opportunity, "Quote sent"), **HTMX)
        assert response.status_code == 200
        return len(queries)

    few = moved_query_count(OpportunityFactory(representative=rep))
    OpportunityFactory.create_batch(60, representative=rep)
    assert moved_query_count(OpportunityFactory(representative=rep)) == few


def move_data(opportunity, label_en, **extra):
    return {"stage": stage(label_en).pk, "version": opportunity.version, **extra}


def test_a_move_without_javascript_redirects_to_the_filtered_board_with_a_message(rep_client, rep, pipeline):
    site = pipeline["site"]
    response = rep_client.post(reverse("prospection:board_move", args=[site.pk]),
                               move_data(site, "Negotiation", board_query=f"representative={rep.pk}&stage=9"))
    assert response.status_code == 302 and response["Location"] == f"{BOARD}?representative={rep.pk}"
    site.refresh_from_db()
    assert site.stage == stage("Negotiation") and site.success_percent == 35  # set by hand: kept
    page = rep_client.get(response["Location"]).content.decode()
    assert "« Refonte du site » déplacée vers « Négociation »." in page


def test_a_move_with_htmx_answers_the_card_and_both_column_headers(rep_client, pipeline):
    first = pipeline["first"]
    response = rep_client.post(reverse("prospection:board_move", args=[first.pk]),
                               move_data(first, "Quote sent"), **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'hx-swap-oob="afterbegin:#board-cards-{stage("Quote sent").pk}"' in page
    assert f'id="board-head-{stage("First contact").pk}" hx-swap-oob="true"' in page
    assert f'id="board-head-{stage("Quote sent").pk}" hx-swap-oob="true"' in page
    heads = {column.stage.label_en: (column.count, column.total) for column in response.context["columns"]}
    first.refresh_from_db()
    assert first.success_percent == 50  # followed the stage
    assert heads == {"First contact": (0, Decimal("0.00")),
                     "Quote sent": (3, Decimal("2800.00") + Decimal("2000.00") + Decimal("250.00"))}
    assert "<html" not in page


def test_a_stale_move_is_refused_changes_nothing_and_redraws_the_columns(rep_client, pipeline):
    site = pipeline["site"]
    shown_version = site.version
    site.subject = "Refonte du site (v2)"
    site.save()  # someone else saved meanwhile
    response = rep_client.post(reverse("prospection:board_move", args=[site.pk]),
                               {"stage": stage("Won").pk, "version": shown_version}, **HTMX)
    assert response.status_code == 200 and response["HX-Retarget"] == "#board"
    assert "quelqu’un l’a modifiée" in response.content.decode()
    site.refresh_from_db()
    assert site.stage == stage("Quote sent") and site.closed_on is None and site.version == shown_version + 1
    response = rep_client.post(reverse("prospection:board_move", args=[site.pk]),
                               {"stage": stage("Won").pk, "version": shown_version})
    assert response.status_code == 302
    assert "quelqu’un l’a modifiée" in rep_client.get(response["Location"]).content.decode()
    assert Opportunity.objects.get(pk=site.pk).stage == stage("Quote sent")


def test_a_move_to_lost_without_a_reason_asks_for_one_and_changes_nothing(rep_client, pipeline):
    site = pipeline["site"]
    url = reverse("prospection:board_move", args=[site.pk])
    response = rep_client.post(url, move_data(site, "Lost"), **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="reason-form"' in page and "Indiquez pourquoi l’opportunité a été perdue" in page
    assert Opportunity.objects.get(pk=site.pk).stage == stage("Quote sent")
    response = rep_client.post(url, move_data(site, "Lost"))  # without JavaScript: a page that asks
    assert response.status_code == 400 and 'data-testid="reason-form"' in response.content.decode()
    response = rep_client.post(url, move_data(site, "Lost", lost_reason=LostReason.objects.get(label_en="Price").pk,
                                              lost_comment="Trop cher"))
    assert response.status_code == 302
    site.refresh_from_db()
    assert (site.stage, site.lost_reason.label_fr, site.lost_comment, site.success_percent) == (
        stage("Lost"), "Prix", "Trop cher", 0)


def test_moving_needs_the_change_permission_and_csrf(outsider_client, rep, pipeline):
    site = pipeline["site"]
    url = reverse("prospection:board_move", args=[site.pk])
    assert outsider_client.post(url, move_data(site, "Won")).status_code == 403
    assert outsider_client.get(BOARD).status_code == 403
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(rep)
    assert checked.post(url, move_data(site, "Won")).status_code == 403
    assert Opportunity.objects.get(pk=site.pk).stage == stage("Quote sent")


def test_a_viewer_without_the_change_permission_sees_no_move_form(rep, pipeline):
    from django.contrib.auth.models import Permission

    from tests.conftest import client_for
    from tests.factories import UserFactory

    viewer = UserFactory(username="viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_opportunity"))
    page = client_for(viewer).get(BOARD).content.decode()
    assert "Refonte du site" in page and "board-move" not in page


def test_a_move_to_an_unknown_stage_is_refused_with_a_message(rep_client, pipeline):
    site = pipeline["site"]
    response = rep_client.post(reverse("prospection:board_move", args=[site.pk]), {"stage": "999999", "version": "x"})
    assert response.status_code == 302
    assert "n’a pas été déplacée" in rep_client.get(response["Location"]).content.decode()
    assert Opportunity.objects.get(pk=site.pk).stage == stage("Quote sent")


def test_a_card_and_a_move_escape_what_users_typed(rep_client, rep):
    rep.first_name = "<i>Luc</i>"
    rep.save()
    Stage.objects.filter(label_en="Quote sent").update(label_fr='Soumission "<u>envoyée</u>"')
    opportunity = OpportunityFactory(subject='<script>alert(1)</script>"', representative=rep,
                                     contact=ContactFactory(name='"><img src=x onerror=alert(2)>'))
    hostile = ["<script>alert(1)</script>", "<img src=x", "<i>Luc</i>", "<u>envoyée</u>"]
    page = rep_client.get(BOARD).content.decode()
    card = re.search(r'<article[^>]*id="card-%d".*?</article>' % opportunity.pk, page, re.S).group(0)
    assert not [text for text in hostile if text in card]
    for text in ["&lt;script&gt;alert(1)&lt;/script&gt;&quot;", "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;",
                 "&lt;i&gt;Luc&lt;/i&gt;", "Soumission &quot;&lt;u&gt;envoyée&lt;/u&gt;&quot;</option>",
                 'aria-label="Déplacer « &lt;script&gt;alert(1)&lt;/script&gt;&quot; »']:
        assert text in card, text
    response = rep_client.post(reverse("prospection:board_move", args=[opportunity.pk]),
                               move_data(opportunity, "Quote sent"), **HTMX)
    assert response.status_code == 200
    assert not [text for text in hostile if text in response.content.decode()]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;" in response.content.decode()


def test_a_move_to_the_stage_it_is_at_changes_nothing(rep_client, pipeline):
    site = pipeline["site"]
    response = rep_client.post(reverse("prospection:board_move", args=[site.pk]), move_data(site, "Quote sent"))
    assert response.status_code == 302
    assert Opportunity.objects.get(pk=site.pk).version == site.version
    assert site.history.count() == 1


def test_the_columns_sums_are_cached_until_an_opportunity_or_a_stage_changes(
        rep_client, pipeline, django_assert_num_queries, django_capture_on_commit_callbacks):
    rep_client.get(BOARD)
    with django_assert_num_queries(BOARD_QUERIES):  # the sums come from the cache
        assert columns(rep_client.get(BOARD))["Quote sent"]["value"] == Decimal("35000")
    site = pipeline["site"]
    with django_capture_on_commit_callbacks(execute=True):
        site.value = Decimal("12000")
        site.save()
    board = rep_client.get(BOARD)
    assert columns(board)["Quote sent"]["value"] == Decimal("37000")
    dashboard = rep_client.get("/prospection/?stage=%d" % stage("Quote sent").pk)
    assert dashboard.context["figures"]["value"] == Decimal("37000")  # the dashboard's figure, the same
    with django_capture_on_commit_callbacks(execute=True):
        Stage.objects.filter(label_en="Negotiation").update(is_active=False)
        stage("Quote sent").save()  # a stage's save renews the stamp too
    assert "Negotiation" not in columns(rep_client.get(BOARD))


@pytest.mark.parametrize("query", ["q=%00", "q=caf%C3%A9%00%25_", "q=" + "x" * 500])
def test_odd_text_searches_answer_the_board(rep_client, pipeline, query):
    response = rep_client.get(f"{BOARD}?{query}")
    assert response.status_code == 200 and "Tableau des étapes" in response.content.decode()


@pytest.mark.parametrize("query", ["representative=999999", "representative=abc", "product=0", "category=-1",
                                   "representative=%00", "product=1.5", "representative=1&representative=x"])
def test_a_filter_the_board_does_not_know_is_ignored_with_a_message(rep_client, pipeline, query):
    response = rep_client.get(f"{BOARD}?{query}")
    assert response.status_code == 200
    assert "Certains filtres n’ont pas été compris" in response.content.decode()
    assert columns(response)["Quote sent"]["count"] == 2  # no filter applied


def test_the_filter_menus_keep_the_choice_and_escape_the_labels(rep_client, rep, pipeline):
    from tests.factories import UserFactory

    UserFactory(username="odd", first_name="<b>Zoé</b>", last_name="Roy")
    product = Product.objects.get(label_en="Hosting")
    page = rep_client.get(f"{BOARD}?representative={rep.pk}&product={product.pk}").content.decode()
    assert f'<option value="{rep.pk}" selected>Luc Gagnon</option>' in page
    assert f'<option value="{product.pk}" selected>Hébergement</option>' in page
    assert '<option value="" selected>Toutes</option>' in page
    assert "&lt;b&gt;Zoé&lt;/b&gt; Roy" in page and "<b>Zoé</b>" not in page
    assert 'aria-label="Filtrer le tableau"' in page
