"""Big exports as background jobs (crm.exporting.http.send sends them here above the threshold).

The page asks first (a POST: a link followed by mistake or by another site starts nothing), then
queues a Job(kind=export) keeping the export's name, the view's arguments, the query string and the
language. The worker selects the rows again FOR THAT USER, when it runs (what they may see then: an
admin-only note never reaches a rep's file, a permission taken away meanwhile stops the job), writes
the file to a temporary file, then stores it in the database (1 MB chunks, an Upload with is_export)
in the same transaction that marks the job done: a worker killed before that leaves no file and a
job that the lease marks failed. The file is offered to its user only, for settings.EXPORT_KEEP_HOURS
hours; after that the download answers 404 and the next job any worker starts deletes it
(jobs.forget_old_uploads).
"""

import datetime
import tempfile

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from crm import audit
from crm.exporting.http import dated_name
from crm.exporting.spec import Asker, Export
from crm.models import AuditEntry
from dataimport import jobs
from dataimport.models import CHUNK_SIZE, Job, Upload, UploadChunk
from dataimport.tasks import run_job


def export_specs() -> dict[str, Export]:
    """{name: Export} of every export that may run in the background on this site."""
    from contacts.exports import CONTACTS_CSV, CONTACTS_XLSX
    from notes.exports import ACTIVITIES_CSV, ACTIVITIES_XLSX, CONTACT_NOTES_XLSX

    exports = [CONTACTS_CSV, CONTACTS_XLSX, ACTIVITIES_CSV, ACTIVITIES_XLSX, CONTACT_NOTES_XLSX]
    if apps.is_installed("prospection"):  # module off: no opportunity export, not even a queued one
        from prospection.exports import OPPORTUNITIES_CSV, OPPORTUNITIES_XLSX

        exports += [OPPORTUNITIES_CSV, OPPORTUNITIES_XLSX]
    return {export.name: export for export in exports}


def kept_for() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.EXPORT_KEEP_HOURS)


def queue(request, export: Export, args: dict, language: str):
    """GET: the page that offers to prepare the file; POST: the job, and the user sent to its page."""
    if request.method != "POST":
        return render(request, "dataimport/export_confirm.html", {
            "export": export, "limit": settings.EXPORT_BACKGROUND_ROWS, "hours": settings.EXPORT_KEEP_HOURS,
            "action": request.get_full_path()})
    options = {"export": export.name, "args": args, "query": request.GET.urlencode(), "language": language,
               "again": request.get_full_path()}
    # The same export asked twice while the first is still waiting or running: the first one.
    for job in Job.objects.filter(user=request.user, kind=Job.Kind.EXPORT,
                                  status__in=[Job.Status.QUEUED, Job.Status.RUNNING]):
        if job.options == options:
            return redirect(job)
    job = Job.objects.create(user=request.user, kind=Job.Kind.EXPORT, target=export.target, options=options)
    run_job.enqueue(job.pk)
    return redirect(job)


def downloadable(job: Job) -> bool:
    """The job's file is there and not past its time."""
    upload = job.upload
    return (job.kind == Job.Kind.EXPORT and job.status == Job.Status.DONE and upload is not None
            and upload.is_export and upload.created_at >= timezone.now() - kept_for())


def may_still_export(user, export: Export | None) -> bool:
    return export is not None and user is not None and user.is_active and user.has_perm(export.permission)


def run_export(job: Job) -> None:
    """In the worker: select, count, write to a temporary file, then store it and finish, atomically."""
    options = job.options
    export = export_specs().get(options.get("export"))
    if not may_still_export(job.user, export):
        jobs.finish(job, status=Job.Status.FAILED, error=_("You may no longer export these records."))
        return
    asker = Asker(job.user, QueryDict(options.get("query", "")))
    language = options.get("language") or "fr"
    progress = jobs.JobProgress(job, "export")
    with tempfile.TemporaryFile() as spool:
        # One snapshot for the count and the rows; on PostgreSQL the rows stream from a plain cursor.
        with transaction.atomic():
            try:
                selected = export.select(asker, **options.get("args", {}))
            except Http404:
                jobs.finish(job, status=Job.Status.FAILED, error=_("What was to be exported is no longer there."))
                return
            total = export.count(selected, None)
            progress.start("", total=total)
            rows = export.write(selected, language, spool,
                                progress=lambda done: progress.update(done / total if total else 1.0, rows=done))
        progress.update(1.0, force=True, rows=rows)
        size = spool.tell()
        spool.seek(0)
        with transaction.atomic():
            upload = Upload.objects.create(user=job.user, target=export.target, is_export=True, size=size,
                                           name=dated_name(export.file_stem(options.get("args", {})),
                                                           export.extension))
            for index, data in enumerate(iter(lambda: spool.read(CHUNK_SIZE), b"")):
                UploadChunk.objects.create(upload=upload, index=index, data=data)
            audit.record(job.user, AuditEntry.Action.EXPORT, export.kind, rows, format=export.extension,
                         background=True)
            if not jobs.finish(job, status=Job.Status.DONE, upload=upload, rows_done=rows, rows_total=rows,
                               outcome={"ok": True, "rows": rows}):
                transaction.set_rollback(True)  # marked failed meanwhile (lease): no file offered
