"""On a phone (390 px wide): no page of the guide scrolls sideways, the month calendar is a list of
days, « Ajouter une note » is in reach on the contact file, and the collapsed menu says its words.
Also the new pages (« Activités », a bulk confirmation) pass the accessibility audit, and a bulk
change works from the browser in both languages."""

import os

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import ContactFactory, ContactPersonFactory, NoteFactory, days_from_today

PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("PHONE_SCREENSHOTS")  # a folder: save what the test saw, to look at


@pytest.fixture
def phone(browser, migrated_data_restored, live_server):
    context = browser.new_context(viewport=PHONE, locale="fr-CA", is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def shoot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def guide_pages(contact, rep) -> list[str]:
    pages = ["/", "/contacts/", contact.get_absolute_url(), contact.get_absolute_url() + "?tab=notes",
             f"/contacts/{contact.pk}/notes/new/", "/contacts/new/", "/calendar/", "/calendar/week/",
             "/calendar/list/", "/calendar/day/", "/notes/", "/notes/?assignee=everyone", "/profile/"]
    if settings.PROSPECTION_ENABLED:
        pages += [contact.get_absolute_url() + "?tab=prospection", f"/prospection/contacts/{contact.pk}/new/",
                  "/prospection/", "/prospection/board/", "/prospection/forecast/"]
    return pages


def test_no_page_of_the_guide_scrolls_sideways_at_390_px(phone, rep):
    contact = ContactFactory(name="Boulangerie Saint-Roch et Fils, pâtisserie fine")
    ContactPersonFactory(contact=contact, first_name="Émilie", last_name="Bouchard", is_primary=True)
    for day in range(-3, 12):
        NoteFactory(contact=contact, assigned_to=rep, date=days_from_today(day),
                    description="Rappeler le client en lien au projet discuté, avec une assez longue phrase")
    note = contact.notes.first()
    sign_in(phone, "rep")
    too_wide = {}
    # The guide's pages, and where a rep acts from: the search's results, a note and its actions' page.
    for path in [*guide_pages(contact, rep), "/search/?q=rappeler", "/search/notes/?q=rappeler",
                 note.get_absolute_url(), f"/notes/{note.pk}/actions/"]:
        phone.goto(phone.base_url + path)
        if width(phone) > PHONE["width"]:
            too_wide[path] = width(phone)
        shoot(phone, "phone" + path.replace("/", "_").replace("?", "_"))
    assert not too_wide, too_wide


def test_the_month_calendar_is_a_list_of_days_on_a_phone(phone, rep):
    NoteFactory(assigned_to=rep, contact=ContactFactory(name="Clinique du Plateau"), description="Relance")
    sign_in(phone, "rep")
    phone.goto(phone.base_url + "/calendar/")
    month = phone.get_by_test_id("cal-month")
    assert month.bounding_box()["width"] <= PHONE["width"]
    assert width(phone) <= PHONE["width"]
    today = phone.locator(".cal-is-today")
    expect(today.locator(".cal-dayname")).to_be_visible()  # the weekday in words beside the date
    expect(today.get_by_text("Clinique du Plateau")).to_be_visible()
    assert_accessible(phone)
    phone.goto(phone.base_url + "/notes/")  # « Activités » as cards
    expect(phone.get_by_role("link", name="Clinique du Plateau")).to_be_visible()
    assert width(phone) <= PHONE["width"]
    assert_accessible(phone)


def test_add_a_note_is_in_reach_on_the_contact_file(phone, rep):
    contact = ContactFactory(name="Atelier Lavoie")
    for number in range(4):
        ContactPersonFactory(contact=contact, last_name=f"Personne {number}")
    sign_in(phone, "rep")
    phone.goto(phone.base_url + contact.get_absolute_url())
    button = phone.get_by_test_id("quick-add-note").get_by_role("link", name="Ajouter une note")
    box = button.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"], box  # on screen without scrolling
    phone.mouse.wheel(0, 600)
    expect(button).to_be_in_viewport()
    button.click()
    expect(phone.get_by_label("Description")).to_be_visible()


def test_the_collapsed_menu_says_its_words(phone, rep):
    sign_in(phone, "rep")
    phone.get_by_role("button", name="Afficher le menu").click()
    menu = phone.locator("#main-nav")
    expect(menu.get_by_text("Calendrier", exact=True)).to_be_visible()
    expect(menu.get_by_role("link", name="Activités")).to_be_visible()
    if settings.PROSPECTION_ENABLED:
        expect(menu.get_by_text("Prospection", exact=True)).to_be_visible()
    shoot(phone, "phone_menu")
    assert width(phone) <= PHONE["width"]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_mark_two_notes_done_from_activities(page, rep, language):
    words = {"fr": ("Marquer terminée", "Les lignes cochées…", "Modifier 2 notes", "2 notes marquées terminées."),
             "en": ("Mark done", "The ticked rows…", "Change 2 notes", "2 notes marked done.")}[language]
    notes = [NoteFactory(assigned_to=rep, date=days_from_today(-number), description=f"Relance {number}")
             for number in range(3)]
    sign_in(page, "rep")
    if language == "en":
        page.get_by_role("button", name="English").click()
    page.goto(page.base_url + "/notes/")
    assert_accessible(page)
    page.locator(f"#pick-{notes[0].pk}").check()
    page.locator(f"#pick-{notes[1].pk}").check()
    page.get_by_label({"fr": "Modifier plusieurs à la fois", "en": "Change several at once"}[language]).select_option(
        label=words[0])
    page.get_by_role("button", name=words[1]).click()
    expect(page.get_by_test_id("bulk-count")).to_contain_text("2")
    assert_accessible(page)
    shoot(page, f"bulk_confirm_{language}")
    page.get_by_role("button", name=words[2]).click()
    expect(page.get_by_text(words[3])).to_be_visible()
    shoot(page, f"activities_{language}")
    for note in notes:
        note.refresh_from_db()
    assert [note.is_done for note in notes] == [True, True, False]


def test_select_all_ticks_the_page(page, rep):
    for number in range(3):
        NoteFactory(assigned_to=rep, description=f"Relance {number}")
    sign_in(page, "rep")
    page.goto(page.base_url + "/notes/")
    page.get_by_label("Cocher toutes les lignes de cette page").check()
    assert page.locator("input[name=ids]:checked").count() == 3


def test_the_team_view_fits_a_phone(phone, manager, rep):
    for day in range(-3, 5):
        NoteFactory(contact=ContactFactory(name="Boulangerie Saint-Roch et Fils, pâtisserie fine"), assigned_to=rep,
                    date=days_from_today(day), description="Rappeler le client en lien au projet discuté")
    sign_in(phone, "manager")
    for path in ["/team/", f"/team/?rep={rep.pk}"]:
        phone.goto(phone.base_url + path)
        expect(phone.get_by_test_id("team-member").first).to_be_visible()
        shoot(phone, "phone" + path.replace("/", "_").replace("?", "_"))
        assert width(phone) <= PHONE["width"], (path, width(phone))
    phone.get_by_role("link", name="Actions").first.click()
    expect(phone.get_by_test_id("quick-menu")).to_be_visible()
    assert width(phone) <= PHONE["width"]
    assert_accessible(phone)
