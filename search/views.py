from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from crm.pagination import query_without
from search import finding
from search.forms import SearchForm
from search.matching import Query
from search.registry import source_for, sources_for

SHOWN = 5  # hits of each kind on the results page


def read_query(request) -> tuple[SearchForm, Query | None]:
    """The form and the query it holds, or None (with the form's or our own error) when unusable."""
    form = SearchForm(request.GET if "q" in request.GET else None)
    if not form.is_valid():
        return form, None
    query = Query.of(form.cleaned_data["q"])
    if not query.words:
        form.add_error("q", _("Type letters or digits."))
        return form, None
    return form, query


def results(request):
    """Every kind the user may see, its first hits and their number (see finding.find_all; 1 more query a kind found)."""
    form, query = read_query(request)
    groups = []
    everything = finding.find_all(sources_for(request.user), request.user, query, limit=finding.PREVIEW_LIMIT) if query else []
    for found in everything:
        if found.keys:
            groups.append((found, found.first(request.user, SHOWN)))
    return render(request, "search/results.html", {"form": form, "query": query, "groups": groups})


def kind_list(request, kind):
    """One kind's hits, paginated (3 queries: the keys, the sorted keys, the page's rows)."""
    source = source_for(request.user, kind)
    if source is None:
        raise Http404
    form, query = read_query(request)
    found = page = None
    if query:
        found = finding.find(source, request.user, query, limit=finding.LIST_LIMIT)
        page = found.page(request.user, request.GET.get("page"))
    return render(request, "search/kind.html", {
        "form": form, "query": query, "source": source, "found": found, "page": page,
        "page_query": query_without(request, "page"),
    })
