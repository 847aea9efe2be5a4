from django import template

from crm.formatting import format_percent, money_parts

register = template.Library()


@register.filter
def percent(value):
    """{{ 35|percent }} → "35 %" in French (no-break space), "35%" in English."""
    return format_percent(value)


@register.simple_tag
def money_format():
    """{% money_format as fmt %}: the current language's money format (fmt.decimal, .group, .prefix, .suffix)."""
    return money_parts()
