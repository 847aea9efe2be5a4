"""The chart of summed totals per success band: same figures as the table and the list, cached, safe SVG."""

import re
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal
from unittest import mock

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not settings.PROSPECTION_ENABLED, reason="prospection module is off (CRM_PROSPECTION=off)")
if not settings.PROSPECTION_ENABLED:
    pytest.skip("prospection module is off (CRM_PROSPECTION=off)", allow_module_level=True)

from django.core.cache import cache  # noqa: E402
from django.urls import reverse  # noqa: E402

from prospection import chart  # noqa: E402
from prospection.models import BANDS, Opportunity, Product  # noqa: E402
from tests.prospection.factories import OpportunityFactory  # noqa: E402

CHART = "/prospection/chart.svg"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def spread(rep, manager):
    """Two or three opportunities in each band, awkward cents included, one negative total."""
    rows = [
        (rep, "0.01", "0", 0), (rep, "1000.00", "1500.00", 19), (manager, "250.00", "0", 10),
        (rep, "10000.00", "2000.00", 35), (manager, "333.33", "0", 20), (rep, "0.05", "0", 39),
        (rep, "4000.00", "1000.00", 40), (manager, "12345.67", "45.67", 59),
        (rep, "1.25", "0", 60), (manager, "999999.99", "0", 79),
        (rep, "5000.00", "0", 80), (manager, "700.00", "100.00", 100), (rep, "0.03", "0", 99),
    ]
    return [
        OpportunityFactory(representative=user, value=Decimal(value), purchase_costs=Decimal(costs),
                           success_percent=percent)
        for user, value, costs, percent in rows
    ]


def svg_texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def bar_labels(svg: bytes) -> list[tuple[str, str]]:
    """Each bar's label: its money line and the count line drawn under it."""
    texts = svg_texts(svg)
    return [(texts[i - 1], text) for i, text in enumerate(texts) if text.endswith(" opp.")]


@pytest.mark.django_db
def test_chart_table_and_list_sums_have_the_same_figures(rep_client, spread):
    response = rep_client.get("/prospection/")
    figures = response.context["figures"]
    # The list's rows, summed here in Python, band by band.
    by_band = {index: [o for o in Opportunity.objects.all() if low <= o.success_percent < high or
                       (index == len(BANDS) - 1 and o.success_percent == 100)]
               for index, (low, high) in enumerate(BANDS)}
    for band in figures["bands"]:
        rows = by_band[band["index"]]
        assert band["count"] == len(rows)
        assert band["total"] == sum((o.total for o in rows), Decimal("0.00"))
    assert figures["total"] == sum(band["total"] for band in figures["bands"])
    assert figures["count"] == len(spread)
    # The HTML table beside the chart shows the same figures...
    page = response.content.decode()
    from crm.formatting import format_money

    for band in figures["bands"]:
        row = re.search(rf'<tr data-band="{band["index"]}">(.*?)</tr>', page, re.S).group(1)
        assert format_money(band["total"]) in row
        assert f'<td class="num">{band["count"]}</td>' in row
    # ...and so does the chart drawn for the same filters.
    labels = bar_labels(rep_client.get(CHART).content)
    assert labels == [(format_money(band["total"]), f"{band['count']} opp.") for band in figures["bands"]]


@pytest.mark.django_db
def test_chart_follows_the_list_filters(rep_client, rep, spread):
    mine = rep_client.get(f"/prospection/?representative={rep.pk}").context["figures"]
    svg = rep_client.get(f"{CHART}?representative={rep.pk}").content
    assert mine["count"] == 8
    assert any("Représentant\u00a0: Luc Gagnon" in text for text in svg_texts(svg))
    from crm.formatting import format_money

    assert bar_labels(svg) == [(format_money(band["total"]), f"{band['count']} opp.") for band in mine["bands"]]


@pytest.mark.django_db
def test_chart_is_valid_svg_with_the_band_labels_in_french(rep_client, spread):
    response = rep_client.get(CHART)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    texts = svg_texts(response.content)
    for label in ["0–20\u00a0%", "20–40\u00a0%", "40–60\u00a0%", "60–80\u00a0%", "80–100\u00a0%",
                  "Totaux cumulés par tranche de réussite", "% réussite"]:
        assert label in texts, label


@pytest.mark.django_db
def test_chart_in_english_uses_english_money(rep_client_en, spread):
    svg = rep_client_en.get(CHART).content
    texts = svg_texts(svg)
    assert "20–40%" in texts
    assert "Summed totals per success band" in texts
    assert ("$2,866.69", "3 opp.") in bar_labels(svg)


@pytest.mark.django_db
def test_dashboard_shows_the_chart_with_a_text_alternative(rep_client, spread):
    page = rep_client.get("/prospection/?outcome=open").content.decode()
    img = re.search(r'<img[^>]*data-testid="band-chart"[^>]*>', page).group(0)
    assert 'src="/prospection/chart.svg?outcome=open"' in img
    alt = re.search(r'alt="([^"]*)"', img).group(1)
    assert alt.startswith("Totaux cumulés par tranche de réussite — 0–20")
    assert "20–40\u00a0%\u00a0: " in alt and "opportunités" in alt


@pytest.mark.django_db
def test_chart_is_drawn_once_for_unchanged_figures(rep_client, rep_client_en, spread,
                                                   django_capture_on_commit_callbacks):
    with mock.patch("prospection.chart.render_band_chart", wraps=chart.render_band_chart) as render:
        first = rep_client.get(CHART).content
        second = rep_client.get(CHART).content
        assert render.call_count == 1
        assert first == second
        # Same figures through another filter that keeps every row: still cached? No: the
        # subtitle names the filter, so it is another picture.
        rep_client_en.get(CHART)
        assert render.call_count == 2  # another language is another picture
        with django_capture_on_commit_callbacks(execute=True):  # as if committed
            OpportunityFactory(success_percent=50, value=Decimal("100"))
        rep_client.get(CHART)
        assert render.call_count == 3  # new figures are drawn


@pytest.mark.django_db
def test_chart_answers_not_modified_to_a_browser_holding_it(rep_client, spread, django_capture_on_commit_callbacks):
    first = rep_client.get(CHART)
    again = rep_client.get(CHART, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        OpportunityFactory(success_percent=50)
    assert rep_client.get(CHART, headers={"If-None-Match": first["ETag"]}).status_code == 200


@pytest.mark.django_db
def test_chart_query_count(rep_client, spread, django_assert_num_queries):
    # session, user, permissions (one query), the figures' stamp, the one grouped query; the four
    # filter lists are not rendered.
    with django_assert_num_queries(5):
        rep_client.get(CHART)
    # Drawn and summed already: the stamp says nothing changed, no opportunity is read.
    with django_assert_num_queries(4) as queries:
        rep_client.get(CHART)
    assert not any("prospection_opportunity" in query["sql"] for query in queries.captured_queries)


@pytest.mark.django_db
def test_user_text_is_drawn_as_typed_never_as_mathtext(rep_client, rep):
    product = Product.objects.create(label_fr=r"Prix $x^2$ \frac{1}{2} <b>&", label_en="Math $a$ $b$", order=99)
    OpportunityFactory(product=product, representative=rep)
    response = rep_client.get(f"{CHART}?product={product.pk}")
    texts = svg_texts(response.content)  # parses: the text is escaped for XML
    assert any(r"Prix $x^2$ \frac{1}{2} <b>&" in text for text in texts)


def test_plain_escapes_dollars_for_matplotlib():
    assert chart.plain("1 $ et 2 $") == r"1 \$ et 2 \$"


@pytest.mark.django_db
def test_chart_uses_figure_objects_not_pyplot(spread):
    chart.render_band_chart(Opportunity.objects.figures(), subtitle="", language="fr")
    assert "matplotlib.pyplot" not in sys.modules


@pytest.mark.django_db
def test_chart_with_no_opportunity_says_so(rep_client):
    texts = svg_texts(rep_client.get(CHART).content)
    assert "Aucune opportunité ne correspond à ces filtres." in texts


@pytest.mark.django_db
def test_chart_url_is_the_named_one():
    assert reverse("prospection:chart") == CHART
