"""The background tasks (Django's Tasks framework, run by `manage.py db_worker`)."""

from django.tasks import task

from dataimport import jobs


@task()
def run_job(job_id: int) -> None:
    """Run one dataimport Job (check, import, undo)."""
    jobs.perform(job_id)
