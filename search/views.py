from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from crm.pagination import paginate, query_without
from search.forms import SearchForm
from search.matching import Query
from search.registry import Source, source_for, sources_for

SHOWN = 5  # hits of each kind on the results page
COUNT_LIMIT = 100  # counted exactly up to here, then « plus de 100 »
LIST_LIMIT = 500  # a kind's full list goes this far: past it, the search is too vague to read


@dataclass
class Group:
    source: Source
    hits: list
    count: int
    more: bool  # more than `count`


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


def group_of(source: Source, user, query: Query) -> Group:
    """The first hits of one kind and how many there are: 1 query, 2 when there are more than SHOWN."""
    found = source.find(user, query)
    hits = list(found[:SHOWN])
    if len(hits) < SHOWN:
        return Group(source, hits, len(hits), more=False)
    count = found[:COUNT_LIMIT + 1].count()
    return Group(source, hits, min(count, COUNT_LIMIT), more=count > COUNT_LIMIT)


def results(request):
    """Every kind the user may see, grouped: 1–2 queries a kind (see group_of)."""
    form, query = read_query(request)
    sources = sources_for(request.user)
    groups = [group_of(source, request.user, query) for source in sources] if query else []
    return render(request, "search/results.html", {
        "form": form, "query": query, "groups": groups, "searched_kinds": sources,
        "found": any(group.count for group in groups),
    })


def kind_list(request, kind):
    """One kind's hits, paginated, up to LIST_LIMIT: 2 queries (count, page)."""
    source = source_for(request.user, kind)
    if source is None:
        raise Http404
    form, query = read_query(request)
    page, capped = None, False
    if query:
        found = source.find(request.user, query)
        count = found[:LIST_LIMIT + 1].count()
        capped = count > LIST_LIMIT
        page = paginate(request, found, count=min(count, LIST_LIMIT))
    return render(request, "search/kind.html", {
        "form": form, "query": query, "source": source, "page": page, "capped": capped,
        "limit": LIST_LIMIT, "page_query": query_without(request, "page"),
    })
