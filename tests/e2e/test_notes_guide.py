"""The guide's sections "Ajouter des notes de suivi" and "Ajouter une note de relance", in French."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, sign_in
from tests.factories import ContactFactory

HISTORY = "Ma note d’historique – discussion de projet"
DATE = re.compile(r"^\s*Date\W*$")
FOLLOW_UP = "Rappeler le client en lien au projet discuté"


def test_rep_adds_a_history_note_and_a_follow_up(page, rep):
    contact = ContactFactory(name="Boulangerie Saint-Roch")
    sign_in(page, "rep")

    # "Se rendre d'abord sur une fiche prospect", then "Ajouter une note".
    page.goto(page.base_url + contact.get_absolute_url())
    page.get_by_role("link", name="Ajouter une note").click()
    expect(page.get_by_label("Assignée à")).to_have_value(str(rep.pk))
    expect(page.get_by_label(DATE)).to_have_value(timezone.localdate().isoformat())
    page.get_by_label("Description").fill(HISTORY)
    page.get_by_label("Est terminée ?").check()
    screenshot(page, "note-form-fr")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Note ajoutée.")).to_be_visible()

    # "Ajouter une note de relance": a future date, not done.
    page.get_by_role("link", name="Ajouter une note").click()
    page.get_by_label("Description").fill(FOLLOW_UP)
    in_two_weeks = timezone.localdate() + datetime.timedelta(days=14)
    page.get_by_label(DATE).fill(in_two_weeks.isoformat())
    page.get_by_role("button", name="Enregistrer").click()

    history = page.locator("article.note-item", has_text=HISTORY)
    follow_up = page.locator("article.note-item", has_text=FOLLOW_UP)
    expect(history).to_contain_text("Note d’historique")
    expect(follow_up).to_contain_text("Note de relance")
    expect(history).to_have_attribute("data-state", "history")
    expect(follow_up).to_have_attribute("data-state", "follow_up")
    screenshot(page, "contact-file-notes-fr")

    # The follow-up shows on the home page within the next days only when it is
    # 7 days away or less; mark it for today to see it in "Aujourd'hui".
    page.get_by_role("link", name="Ma journée").click()
    expect(page.get_by_role("heading", name="Bonjour, Luc")).to_be_visible()
    expect(page.get_by_text("Rien de prévu aujourd’hui.")).to_be_visible()


def test_rep_sees_a_follow_up_of_this_week_on_the_home_page(page, rep):
    contact = ContactFactory(name="Atelier Lavoie")
    sign_in(page, "rep")
    page.goto(page.base_url + contact.get_absolute_url())
    page.get_by_role("link", name="Ajouter une note").click()
    page.get_by_label("Description").fill(FOLLOW_UP)
    page.get_by_label(DATE).fill((timezone.localdate() + datetime.timedelta(days=3)).isoformat())
    page.get_by_label("Épingler").check()
    page.get_by_role("button", name="Enregistrer").click()

    page.get_by_role("link", name="Ma journée").click()
    next_days = page.locator("section", has=page.get_by_role("heading", name="7 prochains jours"))
    expect(next_days).to_contain_text(FOLLOW_UP)
    expect(next_days.get_by_role("link", name="Atelier Lavoie")).to_be_visible()
    screenshot(page, "home-fr")
