from django import template

from notes import rows

register = template.Library()


@register.simple_tag(takes_context=True)
def note_row(context, note):
    """{% note_row note %}: see notes/rows.py. The page to come back to is `here`, else this one."""
    request = context["request"]
    here = context.get("here") or request.get_full_path()
    return rows.note_row(note, user=request.user, csrf_token=str(context["csrf_token"]), here=here)


@register.simple_tag
def state_badge(note_or_state):
    """{% state_badge note %} or {% state_badge "overdue" %}: the state in colour, by icon and in words."""
    return rows.state_badge(getattr(note_or_state, "state", note_or_state))


@register.simple_tag(takes_context=True)
def home_item(context, note):
    """{% home_item note %}: a note on « Ma journée » with its in-place actions (notes/rows.py).
    The renderer is made once a page and kept on the request."""
    request = context["request"]
    items = getattr(request, "_home_items", None)
    if items is None:
        items = request._home_items = rows.HomeItems(request, csrf_token=str(context["csrf_token"]),
                                                     show_assignee=context.get("show_assignee", False))
    return items(note)
