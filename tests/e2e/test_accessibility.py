"""Pages a rep uses every day pass an automated accessibility audit (axe-core)."""

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import ContactPersonFactory, NoteFactory, days_from_today


def test_main_pages_have_no_serious_accessibility_violation(page, rep):
    person = ContactPersonFactory(contact__name="Atelier Lavoie", first_name="Pierre", last_name="Lavoie")
    contact = person.contact
    NoteFactory(contact=contact, assigned_to=rep, is_done=True, description="Historique")
    NoteFactory(contact=contact, assigned_to=rep, date=days_from_today(3), description="Relance", is_pinned=True)

    page.goto(page.base_url + "/login/")
    assert_accessible(page)
    sign_in(page, "rep")
    for path in ["/", "/contacts/", contact.get_absolute_url(), f"/contacts/{contact.pk}/notes/new/",
                 "/contacts/new/", "/profile/"]:
        page.goto(page.base_url + path)
        assert_accessible(page)


def test_forms_work_with_the_keyboard_alone(page, rep):
    from notes.models import Note

    person = ContactPersonFactory(contact__name="Clinique du Plateau")
    sign_in(page, "rep")
    page.goto(page.base_url + f"/contacts/{person.contact.pk}/notes/new/")
    # Tab from the top of the page to the description, type, tick "done", submit with Enter.
    page.keyboard.press("Tab")
    for _ in range(40):
        if page.evaluate("document.activeElement.id") == "id_description":
            break
        page.keyboard.press("Tab")
    page.keyboard.type("Note saisie au clavier")
    page.keyboard.press("Shift+Tab")  # back to the type list
    page.keyboard.press("Shift+Tab")  # "Est terminée ?"
    assert page.evaluate("document.activeElement.id") == "id_is_done"
    page.keyboard.press("Space")
    for _ in range(3):  # type, description, then the "Enregistrer" button
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    expect(page.get_by_text("Note ajoutée.")).to_be_visible()
    note = Note.objects.get()
    assert note.description == "Note saisie au clavier" and note.is_done
