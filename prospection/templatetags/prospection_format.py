from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def percent(value):
    """{{ 35|percent }} → "35 %" in French (no-break space), "35%" in English."""
    if value is None or value == "":
        return ""
    return f"{value}%" if (get_language() or "fr").startswith("en") else f"{value}\u00a0%"
