"""A worker killed (SIGKILL, a real process) while it writes a background export leaves no file offered,
and the job is then marked failed."""

import os
import signal
import subprocess
import sys
import time

from django.core.cache.backends.filebased import FileBasedCache

from tests.servers import BASE_DIR, manage, production_env

SETUP = """
from contacts.models import Contact
from dataimport.models import Job
from dataimport.tasks import run_job
from tests.factories import UserFactory
manager = UserFactory(username="marie", groups=["Managers"])
Contact.objects.bulk_create(Contact(name=f"Contact {number}", city="Québec", email=f"c{number}@x.example")
                            for number in range(%(contacts)d))
job = Job.objects.create(user=manager, kind="export", target="contacts",
                         options={"export": "contacts.xlsx", "args": {}, "query": "", "language": "fr"})
run_job.enqueue(job.pk)
print(job.pk)
"""

AFTER = """
import time
from dataimport import jobs
from dataimport.models import Job, Upload
job = Job.objects.get()
print(job.status, Upload.objects.filter(is_export=True).count())
time.sleep(jobs.LEASE + 1)
job = jobs.expire(job)
print(job.status, Upload.objects.filter(is_export=True).count(), job.upload_id)
"""


def shell(env, code: str) -> str:
    return manage(env, "shell", "-c", code).strip()


def test_a_worker_killed_mid_export_leaves_no_file_and_the_job_failed(tmp_path):
    env = production_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
                         JOB_PROGRESS_DIR=str(tmp_path / "progress"), JOB_LEASE_SECONDS="2")
    manage(env, "migrate", "-v", "0")
    job_id = shell(env, SETUP % {"contacts": 60000}).splitlines()[-1]
    progress = FileBasedCache(str(tmp_path / "progress"), {})
    key = f"relance-job:{tmp_path / 'db.sqlite3'}:{job_id}:progress"
    worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--no-reload", "-v", "0"], cwd=BASE_DIR,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        seen = {}
        while time.monotonic() < deadline:
            seen = progress.get(key) or {}
            if seen.get("phase") == "export" and 0 < seen.get("done", 0) < seen.get("total", 0):
                break
            assert worker.poll() is None, worker.stderr.read().decode()[-2000:]
            time.sleep(0.02)
        assert seen.get("phase") == "export", seen
        os.kill(worker.pid, signal.SIGKILL)  # half the rows written to its temporary file
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    running, expired = shell(env, AFTER).splitlines()[-2:]
    assert running == "running 0"
    assert expired == "failed 0 None"
