"""Webhook events of the set-based writers (bulk changes, imports and their undo): a few statements, not one per record.

Those writers send no model signals (api/events.py listens to those): they send crm.writes'
signals, inside their transaction. For each webhook that wants an event, the ids of the
records its owner may see (the pages' querysets: `Note.objects.visible_to(owner)`, the view
permissions) are read in one query (none when the rule is a permission and the writer gave
the ids) and queued as jobs of BATCH ids (api/tasks.py deliver_batch). The worker reads those
records, writes their deliveries and posts them: a 10,000-contact change costs the request ten
small INSERTs per webhook, not 10,000 delivery rows and serializations. The jobs' queue is a table of the same database, written in
the writer's transaction: a rolled-back change queues nothing.

Each record still gets its own delivery and its own signed POST, with the same body as any
other event's, so a receiver needs nothing new.
"""

from django.db.models import OuterRef, Q, Subquery

from api.events import KINDS_BY_NAME, VIEW_PERMISSION, active_hooks
from contacts.models import ContactPerson
from crm import writes
from notes.models import Note

# Records per background job: one job posts their deliveries one after the other.
BATCH = 1000


def kind_of(model) -> str | None:
    """The webhooks' name for a model's records ("contact", "note", "opportunity"); None for others."""
    return next((name for name, kind_model in KINDS_BY_NAME.items() if kind_model is model), None)


def visible_ids(kind: str, owner, records, known_ids=None) -> list[int]:
    """The ids of these records (a queryset of the kind's model) the webhook's owner may see: what the
    pages show them. No query when the rule is only a permission and the ids are known already."""
    model = KINDS_BY_NAME[kind]
    if not owner.is_active or not owner.has_perm(VIEW_PERMISSION[kind]):
        return []
    if kind != "note" and known_ids is not None:
        return sorted(known_ids)
    allowed = Note.objects.visible_to(owner) if kind == "note" else model.objects.all()
    return list(allowed.filter(pk__in=records.values("pk")).order_by("pk").values_list("pk", flat=True))


def queue_set(event: str, kind: str, records, known_ids=None) -> None:
    """Jobs sending `event` for these records (a queryset of the kind's model; `known_ids` their ids, if
    known) to every webhook that wants it, limited to what its owner may see. Per webhook: at most one
    query, and a job per BATCH records."""
    from api.tasks import deliver_batch

    for hook in [hook for hook in active_hooks() if event in hook.events]:
        ids = visible_ids(kind, hook.owner, records, known_ids)
        for start in range(0, len(ids), BATCH):
            deliver_batch.enqueue(hook.pk, event, ids[start:start + BATCH])


def bulk_changing(sender, ids, values, **kwargs):
    """A bulk change (crm.bulk), before its UPDATE: "<kind>.updated", and "note.done" for the open
    notes it marks done."""
    kind = kind_of(sender)
    if kind is None:
        return
    records = sender.objects.filter(pk__in=ids)
    queue_set(f"{kind}.updated", kind, records, known_ids=ids)
    if kind == "note" and values.get("is_done") is True:
        queue_set("note.done", "note", records.filter(is_done=False))


def import_written(sender, reason: str, since, **kwargs):
    """An import, before its commit: what its history rows say it created and changed.

    A contact whose people alone changed is "updated"; a note the import marked done (its history
    row before the import was not done) is also "done".
    """
    for kind, model in KINDS_BY_NAME.items():
        rows = model.history.filter(history_change_reason=reason, history_date__gte=since)
        created = rows.filter(history_type="+").values("id")
        changed = Q(pk__in=rows.filter(history_type="~").values("id"))
        if kind == "contact":
            people = ContactPerson.history.filter(history_change_reason=reason, history_date__gte=since)
            changed |= Q(pk__in=people.values("contact_id"))
        queue_set(f"{kind}.created", kind, model.objects.filter(pk__in=created))
        queue_set(f"{kind}.updated", kind, model.objects.filter(changed).exclude(pk__in=created))
        if kind == "note":
            before = (model.history.filter(id=OuterRef("id"), history_date__lt=since)
                      .order_by("-history_date", "-history_id").values("is_done")[:1])
            done = rows.filter(history_type="~", is_done=True).annotate(was_done=Subquery(before)).filter(
                was_done=False)
            queue_set("note.done", "note", model.objects.filter(pk__in=done.values("id")))
        if kind == "opportunity":
            # Won or lost now, and not before the import (a new one created closed counts: the pages'
            # rule in api.events.opportunity_saved).
            was = (model.history.filter(id=OuterRef("id"), history_date__lt=since)
                   .order_by("-history_date", "-history_id").values("stage__outcome")[:1])
            for outcome in ("won", "lost"):
                closed = rows.filter(stage__outcome=outcome).annotate(was=Subquery(was)).filter(
                    Q(was__isnull=True) | ~Q(was=outcome))
                queue_set(f"opportunity.{outcome}", kind, model.objects.filter(pk__in=closed.values("id")))


def bulk_deleting(sender, objects, **kwargs):
    """An import's undo, before it deletes these records: "<kind>.deleted" with each one as it was
    (nothing is left to read afterwards), for what the webhook's owner may see; a job per BATCH."""
    from api.events import may_see, serialize
    from api.models import WebhookDelivery
    from api.tasks import deliver_rest

    kind = kind_of(sender)
    hooks = [hook for hook in active_hooks() if f"{kind}.deleted" in hook.events] if kind else []
    if not hooks:
        return
    event, records = f"{kind}.deleted", [serialize(kind, instance) for instance in objects]
    for hook in hooks:
        deliveries = WebhookDelivery.objects.bulk_create([
            WebhookDelivery(webhook=hook, event=event, payload={"event": event, "data": data})
            for data in records if may_see(hook.owner, kind, data)])
        for start in range(0, len(deliveries), BATCH):
            deliver_rest.enqueue([delivery.pk for delivery in deliveries[start:start + BATCH]])


writes.bulk_changing.connect(bulk_changing, dispatch_uid="api.bulk_changing")
writes.bulk_deleting.connect(bulk_deleting, dispatch_uid="api.bulk_deleting")
writes.import_written.connect(import_written, dispatch_uid="api.import_written")
