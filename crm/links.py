from django.urls import reverse


def url_with_pk(view_name: str):
    """reverse(view_name, args=[pk]) for many pks at the cost of one reverse (~20 µs a call)."""
    marker = "7294018365"
    head, tail = reverse(view_name, args=[int(marker)]).split(marker)
    return lambda pk: f"{head}{pk}{tail}"
