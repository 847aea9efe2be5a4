"""Erase, export and merge contacts and people; the possible duplicates; the audit page.

Managers and administrators only (the privacy permissions, given to the Managers group);
every write is a POST inside one transaction (crm.middleware.atomic_writes)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from contacts.access import get_contact_for_user, get_person_for_user
from contacts.matching import rule_labels, similar_contacts
from contacts.models import Contact, ContactPerson
from crm import audit
from crm.concurrency import StaleEdit
from crm.models import AuditEntry
from crm.pagination import PAGE_SIZE, paginate, query_without
from crm.text import fold
from privacy import duplicates, erasure, export
from privacy.forms import AuditFilterForm, MergeForm
from privacy.merging import CONTACT_FIELDS, PERSON_FIELDS, merge_contacts, merge_people

ERASE = "privacy.erase_personal_data"
EXPORT = "privacy.export_personal_data"
MERGE = "privacy.merge_contacts"
MAX_PAGE = 100_000


def blocked_message(blocked) -> str:
    return _("Nothing was erased: %(records)s still refer to it and may not be removed with it.") % {
        "records": blocked.args[0]}


@permission_required(ERASE, raise_exception=True)
def contact_erase(request, pk):
    contact = get_contact_for_user(request, pk)
    if request.method == "POST":
        try:
            erasure.erase_contact(contact=contact, user=request.user)
        except erasure.ErasureBlocked as blocked:
            messages.error(request, blocked_message(blocked))
            return redirect(contact)
        # The message names nothing: it waits in the message storage until the next page.
        messages.success(request, _("The contact and everything held about it were erased."))
        return redirect("contacts:list")
    return render(request, "privacy/erase_confirm.html", {
        "contact": contact, "counts": erasure.counts_for_contact(contact),
    })


@permission_required(ERASE, raise_exception=True)
def person_erase(request, pk, person_pk):
    contact = get_contact_for_user(request, pk)
    person = get_person_for_user(request, contact, person_pk)
    if request.method == "POST":
        try:
            erasure.erase_person(person=person, user=request.user)
        except erasure.ErasureBlocked as blocked:
            messages.error(request, blocked_message(blocked))
            return redirect(contact)
        messages.success(request, _("The person and their history were erased; the contact’s file stays."))
        return redirect(contact)
    return render(request, "privacy/erase_confirm.html", {"contact": contact, "person": person})


def _zip_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@permission_required(EXPORT, raise_exception=True)
def contact_export(request, pk):
    contact = get_contact_for_user(request, pk)
    if request.method == "POST":
        data, notes = export.contact_data(contact, request.user)
        content = export.archive(data, vcard_text=export.vcard(contact, list(contact.people.all())), notes=notes)
        audit.record(request.user, "export", kind="contact", count=1, notes=len(notes))
        return _zip_response(f"contact-{contact.pk}-{timezone.localdate():%Y-%m-%d}.zip", content)
    return render(request, "privacy/export_confirm.html", {"contact": contact})


@permission_required(EXPORT, raise_exception=True)
def person_export(request, pk, person_pk):
    contact = get_contact_for_user(request, pk)
    person = get_person_for_user(request, contact, person_pk)
    if request.method == "POST":
        data, notes = export.person_data(person, request.user)
        content = export.archive(data, vcard_text=export.vcard(contact, [person]), notes=notes)
        audit.record(request.user, "export", kind="person", count=1, notes=len(notes))
        return _zip_response(f"person-{person.pk}-{timezone.localdate():%Y-%m-%d}.zip", content)
    return render(request, "privacy/export_confirm.html", {"contact": contact, "person": person})


def _other(model, request, **lookups):
    """The record named by ?other= (or the form's `other`), or None when none or a bad number."""
    raw = request.POST.get("other") or request.GET.get("other") or ""
    if not raw.strip().isdigit():
        return None
    return model.objects.filter(pk=int(raw), **lookups).first()


def _candidates(request, contact) -> dict:
    """Contacts to merge with: the look-alikes, and those whose name has the searched words."""
    # A NUL character cannot be sent to PostgreSQL (a text value may not hold one): it is no search word.
    query = fold(request.GET.get("q", "").replace("\x00", "")).strip()[:100]
    found = []
    if query:
        words = Q()
        for word in query.split():
            words &= Q(search_text__contains=word)
        found = list(Contact.objects.filter(words).exclude(pk=contact.pk).only("pk", "name", "email", "city")
                     .order_by("name", "pk")[:20])
    suggested = similar_contacts(name=contact.name, kind=contact.kind, email=contact.email, phone=contact.phone,
                                 exclude_pk=contact.pk, limit=10)
    return {"query": request.GET.get("q", ""), "found": found, "suggested": suggested}


@permission_required(MERGE, raise_exception=True)
@permission_required("contacts.change_contact", raise_exception=True)
def contact_merge(request, pk):
    survivor = get_contact_for_user(request, pk)
    other = _other(Contact, request)
    if other is not None and other.pk == survivor.pk:
        other = None
    if other is None:
        if request.method == "POST" or request.GET.get("other"):
            messages.error(request, _("Choose another contact to merge with this one."))
        return render(request, "privacy/merge_pick.html", {"contact": survivor, **_candidates(request, survivor)})
    form = MergeForm(request.POST or None, survivor=survivor, other=other, fields=CONTACT_FIELDS)
    if request.method == "POST" and form.is_valid():
        try:
            moved = merge_contacts(survivor=survivor, survivor_version=form.cleaned_data["survivor_version"],
                                   other=other, other_version=form.cleaned_data["other_version"],
                                   values=form.chosen_values(), user=request.user)
        except StaleEdit:
            messages.error(request, _("One of the two contacts was changed meanwhile: nothing was merged. "
                                      "Check the values again."))
            return redirect(f"{request.path}?other={other.pk}")
        messages.success(request, _("“%(other)s” was merged into this file (%(count)s records moved).")
                         % {"other": other.name, "count": sum(moved.values())})
        return redirect(survivor)
    return render(request, "privacy/merge_form.html", {
        "contact": survivor, "survivor": survivor, "other": other, "form": form,
        "counts": {"survivor": erasure.counts_for_contact(survivor), "other": erasure.counts_for_contact(other)},
    })


@permission_required(MERGE, raise_exception=True)
@permission_required("contacts.change_contact", raise_exception=True)
def person_merge(request, pk, person_pk):
    contact = get_contact_for_user(request, pk)
    survivor = get_person_for_user(request, contact, person_pk)
    other = _other(ContactPerson, request, contact=contact)
    if other is not None and other.pk == survivor.pk:
        other = None
    if other is None:
        people = contact.people.exclude(pk=survivor.pk)
        return render(request, "privacy/merge_pick.html", {"contact": contact, "person": survivor, "people": people})
    form = MergeForm(request.POST or None, survivor=survivor, other=other, fields=PERSON_FIELDS)
    if request.method == "POST" and form.is_valid():
        try:
            merge_people(survivor=survivor, survivor_version=form.cleaned_data["survivor_version"],
                         other=other, other_version=form.cleaned_data["other_version"],
                         values=form.chosen_values(), user=request.user)
        except StaleEdit:
            messages.error(request, _("One of the two people was changed meanwhile: nothing was merged. "
                                      "Check the values again."))
            return redirect(f"{request.path}?other={other.pk}")
        messages.success(request, _("“%(other)s” was merged into “%(name)s”.")
                         % {"other": other.full_name, "name": survivor.full_name})
        return redirect(contact)
    return render(request, "privacy/merge_form.html", {
        "contact": contact, "survivor": survivor, "other": other, "form": form, "person": survivor,
    })


@permission_required(MERGE, raise_exception=True)
def duplicate_list(request):
    """The possible duplicates, best score first; 25 a page (a fixed number of queries)."""
    pending = duplicates.refresh(at_most=duplicates.IN_PAGE) is None and duplicates.schedule()
    # Previous / next only: counting hundreds of thousands of pairs would cost more than the page.
    raw = request.GET.get("page", "")
    number = min(int(raw), MAX_PAGE) if raw.isdigit() and int(raw) > 0 else 1
    pairs = list(duplicates.pairs()[(number - 1) * PAGE_SIZE:number * PAGE_SIZE + 1])
    for pair in pairs:
        pair.labels = rule_labels(pair.rules.split(","))
    return render(request, "privacy/duplicates.html", {
        "pairs": pairs[:PAGE_SIZE], "number": number, "has_next": len(pairs) > PAGE_SIZE,
        "previous": number - 1, "next": number + 1, "pending": pending,
    })


# The audit's kinds of record as users read them (imports record the plural: "contacts").
KIND_LABELS = {
    "contact": _lazy("contact"), "contacts": _lazy("contacts"), "person": _lazy("person"), "people": _lazy("people"),
    "note": _lazy("note"), "notes": _lazy("notes"), "opportunity": _lazy("opportunity"),
    "opportunities": _lazy("opportunities"),
}


@permission_required("crm.view_auditentry", raise_exception=True)
def audit_list(request):
    form = AuditFilterForm(request.GET or None)
    entries = form.filter(AuditEntry.objects.select_related("user"))
    page = paginate(request, entries)
    for entry in page:
        entry.kind_label = KIND_LABELS.get(entry.kind, entry.kind)
    return render(request, "privacy/audit.html", {
        "form": form, "page": page, "page_query": query_without(request, "page"),
    })

