from django import template

from crm import formatting
from crm.formatting import format_money, format_number
from crm.text import user_name as display_name

register = template.Library()


@register.filter
def money(value):
    """{{ amount|money }} → 12 345,67 $ in French, $12,345.67 in English."""
    return format_money(value)


@register.filter
def number(value, places=0):
    return format_number(value, places=int(places))


@register.filter
def format_date(value, fmt="DATE_FORMAT"):
    """{{ note.date|format_date }} → 1er décembre 2026 / 1 Dec 2026; {{ d|format_date:"SHORT_DATE_FORMAT" }}.

    Every date a template writes goes through here (crm.formatting.format_date), not |date.
    """
    return formatting.format_date(value, fmt)


@register.filter
def user_name(user):
    """{{ note.assigned_to|user_name }} → the name people see for a user (crm.text.user_name); "" for nobody."""
    return display_name(user) if user else ""
