"""Issue 17: the forecast — the open pipeline by expected close month (America/Toronto), the late bar,
the won value per month, the dashboard's filters, one grouped query per chart, figures that agree."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal
from unittest import mock

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")
if not settings.PROSPECTION_ENABLED:
    pytest.skip("prospection module is off (CRM_PROSPECTION=off)", allow_module_level=True)

from django.core.cache import cache  # noqa: E402

from prospection.models import Opportunity  # noqa: E402
from tests.conftest import client_for  # noqa: E402
from tests.prospection.factories import OpportunityFactory, first_stage  # noqa: E402

pytestmark = [pytestmark, pytest.mark.django_db]
FORECAST = "/prospection/forecast/"
UTC = datetime.UTC
# Mid-December in Toronto.
NOW = datetime.datetime(2026, 12, 15, 17, 0, tzinfo=UTC)
# 03:00 UTC on 1 January is still 31 December, 22:00, in Toronto.
NEW_YEARS_EVE = datetime.datetime(2027, 1, 1, 3, 0, tzinfo=UTC)


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def won(rep, value, closed_on, **kwargs):
    opportunity = OpportunityFactory(representative=rep, value=Decimal(value), stage=first_stage("won"), **kwargs)
    Opportunity.objects.filter(pk=opportunity.pk).update(closed_on=closed_on)
    return opportunity


@pytest.fixture
def book(rep, manager):
    """Open deals at 50 % (total = value / 2) around the month boundaries, won and lost ones."""
    def open_deal(value, close, representative=rep, **kwargs):
        return OpportunityFactory(representative=representative, value=Decimal(value), success_percent=50,
                                  expected_close_date=close, **kwargs)

    open_deal("1000", datetime.date(2027, 1, 31))   # January
    open_deal("2000", datetime.date(2027, 2, 1))    # February
    open_deal("400", datetime.date(2026, 12, 10))   # late (already past)
    open_deal("600", datetime.date(2026, 12, 15))   # today: December, not late
    open_deal("100", datetime.date(2027, 12, 1))    # beyond the 12 months
    open_deal("80", None)                           # no date
    open_deal("10000", datetime.date(2027, 1, 5), representative=manager)
    won(rep, "5000", datetime.date(2026, 11, 30))
    won(rep, "700", datetime.date(2026, 1, 1))      # the first of the 12 months
    won(rep, "999", datetime.date(2025, 12, 31))    # 13 months ago: out
    won(manager, "300", datetime.date(2026, 12, 2))
    OpportunityFactory(representative=rep, value=Decimal("9999"), stage=first_stage("lost"),
                       expected_close_date=datetime.date(2027, 1, 10))


def table(response, name) -> dict[str, tuple[int, Decimal]]:
    figures = response.context["figures"][name]
    return {bar["key"]: (bar["count"], bar["total"]) for bar in figures["bars"] + figures["beyond"]}


def test_pipeline_by_toronto_month_with_the_late_bar(rep_client, book):
    with at(NOW):
        response = rep_client.get(FORECAST)
    assert response.status_code == 200
    rows = table(response, "pipeline")
    assert list(rows)[:3] == ["late", "2026-12", "2027-01"] and list(rows)[-3:] == ["2027-11", "later", "undated"]
    assert len(rows) == 1 + 12 + 2
    assert rows["late"] == (1, Decimal("200.00"))
    assert rows["2026-12"] == (1, Decimal("300.00"))
    assert rows["2027-01"] == (2, Decimal("5500.00"))  # the 31st, and the manager's
    assert rows["2027-02"] == (1, Decimal("1000.00"))  # the 1st
    assert rows["2027-03"] == (0, Decimal("0.00"))
    assert rows["later"] == (1, Decimal("50.00")) and rows["undated"] == (1, Decimal("40.00"))
    page = response.content.decode()
    assert "En retard" in page and "janvier 2027" in page and "Plus tard" in page and "Sans date" in page
    assert "Prévisions" in page and "Opportunités ouvertes par mois de conclusion prévue" in page
    assert 'aria-current="page" href="/prospection/forecast/"' in page


def test_month_boundaries_are_torontos(rep):
    OpportunityFactory(representative=rep, value=Decimal("100"), success_percent=50,
                       expected_close_date=datetime.date(2026, 12, 31))
    with at(NEW_YEARS_EVE):  # in UTC it would be January and the deal late
        rows = table(client_for(rep).get(FORECAST), "pipeline")
    assert rows["late"] == (0, Decimal("0.00"))
    assert rows["2026-12"] == (1, Decimal("50.00"))
    assert "2027-11" in rows and "2027-12" not in rows


def test_won_per_month_for_the_last_12_months(rep_client, book):
    with at(NOW):
        rows = table(rep_client.get(FORECAST), "won")
    assert list(rows)[0] == "2026-01" and list(rows)[-1] == "2026-12" and len(rows) == 12
    assert rows["2026-01"] == (1, Decimal("700.00"))
    assert rows["2026-11"] == (1, Decimal("5000.00"))
    assert rows["2026-12"] == (1, Decimal("300.00"))
    assert sum(count for count, _total in rows.values()) == 3  # not the one 13 months ago, nor the lost one


def test_the_dashboards_filters_apply(rep_client, rep, book):
    with at(NOW):
        response = rep_client.get(f"{FORECAST}?representative={rep.pk}")
    assert table(response, "pipeline")["2027-01"] == (1, Decimal("500.00"))
    assert table(response, "won")["2026-12"] == (0, Decimal("0.00"))
    assert response.context["figures"]["pipeline"]["total"] == Decimal("2090.00")
    with at(NOW):
        searched = rep_client.get(f"{FORECAST}?q=nothing-like-this")
    assert searched.context["figures"]["pipeline"]["count"] == 0


def test_the_open_closed_filter_does_not_empty_the_won_chart(rep_client, book):
    with at(NOW):
        response = rep_client.get(f"{FORECAST}?outcome=open")
    assert response.context["figures"]["won"]["count"] == 3
    assert 'name="outcome"' not in response.content.decode()


def test_every_figure_agrees(rep_client, rep, book):
    with at(NOW):
        for query in ["", f"representative={rep.pk}"]:
            forecast = rep_client.get(f"{FORECAST}?{query}").context["figures"]
            dashboard = rep_client.get(f"/prospection/?{query}").context["figures"]
            assert forecast["pipeline"]["total"] == dashboard["total"]
            assert forecast["pipeline"]["count"] == dashboard["count"]
            assert sum(band["total"] for band in dashboard["bands"]) == dashboard["total"]
        home = rep_client.get("/").content.decode()
        assert "2\u202f090,00\u00a0$" in home  # my open opportunities, as « Mes opportunités » and the forecast
        won = rep_client.get("/prospection/?outcome=won").context["figures"]
        # Every won deal but the one closed 13 months ago.
        assert rep_client.get(FORECAST).context["figures"]["won"]["total"] == won["total"] - Decimal("999.00")


def svg_texts(svg: bytes) -> list[str]:
    return ["".join(node.itertext()) for node in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]


def test_charts_draw_the_tables_figures_in_both_languages(rep_client, rep_client_en, book):
    with at(NOW):
        texts = " | ".join(svg_texts(rep_client.get(f"{FORECAST}pipeline.svg").content))
        assert "En retard" in texts and "5\u202f500,00\u00a0$" in texts and "Opportunités ouvertes" in texts
        english = " | ".join(svg_texts(rep_client_en.get(f"{FORECAST}pipeline.svg").content))
        assert "Overdue" in english and "$5,500.00" in english
        won = rep_client.get(f"{FORECAST}won.svg")
        assert won["Content-Type"] == "image/svg+xml" and "5\u202f000,00\u00a0$" in " | ".join(svg_texts(won.content))
        again = rep_client.get(f"{FORECAST}won.svg", headers={"If-None-Match": won["ETag"]})
        assert again.status_code == 304


def test_forecast_costs_a_constant_number_of_queries(rep_client, rep, django_assert_num_queries):
    # session, user, permissions, the stamp, the four drop-downs; the two grouped queries when not cached.
    with at(NOW):
        OpportunityFactory.create_batch(2, representative=rep, expected_close_date=datetime.date(2027, 1, 5))
        with django_assert_num_queries(10):
            rep_client.get(FORECAST)
        with django_assert_num_queries(8):
            rep_client.get(FORECAST)
        OpportunityFactory.create_batch(30, representative=rep, expected_close_date=datetime.date(2027, 3, 5))
        with django_assert_num_queries(11):  # and the representative asked for
            rep_client.get(f"{FORECAST}?representative={rep.pk}")
        with django_assert_num_queries(5):  # the chart: session, user, permissions, the representative, the stamp
            rep_client.get(f"{FORECAST}pipeline.svg?representative={rep.pk}")


def test_outsider_gets_403(outsider_client):
    assert outsider_client.get(FORECAST).status_code == 403
    assert outsider_client.get(f"{FORECAST}won.svg").status_code == 403


def test_an_empty_forecast_draws_without_a_singular_axis(rep_client):
    # No opportunity at all: thirteen bars of 0 (matplotlib warned of identical y limits).
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("error", module="matplotlib")
        warnings.filterwarnings("error", message=".*singular.*")
        for chart in ["pipeline.svg", "won.svg"]:
            response = rep_client.get(f"{FORECAST}{chart}")
            assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
