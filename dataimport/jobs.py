"""Running jobs: claim, progress, heartbeat, the lease, and the end.

Live progress (rows done, total, phase) and the heartbeat go to the "jobs"
cache (settings.CACHES), not to the database: an import writes everything in
ONE transaction, and on SQLite that transaction holds the database's only
write lock, so a second connection could not record progress until the end;
the cache is written at once whatever the database. Several hosts share it
through Redis (REDIS_URL); without it, a file cache on this host.

A worker that dies (killed, machine lost) writes nothing more: its import's
transaction is rolled back by the database, and its heartbeat stops. A job
"running" whose heartbeat is older than LEASE is marked failed by the next
page that shows it or the next job a worker starts; the worker itself sets
"done" inside the import's transaction, only if the job is still "running",
so a job marked failed can never commit afterwards.
"""

import datetime
import os
import shutil
import socket
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import OperationalError, connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from crm.importing import engine
from dataimport.models import CHUNK_SIZE, Job, Upload, UploadChunk

HEARTBEAT_EVERY = 2.0  # seconds
# Seconds without a heartbeat after which the worker is taken for gone (settings.JOB_LEASE_SECONDS).
LEASE = float(settings.JOB_LEASE_SECONDS)
PROGRESS_EVERY = 0.5  # seconds between two progress writes


def store():
    return caches["jobs"]


def _key(job_id, what: str) -> str:
    # One cache may serve several databases (tests, copies): the database's name is in the key.
    return f"relance-job:{connection.settings_dict['NAME']}:{job_id}:{what}"


def live(job) -> dict:
    """What the worker last said: {"phase", "done", "total"} (empty before it starts)."""
    return store().get(_key(job.pk, "progress")) or {}


def beat(job_id) -> None:
    store().set(_key(job_id, "beat"), time.time(), timeout=int(LEASE * 10))


def last_beat(job) -> float | None:
    return store().get(_key(job.pk, "beat"))


def is_stale(job, now: float | None = None) -> bool:
    if job.status != Job.Status.RUNNING:
        return False
    now = now or time.time()
    beaten = last_beat(job)
    if beaten is None:  # cache emptied, or never written: judge by when it started
        beaten = job.started_at.timestamp() if job.started_at else now
    return now - beaten > LEASE


def expire(job) -> Job:
    """Mark a job whose worker is gone as failed (and its import as refused); the job as it is now."""
    if is_stale(job):
        from dataimport.journal import fail_stale

        if job.kind == Job.Kind.EXPORT:
            message = _("The worker writing this file stopped (killed or lost) before the end; no file was "
                        "kept. Export again.")
        else:
            message = _("The worker running this job stopped (killed or lost) before the end; nothing was "
                        "written. Start it again.")
        try:
            if Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
                    status=Job.Status.FAILED, error=message, finished_at=timezone.now()):
                fail_stale(job, message)
        except OperationalError:
            pass  # SQLite busy with another writer: the next look will do it
        job.refresh_from_db()
    return job


def expire_all() -> None:
    for job in Job.objects.filter(status=Job.Status.RUNNING):
        expire(job)


# Uploaded files are kept this long (to check again, change columns, run), then deleted by the next job.
KEEP_UPLOADS = datetime.timedelta(days=2)


def forget_old_uploads() -> None:
    """Uploads after KEEP_UPLOADS, and exported files after settings.EXPORT_KEEP_HOURS."""
    now = timezone.now()
    Upload.objects.filter(is_export=False, created_at__lt=now - KEEP_UPLOADS).exclude(
        jobs__status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).delete()
    Upload.objects.filter(is_export=True,
                          created_at__lt=now - datetime.timedelta(hours=settings.EXPORT_KEEP_HOURS)).delete()


class Heartbeat:
    """A thread that says "still alive" every HEARTBEAT_EVERY seconds while the job runs."""

    def __init__(self, job_id):
        self.job_id = job_id
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"job-{job_id}-heartbeat", daemon=True)

    def _run(self):
        while not self.stopped.wait(HEARTBEAT_EVERY):
            beat(self.job_id)

    def __enter__(self):
        beat(self.job_id)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join()


class JobProgress(engine.Progress):
    """The engine's progress, in the jobs cache: rows done and total, at most every PROGRESS_EVERY s."""

    def __init__(self, job, phase: str = ""):
        super().__init__(None)
        self.job = job
        self.fixed_phase = phase  # "undo"; else the import's pass, check or write
        self.importer = None
        self.phase = ""
        self.total = None
        self.rows = 0

    def start(self, label, *, total=None):
        self.phase = self.fixed_phase or ("write" if self.importer is not None and self.importer.writing else "check")
        self.total = total
        self.rows = 0
        self.shown_at = 0.0
        self._write(0.0)

    def update(self, fraction, *, force=False, rows=None):
        if rows is not None:
            self.rows = rows
        now = time.monotonic()
        if force or now - self.shown_at >= PROGRESS_EVERY:
            self.shown_at = now
            self._write(fraction)

    def done(self):
        self._write(1.0)

    def _write(self, fraction):
        total = self.total
        if total is None:  # the check pass: estimated from the share of the file read
            total = round(self.rows / fraction) if fraction > 0 else 0
        store().set(_key(self.job.pk, "progress"),
                    {"phase": self.phase, "done": self.rows, "total": max(total, self.rows),
                     "estimated": self.total is None and fraction < 1.0},
                    timeout=24 * 3600)


# Uploads -------------------------------------------------------------------------


def save_upload(*, user, target: str, file) -> Upload:
    """Store an uploaded file (Django's UploadedFile) in the database, 1 MB at a time."""
    upload = Upload.objects.create(user=user, target=target, name=Path(file.name).name[:255], size=file.size)
    for index, chunk in enumerate(file.chunks(CHUNK_SIZE)):
        UploadChunk.objects.create(upload=upload, index=index, data=bytes(chunk))
    return upload


def stored_bytes(upload: Upload):
    """The stored file, 1 MB at a time (one query per chunk: memory stays flat)."""
    for index in upload.chunks.order_by("index").values_list("index", flat=True):
        yield bytes(UploadChunk.objects.values_list("data", flat=True).get(upload=upload, index=index))


@contextmanager
def local_copy(upload: Upload):
    """The upload as a file on this host (its name's extension kept: it says the kind), removed after."""
    folder = tempfile.mkdtemp(prefix="relance-import-")
    path = os.path.join(folder, "upload" + Path(upload.name).suffix.lower()[:10])
    try:
        with open(path, "wb") as file:
            for data in stored_bytes(upload):
                file.write(data)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# Running ---------------------------------------------------------------------------


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(job_id) -> Job | None:
    """Take a queued job (one worker only wins), or None."""
    if not Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
            status=Job.Status.RUNNING, started_at=timezone.now(), worker=worker_name()[:200]):
        return None
    return Job.objects.select_related("upload", "user", "run").get(pk=job_id)


def finish(job, **fields) -> bool:
    """Record the end of a job still running (not expired meanwhile); whether it was."""
    fields.setdefault("finished_at", timezone.now())
    return bool(Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(**fields))


def perform(job_id) -> None:
    """What the task does: claim the job, run it with a heartbeat, record how it ended."""
    expire_all()
    forget_old_uploads()
    job = claim(job_id)
    if job is None:
        return
    from dataimport import work

    with translation.override(job.options.get("language") or None), Heartbeat(job.pk):
        try:
            work.RUNNERS[job.kind](job)
        except Exception as error:  # anything unforeseen: the job says why, the worker goes on
            finish(job, status=Job.Status.FAILED, error=_("The job stopped on an unexpected error: %(error)s")
                   % {"error": error})
            raise
