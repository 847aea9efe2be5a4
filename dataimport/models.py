"""Uploaded files, background jobs and the import log.

An upload is kept in the database, in chunks of 1 MB, so that any web server
and any worker host reads the same file with nothing shared but the database,
and memory stays bounded whatever its size. The file a background export
writes is kept the same way (an Upload with is_export), for its user only.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

CHUNK_SIZE = 1024 * 1024


class Target(models.TextChoices):
    """What a file is imported as (and, later, what an export writes)."""

    CONTACTS = "contacts", _("Contacts and their people")
    NOTES = "notes", _("Notes")
    OPPORTUNITIES = "opportunities", _("Opportunities")


class Upload(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True,
                             on_delete=models.SET_NULL, related_name="+")
    target = models.CharField(_("import as"), max_length=20, choices=Target.choices)
    name = models.CharField(_("file name"), max_length=255)
    size = models.BigIntegerField(_("size"), default=0)
    # What the import page chose: encoding, delimiter, mapping {position: column key or ""}, update.
    options = models.JSONField(_("options"), default=dict, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # Written by a background export (dataimport/exports.py) for `user` to download; never imported.
    is_export = models.BooleanField(_("written by an export"), default=False)

    class Meta:
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("dataimport:mapping", args=[self.pk])


class UploadChunk(models.Model):
    upload = models.ForeignKey(Upload, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["upload", "index"], name="upload_chunk_unique_index")]

    def __str__(self):
        return f"{self.upload_id}:{self.index}"


class Job(models.Model):
    """Work done outside the request by a worker (django.tasks): checking or running an import, undoing
    one, writing a big export (its file: `upload`, is_export). Rows done and total are live in the jobs
    cache while it runs (dataimport/jobs.py) and kept here at the end."""

    class Kind(models.TextChoices):
        CHECK = "check", _("Check")
        IMPORT = "import", _("Import")
        UNDO = "undo", _("Undo an import")
        EXPORT = "export", _("Export")

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting for a worker")
        RUNNING = "running", _("running")
        DONE = "done", _("finished")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True,
                             on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    target = models.CharField(_("what"), max_length=20, choices=Target.choices)
    upload = models.ForeignKey(Upload, verbose_name=_("file"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="jobs")
    options = models.JSONField(_("options"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in all"), default=0)
    # What it gave: {"ok": bool, "lines": [...], "errors": [...], "error_total": n, "tallies": {...}}.
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)
    error = models.TextField(_("why it failed"), blank=True)
    # The import it ran (an import) or undid (an undo).
    run = models.ForeignKey("ImportRun", verbose_name=_("import"), null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="jobs")
    worker = models.CharField(_("worker"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        permissions = [("import_data", _("Can import data"))]
        indexes = [models.Index(fields=["status", "created_at"], name="job_status_created")]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self):
        if self.kind == self.Kind.EXPORT:
            return reverse("exports:job", args=[self.pk])
        return reverse("dataimport:job", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


class ImportRun(models.Model):
    """One entry of the import log: an import from a page or a command, whatever its outcome.

    The history rows it wrote say "import <id>" (history_change_reason): what undoing it reads."""

    class Origin(models.TextChoices):
        WEB = "web", _("import page")
        COMMAND = "command", _("command line")

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("imported")
        FAILED = "failed", _("refused, nothing written")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True,
                             on_delete=models.SET_NULL, related_name="+")
    origin = models.CharField(_("from"), max_length=10, choices=Origin.choices)
    target = models.CharField(_("what"), max_length=20, choices=Target.choices)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    status = models.CharField(_("outcome"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("when"), auto_now_add=True)
    seconds = models.FloatField(_("duration"), default=0)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    tallies = models.JSONField(_("counts"), default=dict, blank=True)
    error = models.TextField(_("why it was refused"), blank=True)
    job = models.ForeignKey(Job, verbose_name=_("job"), null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("undone by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("import log")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["-started_at"], name="importrun_started")]

    def __str__(self):
        return f"{self.get_target_display()} · {self.file_name}"

    def get_absolute_url(self):
        return reverse("dataimport:log") + f"#import-{self.pk}"

    @property
    def history_reason(self) -> str:
        return f"import {self.pk}"

    @property
    def undo_reason(self) -> str:
        return f"undo import {self.pk}"

    @property
    def changed(self) -> int:
        return sum(tally.get("created", 0) + tally.get("updated", 0) for tally in self.tallies.values())

    @property
    def can_undo(self) -> bool:
        return self.status == self.Status.DONE and self.undone_at is None and self.changed > 0
