"""Undoing an import from the log: what it created is deleted, what it updated gets back the values of
the history row before the import's. All or nothing (one transaction), and refused, listing them, when
records were changed since (a later history row) or have since been given other records (a note on a
created contact). The undo writes its own history rows ("undo import <id>", by its user).

Cost: a few queries per model to find what to do, then per chunk of CHUNK records one query to load
them, one to write their history rows and one to delete or update them (crm.importing.bulk_sql).
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import F, Min, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from crm import audit, writes
from crm.importing import bulk_sql, engine
from dataimport.importers import history_models
from dataimport.models import ImportRun

CHUNK = 5000
SHOWN = 50  # records named in a refusal; the others are counted

# What the import log calls the records of each model (the engine's tally names).
TALLY_NAMES = {"contact": "contacts", "contactperson": "people", "note": "notes", "opportunity": "opportunities"}


class UndoRefused(Exception):
    """Nothing was changed; `lines` say why (the records in the way, by name)."""

    def __init__(self, message: str, records=(), total: int = 0):
        self.message = message
        self.records = list(records)  # (label, url or "")
        self.total = total or len(self.records)
        super().__init__(message)

    @property
    def lines(self) -> list[str]:
        lines = [f"{label}" for label, _url in self.records]
        hidden = self.total - len(self.records)
        if hidden > 0:
            lines.append(ngettext("… and %(count)d more record.", "… and %(count)d more records.", hidden)
                         % {"count": hidden})
        return lines


def chunks(ids, size=CHUNK):
    ids = sorted(ids)
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


class Done:
    """Counts the records undone for the progress bar."""

    def __init__(self, progress):
        self.progress = progress
        self.rows = 0

    def __call__(self, count: int) -> None:
        self.rows += count
        self.progress.update(0.0, rows=self.rows)


class ModelUndo:
    """What undoing the import means for one model with a history."""

    done = staticmethod(lambda count: None)

    def __init__(self, model, reason: str):
        self.model = model
        self.history = bulk_sql.history_model(model)
        self.reason = reason
        rows = self.history.objects.filter(history_change_reason=reason)
        self.rows = rows
        self.created = set(rows.filter(history_type="+").values_list("id", flat=True))
        self.updated = set(rows.filter(history_type="~").values_list("id", flat=True)) - self.created
        self.name = TALLY_NAMES.get(model._meta.model_name, model._meta.model_name)

    def changed_since(self) -> tuple[list, int]:
        """Records of this import with a history row after the import's (edited, deleted): (first shown, count).

        Read from the history rows written after the import's first one (history_id grows with time) that
        are not the import's — the few edits since — then compared record by record with the import's
        rows: 1 query, plus 1 per CHUNK of those records. (A correlated EXISTS for each imported row was
        planned by PostgreSQL, its statistics not yet aware of the import's 250,000 rows, as a scan of
        every later row for each one: minutes at scale L.)"""
        first = self.rows.aggregate(first=Min("history_id"))["first"]
        if first is None:
            return [], 0
        last_change = defaultdict(int)
        others = self.history.objects.filter(history_id__gt=first).exclude(history_change_reason=self.reason)
        for pk, history_id in others.values_list("id", "history_id").iterator(chunk_size=CHUNK):
            last_change[pk] = max(last_change[pk], history_id)
        ids = set()
        for chunk in chunks(last_change):
            for pk, history_id in self.rows.filter(id__in=chunk).values_list("id", "history_id"):
                if last_change[pk] > history_id:
                    ids.add(pk)
        return self.describe(ids), len(ids)

    def describe(self, ids) -> list[tuple[str, str]]:
        """(label, url) of the first SHOWN records, as their history last knew them."""
        shown = sorted(ids)[:SHOWN]
        latest = {}
        for row in self.history.objects.filter(id__in=shown).order_by("id", "history_id"):
            latest[row.id] = row.instance
        described = []
        for pk in shown:
            instance = latest.get(pk)
            label = f"{self.model._meta.verbose_name.capitalize()} « {instance} »" if instance else f"#{pk}"
            url = instance.get_absolute_url() if instance is not None and hasattr(instance, "get_absolute_url") else ""
            described.append((label, url))
        return described

    def given_since(self, plans) -> tuple[list, int]:
        """Created records that other records (not of this import) now point to."""
        created_here = self.rows.filter(history_type="+").values("id")
        found, count = [], 0
        for relation in self.model._meta.related_objects:
            if relation.many_to_many or relation.related_model is self.model:
                continue
            related = relation.related_model
            pointing = related._default_manager.filter(**{f"{relation.field.name}__in": Subquery(created_here)})
            related_history = bulk_sql.history_model(related)
            if related_history is not None:
                pointing = pointing.exclude(pk__in=Subquery(related_history.objects.filter(
                    history_change_reason=self.reason, history_type="+").values("id")))
            parents = set(pointing.order_by().values_list(relation.field.attname, flat=True).distinct())
            count += len(parents)
            found += self.describe(parents)[:SHOWN - len(found)]
        return found, count

    def restore(self, now) -> tuple[int, set]:
        """Give the updated records back their values from before the import; (records, contacts touched)."""
        names = sorted(bulk_sql.tracked(self.history) - {"id"})
        stamped = "updated_at" in {field.name for field in self.model._meta.concrete_fields} and \
            "updated_at" not in names
        first_import = self.history.objects.filter(id=OuterRef("id"), history_change_reason=self.reason).order_by(
            "history_id").values("history_id")[:1]
        restored, touched, missing = 0, set(), []
        for chunk in chunks(self.updated):
            before = {}
            for row in self.history.objects.filter(id__in=chunk).annotate(first=Subquery(first_import)).filter(
                    history_id__lt=F("first")).order_by("id", "history_id").values("id", *names):
                before[row["id"]] = row  # the last one before the import's wins
            missing += [pk for pk in chunk if pk not in before]
            changes = []
            for obj in self.model._default_manager.filter(pk__in=chunk):
                previous = before.get(obj.pk)
                if previous is None:
                    continue
                fields = {name for name in names if getattr(obj, name) != previous[name]}
                for name in fields:
                    setattr(obj, name, previous[name])
                if fields and stamped:
                    obj.updated_at = now
                    fields.add("updated_at")
                changes.append((obj, fields))
                touched.add(getattr(obj, "contact_id", obj.pk))
            bulk_sql.update_changed(self.model, changes)
            if self.model._meta.model_name not in {"contact", "contactperson"}:  # contacts: undo_import
                writes.bulk_changing.send(sender=self.model, ids=[obj.pk for obj, fields in changes if fields],
                                          values={})
            restored += len(changes)
            self.done(len(chunk))
        if missing:
            raise UndoRefused(_("The values from before the import of these records were never recorded (they "
                                "came in without history), so they cannot be put back:"),
                              self.describe(missing), len(missing))
        return restored, touched

    def delete(self) -> tuple[int, set]:
        """Delete what the import created, with a "-" history row each; (records, contacts of deleted people)."""
        deleted, parents = 0, set()
        manager = self.model._default_manager
        for chunk in chunks(self.created):
            objects = list(manager.filter(pk__in=chunk))
            writes.bulk_deleting.send(sender=self.model, objects=objects)
            bulk_sql.record_history(self.history, objects, "-")
            parents |= {obj.contact_id for obj in objects if hasattr(obj, "contact_id")}
            manager.filter(pk__in=chunk)._raw_delete(manager.db)
            deleted += len(objects)
            self.done(len(chunk))
        return deleted, parents


def undo_import(run: ImportRun, *, user, before_commit=(), progress=None) -> dict:
    """Undo the import `run`, atomically; {tally name: {"deleted": n, "restored": m}}. Raises UndoRefused."""
    with transaction.atomic(), bulk_sql.history_by(run.undo_reason, user):
        run = ImportRun.objects.select_for_update().get(pk=run.pk)  # two undos at once: one waits, then stops
        if run.undone_at is not None:
            raise UndoRefused(_("This import was already undone."))
        if not run.can_undo:
            raise UndoRefused(_("Only an import that wrote something can be undone."))
        plans = [ModelUndo(model, run.history_reason) for model in history_models(run.target)]
        shown, total = [], 0
        for plan in plans:
            for records, count in (plan.changed_since(), plan.given_since(plans)):
                shown += records
                total += count
        if total:
            raise UndoRefused(_("These records were changed since the import; undoing it would lose those "
                                "changes, so nothing was undone:"), shown[:SHOWN], total)
        now = timezone.now()
        counts, touched, deleted_contacts = {}, set(), set()
        progress = progress or engine.Progress()
        progress.start(_("Undoing"), total=sum(len(plan.created) + len(plan.updated) for plan in plans))
        done = Done(progress)
        for plan in plans:
            plan.done = done
        changed_contacts = set()  # put back, or their people: "contact.updated" for webhooks
        for plan in plans:
            restored, contacts = plan.restore(now)
            counts[plan.name] = {"restored": restored, "deleted": 0}
            if plan.model._meta.model_name in {"contact", "contactperson"}:
                touched |= contacts
                changed_contacts |= contacts
        for plan in plans:  # children first
            deleted, parents = plan.delete()
            counts[plan.name]["deleted"] = deleted
            touched |= parents
            if plan.model._meta.model_name == "contactperson":
                changed_contacts |= parents
            if plan.model._meta.model_name == "contact":
                deleted_contacts = plan.created
        if touched - deleted_contacts:
            from contacts import searchable  # the one place a contact's search text is built

            searchable.refresh(touched - deleted_contacts)
        if changed_contacts - deleted_contacts:
            from contacts.models import Contact

            writes.bulk_changing.send(sender=Contact, ids=sorted(changed_contacts - deleted_contacts), values={})
        run.undone_at, run.undone_by = now, user if getattr(user, "is_authenticated", False) else None
        run.save(update_fields=["undone_at", "undone_by"])
        audit.record(user, "undo_import", run.target, sum(sum(count.values()) for count in counts.values()))
        for step in before_commit:  # e.g. the job's "done", committed with the undo
            step(counts)
    return counts
