"""Issue 17: the pipeline board in a browser — a card dragged to another column, or moved with its
menu and button by keyboard alone, changes both columns' totals in place; the board passes axe-core."""

from decimal import Decimal

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")

from playwright.sync_api import expect  # noqa: E402

from crm.formatting import format_money  # noqa: E402
from tests.e2e.conftest import assert_accessible, screenshot, sign_in  # noqa: E402
from tests.e2e.test_csp import collect_csp_violations  # noqa: E402


@pytest.fixture
def deals(rep):
    from prospection.models import Stage
    from tests.factories import ContactFactory
    from tests.prospection.factories import OpportunityFactory

    first = Stage.objects.get(label_en="First contact")
    quote = Stage.objects.get(label_en="Quote sent")
    bakery = ContactFactory(name="Boulangerie Saint-Roch")
    return {
        "first": first, "quote": quote, "lost": Stage.objects.get(label_en="Lost"),
        "negotiation": Stage.objects.get(label_en="Negotiation"),
        # 10 000 at 10 % (the stage's) = 1 000; 4 000 at 50 % = 2 000
        "site": OpportunityFactory(subject="Refonte du site", contact=bakery, representative=rep, stage=first,
                                   value=Decimal("10000"), success_percent=10),
        "hosting": OpportunityFactory(subject="Hébergement", contact=bakery, representative=rep, stage=quote,
                                      value=Decimal("4000"), success_percent=50),
        "upkeep": OpportunityFactory(subject="Maintenance annuelle", contact=bakery, representative=rep,
                                     stage=Stage.objects.get(label_en="Won"), value=Decimal("1500")),
    }


def column_total(page, stage):
    return page.locator(f"#board-head-{stage.pk} [data-testid=column-total]")


def drag(page, source, target):
    """Press, move in steps and release: SortableJS (forceFallback) follows the pointer."""
    start = source.bounding_box()
    end = target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    for step in range(1, 16):
        page.mouse.move(start["x"] + (end["x"] + end["width"] / 2 - start["x"]) * step / 15,
                        start["y"] + (end["y"] + 30 - start["y"]) * step / 15)
        page.wait_for_timeout(20)
    page.mouse.up()


def test_dragging_a_card_to_another_column_changes_both_totals(page, rep, deals):
    violations = collect_csp_violations(page)  # SortableJS, htmx and board.js run under the strict CSP
    sign_in(page, "rep")
    page.goto(page.base_url + "/prospection/")
    page.get_by_role("link", name="Tableau des étapes").click()
    expect(page.get_by_role("heading", name="Tableau des étapes")).to_be_visible()
    expect(column_total(page, deals["first"])).to_have_text(format_money(Decimal("1000")))
    expect(column_total(page, deals["quote"])).to_have_text(format_money(Decimal("2000")))

    drag(page, page.locator(f"#card-{deals['site'].pk} dl"), page.locator(f"#board-cards-{deals['quote'].pk}"))

    # 10 000 now at the new stage's 50 %: 5 000 more in « Soumission envoyée », nothing left in « Premier contact ».
    expect(column_total(page, deals["quote"])).to_have_text(format_money(Decimal("7000")))
    expect(column_total(page, deals["first"])).to_have_text(format_money(Decimal("0")))
    expect(page.get_by_test_id("board-status")).to_contain_text("« Refonte du site » déplacée vers « Soumission envoyée ».")
    expect(page.locator(f"#board-cards-{deals['quote'].pk} #card-{deals['site'].pk}")).to_be_visible()
    deals["site"].refresh_from_db()
    assert deals["site"].stage == deals["quote"] and deals["site"].success_percent == 50
    screenshot(page, "board-after-drag-fr")
    assert violations == []


def test_moving_a_card_by_keyboard_alone(page, rep, deals):
    sign_in(page, "rep")
    page.goto(page.base_url + "/prospection/board/")
    menu = page.get_by_label("Étape de « Refonte du site »")
    menu.focus()
    page.keyboard.type("Négo")  # the menu's type-ahead chooses « Négociation »
    expect(menu).to_have_value(str(deals["negotiation"].pk))
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Déplacer « Refonte du site » vers l’étape choisie dans le menu")).to_be_focused()
    page.keyboard.press("Enter")
    expect(column_total(page, deals["negotiation"])).to_have_text(format_money(Decimal("7500")))
    expect(column_total(page, deals["first"])).to_have_text(format_money(Decimal("0")))
    # The keyboard stays on the card that moved.
    expect(page.get_by_label("Étape de « Refonte du site »")).to_be_focused()
    deals["site"].refresh_from_db()
    assert deals["site"].stage == deals["negotiation"]


def test_dragging_to_lost_asks_for_the_reason(page, rep, deals):
    sign_in(page, "rep")
    page.goto(page.base_url + "/prospection/board/")
    # Won and lost come folded: opened with a click on the header, the column takes the card.
    lost_column = page.locator(f"#board-column-{deals['lost'].pk}")
    lost_column.locator("summary").click()
    expect(page.locator(f"#board-cards-{deals['lost'].pk}")).to_be_visible()
    drag(page, page.locator(f"#card-{deals['hosting'].pk} dl"), page.locator(f"#board-cards-{deals['lost'].pk}"))
    reason = page.get_by_label("Raison de la perte")
    expect(reason).to_be_visible()
    expect(page.get_by_text("Indiquez pourquoi l’opportunité a été perdue")).to_be_visible()
    deals["hosting"].refresh_from_db()
    assert deals["hosting"].stage == deals["quote"]
    reason.select_option(label="Concurrent")
    page.get_by_role("button", name="Fermer comme perdue").click()
    expect(column_total(page, deals["quote"])).to_have_text(format_money(Decimal("0")))
    expect(page.locator(f"#board-head-{deals['lost'].pk} [data-testid=column-count]")).to_have_text("1 opportunité")
    deals["hosting"].refresh_from_db()
    assert deals["hosting"].stage == deals["lost"] and deals["hosting"].lost_reason.label_en == "Competitor"


def test_a_folded_won_column_shows_its_figures_and_loads_its_cards_when_opened(page, rep, deals):
    violations = collect_csp_violations(page)
    sign_in(page, "rep")
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": page.base_url}])
    page.goto(page.base_url + "/prospection/board/")
    won = page.locator("[data-outcome=won]")
    expect(won.locator("[data-testid=column-count]")).to_have_text("1 opportunity")
    expect(won.locator("[data-testid=column-total]")).to_have_text(format_money(Decimal("1500"), language="en"))
    expect(page.get_by_text("Maintenance annuelle")).to_be_hidden()
    won.locator("summary").click()
    expect(page.get_by_role("link", name="Maintenance annuelle")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "board-won-opened-en")
    assert violations == []


def test_a_stale_move_is_refused_and_the_columns_redrawn(page, rep, deals):
    sign_in(page, "rep")
    page.goto(page.base_url + "/prospection/board/")
    site = deals["site"]
    site.value = Decimal("20000")
    site.save()  # someone else, meanwhile
    page.get_by_label("Étape de « Refonte du site »").select_option(str(deals["quote"].pk))
    page.get_by_role("button", name="Déplacer « Refonte du site » vers l’étape choisie dans le menu").click()
    expect(page.get_by_test_id("board-refusal")).to_contain_text("quelqu’un l’a modifiée")
    expect(column_total(page, deals["first"])).to_have_text(format_money(Decimal("2000")))  # as it is now
    site.refresh_from_db()
    assert site.stage == deals["first"]


def test_the_board_has_no_serious_accessibility_violation(page, rep, deals):
    sign_in(page, "rep")
    page.goto(page.base_url + "/prospection/board/")
    expect(page.get_by_role("heading", name="Tableau des étapes")).to_be_visible()
    assert_accessible(page)
    page.goto(page.base_url + "/prospection/board/")
    page.get_by_label("Étape de « Hébergement »").select_option(str(deals["lost"].pk))
    page.get_by_role("button", name="Déplacer « Hébergement » vers l’étape choisie dans le menu").click()
    expect(page.get_by_label("Raison de la perte")).to_be_visible()
    assert_accessible(page)


def test_the_opportunity_form_shows_the_lost_reason_only_for_a_lost_stage(page, rep, deals):
    sign_in(page, "rep")
    page.goto(page.base_url + deals["site"].get_absolute_url())
    reason = page.get_by_label("Raison de la perte")
    expect(reason).to_be_hidden()
    expect(page.get_by_text("Le pourcentage suit l’étape tant que vous ne le modifiez pas")).to_be_visible()
    page.locator("#id_stage").select_option(label="Perdue")
    expect(reason).to_be_visible()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Indiquez pourquoi l’opportunité a été perdue")).to_be_visible()
    page.get_by_label("Raison de la perte").select_option(label="Prix")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Opportunité de vente « Refonte du site » enregistrée.")).to_be_visible()
    deals["site"].refresh_from_db()
    assert deals["site"].lost_reason.label_en == "Price" and deals["site"].success_percent == 0
