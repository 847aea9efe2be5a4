"""Issue 18 in a browser: follow-ups acted on in place (no page load) from « Ma journée », the
calendar and the Notes tab, the team view for a manager; axe-core on each; French and English."""

from pathlib import Path

from playwright.sync_api import expect

from notes.models import Note, NoteType
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import ContactFactory, NoteFactory, days_from_today

SHOTS = Path("/tmp/daily-shots")


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def mark_page(page) -> None:
    """A flag in the window: still there after an action means the page was not loaded again."""
    page.evaluate("window.notReloaded = true")


def assert_not_reloaded(page) -> None:
    assert page.evaluate("window.notReloaded === true")


def status_region(page):
    """The page's live region, where an in-place action's result is read out."""
    return page.locator("#quick-status")


def test_rep_marks_a_follow_up_done_from_ma_journee_without_a_reload(page, rep):
    contact = ContactFactory(name="Boulangerie Saint-Roch")
    note = NoteFactory(contact=contact, assigned_to=rep, date=days_from_today(0), description="Rappeler Émilie")
    late = NoteFactory(contact=contact, assigned_to=rep, date=days_from_today(-3), description="Envoyer la soumission")
    sign_in(page, "rep")
    expect(page.get_by_role("heading", name="Bonjour, Luc")).to_be_visible()
    assert_accessible(page)
    mark_page(page)

    today = page.locator("section", has=page.get_by_role("heading", name="Aujourd’hui"))
    item = today.locator("li", has_text="Rappeler Émilie")
    item.get_by_role("button", name="Marquer terminée").click()
    item = today.locator("li", has_text="Rappeler Émilie")
    expect(item.locator(".quick-notice")).to_have_text("Marquée terminée.")
    expect(item).to_have_attribute("data-state", "history")
    # The keyboard stays where it was (on the button that undoes it), and a screen reader hears it.
    expect(item.get_by_role("button", name="Marquer non terminée")).to_be_focused()
    expect(status_region(page)).to_have_text("Marquée terminée.")
    assert_not_reloaded(page)
    note.refresh_from_db()
    assert note.is_done

    overdue = page.locator("section", has=page.get_by_role("heading", name="Mes actions en retard"))
    overdue.locator("li", has_text="Envoyer la soumission").get_by_role("button", name="Demain").click()
    moved = overdue.locator("li", has_text="Envoyer la soumission")
    expect(moved.locator(".quick-notice")).to_contain_text("Reportée au")
    expect(moved.get_by_role("button", name="Demain")).to_be_focused()
    expect(status_region(page)).to_contain_text("Reportée au")
    assert_not_reloaded(page)
    late.refresh_from_db()
    assert late.date == days_from_today(1)
    shot(page, "home-fr-in-place")
    assert_accessible(page)


def test_the_same_in_english(page, rep):
    NoteFactory(contact=ContactFactory(name="Atelier Lavoie"), assigned_to=rep, date=days_from_today(0),
                description="Call back Pierre")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    sign_in(page, "rep")
    mark_page(page)
    item = page.locator("li", has_text="Call back Pierre").first
    item.get_by_role("button", name="Mark done").click()
    expect(page.locator("li", has_text="Call back Pierre").first.locator(".quick-notice")).to_have_text("Marked done.")
    expect(status_region(page)).to_have_text("Marked done.")
    assert_not_reloaded(page)
    page.locator("li", has_text="Call back Pierre").first.get_by_role("link", name="More actions").click()
    menu = page.get_by_test_id("quick-menu")
    expect(menu.get_by_role("button", name="Mark not done")).to_be_focused()
    expect(menu).to_contain_text("Log a call or an e-mail with Atelier Lavoie")
    shot(page, "home-en-menu")
    assert_accessible(page)


def test_rep_reschedules_a_follow_up_from_the_calendar(page, rep):
    contact = ContactFactory(name="Clinique du Plateau")
    note = NoteFactory(contact=contact, assigned_to=rep, date=days_from_today(0), description="Confirmer la date")
    sign_in(page, "rep")
    page.get_by_test_id("calendar-icon").click()
    expect(page.locator(".cal-entry", has_text="Confirmer la date")).to_have_count(1)
    mark_page(page)
    page.locator(".cal-item", has_text="Confirmer la date").get_by_role("link", name="Actions sur cette note").click()
    menu = page.get_by_test_id("quick-menu")
    expect(menu).to_be_visible()
    expect(menu.get_by_role("button", name="Marquer terminée")).to_be_focused()
    shot(page, "calendar-fr-menu")
    assert_accessible(page)
    menu.get_by_role("button", name="La semaine prochaine").click()
    item = page.locator(".cal-item", has_text="Confirmer la date")
    expect(item.locator(".quick-notice")).to_contain_text("Reportée au")
    expect(item.get_by_role("link", name="Actions sur cette note")).to_be_focused()
    expect(status_region(page)).to_contain_text("Reportée au")
    assert_not_reloaded(page)
    note.refresh_from_db()
    assert note.date == days_from_today(7) and not note.is_done
    shot(page, "calendar-fr-moved")

    # Without JavaScript the "…" opens a page of its own with the same actions.
    page.goto(page.base_url + f"/notes/{note.pk}/actions/?next=/calendar/")
    expect(page.get_by_test_id("quick-menu")).to_be_visible()
    assert_accessible(page)
    page.go_back()

    # The entry itself opens the note.
    item.locator(".cal-entry").click()
    expect(page).to_have_url(page.base_url + note.get_absolute_url())


def test_rep_logs_a_call_from_the_notes_tab_in_place(page, rep):
    contact = ContactFactory(name="Quincaillerie Gagnon")
    sign_in(page, "rep")
    page.goto(page.base_url + contact.get_absolute_url() + "?tab=notes")
    mark_page(page)
    log = page.get_by_test_id("quick-log")
    expect(log.get_by_label("Type")).to_have_value(str(NoteType.objects.get(kind="call").pk))  # preselected
    log.get_by_label("Ce qui s’est passé").fill("Laissé un message à la réception")
    log.get_by_role("button", name="Noter").click()
    expect(page.get_by_test_id("quick-log")).to_contain_text("Noté : Appel téléphonique")
    expect(status_region(page)).to_contain_text("Noté : Appel téléphonique")
    expect(page.get_by_test_id("quick-log").get_by_label("Ce qui s’est passé")).to_be_focused()
    row = page.locator("#contact-notes-list article.note-item").first
    expect(row).to_contain_text("Laissé un message à la réception")
    expect(row).to_have_attribute("data-state", "history")
    assert_not_reloaded(page)
    assert Note.objects.get(contact=contact).is_done
    shot(page, "notes-tab-fr-logged")
    assert_accessible(page)


def test_manager_sees_the_team_view(page, manager, rep):
    NoteFactory(contact=ContactFactory(name="Atelier Lavoie"), assigned_to=rep, date=days_from_today(-1),
                description="En retard chez Luc")
    sign_in(page, "manager")
    page.get_by_role("link", name="Mon équipe").click()
    luc = page.locator("section", has=page.get_by_role("heading", name="Luc Gagnon"))
    expect(luc).to_contain_text("1 en retard")
    expect(luc).to_contain_text("En retard chez Luc")
    shot(page, "team-fr")
    assert_accessible(page)
    # The manager acts on a colleague's action in place: its menu opens in the item.
    mark_page(page)
    luc.locator("li", has_text="En retard chez Luc").get_by_role("link", name="Actions").click()
    menu = luc.get_by_test_id("quick-menu")
    expect(menu.get_by_role("button", name="Marquer terminée")).to_be_focused()
    assert_accessible(page)
    menu.get_by_role("button", name="Marquer terminée").click()
    item = luc.locator("li", has_text="En retard chez Luc")
    expect(item).to_have_attribute("data-state", "history")
    expect(status_region(page)).to_have_text("Marquée terminée.")
    assert_not_reloaded(page)
    page.get_by_label("Représentant", exact=True).select_option(label="Luc Gagnon")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_test_id("team-member")).to_have_count(1)
    assert f"rep={rep.pk}" in page.url
