"""The import pages: upload, mapping (with a preview), the job page (check, run, undo), the log.

Every view needs the "can import" permission (dataimport.import_data): 403 otherwise."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from crm.importing.engine import ImportFailed
from crm.pagination import paginate
from dataimport import jobs
from dataimport.forms import MappingForm, UploadForm, too_big_message
from dataimport.importers import importer_classes
from dataimport.models import ImportRun, Job, Upload
from dataimport.preview import preview_table
from dataimport.tasks import run_job

can_import = permission_required("dataimport.import_data", raise_exception=True)
# The multipart body around the file itself: boundaries, the other fields.
UPLOAD_OVERHEAD = 64 * 1024


@csrf_exempt  # the size is checked before the body is read; the CSRF check follows (csrf_protect)
@can_import
def start(request):
    if request.method == "POST":
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > settings.IMPORT_MAX_UPLOAD_BYTES + UPLOAD_OVERHEAD:
            return render(request, "dataimport/start.html", {"form": UploadForm(), "too_big": too_big_message(length)},
                          status=413)
    return csrf_protect(_start)(request)


def _start(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = jobs.save_upload(user=request.user, target=form.cleaned_data["target"], file=form.cleaned_data["file"])
        return redirect(upload)
    # A job started earlier is found again here, whatever page was left.
    recent = Job.objects.filter(user=request.user).select_related("upload").order_by("-pk")[:5]
    return render(request, "dataimport/start.html", {"form": form, "recent": recent})


@can_import
def mapping(request, pk):
    upload = get_object_or_404(Upload, pk=pk, target__in=list(importer_classes()), is_export=False)
    options = upload.options
    importer = importer_classes()[upload.target](encoding=options.get("encoding") or None,
                                                 delimiter=options.get("delimiter") or None,
                                                 mapping=options.get("mapping") or {})
    with jobs.local_copy(upload) as path:
        try:
            inspection = importer.inspect(path)
        except ImportFailed as failure:
            return render(request, "dataimport/unreadable.html", {"upload": upload, "errors": failure.errors})
    text_file = inspection.delimiter is not None
    initial = {"encoding": options.get("encoding", ""), "delimiter": options.get("delimiter", ""),
               "update": options.get("update", False)}
    form = MappingForm(request.POST or None, inspection=inspection, text_file=text_file, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload.options = {"encoding": form.cleaned_data.get("encoding", ""),
                          "delimiter": form.cleaned_data.get("delimiter", ""),
                          "update": form.cleaned_data["update"], "mapping": form.mapping()}
        upload.save(update_fields=["options"])
        if "check" in request.POST:
            return redirect(start_job(request, Job.Kind.CHECK, upload=upload))
        return redirect(upload)
    headings, rows = preview_table(inspection)
    return render(request, "dataimport/mapping.html", {
        "upload": upload, "form": form, "inspection": inspection, "text_file": text_file,
        "columns": [(form[field_name], name, bool(inspection.matched[index]))
                    for index, name, field_name in form.column_fields],
        "headings": headings, "rows": rows,
    })


def start_job(request, kind, *, upload=None, run=None, options=None) -> Job:
    """Queue a job for a worker (in the request's transaction: the worker sees it once committed)."""
    options = options if options is not None else (upload.options if upload else {})
    job = Job.objects.create(
        user=request.user, kind=kind, target=upload.target if upload else run.target, upload=upload, run=run,
        options={**options, "language": translation.get_language()},
    )
    run_job.enqueue(job.pk)
    return job


@can_import
def job_detail(request, pk):
    job = jobs.expire(get_object_or_404(Job.objects.select_related("upload", "user", "run"), pk=pk))
    template = "dataimport/_job_panel.html" if request.headers.get("HX-Request") else "dataimport/job.html"
    return render(request, template, {"job": job, "live": jobs.live(job) if not job.finished else {},
                                      "import_columns": ["created", "updated", "unchanged"],
                                      "undo_columns": ["deleted", "restored"]})


@require_POST
@can_import
def job_run(request, pk):
    """The import itself, after a check that found no error."""
    check = get_object_or_404(Job, pk=pk, kind=Job.Kind.CHECK, status=Job.Status.DONE)
    if not check.outcome.get("ok") or check.upload is None:
        messages.error(request, _("This check found errors: correct the file or the columns, then check again."))
        return redirect(check)
    # Exactly what was checked, whatever the mapping page says since.
    return redirect(start_job(request, Job.Kind.IMPORT, upload=check.upload, options=check.options))


@can_import
def log(request):
    page = paginate(request, ImportRun.objects.select_related("user", "undone_by"))
    return render(request, "dataimport/log.html", {"page": page})


@require_POST
@can_import
def undo(request, pk):
    run = get_object_or_404(ImportRun, pk=pk)
    if not run.can_undo:
        messages.error(request, _("This import cannot be undone: it wrote nothing, or was already undone."))
        return redirect("dataimport:log")
    return redirect(start_job(request, Job.Kind.UNDO, run=run))
