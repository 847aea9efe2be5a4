"""Issue 17: a move on the board adjusts the cached column sums by the moved card instead of
recounting them (prospection.figures.carry_sums), and they stay exact: against a recount, after other
writes, and for a board filtered on another representative.

Transactional: the writes commit for real, as requests do (the stamp changes at the commit).
"""

from decimal import Decimal

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")
if not settings.PROSPECTION_ENABLED:
    pytest.skip("prospection module is off (CRM_PROSPECTION=off)", allow_module_level=True)

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from prospection.board import board_filter, column_sums  # noqa: E402
from prospection.figures import current_token  # noqa: E402
from prospection.models import Opportunity, Stage  # noqa: E402
from tests.conftest import client_for  # noqa: E402
from tests.factories import UserFactory  # noqa: E402
from tests.prospection.factories import OpportunityFactory  # noqa: E402

BOARD = "/prospection/board/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def committed(migrated_data_restored):
    """A rep whose writes really commit (as in test_figures_cache)."""
    rep = UserFactory(username="rep", first_name="Luc", last_name="Gagnon", groups=["Sales reps"])
    return {"rep": rep, "rep_client": client_for(rep)}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def stage(label_en) -> Stage:
    return Stage.objects.get(label_en=label_en)


def shown(client, query="") -> dict:
    """{stage label: (count, value, total)} as the board's headers show them."""
    return {column.stage.label_en: (column.count, column.value, column.total)
            for column in client.get(BOARD + query).context["columns"]}


def counted(query="") -> dict:
    """The same, counted again from the rows."""
    from django.http import QueryDict

    sums = column_sums(board_filter(QueryDict(query)).qs)
    zero = (0, Decimal("0.00"), Decimal("0.00"))
    return {stage.label_en: sums.get(stage.pk, zero) for stage in Stage.objects.all()}


def move(client, opportunity, label_en, query=""):
    opportunity.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("prospection:board_move", args=[opportunity.pk]),
                               {"stage": stage(label_en).pk, "version": opportunity.version, "board_query": query},
                               **HTMX)
    assert response.status_code == 200 and "board-refusal" not in response.content.decode()
    recounts = [query for query in queries.captured_queries if "SUM(" in query["sql"]]
    return response, recounts


@pytest.mark.django_db(transaction=True)
def test_moves_adjust_the_cached_sums_which_stay_exact(committed):
    client, rep = committed["rep_client"], committed["rep"]
    site = OpportunityFactory(subject="Refonte du site", representative=rep, stage=stage("First contact"),
                              value=Decimal("10000.00"), purchase_costs=Decimal("1000.00"))
    shop = OpportunityFactory(subject="Boutique", stage=stage("Quote sent"), value=Decimal("2500.50"))
    OpportunityFactory(stage=stage("Quote sent"), value=Decimal("99.99"), success_percent=33)
    client.get(BOARD)  # the sums, counted once and cached
    for opportunity, label in [(site, "Quote sent"), (shop, "Negotiation"), (site, "Won"), (site, "Needs analysis")]:
        response, recounts = move(client, opportunity, label)
        assert recounts == []  # adjusted, not counted
        heads = {column.stage.label_en: (column.count, column.value, column.total)
                 for column in response.context["columns"]}
        assert heads.items() <= counted().items()
    token = current_token()
    with CaptureQueriesContext(connection) as queries:
        on_board = shown(client)
    assert on_board == counted()  # the board after the moves: the carried sums, exact
    assert not [query for query in queries.captured_queries if "SUM(" in query["sql"]]
    assert current_token() == token
    # Any other write renews the stamp: the next board counts again, and sees it.
    shop.refresh_from_db()
    shop.value = Decimal("4000.00")
    shop.save()
    assert current_token() != token
    assert shown(client) == counted() and shown(client)["Negotiation"][1] == Decimal("4000.00")


@pytest.mark.django_db(transaction=True)
def test_a_filtered_boards_sums_follow_only_its_own_cards(committed):
    client, rep = committed["rep_client"], committed["rep"]
    mine = OpportunityFactory(representative=rep, stage=stage("First contact"), value=Decimal("700.00"))
    other = OpportunityFactory(stage=stage("First contact"), value=Decimal("300.00"))
    query = f"representative={rep.pk}"
    client.get(f"{BOARD}?{query}")
    _response, recounts = move(client, other, "Quote sent", query)  # not on this board: its sums do not change
    assert recounts == []
    assert shown(client, f"?{query}") == counted(query)
    _response, recounts = move(client, mine, "Quote sent", query)
    assert recounts == []
    assert shown(client, f"?{query}") == counted(query)
    assert counted(query)["Quote sent"][:2] == (1, Decimal("700.00"))
    assert shown(client) == counted()  # everyone's board, counted after the moves


@pytest.mark.django_db(transaction=True)
def test_a_move_after_someone_elses_write_counts_again(committed):
    client, rep = committed["rep_client"], committed["rep"]
    site = OpportunityFactory(representative=rep, stage=stage("First contact"), value=Decimal("100.00"))
    client.get(BOARD)
    Opportunity.objects.filter(pk=site.pk).update(value=Decimal("900.00"))  # a bulk write: no signal...
    from prospection.figures import opportunities_changed

    opportunities_changed()  # ...so it renews the stamp itself, as the import does
    _response, recounts = move(client, site, "Quote sent")
    assert len(recounts) == 1  # the cached sums were not the current ones: counted
    assert shown(client) == counted() and shown(client)["Quote sent"][1] == Decimal("900.00")
