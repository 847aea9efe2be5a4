"""Webhook events from every writer (pages, admin, API): model signals, queued after the commit.

The signal handlers run no query (the pages' pinned query counts stay as they were); after the
transaction commits, one query finds the webhooks that want the event, and each gets a
delivery row and a background job (api/tasks.py) — only if its owner may see the record.
"""

import time

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save

from contacts.models import Contact
from notes.models import Note

# What each kind of record needs to be seen, beside the visibility rule of notes (may_see).
VIEW_PERMISSION = {"contact": "contacts.view_contact", "note": "notes.view_note",
                   "opportunity": "prospection.view_opportunity"}


def may_see(user, kind: str, data: dict) -> bool:
    """Whether `user` may see this record as the webhook would send it (the pages' rules)."""
    if not user.is_active or not user.has_perm(VIEW_PERMISSION[kind]):
        return False
    return kind != "note" or not data.get("admin_only") or user.has_perm("notes.view_admin_only_note")


def serialize(kind: str, instance) -> dict:
    from api import serializers

    if kind == "contact":
        return dict(serializers.ContactWithoutPeopleSerializer(instance).data)
    if kind == "note":
        return dict(serializers.NoteSerializer(instance).data)
    from api.opportunities import OpportunitySerializer

    return dict(OpportunitySerializer(instance).data)


def current(kind: str, pk) -> dict | None:
    """The record as committed, as the API shows it; None if it is gone already."""
    return current_many(kind, [pk]).get(pk)


def current_many(kind: str, ids) -> dict:
    """{id: the record as the API shows it} for those of these records that still exist (1 or 2 queries)."""
    from api import serializers

    if kind == "contact":
        contacts = Contact.objects.defer("search_text").prefetch_related("people").filter(pk__in=ids)
        return {contact.pk: dict(serializers.ContactSerializer(contact).data) for contact in contacts}
    model = Note if kind == "note" else KINDS_BY_NAME["opportunity"]
    return {instance.pk: serialize(kind, instance) for instance in model.objects.filter(pk__in=ids)}


# The active webhooks, read at most once a second per process: deleting a contact with its
# 5,000 notes queues 5,000 events after the commit, not 5,000 queries.
HOOKS_TTL_SECONDS = 1.0
_hooks: tuple[float, list] = (0.0, [])


def active_hooks() -> list:
    global _hooks
    from api.models import Webhook

    read_at, hooks = _hooks
    if time.monotonic() - read_at > HOOKS_TTL_SECONDS:
        hooks = list(Webhook.objects.filter(is_active=True).select_related("owner"))
        _hooks = (time.monotonic(), hooks)
    return hooks


def forget_hooks(**kwargs) -> None:
    global _hooks
    _hooks = (0.0, [])


def queue(event: str, kind: str, pk, deleted=None, closed_from=None) -> None:
    """After the commit: a delivery for each active webhook that wants `event` and whose owner may see it.

    `deleted`: the record as it was deleted (its fields still in memory), shown without a query.
    """
    from api.models import WebhookDelivery
    from api.tasks import deliver_webhook

    hooks = [hook for hook in active_hooks() if event in hook.events]
    if not hooks:
        return
    if closed_from is not None and not closed_elsewhere(closed_from, event):
        return
    if deleted is not None:
        deleted.pk = pk  # Django clears it after the delete
        data = serialize(kind, deleted)
    else:
        data = current(kind, pk)
    if data is None:
        return
    for hook in hooks:
        if may_see(hook.owner, kind, data):
            delivery = WebhookDelivery.objects.create(
                webhook=hook, event=event, payload={"event": event, "data": data})
            deliver_webhook.enqueue(delivery.pk)


def closed_elsewhere(previous_stage_id, event: str) -> bool:
    """An opportunity won (lost) now: its previous stage was not already a won (lost) one."""
    from prospection.models import Stage

    outcome = Stage.objects.filter(pk=previous_stage_id).values_list("outcome", flat=True).first()
    return outcome != event.split(".")[1]


def later(*args, **kwargs) -> None:
    transaction.on_commit(lambda: queue(*args, **kwargs))


def remember_done(sender, instance, **kwargs):
    instance._was_done = instance.__dict__.get("is_done")


def note_saved(sender, instance, created, **kwargs):
    later("note.created" if created else "note.updated", "note", instance.pk)
    if not created and instance.is_done and instance._was_done is False:
        later("note.done", "note", instance.pk)
    instance._was_done = instance.is_done


def contact_saved(sender, instance, created, **kwargs):
    later("contact.created" if created else "contact.updated", "contact", instance.pk)


def opportunity_saved(sender, instance, created, **kwargs):
    later("opportunity.created" if created else "opportunity.updated", "opportunity", instance.pk)
    # Opportunity.save remembers the stage it was read with until after this signal.
    previous = (getattr(instance, "_loaded", None) or {}).get("stage_id")
    outcome = instance.stage.outcome
    if outcome in ("won", "lost") and previous != instance.stage_id:
        later(f"opportunity.{outcome}", "opportunity", instance.pk, closed_from=previous or 0)


def deleted(kind: str):
    def handler(sender, instance, **kwargs):
        later(f"{kind}.deleted", kind, instance.pk, deleted=instance)
    return handler


KINDS_BY_NAME = {"contact": Contact, "note": Note}
post_save.connect(forget_hooks, sender="api.Webhook", dispatch_uid="api.forget_hooks")
post_delete.connect(forget_hooks, sender="api.Webhook", dispatch_uid="api.forget_hooks_deleted")
post_init.connect(remember_done, sender=Note, dispatch_uid="api.note_remember_done")
post_save.connect(note_saved, sender=Note, dispatch_uid="api.note_saved")
post_save.connect(contact_saved, sender=Contact, dispatch_uid="api.contact_saved")
post_delete.connect(deleted("note"), sender=Note, dispatch_uid="api.note_deleted", weak=False)
post_delete.connect(deleted("contact"), sender=Contact, dispatch_uid="api.contact_deleted", weak=False)
if settings.PROSPECTION_ENABLED:
    from prospection.models import Opportunity

    KINDS_BY_NAME["opportunity"] = Opportunity
    post_save.connect(opportunity_saved, sender=Opportunity, dispatch_uid="api.opportunity_saved")
    post_delete.connect(deleted("opportunity"), sender=Opportunity, dispatch_uid="api.opportunity_deleted",
                        weak=False)
