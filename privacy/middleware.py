from django.http import Http404
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse


def merged_contact_redirect(get_response):
    """A contact page answering 404 because the contact was merged into another redirects to
    the same page of the survivor. Costs nothing on any other request (only a 404 is looked at)."""

    def middleware(request):
        return get_response(request)

    def process_exception(request, exception):
        match = request.resolver_match
        if not isinstance(exception, Http404) or match is None or request.method not in ("GET", "HEAD"):
            return None
        if match.namespace != "contacts" or "pk" not in match.kwargs:
            return None
        from privacy.models import ContactRedirect

        survivor = ContactRedirect.objects.filter(old_id=match.kwargs["pk"]).values_list("contact_id", flat=True).first()
        if survivor is None:
            return None
        try:
            target = reverse(match.view_name, kwargs={**match.kwargs, "pk": survivor})
        except NoReverseMatch:
            return None
        query = request.META.get("QUERY_STRING")
        return redirect(target + (f"?{query}" if query else ""), permanent=True)

    middleware.process_exception = process_exception
    return middleware
