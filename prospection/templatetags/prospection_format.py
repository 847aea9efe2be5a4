from django import template

from crm.formatting import format_percent

register = template.Library()


@register.filter
def percent(value):
    """{{ 35|percent }} → "35 %" in French (no-break space), "35%" in English."""
    return format_percent(value)
