"""Issue 15: words are never cut — the contact search's placeholder fits, and the details card's
labels break between words (if at all), at 1280 px and on a phone, in French and English."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from crm.models import Profile
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import ContactFactory

# The placeholder's text width against the room the field gives it (content box).
PLACEHOLDER_FITS = """(input) => {
    const style = getComputedStyle(input);
    const context = document.createElement("canvas").getContext("2d");
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return {text: input.placeholder, needed: context.measureText(input.placeholder).width, room: room};
}"""

# Every word of the element on one line: a word cut by the line end ("Gestionnair / e") has two boxes.
WORDS_WHOLE = """(element) => {
    const text = element.firstChild;
    const broken = [];
    for (const match of text.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(text, match.index);
        range.setEnd(text, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
        if (lines.size > 1) broken.push(match[0]);
    }
    return broken;
}"""


@pytest.mark.parametrize("width, height", [(1280, 800), (1024, 768), (390, 844)])
@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("path", ["/contacts/", "/prospection/"])
def test_the_search_placeholders_are_not_cut(page, rep, language, width, height, path):
    if path == "/prospection/" and not settings.PROSPECTION_ENABLED:
        pytest.skip("prospection module is off")
    Profile.objects.create(user=rep, language=language)  # signing in brings it back
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, "rep")
    page.goto(page.base_url + path)
    search = page.locator("main input[type=search][name=q]")
    expect(search).to_be_visible()
    measured = search.evaluate(PLACEHOLDER_FITS)
    if width == 1280 and language == "fr" and path == "/contacts/":
        screenshot(page, "words-contact-list-1280")
    assert measured["needed"] <= measured["room"], measured


@pytest.mark.parametrize("width, height", [(1280, 800), (1024, 768), (390, 844)])
def test_the_details_card_never_cuts_a_label_mid_word(page, rep, manager, width, height):
    contact = ContactFactory(name="Boulangerie Saint-Roch", account_manager=manager, email="info@saint-roch.example",
                             external_ref="CRM-0042")
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, "rep")
    page.goto(page.base_url + contact.get_absolute_url())
    card = page.locator("section[aria-labelledby=details-heading]")
    expect(card.get_by_text("Gestionnaire de compte")).to_be_visible()
    if width == 1280:
        screenshot(page, "words-details-card-1280")
    for label in card.locator("dt").all():
        assert label.evaluate(WORDS_WHOLE) == [], label.inner_text()
