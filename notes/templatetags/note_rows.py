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
def state_badge(note):
    """{% state_badge note %}: the note's state in colour, by icon and in words."""
    return rows.state_badge(note.state)
