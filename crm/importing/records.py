"""RecordImport: the shape of an importer of one model's rows on existing contacts (notes, opportunities).

A subclass says which model it writes, how its columns map to the model's
fields (`attrs`), how a batch of rows finds the records it may be (locate),
and how a new record is made (build); the rest is written once here:

- check pass (check_batch): each row is decided — a new record (the row
  keeps `_contact`), a change to an existing one (`_existing`: its pk),
  unchanged, or an error — and counted. Nothing is written.
- write pass (write_batch): the new records are inserted, the changed ones
  updated (crm.importing.bulk_sql). Both passes share one transaction, so
  the write pass looks nothing up but the records it changes.

A record's key (e.g. contact, date and text for a note) says when two rows
are the same record: a row whose record exists is refused unless the import
runs with --update, so running a file twice never doubles anything.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone

from crm.importing import bulk_sql
from crm.importing.engine import Importer, Row


def stamp(record, changed: set, now, *, versioned: bool) -> set:
    """A record the import changes: its updated_at, and a new version (crm.concurrency) when it has one.

    Returns `changed` with those fields added: the fields to write.
    """
    record.updated_at = now
    changed.add("updated_at")
    if versioned:
        record.version += 1
        changed.add("version")
    return changed


class RecordImport(Importer):
    """Subclasses set model, attrs, counted and the messages; they give get_columns(), locate() and build()."""

    model = None
    attrs: dict[str, str] = {}  # column key → model attname
    # The attnames derive() may change besides the columns: compared before and after it.
    derived: tuple[str, ...] = ()
    key_column: str | None = None  # the column an error about the record's key points at
    repeated_message = ""  # the same record twice in the file: %(row)s, the first row
    exists_message = ""  # the record exists and the import does not --update
    ambiguous_message = ""  # several records have this key: %(count)s

    def reset(self):
        if self.writing:
            return  # the write pass only writes what the check pass counted
        self.versioned = bulk_sql.is_versioned(self.model)
        self.blueprint = bulk_sql.Blueprint(self.model)
        (self.tally,) = self.reset_counts().values()
        self.seen: dict[tuple, int] = {}  # a record's key → the row that gave it
        self.reset_check()

    def reset_check(self) -> None:
        """What the check pass looks up once per import (the stages, the default type…)."""

    # What a subclass gives -----------------------------------------------------

    def locate(self, rows: list[Row]):
        """For each row that names a record: (row, contact, key, pks of the existing records with that key).

        A few queries a batch; rows whose contact or key columns are missing or refused are left out.
        """
        raise NotImplementedError

    def ready(self, row: Row, contact) -> bool:
        """Whatever else the row needs found before it is decided (e.g. the contact's person); False: refused."""
        return True

    def plan_new(self, row: Row, contact) -> bool:
        """Whether the row can be a new record (else its errors are reported)."""
        return True

    def build(self, row: Row, now):
        """The new record (a Blueprint instance) of a row the check pass planned as new."""
        raise NotImplementedError

    def derive(self, record, before: dict, now) -> None:
        """After the row's values are set: what follows from them (`before`: the derived attnames' old values).

        May raise ValidationError (a rule the row breaks): the check pass reports it on the row (refuse()).
        """

    def refuse(self, row: Row, error: ValidationError) -> None:
        for message in error.messages:
            self.error(row, None, message)

    def written(self) -> None:
        """After each batch of the write pass."""

    # Shared -------------------------------------------------------------------

    def fields(self, row: Row) -> dict:
        """{attname: value} of the row's cells."""
        return {attr: row[column] for column, attr in self.attrs.items() if column in row}

    def apply(self, record, row: Row, now) -> set:
        """Give the record the row's values; the fields to write (none when nothing changed)."""
        before = {attr: getattr(record, attr) for attr in self.derived}
        changed = set()
        for attr, value in self.fields(row).items():
            if attr in before:
                setattr(record, attr, value)  # compared after derive(), which may change it again
            elif getattr(record, attr) != value:
                setattr(record, attr, value)
                changed.add(attr)
        self.derive(record, before, now)
        changed.update(attr for attr, value in before.items() if getattr(record, attr) != value)
        return stamp(record, changed, now, versioned=self.versioned) if changed else changed

    def check_batch(self, rows):
        """Decide every row (locate()'s queries, then 1 to load the records the file changes)."""
        matched = {}
        for row, contact, key, matches in self.locate(rows):
            if key in self.seen:
                self.error(row, self.key_column, str(self.repeated_message) % {"row": self.seen[key]})
                continue
            self.seen[key] = row.number
            if not self.ready(row, contact):
                continue
            if len(matches) > 1:
                self.error(row, self.key_column, str(self.ambiguous_message) % {"count": len(matches)})
            elif matches and not self.update:
                self.error(row, self.key_column, str(self.exists_message))
            elif matches:
                matched[row] = matches[0]
            elif self.plan_new(row, contact):
                row.values["_contact"] = contact.pk
                self.tally.created += 1
        records = self.model.objects.in_bulk(matched.values()) if matched else {}
        now = timezone.now()
        for row, pk in matched.items():
            try:
                changed = self.apply(records[pk], row, now)
            except ValidationError as error:
                self.refuse(row, error)
                continue
            if changed:
                row.values["_existing"] = pk
                self.tally.updated += 1
            else:
                self.tally.unchanged += 1

    def write_batch(self, rows):
        """Insert the new records, update the changed ones (1 query to load them)."""
        now = timezone.now()
        bulk_sql.insert(self.model, [self.build(row, now) for row in rows if "_contact" in row], set_pks=False)
        changed = {row["_existing"]: row for row in rows if "_existing" in row}
        if changed:
            bulk_sql.update_changed(self.model, ((record, self.apply(record, changed[pk], now))
                                                 for pk, record in self.model.objects.in_bulk(changed).items()))
        self.written()
