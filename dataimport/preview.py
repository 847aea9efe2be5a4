"""The mapping page's preview: the first rows as they will be stored, written as people read them."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import formats
from django.utils.translation import gettext as _

from crm.importing import values
from crm.text import user_name
from dataimport.forms import column_label


def preview_table(inspection) -> tuple[list[str], list[tuple]]:
    """(headings, [(row number, [cell text...])]) for the columns the rows will fill, in the file's order."""
    by_key = {column.key: column for column in inspection.columns}
    keys = [key for key in dict.fromkeys(inspection.matched) if key in by_key]
    user_columns = {key for key in keys if isinstance(by_key[key].parse, values.Users)}
    user_ids = {row.values[key] for row in inspection.rows for key in user_columns if key in row.values}
    users = {user.pk: user for user in get_user_model().objects.filter(pk__in=user_ids)} if user_ids else {}
    rows = []
    for row in inspection.rows:
        cells = []
        for key in keys:
            value = row.values.get(key)
            if key in user_columns and value in users:
                value = user_name(users[value])
            cells.append(shown(value))
        rows.append((row.number, cells))
    return [column_label(by_key[key]) for key in keys], rows


def shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, datetime.time):
        return formats.time_format(value, "TIME_FORMAT")
    if isinstance(value, Decimal):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)
