"""The pages of a background export: its progress then its download link, the file, the user's list.

Only the user who asked sees any of them: another user's export is a 404, whoever they are."""

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header

from crm.exporting.http import CONTENT_TYPES
from dataimport import jobs
from dataimport.exports import downloadable, export_specs, kept_for, may_still_export
from dataimport.models import Job

RECENT = 20


def own_export(request, pk) -> Job:
    return get_object_or_404(Job.objects.select_related("upload"), pk=pk, kind=Job.Kind.EXPORT, user=request.user)


def export_job(request, pk):
    """The job's page (polled by htmx every second while it runs: the panel alone)."""
    job = jobs.expire(own_export(request, pk))
    template = "dataimport/_export_panel.html" if request.headers.get("HX-Request") else "dataimport/export_job.html"
    return render(request, template, {"job": job, "live": jobs.live(job) if not job.finished else {},
                                      "file_ready": downloadable(job), "expires_at": expires_at(job)})


def expires_at(job):
    return job.upload.created_at + kept_for() if job.upload is not None else None


def export_file(request, pk):
    job = own_export(request, pk)
    if not downloadable(job) or not may_still_export(request.user, export_specs().get(job.options.get("export"))):
        raise Http404
    upload = job.upload
    extension = upload.name.rpartition(".")[2]
    response = StreamingHttpResponse(jobs.stored_bytes(upload), content_type=CONTENT_TYPES[extension])
    response["Content-Length"] = str(upload.size)
    response["Content-Disposition"] = content_disposition_header(True, upload.name)
    response["Cache-Control"] = "private, no-store"
    return response


def export_list(request):
    """The user's recent exports prepared in the background (the files still there have a link)."""
    recent = list(Job.objects.filter(user=request.user, kind=Job.Kind.EXPORT).select_related("upload")
                  .order_by("-pk")[:RECENT])
    return render(request, "dataimport/export_list.html", {
        "rows": [(job, downloadable(job), expires_at(job)) for job in recent]})
