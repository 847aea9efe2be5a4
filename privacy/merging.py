"""Merging two contacts, or two people of one contact, into one (atomic, version-checked).

Everything that points at the merged-away record moves to the survivor, found through the
models' relations so that an app added later is covered too: people, notes, opportunities,
the history rows (django-simple-history), addresses of earlier merges. The merged-away
record is then deleted without a "deleted" history row, and the survivor is saved once with
the chosen values and a history entry saying what was merged into it. Its old address
redirects to the survivor (ContactRedirect).
"""

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext as _

from contacts.models import Contact, ContactPerson
from crm import audit
from crm.concurrency import StaleEdit
from privacy import duplicates
from privacy.erasure import _is_history, _reverse_relations, history_model
from privacy.models import ContactRedirect, DuplicatePair, MatchKey

CONTACT_FIELDS = ["name", "kind", "status", "email", "phone", "website", "street", "city", "region",
                  "postal_code", "country", "language", "description", "external_ref"]
if settings.PROSPECTION_ENABLED:  # the account manager is the Prospection tab's
    CONTACT_FIELDS.append("account_manager")
PERSON_FIELDS = ["first_name", "last_name", "role", "email", "phone", "mobile", "is_primary"]
# Rows of the duplicates page are worked out again, not moved.
NOT_MOVED = {MatchKey, DuplicatePair}


def _locked(model, pk: int, version: int):
    """The row, locked until the end of the transaction; StaleEdit if it changed since `version`."""
    row = model.objects.select_for_update().get(pk=pk)
    if row.version != version:
        raise StaleEdit(f"{model._meta.label} {pk} is no longer at version {version}")
    return row


def _move_everything(model, source, target) -> dict[str, int]:
    """Point every row that refers to `source` at `target`; returns the counts moved per model."""
    moved = {}
    for relation in _reverse_relations(model):
        related, fk = relation.related_model, relation.field
        if related in NOT_MOVED:
            continue
        changes = {fk.attname: target.pk}
        if not _is_history(related) and any(f.name == "version" for f in related._meta.concrete_fields):
            changes["version"] = models.F("version") + 1  # forms opened on them before are refused
        if model is Contact and related is ContactPerson:
            changes["is_primary"] = False  # the survivor keeps its own primary person
        count = related._base_manager.filter(**{fk.attname: source.pk}).update(**changes)
        if count and not _is_history(related):
            moved[related._meta.label] = count
    history = history_model(model)
    # The survivor's history tells the merged-away record's story too.
    history.objects.filter(id=source.pk).update(id=target.pk)
    return moved


def _delete_quietly(model, pk: int) -> None:
    """Delete the merged-away row without a "deleted" history row (its history moved): one
    DELETE, no signals; nothing points at it any more."""
    rows = model.objects.filter(pk=pk)
    rows._raw_delete(rows.db)


def _reason(text: str) -> str:
    return text[:100]  # history_change_reason's length


@transaction.atomic
def merge_contacts(*, survivor: Contact, survivor_version: int, other: Contact, other_version: int,
                   values: dict, user) -> dict[str, int]:
    """Merge `other` into `survivor` with the chosen field values; StaleEdit if either changed."""
    if survivor.pk == other.pk:
        raise ValueError("a contact cannot be merged with itself")
    first, second = sorted([(survivor.pk, survivor_version), (other.pk, other_version)])
    locked = {pk: _locked(Contact, pk, version) for pk, version in (first, second)}  # same order: no deadlock
    survivor, other = locked[survivor.pk], locked[other.pk]
    duplicates.forget([survivor.pk, other.pk])
    if values.get("external_ref") == other.external_ref:
        Contact.objects.filter(pk=other.pk).update(external_ref="")  # unique: it moves to the survivor
    moved = _move_everything(Contact, other, survivor)
    ContactRedirect.objects.update_or_create(old_id=other.pk, defaults={"contact": survivor})
    other_name = other.name
    _delete_quietly(Contact, other.pk)
    for name, value in values.items():
        setattr(survivor, name, value)
    survivor._change_reason = _reason(_("Merged with “%(name)s” (no. %(pk)s)") % {"name": other_name, "pk": other.pk})
    survivor.save()  # rebuilds the search text from the people it now has
    if any(label == "prospection.Opportunity" for label in moved):
        from prospection.figures import opportunities_changed

        opportunities_changed()
    audit.record(user, "merge", kind="contact", count=2, moved=moved)
    return moved


@transaction.atomic
def merge_people(*, survivor: ContactPerson, survivor_version: int, other: ContactPerson, other_version: int,
                 values: dict, user) -> dict[str, int]:
    """Merge `other` into `survivor` (two people of one contact); StaleEdit if either changed."""
    if survivor.pk == other.pk or survivor.contact_id != other.contact_id:
        raise ValueError("only two different people of one contact can be merged")
    first, second = sorted([(survivor.pk, survivor_version), (other.pk, other_version)])
    locked = {pk: _locked(ContactPerson, pk, version) for pk, version in (first, second)}
    survivor, other = locked[survivor.pk], locked[other.pk]
    moved = _move_everything(ContactPerson, other, survivor)
    other_name = other.full_name
    _delete_quietly(ContactPerson, other.pk)
    for name, value in values.items():
        setattr(survivor, name, value)
    survivor._change_reason = _reason(_("Merged with “%(name)s”") % {"name": other_name})
    survivor.save()  # rebuilds the contact's search text
    audit.record(user, "merge", kind="person", count=2, moved=moved)
    return moved
