"""A worker killed (SIGKILL, a real process) in the middle of an import's write pass leaves nothing
written, and the job is then marked failed, with its import in the log."""

from tests.servers import kill_worker_during, manage, manage_shell, production_env

SETUP = """
import io, random, csv
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from bench.make_import_sample import HEADER, rows
from dataimport import jobs
from dataimport.models import Job
from dataimport.tasks import run_job
from tests.factories import UserFactory
manager = UserFactory(username="marie", groups=["Managers"])
text = io.StringIO()
writer = csv.writer(text, delimiter=";")
writer.writerow(HEADER)
writer.writerows(rows(%(contacts)d, random.Random(1)))
upload = jobs.save_upload(user=manager, target="contacts", file=SimpleUploadedFile("big.csv", text.getvalue().encode()))
job = Job.objects.create(user=manager, kind="import", target="contacts", upload=upload, options={"language": "fr"})
run_job.enqueue(job.pk)
print(job.pk)
"""

AFTER = """
import time
from contacts.models import Contact, ContactPerson
from dataimport import jobs
from dataimport.models import ImportRun, Job
job = Job.objects.get()
print(Contact.objects.count(), ContactPerson.objects.count(), job.status, ImportRun.objects.get().status)
time.sleep(jobs.LEASE + 1)
job = jobs.expire(job)
print(job.status, ImportRun.objects.get().status, Contact.objects.count())
"""


def test_a_worker_killed_mid_import_leaves_the_counts_unchanged_and_the_job_failed(tmp_path):
    env = production_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
                         JOB_PROGRESS_DIR=str(tmp_path / "progress"), JOB_LEASE_SECONDS="2")
    manage(env, "migrate", "-v", "0")
    job_id = manage_shell(env, SETUP % {"contacts": 10000}).splitlines()[-1]
    # Killed inside the import's transaction, rows already sent.
    seen = kill_worker_during(env, tmp_path / "progress", tmp_path / "db.sqlite3", job_id,
                              lambda seen: seen.get("phase") == "write" and seen.get("done", 0) > 0)
    assert seen.get("phase") == "write", seen
    counts, expired = manage_shell(env, AFTER).splitlines()[-2:]
    assert counts == "0 0 running running"
    assert expired == "failed failed 0"
