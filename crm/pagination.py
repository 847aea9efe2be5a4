from django.core.paginator import Paginator

PAGE_SIZE = 25


def paginate(request, queryset, *, per_page: int = PAGE_SIZE, param: str = "page"):
    """The requested page; a missing, malformed or too-large number gives the first or last page."""
    return Paginator(queryset, per_page).get_page(request.GET.get(param))


def query_without(request, *names: str) -> str:
    """The current query string without some parameters, for links that change them."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()
