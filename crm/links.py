import html

from django.urls import reverse


def url_with_pk(view_name: str, suffix: str = "", *, for_html: bool = False):
    """reverse(view_name, args=[pk]) + suffix for many pks at the cost of one reverse (~20 µs a call);
    for_html: escaped for an HTML attribute, once (the pk itself needs none)."""
    marker = "7294018365"
    head, tail = reverse(view_name, args=[int(marker)]).split(marker)
    tail += suffix
    if for_html:
        head, tail = html.escape(head), html.escape(tail)
    return lambda pk: f"{head}{pk}{tail}"
