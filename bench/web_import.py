"""The web import, timed as a manager sees it: a 100,000-contact file (150,000 people) checked, run and
undone by real `manage.py db_worker --batch` processes (one per job), as the page would queue them.

Each job's time is the worker's own (Job.started_at → finished_at); meanwhile this process reads the
progress the page polls (the jobs cache) every 0.05 s and keeps the longest wait between two
changes; the worker's peak memory is its maximum resident size (getrusage of the child). The import
commits and its undo removes it again: the database ends as it began (its tables are vacuumed).

Then the big exports as background jobs (dataimport/exports.py), the same way: the 100,000
opportunities and the contacts (one row per person: 150,000 rows at L) as XLSX and CSV, written by a
worker for the manager, in French; their files are deleted after.
"""

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.db import connection

from contacts.models import Contact, ContactPerson
from dataimport import jobs
from dataimport.models import ImportRun, Job, Upload
from dataimport.tasks import run_job

BASE_DIR = Path(__file__).resolve().parents[1]


def worker_run(job: Job) -> dict:
    """Queue the job, run one worker until the queue is empty; its seconds, progress gaps and peak memory."""
    run_job.enqueue(job.pk)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "-v", "0"],
                              cwd=BASE_DIR, env=os.environ.copy())
    last, changed_at, gaps, updates = None, None, [], 0
    while worker.poll() is None:
        job.refresh_from_db(fields=["status"])
        progress = jobs.live(job)
        now = time.monotonic()
        if job.status == Job.Status.RUNNING and progress:
            key = (progress.get("phase"), progress.get("done"))
            if key != last:
                if changed_at is not None:
                    gaps.append(now - changed_at)
                last, changed_at, updates = key, now, updates + 1
        time.sleep(0.05)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime - cpu_before
    job.refresh_from_db()
    return {"status": job.status, "ok": job.outcome.get("ok"), "seconds": round(
        (job.finished_at - job.started_at).total_seconds(), 2) if job.finished_at and job.started_at else None,
        # The worker's own CPU (with its start-up, ~1 s): on a loaded machine, the part that is ours.
        "worker_cpu_s": round(cpu, 1), "longest_progress_gap_s": round(max(gaps), 2) if gaps else None, "progress_updates": updates,
        # ru_maxrss of children is the largest child's so far: meaningful when it grows.
        "peak_worker_mb": round(max(peak, before) / 1024), "error": job.error[:300],
        "outcome": {key: value for key, value in job.outcome.items() if key in {"tallies", "errors", "message"}}}


def measure(path: Path, rows: int, *, echo=None) -> list:
    from bench.runner import Result

    manager = get_user_model().objects.get(username="bench-manager")
    with open(path, "rb") as handle:
        upload = jobs.save_upload(user=manager, target="contacts", file=File(handle, name=path.name))
    options = {"language": "fr", "update": False, "mapping": {}}
    results = []
    counts_before = (Contact.objects.count(), ContactPerson.objects.count())
    run_id = None
    for name, kind in [("web_import_check", Job.Kind.CHECK), ("web_import_run", Job.Kind.IMPORT),
                       ("web_import_undo", Job.Kind.UNDO)]:
        job = Job.objects.create(user=manager, kind=kind, target="contacts", upload=upload, options=options,
                                 run_id=run_id)
        measured = worker_run(job)
        if kind == Job.Kind.IMPORT:
            run_id = ImportRun.objects.filter(job=job).values_list("pk", flat=True).first()
        seconds = measured["seconds"] = measured["seconds"] or 0
        result = Result(name=name, persona="manager", url=path.name, status=0 if measured["ok"] else 1,
                        median_ms=round(seconds * 1000), p95_ms=round(seconds * 1000),
                        cpu_ms=round(measured["worker_cpu_s"] * 1000), queries=0,
                        sql_ms=0, bytes=path.stat().st_size, samples=1, kind="import",
                        extra={"rows": rows, **measured, "rows_per_second": round(rows / seconds) if seconds else 0,
                               "load_average": [round(load, 2) for load in os.getloadavg()]})
        results.append(result)
        if echo:
            echo(result)
        if not measured["ok"]:
            break
    counts_after = (Contact.objects.count(), ContactPerson.objects.count())
    results[-1].extra["counts_unchanged"] = counts_before == counts_after
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM contacts_contact, contacts_contactperson, contacts_historicalcontact, "
                           "contacts_historicalcontactperson")
    return results + measure_exports(manager, echo=echo)


EXPORTS = [("web_export_opportunities_xlsx", "opportunities.xlsx", "outcome=all"),
           ("web_export_opportunities_csv", "opportunities.csv", "outcome=all"),
           ("web_export_contacts_xlsx", "contacts.xlsx", ""), ("web_export_contacts_csv", "contacts.csv", "")]


def measure_exports(manager, *, echo=None) -> list:
    from bench.runner import Result
    from dataimport.exports import export_specs

    results = []
    for name, export, query in EXPORTS:
        if export not in export_specs():  # the prospection module off
            continue
        job = Job.objects.create(user=manager, kind=Job.Kind.EXPORT, target=export_specs()[export].target,
                                 options={"export": export, "args": {}, "query": query, "language": "fr"})
        measured = worker_run(job)
        job.refresh_from_db()
        size = job.upload.size if job.upload else 0
        seconds = measured["seconds"] = measured["seconds"] or 0
        result = Result(name=name, persona="manager", url=export, status=0 if measured["ok"] else 1,
                        median_ms=round(seconds * 1000), p95_ms=round(seconds * 1000),
                        cpu_ms=round(measured["worker_cpu_s"] * 1000), queries=0, sql_ms=0, bytes=size, samples=1,
                        kind="import", extra={"rows": job.rows_done, **measured, "rows_per_second": round(
                                              job.rows_done / seconds) if seconds else 0,
                                              "load_average": [round(load, 2) for load in os.getloadavg()]})
        Upload.objects.filter(pk=job.upload_id).delete()
        results.append(result)
        if echo:
            echo(result)
    return results
