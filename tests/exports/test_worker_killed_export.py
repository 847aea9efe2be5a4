"""A worker killed (SIGKILL, a real process) while it writes a background export leaves no file offered,
and the job is then marked failed."""

from tests.servers import kill_worker_during, manage, manage_shell, production_env

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


def test_a_worker_killed_mid_export_leaves_no_file_and_the_job_failed(tmp_path):
    env = production_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
                         JOB_PROGRESS_DIR=str(tmp_path / "progress"), JOB_LEASE_SECONDS="2")
    manage(env, "migrate", "-v", "0")
    job_id = manage_shell(env, SETUP % {"contacts": 60000}).splitlines()[-1]
    # Killed half the rows written to its temporary file.
    seen = kill_worker_during(env, tmp_path / "progress", tmp_path / "db.sqlite3", job_id,
                              lambda seen: seen.get("phase") == "export" and 0 < seen.get("done", 0) < seen.get("total", 0))
    assert seen.get("phase") == "export", seen
    running, expired = manage_shell(env, AFTER).splitlines()[-2:]
    assert running == "running 0"
    assert expired == "failed 0 None"
