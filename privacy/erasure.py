"""Erasing a contact or a person with nothing left behind (Law 25, GDPR: the right to erasure).

What goes: the rows themselves and every row of any app that depends on them (followed
through the models' relations, so an app added later is covered: CASCADE rows are erased
with them, SET_NULL references emptied), their history rows (django-simple-history: the
history of every erased row, and the history rows of rows that pointed at them), the admin's
log entries naming them, the duplicate keys; cached dashboard figures are invalidated. What
stays: one audit entry (who, when, what kind, how many), with no personal data.

The rows are deleted with one DELETE per table (no per-row signals, which would each write a
"deleted" history row holding the very data being erased), children before parents.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from contacts.models import Contact, ContactPerson
from crm import audit


class ErasureBlocked(Exception):
    """Another app protects rows that depend on the erased ones: nothing was erased."""


@dataclass
class Erased:
    """How many rows of each model went (history rows apart)."""

    counts: dict[str, int] = field(default_factory=dict)
    history_rows: int = 0

    def add(self, model, count: int) -> None:
        if count:
            self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + count


def history_model(model):
    """The model's history model (django-simple-history), or None."""
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None) if manager is not None else None


def _is_history(model) -> bool:
    return hasattr(model, "instance_type") and hasattr(model, "history_id")


def _reverse_relations(model):
    """Every relation from another model to this one, hidden ones (history, related_name='+') too."""
    for relation in model._meta.get_fields(include_hidden=True):
        if relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one):
            yield relation


def _purge(model, rows: models.QuerySet, erased: Erased) -> None:
    """Delete `rows` (a queryset of `model`) and everything that depends on them, children first."""
    if not rows.exists():
        return
    for relation in _reverse_relations(model):
        related, fk = relation.related_model, relation.field
        pointing = related._base_manager.filter(**{f"{fk.name}__in": rows.values("pk")})
        if _is_history(related):
            # A history row follows what its live model does: the history of a note of an
            # erased contact goes; an opportunity's history keeps its row, without the person.
            live = related.instance_type._meta.get_field(fk.name)
            if live.remote_field.on_delete is models.SET_NULL:
                pointing.update(**{fk.name: None})
            else:
                # Rows deleted before (a note removed last year) are known only by their history.
                _forget_log_entries(related.instance_type, pointing.values_list("id", flat=True).distinct())
                erased.history_rows += pointing._raw_delete(pointing.db)
            continue
        on_delete = fk.remote_field.on_delete
        if on_delete is models.SET_NULL:
            changes = {fk.name: None}
            if any(f.name == "version" for f in related._meta.concrete_fields):
                changes["version"] = models.F("version") + 1  # a form opened before is refused
            pointing.update(**changes)
        elif on_delete in (models.CASCADE, models.DO_NOTHING):
            _purge(related, pointing, erased)
        else:
            raise ErasureBlocked(related._meta.verbose_name_plural)
    history = history_model(model)
    if history is not None:
        erased.history_rows += history.objects.filter(id__in=rows.values("pk"))._raw_delete(history.objects.db)
    _forget_log_entries(model, rows.values_list("pk", flat=True))
    erased.add(model, rows._raw_delete(rows.db))


def _forget_log_entries(model, pks) -> None:
    """The admin's log names what it changed ("object_repr"): those lines go too."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    if not LogEntry.objects.filter(content_type=content_type).exists():
        return
    ids = [str(pk) for pk in pks]
    for start in range(0, len(ids), 900):
        LogEntry.objects.filter(content_type=content_type, object_id__in=ids[start:start + 900]).delete()


def _figures_changed() -> None:
    if settings.PROSPECTION_ENABLED:
        from prospection.figures import opportunities_changed

        opportunities_changed()


def counts_for_contact(contact: Contact) -> list[tuple[str, int]]:
    """What an erasure of this contact takes, for the confirmation page (every row, hidden ones too)."""
    counts = [(Contact._meta.verbose_name_plural, 1), (ContactPerson._meta.verbose_name_plural, contact.people.count())]
    for model_label in ("notes.Note", "prospection.Opportunity"):
        if apps.is_installed(model_label.split(".")[0]):
            model = apps.get_model(model_label)
            counts.append((model._meta.verbose_name_plural, model._base_manager.filter(contact=contact).count()))
    return counts


@transaction.atomic
def erase_contact(*, contact: Contact, user, action: str = "erase") -> Erased:
    """Erase the contact, its people, notes, opportunities and all their history (atomic)."""
    erased = Erased()
    _purge(Contact, Contact.objects.filter(pk=contact.pk), erased)
    _figures_changed()
    audit.record(user, action, kind="contact", count=1, **_audit_details(erased))
    return erased


@transaction.atomic
def erase_person(*, person: ContactPerson, user) -> Erased:
    """Erase one person and their history; the contact's file stays (its search text is rebuilt)."""
    erased = Erased()
    contact = Contact.objects.get(pk=person.contact_id)
    _purge(ContactPerson, ContactPerson.objects.filter(pk=person.pk), erased)
    # The contact's search text held the person's name; its history never did (excluded field).
    contact.refresh_search_text()
    Contact.objects.filter(pk=contact.pk).update(version=models.F("version") + 1)
    _figures_changed()
    audit.record(user, "erase", kind="person", count=1, **_audit_details(erased))
    return erased


def _audit_details(erased: Erased) -> dict:
    return {"rows": erased.counts, "history_rows": erased.history_rows}
