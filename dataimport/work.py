"""What each kind of job does, in the worker (dataimport.jobs.perform calls these)."""

from django.utils.translation import gettext as _

from crm.importing.engine import ImportFailed
from dataimport import jobs, undo
from dataimport.exports import run_export
from dataimport.importers import importer_classes
from dataimport.models import ImportRun, Job


def make_importer(job, *, dry_run: bool):
    options = job.options
    progress = jobs.JobProgress(job)
    importer = importer_classes()[job.target](
        update=bool(options.get("update")), dry_run=dry_run, encoding=options.get("encoding") or None,
        delimiter=options.get("delimiter") or None, mapping=options.get("mapping") or {}, progress=progress,
        user=job.user, origin=ImportRun.Origin.WEB, file_name=job.upload.name if job.upload else "",
    )
    progress.importer = importer
    importer.job = job
    return importer


def outcome(importer, rows: int) -> dict:
    return {"ok": True, "lines": importer.summary(), "tallies": importer.tallies(), "rows": rows,
            "ignored": importer.ignored}


def refused(failure: ImportFailed) -> dict:
    return {"ok": False, "errors": failure.errors, "error_total": failure.total}


def run_import(job, *, dry_run: bool) -> None:
    if job.upload is None:
        jobs.finish(job, status=Job.Status.FAILED, error=_("The uploaded file is gone; upload it again."))
        return
    importer = make_importer(job, dry_run=dry_run)
    if not dry_run:
        importer.before_commit.append(lambda: finish_in_transaction(job, importer))
    with jobs.local_copy(job.upload) as path:
        try:
            importer.run(path)
        except ImportFailed as failure:
            jobs.finish(job, status=Job.Status.DONE, outcome=refused(failure), run=ImportRun.objects.filter(
                job=job).order_by("-pk").first())
            return
    if dry_run:
        jobs.finish(job, status=Job.Status.DONE, rows_done=importer.rows_read, rows_total=importer.rows_read,
                    outcome=outcome(importer, importer.rows_read))


def finish_in_transaction(job, importer) -> None:
    """Last step inside the import's transaction: the job says done, or (expired meanwhile) nothing commits."""
    run = ImportRun.objects.filter(job=job).order_by("-pk").first()
    if not jobs.finish(job, status=Job.Status.DONE, rows_done=importer.rows_read, rows_total=importer.rows_read,
                       outcome=outcome(importer, importer.rows_read), run=run):
        raise ImportFailed([_("This job was marked failed while it ran (its worker looked lost); nothing was "
                              "written. Start it again.")])


def run_undo(job) -> None:
    def done(counts):
        # Inside the undo's transaction, as for an import: done, or nothing undone.
        if not jobs.finish(job, status=Job.Status.DONE, outcome={"ok": True, "tallies": counts}):
            raise undo.UndoRefused(_("This job was marked failed while it ran; nothing was undone."))

    try:
        undo.undo_import(job.run, user=job.user, before_commit=[done], progress=jobs.JobProgress(job, "undo"))
    except undo.UndoRefused as refusal:
        jobs.finish(job, status=Job.Status.DONE,
                    outcome={"ok": False, "message": refusal.message, "records": refusal.records,
                             "error_total": refusal.total})


RUNNERS = {
    Job.Kind.CHECK: lambda job: run_import(job, dry_run=True),
    Job.Kind.IMPORT: lambda job: run_import(job, dry_run=False),
    Job.Kind.UNDO: run_undo,
    Job.Kind.EXPORT: run_export,
}
