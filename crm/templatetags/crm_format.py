from django import template

from crm.formatting import format_money, format_number

register = template.Library()


@register.filter
def money(value):
    """{{ amount|money }} → 12 345,67 $ in French, $12,345.67 in English."""
    return format_money(value)


@register.filter
def number(value, places=0):
    return format_number(value, places=int(places))
