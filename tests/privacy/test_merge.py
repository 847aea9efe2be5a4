from django.conf import settings
from django.urls import reverse

from contacts.models import Contact, ContactPerson
from crm.models import AuditEntry
from notes.models import Note
from privacy.models import ContactRedirect
from tests.factories import ContactFactory, ContactPersonFactory, NoteFactory


def counts(*contacts):
    ids = [contact.pk for contact in contacts]
    result = {
        "people": ContactPerson.objects.filter(contact_id__in=ids).count(),
        "notes": Note.objects.filter(contact_id__in=ids).count(),
        "note history": Note.history.filter(contact_id__in=ids).count(),
        "people history": ContactPerson.history.filter(contact_id__in=ids).count(),
    }
    if settings.PROSPECTION_ENABLED:
        from prospection.models import Opportunity

        result["opportunities"] = Opportunity.objects.filter(contact_id__in=ids).count()
    return result


def make_pair(rep):
    survivor = ContactFactory(name="Quincaillerie Bélanger", email="", phone="819 555 0100", city="Sherbrooke")
    other = ContactFactory(name="quincaillerie belanger et freres", email="info@belanger.example", phone="(819) 555-0100",
                           city="Magog", external_ref="crm-42")
    ContactPersonFactory(contact=survivor, last_name="Bélanger", is_primary=True)
    ContactPersonFactory(contact=other, last_name="Côté", is_primary=True)
    for number in range(3):
        NoteFactory(contact=survivor, assigned_to=rep, description=f"garde {number}")
        NoteFactory(contact=other, assigned_to=rep, description=f"fusionnée {number}")
    if settings.PROSPECTION_ENABLED:
        from tests.prospection.factories import OpportunityFactory

        OpportunityFactory(contact=other, representative=rep)
    return survivor, other


def post_merge(client, survivor, other, **choices):
    survivor.refresh_from_db()
    other.refresh_from_db()
    data = {"other": other.pk, "survivor_version": survivor.version, "other_version": other.version}
    data.update(choices)
    return client.post(reverse("privacy:contact_merge", args=[survivor.pk]), data)


def test_merge_moves_everything_and_keeps_the_chosen_values(manager_client, manager, rep):
    survivor, other = make_pair(rep)
    before = counts(survivor, other)
    page = manager_client.get(reverse("privacy:contact_merge", args=[survivor.pk]) + f"?other={other.pk}")
    assert page.status_code == 200 and "Magog" in page.text and "Sherbrooke" in page.text
    history_before = Contact.history.filter(id=survivor.pk).count() + Contact.history.filter(id=other.pk).count()
    response = post_merge(manager_client, survivor, other, name="keep", email="take", city="take",
                          external_ref="take", phone="keep")
    assert response.status_code == 302 and response["Location"] == survivor.get_absolute_url()
    assert not Contact.objects.filter(pk=other.pk).exists()
    assert counts(survivor) == before
    survivor.refresh_from_db()
    assert (survivor.name, survivor.email, survivor.city, survivor.phone, survivor.external_ref) == (
        "Quincaillerie Bélanger", "info@belanger.example", "Magog", "819 555 0100", "crm-42")
    assert "cote" in survivor.search_text  # the moved person is found with the survivor
    assert survivor.people.filter(is_primary=True).count() == 1
    # One history entry on the survivor says what was merged; the other's history moved with it.
    history = list(Contact.history.filter(id=survivor.pk).order_by("-history_date"))
    assert len(history) == history_before + 1
    assert "quincaillerie belanger et freres" in history[0].history_change_reason
    entry = AuditEntry.objects.get(action="merge")
    assert (entry.user, entry.kind, entry.count) == (manager, "contact", 2)


def test_the_old_address_redirects_to_the_survivor(manager_client, rep):
    survivor, other = make_pair(rep)
    post_merge(manager_client, survivor, other)
    assert ContactRedirect.objects.get(old_id=other.pk).contact_id == survivor.pk
    response = manager_client.get(reverse("contacts:detail", args=[other.pk]) + "?tab=notes")
    assert response.status_code == 301
    assert response["Location"] == reverse("contacts:detail", args=[survivor.pk]) + "?tab=notes"
    assert manager_client.get(reverse("contacts:detail", args=[999999])).status_code == 404


def test_a_second_merge_keeps_the_first_redirect_working(manager_client, rep):
    survivor, other = make_pair(rep)
    post_merge(manager_client, survivor, other)
    third = ContactFactory(name="Troisième")
    post_merge(manager_client, third, survivor)
    response = manager_client.get(reverse("contacts:detail", args=[other.pk]))
    assert response["Location"] == reverse("contacts:detail", args=[third.pk])


def test_a_stale_version_is_refused_and_nothing_moves(manager_client, rep):
    survivor, other = make_pair(rep)
    before = {"survivor": counts(survivor), "other": counts(other)}
    data = {"other": other.pk, "survivor_version": survivor.version, "other_version": other.version, "city": "take"}
    other.phone = "450 555 0000"  # a second editor saves meanwhile
    other.save()
    response = manager_client.post(reverse("privacy:contact_merge", args=[survivor.pk]), data, follow=True)
    assert "modifié" in response.text or "changed" in response.text
    assert Contact.objects.filter(pk=other.pk).exists()
    assert {"survivor": counts(survivor), "other": counts(other)} == before
    survivor.refresh_from_db()
    assert survivor.city == "Sherbrooke"
    assert not ContactRedirect.objects.exists()
    assert not AuditEntry.objects.exists()


def test_merging_a_contact_with_itself_is_refused(manager_client, rep):
    survivor, _other = make_pair(rep)
    response = manager_client.post(reverse("privacy:contact_merge", args=[survivor.pk]),
                                   {"other": survivor.pk, "survivor_version": 0, "other_version": 0})
    assert response.status_code == 200
    assert Contact.objects.filter(pk=survivor.pk).exists()


def test_a_bad_other_gives_the_picking_page(manager_client, rep):
    survivor, _other = make_pair(rep)
    for bad in ("abc", "99999", "-1", ""):
        response = manager_client.get(reverse("privacy:contact_merge", args=[survivor.pk]), {"other": bad})
        assert response.status_code == 200


def test_the_picking_page_suggests_look_alikes(manager_client, rep):
    survivor, other = make_pair(rep)
    page = manager_client.get(reverse("privacy:contact_merge", args=[survivor.pk])).text
    assert f"?other={other.pk}" in page
    found = manager_client.get(reverse("privacy:contact_merge", args=[survivor.pk]), {"q": "Frères"}).text
    assert f"?other={other.pk}" in found


def test_merging_two_people_of_one_contact(manager_client, manager, rep):
    contact = ContactFactory(name="Garage Roy")
    keep = ContactPersonFactory(contact=contact, first_name="Jean", last_name="Roy", email="", phone="514 555 0101")
    merged = ContactPersonFactory(contact=contact, first_name="Jean", last_name="Roy", email="jean@roy.example")
    if settings.PROSPECTION_ENABLED:
        from tests.prospection.factories import OpportunityFactory

        opportunity = OpportunityFactory(contact=contact, contact_person=merged, representative=rep)
    keep.refresh_from_db()
    merged.refresh_from_db()
    url = reverse("privacy:person_merge", args=[contact.pk, keep.pk])
    assert manager_client.get(url).status_code == 200
    assert manager_client.get(url, {"other": merged.pk}).status_code == 200
    response = manager_client.post(url, {"other": merged.pk, "survivor_version": keep.version,
                                         "other_version": merged.version, "email": "take", "phone": "keep"})
    assert response.status_code == 302
    assert list(contact.people.values_list("pk", flat=True)) == [keep.pk]
    keep.refresh_from_db()
    assert (keep.email, keep.phone) == ("jean@roy.example", "514 555 0101")
    if settings.PROSPECTION_ENABLED:
        opportunity.refresh_from_db()
        assert opportunity.contact_person_id == keep.pk
    assert ContactPerson.history.filter(id=merged.pk).count() == 0  # moved to the survivor
    assert AuditEntry.objects.filter(action="merge", kind="person", user=manager).count() == 1


def test_a_person_of_another_contact_cannot_be_merged(manager_client):
    contact = ContactFactory(name="Garage Roy")
    keep = ContactPersonFactory(contact=contact)
    stranger = ContactPersonFactory(contact=ContactFactory(name="Ailleurs"))
    url = reverse("privacy:person_merge", args=[contact.pk, keep.pk])
    response = manager_client.post(url, {"other": stranger.pk, "survivor_version": keep.version,
                                         "other_version": stranger.version})
    assert response.status_code == 200
    assert ContactPerson.objects.filter(pk=stranger.pk).exists()


def test_a_stale_person_is_not_merged(manager_client):
    contact = ContactFactory(name="Garage Roy")
    keep = ContactPersonFactory(contact=contact, last_name="Roy")
    merged = ContactPersonFactory(contact=contact, last_name="Roy", email="jean@roy.example")
    keep.refresh_from_db()
    merged.refresh_from_db()
    data = {"other": merged.pk, "survivor_version": keep.version, "other_version": merged.version, "email": "take"}
    merged.role = "Directeur"  # a second editor saves meanwhile
    merged.save()
    response = manager_client.post(reverse("privacy:person_merge", args=[contact.pk, keep.pk]), data)
    assert response.status_code == 302
    assert contact.people.count() == 2
    keep.refresh_from_db()
    assert keep.email != "jean@roy.example"
    assert not AuditEntry.objects.exists()


def test_the_survivors_history_tab_says_what_was_merged(manager_client, rep):
    survivor, other = make_pair(rep)
    post_merge(manager_client, survivor, other)  # every field kept as the survivor had it
    page = manager_client.get(survivor.get_absolute_url() + "?tab=history").text
    assert 'data-testid="history-reason"' in page
    assert "Fusionné avec « quincaillerie belanger et freres »" in page


def test_a_nul_character_in_the_search_for_a_contact_to_merge_with_is_no_error(manager_client, rep):
    # PostgreSQL refuses a NUL in a text value: the picking page answered 500 (found by the hostile walk).
    survivor, other = make_pair(rep)
    response = manager_client.get(reverse("privacy:contact_merge", args=[survivor.pk]), {"q": f"{other.name}\x00"})
    assert response.status_code == 200
    assert other.name in response.text
