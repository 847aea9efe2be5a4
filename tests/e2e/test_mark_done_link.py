"""The reminder e-mail's « Marquer terminée » link, followed in a browser by a signed-out recipient."""

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, screenshot, sign_in
from tests.factories import NoteFactory


def test_the_mark_done_link_signs_in_asks_then_marks_done(page, rep):
    note = NoteFactory(assigned_to=rep, contact__name="Atelier Lavoie", description="Rappeler Pierre & co")
    page.goto(page.base_url + f"/notes/{note.pk}/mark-done/")
    assert "/login/" in page.url
    page.get_by_label("Nom d’utilisateur").fill("rep")
    page.get_by_label("Mot de passe").fill("secret-password-1")
    page.locator("form button[type=submit]").click()
    expect(page.get_by_role("heading", name="Marquer cette action terminée ?")).to_be_visible()
    expect(page.get_by_text("Rappeler Pierre & co")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "mark-done-confirmation")
    note.refresh_from_db()
    assert not note.is_done
    page.get_by_role("button", name="Oui, marquer terminée").click()
    expect(page.get_by_text("Marquée terminée.")).to_be_visible()
    assert "/contacts/" in page.url
    note.refresh_from_db()
    assert note.is_done


def test_the_profile_page_offers_the_alarm(page, rep):
    sign_in(page, "rep")
    page.goto(page.base_url + "/profile/")
    page.get_by_label("Alarme du calendrier").select_option("15")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_label("Alarme du calendrier")).to_have_value("15")
