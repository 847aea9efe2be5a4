from django.tasks import task


@task()
def refresh_duplicates() -> int:
    """Compute the possible duplicates of every contact changed since the last look (privacy.duplicates)."""
    from privacy import duplicates

    return duplicates.refresh()
