"""A manager answers a Law 25 / GDPR request and cleans duplicates from the browser, in French and
English; the pages pass axe-core. Screenshots go to /tmp/relance-privacy (not the docs)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from contacts.models import Contact
from crm.models import AuditEntry
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import ContactFactory, ContactPersonFactory, NoteFactory, UserFactory

SHOTS = Path("/tmp/relance-privacy")


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def files(rep):
    kept = ContactFactory(name="Quincaillerie Bélanger & Frères", email="info@belanger.example", phone="819 555 0100")
    twin = ContactFactory(name="quincaillerie belanger et freres inc.", email="", phone="(819) 555-0100", city="Magog")
    ContactPersonFactory(contact=twin, first_name="Lise", last_name="Côté")
    NoteFactory(contact=twin, assigned_to=rep, description="Appel de suivi")
    return kept, twin


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_manager_merges_exports_and_erases_from_the_browser(page, manager, files, language):
    kept, twin = files
    if language == "en":
        page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    words = {
        "fr": {"merge": "Fusionner", "export": "Exporter les données", "erase": "Effacer", "yes": "Oui, effacer",
               "duplicates": "Doublons possibles", "choose": "Choisir", "download": "Télécharger l’archive"},
        "en": {"merge": "Merge", "export": "Export data", "erase": "Erase", "yes": "Yes, erase",
               "duplicates": "Possible duplicates", "choose": "Choose", "download": "Download the archive"},
    }[language]
    sign_in(page, "manager")
    page.goto(page.base_url + "/privacy/duplicates/")
    expect(page.get_by_role("heading", name=words["duplicates"])).to_be_visible()
    assert_accessible(page)
    shot(page, f"duplicates-{language}")

    page.goto(page.base_url + kept.get_absolute_url())
    shot(page, f"contact-file-{language}")
    page.get_by_role("link", name=words["merge"], exact=True).click()
    assert_accessible(page)
    shot(page, f"merge-pick-{language}")
    page.get_by_role("link", name=f"{words['choose']} {twin.name}").click()
    assert_accessible(page)
    shot(page, f"merge-form-{language}")
    page.get_by_label("Magog").check()
    page.get_by_role("button", name=words["merge"]).click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert not Contact.objects.filter(pk=twin.pk).exists()
    kept.refresh_from_db()
    assert kept.city == "Magog" and kept.people.count() == 1

    page.get_by_role("link", name=words["export"]).click()
    assert_accessible(page)
    shot(page, f"export-{language}")
    with page.expect_download() as download:
        page.get_by_role("button", name=words["download"]).click()
    assert download.value.suggested_filename.endswith(".zip")

    page.goto(page.base_url + kept.get_absolute_url())
    page.get_by_role("link", name=words["erase"], exact=True).click()
    assert_accessible(page)
    shot(page, f"erase-{language}")
    page.get_by_role("button", name=words["yes"]).click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert not Contact.objects.filter(pk=kept.pk).exists()
    assert list(AuditEntry.objects.order_by("at").values_list("action", flat=True)) == ["merge", "export", "erase"]


def test_the_audit_page_for_administrators(page, manager, files):
    from crm import audit

    UserFactory(username="boss", is_staff=True, is_superuser=True)
    audit.record(manager, "erase", kind="contact", count=1)
    audit.record(manager, "import", kind="contacts", count=120)
    sign_in(page, "boss")
    for language in ("fr", "en"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": page.base_url}])
        page.goto(page.base_url + "/privacy/audit/")
        expect(page.get_by_role("table")).to_contain_text("120")
        assert_accessible(page)
        shot(page, f"audit-{language}")
