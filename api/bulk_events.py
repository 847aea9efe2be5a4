"""Webhook events of the set-based writers (bulk changes, imports), written set-based too.

Those writers send no model signals (api/events.py listens to those): they send crm.writes'
signals, inside their transaction. For each webhook that wants an event, ONE INSERT … SELECT
writes a delivery for every record of the change that the webhook's owner may see (the pages'
querysets: `Note.objects.visible_to(owner)`, the view permissions), and one job per BATCH of
them is queued (api/tasks.py deliver_batch). The deliveries name their record (object_id); the
worker reads and serializes the records when it sends them, so a 10,000-contact change costs
the request a few statements, not 10,000 serializations. Everything is written in the writer's
transaction (the jobs' queue is a table of the same database): a rolled-back change leaves no
delivery and no job.

Each record still gets its own signed POST, with the same body as any other event's, so a
receiver needs nothing new.
"""

import uuid

from django.db import connection
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from api.events import KINDS_BY_NAME, VIEW_PERMISSION, active_hooks
from contacts.models import ContactPerson
from crm import writes
from notes.models import Note

# Deliveries per background job: one job sends them one after the other.
BATCH = 500


def visible(kind: str, owner):
    """The records of this kind the webhook's owner may see: what the pages show them."""
    model = KINDS_BY_NAME[kind]
    if not owner.is_active or not owner.has_perm(VIEW_PERMISSION[kind]):
        return model.objects.none()
    if kind == "note":
        return Note.objects.visible_to(owner)
    return model.objects.all()


def queue_set(event: str, kind: str, records) -> None:
    """Deliveries of `event` for these records (a queryset of the kind's model), for every webhook
    that wants it, limited to what its owner may see. 2 statements and a job per BATCH, per webhook."""
    for hook in [hook for hook in active_hooks() if event in hook.events]:
        insert_deliveries(hook, event, visible(kind, hook.owner).filter(pk__in=records.values("pk")))


def insert_deliveries(hook, event: str, records) -> None:
    from api.models import WebhookDelivery
    from api.tasks import deliver_batch

    batch = uuid.uuid4()
    meta = WebhookDelivery._meta
    constants = {"webhook_id": hook.pk, "event": event, "payload": {"event": event, "data": None},
                 "status": WebhookDelivery.Status.PENDING, "attempts": 0, "response_body": "", "error": "",
                 "created_at": timezone.now(), "batch": batch}
    columns = [meta.get_field(name).column for name in constants] + [meta.get_field("object_id").column]
    prepared = [meta.get_field(name).get_db_prep_save(value, connection) for name, value in constants.items()]
    select, params = records.order_by().values("pk").query.sql_with_params()  # one column: the id
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(column) for column in columns)}) "
            f"SELECT {', '.join(['%s'] * len(prepared))}, chosen.* "
            f"FROM ({select}) chosen",
            [*prepared, *params])
    ids = list(WebhookDelivery.objects.filter(batch=batch).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        part = ids[start:start + BATCH]
        deliver_batch.enqueue(str(batch), part[0], part[-1])


def bulk_changing(sender, ids, values, **kwargs):
    """A bulk change (crm.bulk), before its UPDATE: "<kind>.updated", and "note.done" for the open
    notes it marks done."""
    kind = next((name for name, model in KINDS_BY_NAME.items() if model is sender), None)
    if kind is None:
        return
    records = sender.objects.filter(pk__in=ids)
    queue_set(f"{kind}.updated", kind, records)
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


writes.bulk_changing.connect(bulk_changing, dispatch_uid="api.bulk_changing")
writes.import_written.connect(import_written, dispatch_uid="api.import_written")
