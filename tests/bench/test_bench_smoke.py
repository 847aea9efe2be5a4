"""The benchmark harness works: a tiny data set (scale XS), a few pages measured once, the JSON report."""

import datetime
import json

import pytest
from django.apps import apps
from django.core.cache import cache

from bench import floor, runner
from bench.seed import SCALES, is_seeded, seed
from contacts.models import Contact
from notes.models import Note


@pytest.fixture
def bench_data(db):
    return seed(scale="XS", seed=7)


def test_seed_loads_the_tiny_scale_deterministically(bench_data):
    sizes = SCALES["XS"]
    assert bench_data["contacts"] == Contact.objects.count() == sizes.contacts
    assert bench_data["notes"] == Note.objects.count() == sizes.notes
    assert is_seeded(sizes)
    # The search text is filled in Python, people included.
    contact = Contact.objects.prefetch_related("people").order_by("pk").first()
    assert contact.search_text == contact.build_search_text(people=list(contact.people.all()))
    # The same seed gives the same rows.
    first = list(Note.objects.order_by("pk").values_list("date", "description", "is_done")[:20])
    seed(scale="XS", seed=7, anchor=datetime.date.fromisoformat(bench_data["anchor"]), replace=True)
    assert list(Note.objects.order_by("pk").values_list("date", "description", "is_done")[:20]) == first


def test_measure_pages_returns_numbers_and_the_report_has_its_shape(bench_data, tmp_path):
    # The chart only when the prospection module is on (the suite also runs with it off).
    third = "chart_cold" if apps.is_installed("prospection") else "contacts_search"
    pages = [page for page in runner.default_pages(("rep",))
             if page.name in {"contact_file_biggest", "calendar_month_everyone", third}]
    assert len(pages) == 3

    results = runner.measure_pages(pages, repeat=1, warmup=0)

    for result in results:
        assert result.status == 200, result.url
        assert result.median_ms > 0 and result.p95_ms >= result.median_ms
        assert result.queries > 0 and result.sql_ms >= 0 and result.bytes > 0
    cache.clear()
    report = runner.build_report(results, scale="XS", repeat=1, warmup=0)
    path = runner.write_report(report, tmp_path)
    saved = json.loads(path.read_text())
    assert saved["meta"]["scale"] == "XS"
    assert saved["meta"]["rows"]["contacts"] == SCALES["XS"].contacts
    assert {"name", "persona", "median_ms", "p95_ms", "queries", "sql_ms", "bytes"} <= set(saved["results"][0])
    assert "contact_file_biggest" in runner.format_report(saved)
    assert "contact_file_biggest" in runner.compare(saved, saved)


@pytest.mark.skipif(not apps.is_installed("prospection"), reason="the prospection module is off")
def test_board_move_case_moves_a_card_back_and_forth_with_its_current_version(bench_data):
    Opportunity = apps.get_model("prospection", "Opportunity")
    page = runner.board_move_page("rep")
    assert page is not None and page.headers == {"HX-Request": "true"}
    pk = int(page.url.rstrip("/").split("/")[-2])
    stage_before = Opportunity.objects.get(pk=pk).stage_id

    [result] = runner.measure_pages([page], repeat=2, warmup=0)

    assert result.status == 200 and result.queries > 0 and result.bytes > 0
    assert b"hx-swap-oob" in runner.fetch(runner.client_for("bench-rep"), page.url, page.data(), page.headers)[1]
    # Three moves here: the card left its stage once more than it came back.
    assert Opportunity.objects.get(pk=pk).stage_id != stage_before
    assert "board_move" in {p.name for p in runner.default_pages(("rep",))}


def test_the_floor_is_the_contact_files_html_behind_the_sign_in_and_each_page_gets_its_ratio(
        bench_data, tmp_path, settings, client):
    settings.ROOT_URLCONF = "bench.urls"
    settings.BENCH_FLOOR_FILE = str(tmp_path / "floor.html")
    pages = [page for page in runner.default_pages(("rep",)) if page.name == "contact_file_ordinary"]

    results = runner.measure_pages(pages, repeat=2, warmup=0)

    floor_row, page_row = results
    assert floor_row.name == "floor" and page_row.name == "contact_file_ordinary"
    assert page_row.extra["floor_ms"] > 0
    assert page_row.extra["ratio"] == round(page_row.median_ms / page_row.extra["floor_ms"], 1)
    # The same HTML as the contact file, served to a signed-in user only.
    served = runner.client_for("bench-rep").get(floor.FLOOR_URL)
    assert served.status_code == 200
    assert served.content.decode() == floor.floor_file().read_text().removeprefix("{% verbatim %}").removesuffix(
        "{% endverbatim %}")
    assert runner.ordinary_contact().name in served.content.decode()
    assert abs(len(served.content) - page_row.bytes) < 200  # the same page, but for its CSRF token
    assert client.get(floor.FLOOR_URL).status_code == 302  # signed out: the sign-in page
    assert "× floor" in runner.format_report(runner.build_report(results, scale="XS", repeat=2, warmup=0))
