"""The import log's side of the import engine (crm.importing.engine.Journal): every import that may
write, from a command or a page, gets an ImportRun; dry runs (checks) are not imports and are not logged."""

from django.utils import timezone

from crm import audit
from crm.importing import engine
from dataimport.importers import target_of
from dataimport.models import ImportRun


class ImportJournal(engine.Journal):
    def begin(self, importer):
        if importer.dry_run:
            return None
        user = importer.user if getattr(importer.user, "is_authenticated", False) else None
        return ImportRun.objects.create(
            user=user, origin=importer.origin, target=target_of(importer), file_name=importer.file_name[:255],
            job=getattr(importer, "job", None),
        )

    def reason(self, entry) -> str:
        return entry.history_reason if entry is not None else super().reason(entry)

    def commit(self, entry, importer, seconds):
        """Inside the import's transaction: the log says "imported" exactly when the rows are there."""
        if entry is None:
            return
        entry.status = ImportRun.Status.DONE
        entry.seconds = seconds
        entry.rows = importer.rows_read
        entry.tallies = importer.tallies()
        entry.save(update_fields=["status", "seconds", "rows", "tallies"])
        audit.record(entry.user, "import", entry.target, entry.changed)

    def failed(self, entry, importer, failure, seconds):
        if entry is None:
            return
        ImportRun.objects.filter(pk=entry.pk).update(status=ImportRun.Status.FAILED, seconds=seconds,
                                                     error=failure.render()[:20000])


def fail_stale(job, message: str) -> None:
    """The import of a job whose worker died: refused (its transaction never committed)."""
    ImportRun.objects.filter(job=job, status=ImportRun.Status.RUNNING).update(
        status=ImportRun.Status.FAILED, error=message, seconds=(timezone.now() - job.started_at).total_seconds()
        if job.started_at else 0)
