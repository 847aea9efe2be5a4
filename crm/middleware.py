from django.conf import settings
from django.db import transaction
from django.utils.cache import patch_cache_control

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def atomic_writes(get_response):
    """Each state-changing request is one transaction: the project's transaction policy lives here.

    A write that spans several rows (a note and its history record, a contact
    and its people) is never left half-done, even if the database goes away
    in the middle. Reads run outside it, so pages pay nothing for this.

    So views (the pages, the admin, the API) open no transaction of their own
    and neither do the services they call, unless a service writes several
    rows and is also called outside a request. transaction.atomic is for what
    runs outside a request (commands, the import engine, background jobs) and
    for row locks (select_for_update, which needs its own block to say how
    long the lock holds).
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


def private_pages(get_response):
    """Pages for a signed-in user say `Cache-Control: private`: no shared cache
    (a company proxy, a CDN) may keep a page showing one user's notes and serve
    it to another. A view that set its own Cache-Control (the admin's
    never_cache) keeps it, with `private` added when it lacks it.

    Only requests that bring a session cookie are looked at, so the calendar
    feed that calendar apps fetch without one is left as it was.
    """

    def middleware(request):
        response = get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            patch_cache_control(response, private=True)
        return response

    return middleware
