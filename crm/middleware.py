from django.db import transaction

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def atomic_writes(get_response):
    """Each state-changing request is one transaction.

    A write that spans several rows (a note and its history record, a contact
    and its people) is never left half-done, even if the database goes away
    in the middle. Reads run outside it, so pages pay nothing for this.
    """

    def middleware(request):
        if request.method in SAFE_METHODS:
            return get_response(request)
        with transaction.atomic():
            response = get_response(request)
            if response.status_code >= 500:
                # The view failed and Django turned the error into a page:
                # undo whatever it wrote before failing.
                transaction.set_rollback(True)
        return response

    return middleware
