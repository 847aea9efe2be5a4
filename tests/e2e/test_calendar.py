"""The guide's shortcut: open the calendar from the header and see both notes, told apart."""

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, sign_in
from tests.factories import ContactFactory, NoteFactory, days_from_today

HISTORY = "Ma note d’historique – discussion de projet"
FOLLOW_UP = "Rappeler le client en lien au projet discuté"


def test_rep_sees_history_note_and_follow_up_on_the_calendar(page, rep):
    contact = ContactFactory(name="Boulangerie Saint-Roch")
    NoteFactory(contact=contact, assigned_to=rep, is_done=True, date=days_from_today(0), description=HISTORY)
    NoteFactory(contact=contact, assigned_to=rep, date=days_from_today(14), description=FOLLOW_UP)

    sign_in(page, "rep")
    page.get_by_test_id("calendar-icon").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_test_id("cal-legend")).to_contain_text("Note d’historique")
    expect(page.get_by_test_id("cal-legend")).to_contain_text("Note de relance")

    history = page.locator(".cal-entry", has_text=HISTORY)
    expect(history).to_have_count(1)
    expect(history).to_have_class("cal-entry cal-history")
    expect(history).to_contain_text("Boulangerie Saint-Roch")
    expect(history.locator(".bi-check-circle-fill")).to_have_count(1)
    screenshot(page, "calendar-month-fr")

    follow_up = page.locator(".cal-entry", has_text=FOLLOW_UP)
    if follow_up.count() == 0:  # two weeks ahead may be next month
        page.get_by_test_id("cal-next").click()
        follow_up = page.locator(".cal-entry", has_text=FOLLOW_UP)
    expect(follow_up).to_have_count(1)
    expect(follow_up).to_have_class("cal-entry cal-followup")
    expect(follow_up.locator(".bi-alarm")).to_have_count(1)
    expect(follow_up.locator(".visually-hidden")).to_have_text("Note de relance")
    screenshot(page, "calendar-month-fr-next")

    # The list view shows both at once, tells them apart in words too, and each
    # entry leads to the contact; its text opens the note (issue 18).
    page.get_by_role("link", name="Aujourd’hui").click()
    page.get_by_role("link", name="Liste").click()
    expect(page.locator(".cal-row", has_text=HISTORY)).to_contain_text("Note d’historique")
    expect(page.locator(".cal-row", has_text=FOLLOW_UP)).to_contain_text("Note de relance")
    screenshot(page, "calendar-list-fr")
    follow_up = page.locator(".cal-row", has_text=FOLLOW_UP)
    follow_up.get_by_role("link", name="Boulangerie Saint-Roch").click()
    expect(page).to_have_url(page.base_url + contact.get_absolute_url())
