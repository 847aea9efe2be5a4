"""The benchmark harness works: a tiny data set (scale XS), a few pages measured once, the JSON report."""

import datetime
import json

import pytest
from django.apps import apps
from django.core.cache import cache

from bench import runner
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
